/* fuzz-eventstream.c — libFuzzer target for the AWS event-stream decoder
 *
 * Besides looking for crashes, checks that chunking never changes the result: the input is
 * decoded in one feed and again in pieces whose sizes come from the first input byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "jx-eventstream-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
frame_cb (GHashTable *headers,
          const char *payload,
          gsize       payload_len,
          gpointer    user_data)
{
  GString *log = user_data;
  GHashTableIter iter;
  gpointer key, value;

  g_assert (payload[payload_len] == '\0');

  /* Key order in a hash table is not stable, so log only the size plus the payload. */
  g_hash_table_iter_init (&iter, headers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert (key != NULL && value != NULL);
  g_string_append_printf (log, "%u:", g_hash_table_size (headers));
  g_string_append_len (log, payload, payload_len);
  g_string_append_c (log, '\0');
}

static gboolean
decode (const guint8 *data,
        gsize         size,
        gsize         chunk,
        GString      *log,
        int          *code)
{
  g_autoptr(JxEventstreamParser) parser = jx_eventstream_parser_new (frame_cb, log);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  /* Small cap so oversized frames are reached quickly. */
  jx_eventstream_parser_set_max_size (parser, 64 * 1024);

  for (gsize pos = 0; pos < size && ok; pos += chunk)
    ok = jx_eventstream_parser_feed (parser, data + pos, MIN (chunk, size - pos), &error);

  if (ok)
    ok = jx_eventstream_parser_finish (parser, &error);
  else
    {
      g_autoptr(GError) again = NULL;

      /* Once failed, it must stay failed. */
      g_assert (!jx_eventstream_parser_feed (parser, data, size, &again));
      g_assert (again != NULL && again->code == error->code);
    }

  g_assert (ok == (error == NULL));
  *code = ok ? -1 : error->code;

  return ok;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) whole_log = g_string_new (NULL);
  g_autoptr(GString) split_log = g_string_new (NULL);
  gboolean whole_ok, split_ok;
  int whole_code, split_code;
  gsize chunk;

  if (size < 1)
    return 0;

  chunk = data[0] % 32 + 1;
  data++;
  size--;

  whole_ok = decode (data, size, MAX (size, 1), whole_log, &whole_code);
  split_ok = decode (data, size, chunk, split_log, &split_code);

  g_assert (whole_ok == split_ok);
  g_assert (whole_code == split_code);
  g_assert (whole_log->len == split_log->len);
  g_assert (memcmp (whole_log->str, split_log->str, whole_log->len) == 0);

  return 0;
}
