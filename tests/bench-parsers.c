/* bench-parsers.c — throughput of the stream parsers (`meson test --benchmark`)
 *
 * Builds a synthetic stream per format shaped like the real ones (docs/protocols.md), feeds it in
 * network-sized pieces and prints MB/s (10^6 bytes) and nanoseconds per event, best of 5 runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-eventstream-parser.h"
#include "jx-ndjson-parser.h"
#include "jx-sse-parser.h"

#define STREAM_BYTES (16 * 1024 * 1024)
#define RUNS 5

static const char *const words[] = {
  "Hello", " world", ",", " the", " quick", " brown", " fox", " é", " 日本", " 😀", "\\n", " 3.14159",
};

typedef struct
{
  guint64 events;
  guint64 bytes;
} Sink;

static void
sse_cb (const char *event_type,
        const char *data,
        gsize       data_len,
        const char *id,
        gpointer    user_data)
{
  Sink *sink = user_data;

  sink->events++;
  sink->bytes += data_len;
}

static void
ndjson_cb (const char *line,
           gsize       len,
           gpointer    user_data)
{
  Sink *sink = user_data;

  sink->events++;
  sink->bytes += len;
}

static void
eventstream_cb (GHashTable *headers,
                const char *payload,
                gsize       payload_len,
                gpointer    user_data)
{
  Sink *sink = user_data;

  sink->events++;
  sink->bytes += payload_len + g_hash_table_size (headers);
}

/* OpenAI Chat Completions chunks, with the obfuscation padding. */
static GBytes *
build_openai (guint *n_events)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint i = 0;

  while (s->len < STREAM_BYTES)
    {
      g_string_append_printf (s,
                              "data: {\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\","
                              "\"created\":1761564674,\"model\":\"gpt-4o-mini\",\"service_tier\":\"default\","
                              "\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                              "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"%.*s\"}\n\n",
                              words[i % G_N_ELEMENTS (words)], 1 + i % 11, "kSx18Gpkah8618FsxJD2gV");
      i++;
    }
  g_string_append (s, "data: [DONE]\n\n");
  *n_events = i + 1;

  return g_string_free_to_bytes (g_steal_pointer (&s));
}

/* Gemini chunks: CRLF separators exercise the CR paths. */
static GBytes *
build_gemini (guint *n_events)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint i = 0;

  while (s->len < STREAM_BYTES)
    {
      g_string_append_printf (s,
                              "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"%s\"}],"
                              "\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,"
                              "\"candidatesTokenCount\": %u,\"totalTokenCount\": %u},"
                              "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"WhmlabShCNjv-8YPl_D1gAo\"}\r\n\r\n",
                              words[i % G_N_ELEMENTS (words)], i, i + 8);
      i++;
    }
  *n_events = i;

  return g_string_free_to_bytes (g_steal_pointer (&s));
}

/* Ollama /api/chat lines. */
static GBytes *
build_ndjson (guint *n_events)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint i = 0;

  while (s->len < STREAM_BYTES)
    {
      g_string_append_printf (s,
                              "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-22T11:22:42.%06uZ\","
                              "\"message\":{\"role\":\"assistant\",\"content\":\"%s\"},\"done\":false}\n",
                              i % 1000000, words[i % G_N_ELEMENTS (words)]);
      i++;
    }
  *n_events = i;

  return g_string_free_to_bytes (g_steal_pointer (&s));
}

