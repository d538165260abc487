/* fuzz-sse.c — libFuzzer target for the server-sent-events and NDJSON parsers
 *
 * Besides looking for crashes, checks that chunking never changes the result: the input is
 * parsed in one feed and again in pieces whose sizes come from the first input byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "jx-ndjson-parser.h"
#include "jx-sse-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
event_cb (const char *event_type,
          const char *data,
          gsize       data_len,
          const char *id,
          gpointer    user_data)
{
  GString *log = user_data;

  g_assert (data[data_len] == '\0');
  g_assert (event_type == NULL || *event_type != '\0');
  g_assert (id == NULL || *id != '\0');

  g_string_append (log, event_type ? event_type : "-");
  g_string_append_c (log, '\0');
  g_string_append_len (log, data, data_len);
  g_string_append_c (log, '\0');
  g_string_append (log, id ? id : "-");
  g_string_append_c (log, '\0');
}

static void
line_cb (const char *line,
         gsize       len,
         gpointer    user_data)
{
  GString *log = user_data;

  g_assert (line[len] == '\0');
  g_assert (len > 0);
  g_assert (memchr (line, '\n', len) == NULL);

  g_string_append_len (log, line, len);
  g_string_append_c (log, '\0');
}

static int
parse_sse (const char *data,
           gsize       size,
           gsize       chunk,
           GString    *log)
{
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (event_cb, log);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  gboolean partial;

  /* Small cap so the size limits are reached quickly. */
  jx_sse_parser_set_max_size (parser, 512);

  for (gsize pos = 0; pos < size && ok; pos += chunk)
    ok = jx_sse_parser_feed (parser, data + pos, MIN (chunk, size - pos), &error);

  g_assert (ok == (error == NULL));
  g_assert (jx_sse_parser_finish (parser, &partial) == ok);
  if (!ok)
    g_assert (!jx_sse_parser_feed (parser, "\n\n", 2, NULL));

  return ok ? -1 : error->code;
}

static int
parse_ndjson (const char *data,
              gsize       size,
              gsize       chunk,
              GString    *log)
{
  g_autoptr(JxNdjsonParser) parser = jx_ndjson_parser_new (line_cb, log);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  jx_ndjson_parser_set_max_size (parser, 512);

  for (gsize pos = 0; pos < size && ok; pos += chunk)
    ok = jx_ndjson_parser_feed (parser, data + pos, MIN (chunk, size - pos), &error);
  if (ok)
    ok = jx_ndjson_parser_finish (parser, &error);

  g_assert (ok == (error == NULL));

  return ok ? -1 : error->code;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) whole_log = g_string_new (NULL);
  g_autoptr(GString) split_log = g_string_new (NULL);
  const char *text;
  gsize chunk;

  if (size < 1)
    return 0;

  chunk = data[0] % 32 + 1;
  text = (const char *) data + 1;
  size--;

  g_assert (parse_sse (text, size, MAX (size, 1), whole_log) ==
            parse_sse (text, size, chunk, split_log));
  g_assert (whole_log->len == split_log->len);
  g_assert (memcmp (whole_log->str, split_log->str, whole_log->len) == 0);

  g_string_truncate (whole_log, 0);
  g_string_truncate (split_log, 0);
  g_assert (parse_ndjson (text, size, MAX (size, 1), whole_log) ==
            parse_ndjson (text, size, chunk, split_log));
  g_assert (whole_log->len == split_log->len);
  g_assert (memcmp (whole_log->str, split_log->str, whole_log->len) == 0);

  return 0;
}
