/* jx-ndjson-parser.c — incremental newline-delimited JSON splitter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-ndjson-parser.h"

struct _JxNdjsonParser
{
  JxNdjsonLineFunc func;
  gpointer         user_data;
  gsize            max_size;
  /* The current line; reused so steady-state parsing does not allocate. */
  GString         *line;
  GError          *error;
};

static char *
format_size (gsize size)
{
  if (size >= 1024 * 1024 && size % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", size / (1024 * 1024));
  if (size >= 1024 && size % 1024 == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", size / 1024);
  return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", size);
}

JxNdjsonParser *
jx_ndjson_parser_new (JxNdjsonLineFunc func,
                      gpointer         user_data)
{
  JxNdjsonParser *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (JxNdjsonParser, 1);
  self->func = func;
  self->user_data = user_data;
  self->max_size = JX_STREAM_DEFAULT_MAX_EVENT_SIZE;
  self->line = g_string_new (NULL);

  return self;
}

void
jx_ndjson_parser_free (JxNdjsonParser *self)
{
  if (self == NULL)
    return;

  g_string_free (self->line, TRUE);
  g_clear_error (&self->error);
  g_free (self);
}

void
jx_ndjson_parser_set_max_size (JxNdjsonParser *self,
                               gsize           max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

static gboolean
fail_too_large (JxNdjsonParser  *self,
                GError         **error)
{
  g_autofree char *size = format_size (self->max_size);

  g_set_error (&self->error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE,
               "JSON line larger than %s", size);
  if (error != NULL)
    *error = g_error_copy (self->error);

  return FALSE;
}

static gboolean
propagate_stored_error (JxNdjsonParser  *self,
                        GError         **error)
{
  if (self->error == NULL)
    return FALSE;

  if (error != NULL)
    *error = g_error_copy (self->error);

  return TRUE;
}

/* Delivers self->line (terminator not included) unless it is blank, then empties it. */
static gboolean
deliver_line (JxNdjsonParser  *self,
              GError         **error)
{
  GString *line = self->line;
  gsize i;

  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);

  if (line->len > self->max_size)
    return fail_too_large (self, error);

  /* Whitespace-only lines carry no JSON value; skip them like empty ones. */
  for (i = 0; i < line->len; i++)
    {
      char c = line->str[i];

      if (c != ' ' && c != '\t' && c != '\r')
        break;
    }

  if (i < line->len)
    self->func (line->str, line->len, self->user_data);

  g_string_truncate (line, 0);

  return TRUE;
}

gboolean
jx_ndjson_parser_feed (JxNdjsonParser  *self,
                       const char      *bytes,
                       gsize            len,
                       GError         **error)
{
  const char *p = bytes;
  const char *end = bytes + len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (propagate_stored_error (self, error))
    return FALSE;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;

      /* +1 leaves room for the CR of a CRLF; deliver_line() checks the exact length. */
      if (self->line->len + (stop - p) > self->max_size + 1)
        return fail_too_large (self, error);

      g_string_append_len (self->line, p, stop - p);

      if (nl == NULL)
        break;

      if (!deliver_line (self, error))
        return FALSE;
      p = nl + 1;
    }

  return TRUE;
}

gboolean
jx_ndjson_parser_finish (JxNdjsonParser  *self,
                         GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (propagate_stored_error (self, error))
    return FALSE;

  if (self->line->len > 0)
    return deliver_line (self, error);

  return TRUE;
}