/* Bedrock ConverseStream contentBlockDelta frames with "p" padding. */
static GBytes *
build_eventstream (guint *n_events)
{
  g_autoptr(GByteArray) a = g_byte_array_new ();
  guint i = 0;

  while (a->len < STREAM_BYTES)
    {
      g_autofree char *json = g_strdup_printf ("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"%s\"},\"p\":\"%.*s\"}",
                                               words[i % G_N_ELEMENTS (words)], 1 + i % 23,
                                               "abcdefghijklmnopqrstuvwxyz");
      g_autoptr(GBytes) frame = jx_eventstream_encode (json, strlen (json),
                                                       ":event-type", "contentBlockDelta",
                                                       ":content-type", "application/json",
                                                       ":message-type", "event",
                                                       NULL);

      g_byte_array_append (a, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
      i++;
    }
  *n_events = i;

  return g_byte_array_free_to_bytes (g_steal_pointer (&a));
}

typedef enum
{
  FORMAT_SSE,
  FORMAT_NDJSON,
  FORMAT_EVENTSTREAM,
} Format;

/* One complete parse; returns elapsed microseconds. */
static gint64
run_once (Format  format,
          GBytes *stream,
          gsize   chunk,
          Sink   *sink)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (stream, &len);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = TRUE;

  switch (format)
    {
    case FORMAT_SSE:
      {
        g_autoptr(JxSseParser) p = jx_sse_parser_new (sse_cb, sink);

        for (gsize pos = 0; ok && pos < len; pos += chunk)
          ok = jx_sse_parser_feed (p, (const char *) data + pos, MIN (chunk, len - pos), &error);
        ok = ok && jx_sse_parser_finish (p, NULL);
      }
      break;

    case FORMAT_NDJSON:
      {
        g_autoptr(JxNdjsonParser) p = jx_ndjson_parser_new (ndjson_cb, sink);

        for (gsize pos = 0; ok && pos < len; pos += chunk)
          ok = jx_ndjson_parser_feed (p, (const char *) data + pos, MIN (chunk, len - pos), &error);
        ok = ok && jx_ndjson_parser_finish (p, &error);
      }
      break;

    case FORMAT_EVENTSTREAM:
      {
        g_autoptr(JxEventstreamParser) p = jx_eventstream_parser_new (eventstream_cb, sink);

        for (gsize pos = 0; ok && pos < len; pos += chunk)
          ok = jx_eventstream_parser_feed (p, data + pos, MIN (chunk, len - pos), &error);
        ok = ok && jx_eventstream_parser_finish (p, &error);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  g_assert_no_error (error);
  g_assert_true (ok);

  return g_get_monotonic_time () - start;
}

static void
bench (const char *label,
       Format      format,
       GBytes     *stream,
       guint       n_events,
       gsize       chunk)
{
  gint64 best = G_MAXINT64;
  gsize len = g_bytes_get_size (stream);

  for (guint run = 0; run < RUNS; run++)
    {
      Sink sink = { 0 };
      gint64 elapsed = run_once (format, stream, chunk, &sink);

      g_assert_cmpuint (sink.events, ==, n_events);
      best = MIN (best, MAX (elapsed, 1));
    }

  g_print ("%-32s %9.1f MB/s %8.1f ns/event  (%u events, %.1f MB)\n",
           label,
           (double) len / (double) best,
           (double) best * 1000.0 / n_events,
           n_events,
           (double) len / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  guint n_openai, n_gemini, n_ndjson, n_eventstream;
  g_autoptr(GBytes) openai = build_openai (&n_openai);
  g_autoptr(GBytes) gemini = build_gemini (&n_gemini);
  g_autoptr(GBytes) ndjson = build_ndjson (&n_ndjson);
  g_autoptr(GBytes) eventstream = build_eventstream (&n_eventstream);

  g_print ("best of %d runs, feeds of 8 KiB unless noted\n", RUNS);
  bench ("sse (openai chat)", FORMAT_SSE, openai, n_openai, 8192);
  bench ("sse (openai chat, 64 B feeds)", FORMAT_SSE, openai, n_openai, 64);
  bench ("sse (gemini, CRLF)", FORMAT_SSE, gemini, n_gemini, 8192);
  bench ("ndjson (ollama)", FORMAT_NDJSON, ndjson, n_ndjson, 8192);
  bench ("eventstream (bedrock deltas)", FORMAT_EVENTSTREAM, eventstream, n_eventstream, 8192);
  bench ("eventstream (64 B feeds)", FORMAT_EVENTSTREAM, eventstream, n_eventstream, 64);

  return 0;
}
