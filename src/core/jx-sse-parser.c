/* jx-sse-parser.c — incremental WHATWG server-sent-events parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-sse-parser.h"

G_DEFINE_QUARK (jx-stream-error-quark, jx_stream_error)

struct _JxSseParser
{
  JxSseEventFunc func;
  gpointer       user_data;
  gsize          max_size;

  /* Bytes of a line whose terminator has not arrived yet. */
  GString       *line;
  /* Data lines of the current event, already joined with "\n". */
  GString       *data;
  GString       *event_type;
  GString       *last_id;

  GError        *error;
  guint          bom_matched;
  guint          bom_done : 1;
  /* The previous feed ended in CR, so a leading LF belongs to that CRLF. */
  guint          skip_lf : 1;
  guint          have_data : 1;
  guint          have_id : 1;
};

static const guint8 utf8_bom[] = { 0xEF, 0xBB, 0xBF };

/* "8 MiB" reads better than "8388608 bytes" in an error shown to the user. */
static char *
format_size (gsize size)
{
  if (size >= 1024 * 1024 && size % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", size / (1024 * 1024));
  if (size >= 1024 && size % 1024 == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", size / 1024);
  return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", size);
}

JxSseParser *
jx_sse_parser_new (JxSseEventFunc func,
                   gpointer       user_data)
{
  JxSseParser *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (JxSseParser, 1);
  self->func = func;
  self->user_data = user_data;
  self->max_size = JX_STREAM_DEFAULT_MAX_EVENT_SIZE;
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->event_type = g_string_new (NULL);
  self->last_id = g_string_new (NULL);

  return self;
}

void
jx_sse_parser_free (JxSseParser *self)
{
  if (self == NULL)
    return;

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_type, TRUE);
  g_string_free (self->last_id, TRUE);
  g_clear_error (&self->error);
  g_free (self);
}

void
jx_sse_parser_set_max_size (JxSseParser *self,
                            gsize        max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

static gboolean
fail_too_large (JxSseParser  *self,
                GError      **error)
{
  g_autofree char *size = format_size (self->max_size);

  g_set_error (&self->error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE,
               "server-sent event larger than %s", size);
  if (error != NULL)
    *error = g_error_copy (self->error);

  return FALSE;
}

static void
dispatch (JxSseParser *self)
{
  /* Per spec an event without any data line is dropped, but still resets the type.
   * Types are C strings here, so one starting with NUL is as good as none. */
  if (self->have_data)
    self->func (self->event_type->str[0] != '\0' ? self->event_type->str : NULL,
                self->data->str,
                self->data->len,
                self->have_id && self->last_id->len > 0 ? self->last_id->str : NULL,
                self->user_data);

  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
  self->have_data = FALSE;
}

static inline gboolean
field_is (const char *name,
          gsize       name_len,
          const char *expected,
          gsize       expected_len)
{
  return name_len == expected_len && memcmp (name, expected, expected_len) == 0;
}

/* One complete line without its terminator. */
static gboolean
process_line (JxSseParser  *self,
              const char   *line,
              gsize         len,
              GError      **error)
{
  const char *colon;
  const char *value;
  gsize name_len;
  gsize value_len;

  if (len == 0)
    {
      dispatch (self);
      return TRUE;
    }

  if (line[0] == ':')
    return TRUE;

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      name_len = colon - line;
      value = colon + 1;
      value_len = len - name_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      name_len = len;
      value = line + len;
      value_len = 0;
    }

  if (field_is (line, name_len, "data", 4))
    {
      gsize needed = value_len + (self->have_data ? 1 : 0);

      if (self->data->len + needed > self->max_size)
        return fail_too_large (self, error);

      if (self->have_data)
        g_string_append_c (self->data, '\n');
      g_string_append_len (self->data, value, value_len);
      self->have_data = TRUE;
    }
  else if (field_is (line, name_len, "event", 5))
    {
      g_string_truncate (self->event_type, 0);
      g_string_append_len (self->event_type, value, value_len);
    }
  else if (field_is (line, name_len, "id", 2))
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_string_truncate (self->last_id, 0);
          g_string_append_len (self->last_id, value, value_len);
          self->have_id = TRUE;
        }
    }
  /* "retry" only matters to EventSource reconnection; other fields are ignored by spec. */

  return TRUE;
}

