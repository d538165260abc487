/* jx-json.c — forgiving accessors for JSON from providers, credentials and files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-json.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <glib/gi18n.h>

G_DEFINE_QUARK (jx-json-error-quark, jx_json_error)

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The code unit of the escape "\uXXXX" starting at data[i], or -1. */
static int
unicode_escape_at (const char *data,
                   gsize       len,
                   gsize       i)
{
  int value = 0;

  if (i + 6 > len || data[i] != '\\' || data[i + 1] != 'u')
    return -1;
  for (gsize k = i + 2; k < i + 6; k++)
    {
      int digit = hex_value (data[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* One linear pass over @data: the nesting depth outside strings, and (when @out is not
 * NULL) the escapes to rewrite, see jx_json_sanitize (). */
static gboolean
scan (const char  *data,
      gsize        len,
      char       **out,
      GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          int unit, next;

          if (c == '"')
            in_string = FALSE;
          else if (c != '\\')
            continue;
          else if (out == NULL || (unit = unicode_escape_at (data, len, i)) < 0)
            i++;  /* skip the escaped character */
          else if (unit >= 0xD800 && unit <= 0xDBFF &&
                   (next = unicode_escape_at (data, len, i + 6)) >= 0xDC00 && next <= 0xDFFF)
            i += 11;  /* a proper surrogate pair */
          else
            {
              if (unit == 0 || (unit >= 0xD800 && unit <= 0xDFFF))
                {
                  if (*out == NULL)
                    {
                      *out = g_malloc (len + 1);
                      memcpy (*out, data, len);
                      (*out)[len] = '\0';
                    }
                  memcpy (*out + i, "\\ufffd", 6);
                }
              i += 5;
            }
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > JX_JSON_MAX_DEPTH)
            {
              if (out != NULL)
                g_clear_pointer (out, g_free);
              g_set_error (error, JX_JSON_ERROR, JX_JSON_ERROR_TOO_DEEP,
                           /* Translators: %d is a number of levels */
                           _("JSON nested deeper than %d levels"), JX_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

gboolean
jx_json_check_depth (const char  *data,
                     gssize       len,
                     GError     **error)
{
  if (data == NULL)
    return TRUE;
  return scan (data, len < 0 ? strlen (data) : (gsize) len, NULL, error);
}

const char *
jx_json_sanitize (const char  *data,
                  gsize        len,
                  char       **copy,
                  GError     **error)
{
  *copy = NULL;
  if (data == NULL)
    return data;
  if (!scan (data, len, copy, error))
    return NULL;
  return *copy != NULL ? *copy : data;
}

gboolean
jx_json_read_file (const char  *path,
                   gsize        max_bytes,
                   char       **contents,
                   gsize       *length,
                   GError     **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autofree char *display = g_filename_display_name (path);
  guint8 chunk[64 * 1024];
  int fd;

  *contents = NULL;
  if (length != NULL)
    *length = 0;

  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC, 0)) < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Failed to open file “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }

  for (;;)
    {
      gssize n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Failed to read from file “%s”: %s"), display, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      if (buffer->len + (gsize) n > max_bytes)
        {
          g_autofree char *limit = g_format_size_full (max_bytes, G_FORMAT_SIZE_IEC_UNITS);

          close (fd);
          /* Translators: the first %s is a file name, the second a size such as "64 MiB" */
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       _("“%s” is larger than %s"), display, limit);
          return FALSE;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  close (fd);

  if (length != NULL)
    *length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  *contents = (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
  return TRUE;
}

JsonNode *
jx_json_parse (const char *data,
               gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!jx_json_check_depth (data, len, NULL) ||
      !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;

  return json_parser_steal_root (parser);
}

/* The member's node if it is of @type, else NULL. A null member is JSON_NODE_NULL, so it
 * is never a value, an object or an array. */
static JsonNode *
get_node (JsonObject   *object,
          const char   *member,
          JsonNodeType  type)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL ||
      json_node_get_node_type (node) != type)
    return NULL;

  return node;
}

/* A scalar member: string, number or boolean. */
static JsonNode *
get_value (JsonObject *object,
           const char *member)
{
  return get_node (object, member, JSON_NODE_VALUE);
}

const char *
jx_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

const char *
jx_json_get_nonempty_string (JsonObject *object,
                             const char *member)
{
  const char *value = jx_json_get_string (object, member);

  return value != NULL && *value != '\0' ? value : NULL;
}

gint64
jx_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL)
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      {
        double value = json_node_get_double (node);

        /* A cast out of range is undefined behaviour. */
        if (isnan (value))
          return fallback;
        if (value >= 9223372036854775807.0)
          return G_MAXINT64;
        if (value <= -9223372036854775808.0)
          return G_MININT64;
        return (gint64) value;
      }
    default:
      return fallback;
    }
}

double
jx_json_get_double (JsonObject *object,
                    const char *member,
                    double      fallback)
{
  JsonNode *node = get_value (object, member);
  GType type;

  if (node == NULL)
    return fallback;

  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return fallback;

  return json_node_get_double (node);
}

gboolean
jx_json_get_bool (JsonObject *object,
                  const char *member,
                  gboolean    fallback)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;

  return json_node_get_boolean (node);
}

JsonObject *
jx_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_node (object, member, JSON_NODE_OBJECT);

  return node != NULL ? json_node_get_object (node) : NULL;
}

JsonArray *
jx_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node = get_node (object, member, JSON_NODE_ARRAY);

  return node != NULL ? json_node_get_array (node) : NULL;
}
