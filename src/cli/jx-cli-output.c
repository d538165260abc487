/* jx-cli-output.c — what every subcommand prints: formats, table cells, JSON Lines, CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "jx-cli-output.h"
#include "jx-request-error.h"

#define MAX_SIGNIFICANT_DIGITS 12

gboolean
jx_cli_format_parse (const char  *text,
                     JxCliFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (text == NULL || g_str_equal (text, "table"))
    *format = JX_CLI_FORMAT_TABLE;
  else if (g_str_equal (text, "json"))
    *format = JX_CLI_FORMAT_JSON;
  else if (g_str_equal (text, "csv"))
    *format = JX_CLI_FORMAT_CSV;
  else
    return FALSE;

  return TRUE;
}

void
jx_cli_output_write (const char *text,
                     gsize       len)
{
  fwrite (text, 1, len, stdout);
  fflush (stdout);
}

void
jx_cli_output_printf (const char *format,
                      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  jx_cli_output_write (text, strlen (text));
}

char *
jx_cli_output_sanitize (const char *text,
                        gboolean    multiline)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        g_string_append_c (out, multiline ? (char) c : ' ');
      else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        continue;
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (out, FALSE);
}

guint
jx_cli_output_terminal_width (void)
{
  struct winsize size = { 0 };
  const char *columns;
  guint64 value;

  if (isatty (STDOUT_FILENO) && ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  columns = g_getenv ("COLUMNS");
  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 20, 10000, &value, NULL))
    return (guint) value;
  return 80;
}

void
jx_cli_output_cell (GString    *line,
                    const char *text,
                    glong       width,
                    gboolean    right)
{
  glong chars = g_utf8_strlen (text, -1);
  g_autofree char *cut = NULL;

  if (chars > width)
    {
      const char *end = g_utf8_offset_to_pointer (text, width - 1);

      cut = g_strdup_printf ("%.*s…", (int) (end - text), text);
      text = cut;
      chars = width;
    }
  if (right)
    for (glong i = chars; i < width; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (glong i = chars; i < width; i++)
      g_string_append_c (line, ' ');
}

const char *
jx_cli_output_format_double (char   *buf,
                             gsize   size,
                             double  value)
{
  char format[16];
  char exp_text[G_ASCII_DTOSTR_BUF_SIZE];
  int digits;
  int exponent;
  int decimals;
  char *end;

  g_return_val_if_fail (buf != NULL && size > 0, NULL);

  if (!isfinite (value))
    {
      g_strlcpy (buf, "null", size);  /* JSON has no NaN or infinity */
      return buf;
    }
  if (value == 0)
    {
      g_strlcpy (buf, "0", size);
      return buf;
    }

  /* The fewest significant digits that read back as the same double, up to the cap. */
  for (digits = 1; digits < MAX_SIGNIFICANT_DIGITS; digits++)
    {
      g_snprintf (format, sizeof format, "%%.%de", digits - 1);
      g_ascii_formatd (exp_text, sizeof exp_text, format, value);
      if (g_ascii_strtod (exp_text, NULL) == value)
        break;
    }
  g_snprintf (format, sizeof format, "%%.%de", digits - 1);
  g_ascii_formatd (exp_text, sizeof exp_text, format, value);
  exponent = atoi (strchr (exp_text, 'e') + 1);

  /* The same digits without an exponent: 9e-06 → 0.000009. */
  decimals = MAX (0, digits - 1 - exponent);
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (buf, size, format, value);
  if (strchr (buf, '.') != NULL)
    {
      end = buf + strlen (buf) - 1;
      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
    }

  return buf;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            append_json_string (out, l->data);
            g_string_append_c (out, ':');
            append_json_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_json_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      /* json-glib prints doubles with 17 significant digits (0.29999999999999999). */
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, jx_cli_output_format_double (buf, sizeof buf,
                                                             json_node_get_double (node)));
          break;
        }
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          append_json_string (out, json_node_get_string (node));
          break;
        }
      G_GNUC_FALLTHROUGH;

    case JSON_NODE_NULL:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
      }
      break;
    }
}

char *
jx_cli_output_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_json_node (out, node);
  return g_string_free (out, FALSE);
}

void
jx_cli_output_json_line (JsonNode *node)
{
  g_autofree char *text = jx_cli_output_json_to_string (node);

  jx_cli_output_printf ("%s\n", text);
}

void
jx_cli_output_csv_header (const char * const *columns)
{
  g_autofree char *header = g_strjoinv (",", (char **) columns);

  jx_cli_output_printf ("%s\r\n", header);
}

void
jx_cli_output_csv_row (JsonObject         *object,
                       const char * const *columns)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; columns[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, columns[i]);
      GType type;

      if (i > 0)
        g_string_append_c (line, ',');
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;

      type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        {
          g_autofree char *valid = g_utf8_make_valid (json_node_get_string (node), -1);

          /* Quote everything textual, double the quotes. */
          g_string_append_c (line, '"');
          for (const char *p = valid; *p; p++)
            {
              if (*p == '"')
                g_string_append_c (line, '"');
              g_string_append_c (line, *p);
            }
          g_string_append_c (line, '"');
        }
      else if (type == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          if (!isfinite (json_node_get_double (node)))
            continue;
          g_string_append (line, jx_cli_output_format_double (buf, sizeof buf,
                                                              json_node_get_double (node)));
        }
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (line, json_node_get_boolean (node) ? "true" : "false");
      else
        g_string_append_printf (line, "%" G_GINT64_FORMAT, json_node_get_int (node));
    }

  jx_cli_output_printf ("%s\r\n", line->str);
}

const char *
jx_cli_output_response_error (const JxResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  return response->error != NULL ? response->error->message : NULL;
}

const char *
jx_cli_output_response_error_code (const JxResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  /* "rate_limited", "auth", … or "cancelled" for a stop; NULL when the answer is ok. */
  return jx_request_error_get_name (response->error);
}