static gboolean
feed_lines (JxSseParser  *self,
            const char   *p,
            gsize         len,
            GError      **error)
{
  const char *end = p + len;
  /* Cached positions of the next LF and CR (or NULL when there is none), so each memchr
   * scans any byte at most once: total work stays linear in the input size. */
  const char *next_lf = NULL;
  const char *next_cr = NULL;
  gboolean lf_valid = FALSE;
  gboolean cr_valid = FALSE;

  if (self->skip_lf && p < end)
    {
      if (*p == '\n')
        p++;
      self->skip_lf = FALSE;
    }

  while (p < end)
    {
      const char *eol;

      if (!lf_valid || (next_lf != NULL && next_lf < p))
        {
          next_lf = memchr (p, '\n', end - p);
          lf_valid = TRUE;
        }
      if (!cr_valid || (next_cr != NULL && next_cr < p))
        {
          next_cr = memchr (p, '\r', end - p);
          cr_valid = TRUE;
        }

      if (next_lf == NULL)
        eol = next_cr;
      else if (next_cr == NULL)
        eol = next_lf;
      else
        eol = MIN (next_lf, next_cr);

      if (eol == NULL)
        {
          /* Unterminated tail: keep it for the next feed. */
          if (self->line->len + (end - p) > self->max_size)
            return fail_too_large (self, error);
          g_string_append_len (self->line, p, end - p);
          break;
        }

      if (self->line->len > 0)
        {
          if (self->line->len + (eol - p) > self->max_size)
            return fail_too_large (self, error);
          g_string_append_len (self->line, p, eol - p);
          if (!process_line (self, self->line->str, self->line->len, error))
            return FALSE;
          g_string_truncate (self->line, 0);
        }
      else
        {
          if ((gsize) (eol - p) > self->max_size)
            return fail_too_large (self, error);
          if (!process_line (self, p, eol - p, error))
            return FALSE;
        }

      p = eol + 1;
      if (*eol == '\r')
        {
          if (p == end)
            self->skip_lf = TRUE;
          else if (*p == '\n')
            p++;
        }
    }

  return TRUE;
}

gboolean
jx_sse_parser_feed (JxSseParser  *self,
                    const char   *bytes,
                    gsize         len,
                    GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  /* A UTF-8 BOM is only stripped at the very start, and may itself arrive split. */
  while (!self->bom_done && len > 0)
    {
      if ((guint8) bytes[0] == utf8_bom[self->bom_matched])
        {
          bytes++;
          len--;
          if (++self->bom_matched == G_N_ELEMENTS (utf8_bom))
            self->bom_done = TRUE;
        }
      else
        {
          self->bom_done = TRUE;
          if (self->bom_matched > 0 &&
              !feed_lines (self, (const char *) utf8_bom, self->bom_matched, error))
            return FALSE;
        }
    }

  if (len == 0)
    return TRUE;

  return feed_lines (self, bytes, len, error);
}

gboolean
jx_sse_parser_finish (JxSseParser *self,
                      gboolean    *had_partial)
{
  gboolean partial;

  g_return_val_if_fail (self != NULL, FALSE);

  partial = self->line->len > 0 ||
            self->have_data ||
            self->event_type->len > 0 ||
            (!self->bom_done && self->bom_matched > 0);

  if (had_partial != NULL)
    *had_partial = partial;

  /* Per WHATWG the unterminated event is discarded, not dispatched. */
  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
  self->have_data = FALSE;
  self->skip_lf = FALSE;

  return self->error == NULL;
}
