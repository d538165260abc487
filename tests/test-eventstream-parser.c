/* test-eventstream-parser.c — AWS event-stream frames: CRCs, splits, corruption, Bedrock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-eventstream-parser.h"

/* Byte-exact vectors (docs/protocols.md, "AWS event stream framing"): the first is AWS's own
 * example, the messageStop one is laid out exactly as Bedrock sends it. */
static const char aws_vector_hex[] =
  "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27"
  "666f6f273a27626172277d8d9c08b1";
static const char message_stop_hex[] =
  "0000007a00000051ca2c46650b3a6576656e742d7479706507000b6d65737361676553746f700d3a636f6e74656e"
  "742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d7479706507000565766"
  "56e747b2273746f70526561736f6e223a22656e645f7475726e227d5fbf09fc";
static const char content_block_delta_hex[] =
  "000000ab0000005797dab5b90b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c74610d"
  "3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d74797"
  "065070005657665" "6e747b22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b2274"
  "657874223a2248656c6c6f227d2c2270223a226162636465666768696a6b6c6d227de8904042";
static const char metadata_hex[] =
  "000000c50000004ed5b3d4550b3a6576656e742d747970650700086d657461646174610d3a636f6e74656e742d"
  "747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e74"
  "7b226d657472696373223a7b226c6174656e63794d73223a3531327d2c227573616765223a7b22696e70757454"
  "6f6b656e73223a31322c226f7574707574546f6b656e73223a322c22746f74616c546f6b656e73223a31347d2c"
  "2270223a22616263646566227d4142d33f";
static const char throttling_hex[] =
  "000000b2000000613590d5d30f3a657863657074696f6e2d747970650700137468726f74746c696e67457863657"
  "074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d657373616"
  "7652d74797065070009657863657074696f6e7b226d657373616765223a22546f6f206d616e792072657175657"
  "374732c20706c656173652077616974206265666f726520747279696e6720616761696e2e227de8ffb26a";

typedef struct
{
  GHashTable *headers;
  GBytes     *payload;
} Frame;

static void
frame_free (gpointer data)
{
  Frame *frame = data;

  g_hash_table_unref (frame->headers);
  g_bytes_unref (frame->payload);
  g_free (frame);
}

static void
collect_cb (GHashTable *headers,
            const char *payload,
            gsize       payload_len,
            gpointer    user_data)
{
  GPtrArray *frames = user_data;
  Frame *frame = g_new0 (Frame, 1);

  g_assert_nonnull (headers);
  g_assert_cmpint (payload[payload_len], ==, '\0');

  frame->headers = g_hash_table_ref (headers);
  frame->payload = g_bytes_new (payload, payload_len);
  g_ptr_array_add (frames, frame);
}

static GBytes *
hex_to_bytes (const char *hex)
{
  gsize len = strlen (hex);
  g_autofree guint8 *bytes = g_malloc (len / 2);

  g_assert_cmpuint (len % 2, ==, 0);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      g_assert_cmpint (hi, >=, 0);
      g_assert_cmpint (lo, >=, 0);
      bytes[i] = hi << 4 | lo;
    }

  return g_bytes_new_take (g_steal_pointer (&bytes), len / 2);
}

static void
put_u32 (guint8  *p,
         guint32  value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* A frame with arbitrary raw header bytes and correct CRCs, for cases the encoder can't make. */
static GBytes *
build_raw_frame (const guint8 *headers,
                 gsize         headers_len,
                 const char   *payload,
                 gsize         payload_len)
{
  gsize total = 16 + headers_len + payload_len;
  guint8 *frame = g_malloc0 (total);

  put_u32 (frame, total);
  put_u32 (frame + 4, headers_len);
  put_u32 (frame + 8, jx_crc32 (0, frame, 8));
  if (headers_len > 0)
    memcpy (frame + 12, headers, headers_len);
  if (payload_len > 0)
    memcpy (frame + 12 + headers_len, payload, payload_len);
  put_u32 (frame + total - 4, jx_crc32 (0, frame, total - 4));

  return g_bytes_new_take (frame, total);
}

/* Feeds in pieces ending at each offset in `cuts`, then the rest, then finishes. */
static GPtrArray *
parse_with_cuts (const guint8 *stream,
                 gsize         len,
                 const gsize  *cuts,
                 guint         n_cuts)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (frame_free);
  g_autoptr(JxEventstreamParser) parser = jx_eventstream_parser_new (collect_cb, frames);
  g_autoptr(GError) error = NULL;
  gsize pos = 0;

  for (guint i = 0; i < n_cuts; i++)
    {
      g_assert_cmpuint (cuts[i], >=, pos);
      g_assert_cmpuint (cuts[i], <=, len);
      g_assert_true (jx_eventstream_parser_feed (parser, stream + pos, cuts[i] - pos, &error));
      g_assert_no_error (error);
      pos = cuts[i];
    }
  g_assert_true (jx_eventstream_parser_feed (parser, stream + pos, len - pos, &error));
  g_assert_true (jx_eventstream_parser_finish (parser, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&frames);
}

static GPtrArray *
parse_bytes (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return parse_with_cuts (data, len, NULL, 0);
}

static void
assert_frames_equal (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      Frame *fa = g_ptr_array_index (a, i);
      Frame *fb = g_ptr_array_index (b, i);
      GHashTableIter iter;
      gpointer key, value;

      g_assert_true (g_bytes_equal (fa->payload, fb->payload));
      g_assert_cmpuint (g_hash_table_size (fa->headers), ==, g_hash_table_size (fb->headers));
      g_hash_table_iter_init (&iter, fa->headers);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_assert_cmpstr (value, ==, g_hash_table_lookup (fb->headers, key));
    }
}

static void
assert_frame (GPtrArray  *frames,
              guint       index,
              const char *event_type,
              const char *payload)
{
  Frame *frame;

  g_assert_cmpuint (index, <, frames->len);
  frame = g_ptr_array_index (frames, index);
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, ":event-type"), ==, event_type);
  g_assert_cmpmem (g_bytes_get_data (frame->payload, NULL), g_bytes_get_size (frame->payload),
                   payload, strlen (payload));
}

/* Every two-feed split, random small pieces and single bytes must give the same frames. */
static void
check_all_splits (GBytes    *stream,
                  GPtrArray *expected)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (stream, &len);
  g_autofree gsize *cuts = g_new (gsize, len + 1);

  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(GPtrArray) frames = parse_with_cuts (data, len, &split, 1);

      assert_frames_equal (frames, expected);
    }

  for (guint32 seed = 1; seed <= 8; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) frames = NULL;
      guint n_cuts = 0;
      gsize pos = 0;

      while (pos < len)
        {
          gsize step = g_rand_int_range (rand, 1, 24);

          pos = MIN (len, pos + step);
          cuts[n_cuts++] = pos;
        }
      frames = parse_with_cuts (data, len, cuts, n_cuts);
      assert_frames_equal (frames, expected);
    }

  {
    g_autoptr(GPtrArray) frames = NULL;

    for (gsize i = 0; i < len; i++)
      cuts[i] = i + 1;
    frames = parse_with_cuts (data, len, cuts, len);
    assert_frames_equal (frames, expected);
  }
}

static void
test_crc32 (void)
{
  static const char check[] = "123456789";
  guint8 buf[1000];
  guint32 bytewise = 0;

  g_assert_cmphex (jx_crc32 (0, (const guint8 *) check, 9), ==, 0xCBF43926);
  g_assert_cmphex (jx_crc32 (0, NULL, 0), ==, 0);
  g_assert_cmphex (jx_crc32 (0, (const guint8 *) "a", 1), ==, 0xE8B7BE43);

  /* Incremental use chains like zlib's crc32(), across the 8-byte fast path and the tail. */
  for (gsize i = 0; i < sizeof buf; i++)
    buf[i] = (i * 131 + 7) & 0xFF;
  for (gsize i = 0; i < sizeof buf; i++)
    bytewise = jx_crc32 (bytewise, buf + i, 1);
  g_assert_cmphex (jx_crc32 (0, buf, sizeof buf), ==, bytewise);
  for (gsize split = 0; split <= 64; split++)
    g_assert_cmphex (jx_crc32 (jx_crc32 (0, buf, split), buf + split, sizeof buf - split), ==, bytewise);
}

static void
test_aws_vectors (void)
{
  g_autoptr(GBytes) aws = hex_to_bytes (aws_vector_hex);
  g_autoptr(GBytes) stop = hex_to_bytes (message_stop_hex);
  g_autoptr(GPtrArray) frames = NULL;
  const guint8 *data;
  gsize len;
  Frame *frame;

  /* The CRCs AWS publishes for its own example frame. */
  data = g_bytes_get_data (aws, &len);
  g_assert_cmpuint (len, ==, 61);
  g_assert_cmphex (jx_crc32 (0, data, 8), ==, 0x07fd8396);
  g_assert_cmphex (jx_crc32 (0, data, len - 4), ==, 0x8d9c08b1);

  frames = parse_bytes (aws);
  g_assert_cmpuint (frames->len, ==, 1);
  frame = g_ptr_array_index (frames, 0);
  g_assert_cmpuint (g_hash_table_size (frame->headers), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, "content-type"), ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (frame->payload, NULL), g_bytes_get_size (frame->payload),
                   "{'foo':'bar'}", 13);
  g_clear_pointer (&frames, g_ptr_array_unref);

  frames = parse_bytes (stop);
  g_assert_cmpuint (frames->len, ==, 1);
  frame = g_ptr_array_index (frames, 0);
  g_assert_cmpuint (g_hash_table_size (frame->headers), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, ":message-type"), ==, "event");
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, ":content-type"), ==, "application/json");
  assert_frame (frames, 0, "messageStop", "{\"stopReason\":\"end_turn\"}");
}

static void
assert_encodes_to (GBytes     *encoded,
                   const char *hex)
{
  g_autoptr(GBytes) expected = hex_to_bytes (hex);

  g_assert_nonnull (encoded);
  g_assert_cmpmem (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_bytes_unref (encoded);
}

#define JSON_EVENT(type) \
  ":event-type", type, ":content-type", "application/json", ":message-type", "event"

static void
test_encode (void)
{
  static const char delta[] = "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcdefghijklm\"}";
  static const char metadata[] =
    "{\"metrics\":{\"latencyMs\":512},\"usage\":{\"inputTokens\":12,\"outputTokens\":2,"
    "\"totalTokens\":14},\"p\":\"abcdef\"}";
  static const char throttled[] = "{\"message\":\"Too many requests, please wait before trying again.\"}";

  assert_encodes_to (jx_eventstream_encode ("{'foo':'bar'}", 13,
                                            "content-type", "application/json", NULL),
                     aws_vector_hex);
  assert_encodes_to (jx_eventstream_encode ("{\"stopReason\":\"end_turn\"}", 25,
                                            JSON_EVENT ("messageStop"), NULL),
                     message_stop_hex);
  assert_encodes_to (jx_eventstream_encode (delta, sizeof delta - 1,
                                            JSON_EVENT ("contentBlockDelta"), NULL),
                     content_block_delta_hex);
  assert_encodes_to (jx_eventstream_encode (metadata, sizeof metadata - 1,
                                            JSON_EVENT ("metadata"), NULL),
                     metadata_hex);
  assert_encodes_to (jx_eventstream_encode (throttled, sizeof throttled - 1,
                                            ":exception-type", "throttlingException",
                                            ":content-type", "application/json",
                                            ":message-type", "exception",
                                            NULL),
                     throttling_hex);
  /* The minimal frame: no headers, no payload (the extra NULL satisfies the sentinel check). */
  assert_encodes_to (jx_eventstream_encode (NULL, 0, NULL, NULL),
                     "000000100000000005c248eb7d98c8ff");
}

static void
test_vector_splits (void)
{
  static const char *const hexes[] = {
    aws_vector_hex, message_stop_hex, content_block_delta_hex, metadata_hex, throttling_hex,
  };
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GPtrArray) whole = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hexes); i++)
    {
      g_autoptr(GBytes) frame = hex_to_bytes (hexes[i]);

      g_byte_array_append (all, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
    }
  stream = g_byte_array_free_to_bytes (g_steal_pointer (&all));

  whole = parse_bytes (stream);
  g_assert_cmpuint (whole->len, ==, 5);
  assert_frame (whole, 1, "messageStop", "{\"stopReason\":\"end_turn\"}");
  assert_frame (whole, 2, "contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcdefghijklm\"}");
  assert_frame (whole, 4, NULL,
                "{\"message\":\"Too many requests, please wait before trying again.\"}");

  check_all_splits (stream, whole);
}

static void
append_frame (GByteArray *stream,
              GBytes     *frame)
{
  g_byte_array_append (stream, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
  g_bytes_unref (frame);
}

static void
test_bedrock_sequence (void)
{
  static const char *const words[] = { "Pi", " (", "π", ")", " is", " about", " 3.14159", "…", " 日本", " 😀" };
  static const char metadata[] =
    "{\"metrics\":{\"latencyMs\":1506},\"usage\":{\"inputTokens\":8,"
    "\"outputTokens\":39,\"totalTokens\":47},\"p\":\"abc\"}";
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) expected_text = g_string_new (NULL);
  guint n = G_N_ELEMENTS (words);

  append_frame (all, jx_eventstream_encode ("{\"role\":\"assistant\"}", 20,
                                            JSON_EVENT ("messageStart"), NULL));
  for (guint i = 0; i < n; i++)
    {
      /* Random-length "p" padding, as Bedrock adds against length side channels. */
      g_autofree char *pad = g_strnfill (1 + (i * 7) % 23, 'a' + i);
      g_autofree char *json = g_strdup_printf ("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"%s\"},\"p\":\"%s\"}",
                                               words[i], pad);

      append_frame (all, jx_eventstream_encode (json, strlen (json),
                                                JSON_EVENT ("contentBlockDelta"), NULL));
      g_string_append (expected_text, words[i]);
    }
  append_frame (all, jx_eventstream_encode ("{\"contentBlockIndex\":0}", 23,
                                            JSON_EVENT ("contentBlockStop"), NULL));
  append_frame (all, jx_eventstream_encode ("{\"stopReason\":\"end_turn\"}", 25,
                                            JSON_EVENT ("messageStop"), NULL));
  append_frame (all, jx_eventstream_encode (metadata, sizeof metadata - 1,
                                            JSON_EVENT ("metadata"), NULL));
  stream = g_byte_array_free_to_bytes (g_steal_pointer (&all));

  frames = parse_bytes (stream);
  g_assert_cmpuint (frames->len, ==, n + 4);
  assert_frame (frames, 0, "messageStart", "{\"role\":\"assistant\"}");
  for (guint i = 0; i < n; i++)
    {
      Frame *frame = g_ptr_array_index (frames, i + 1);
      const char *payload = g_bytes_get_data (frame->payload, NULL);
      const char *start = strstr (payload, "\"text\":\"") + 8;
      const char *end = strstr (start, "\"}");

      g_assert_cmpstr (g_hash_table_lookup (frame->headers, ":event-type"), ==, "contentBlockDelta");
      g_assert_cmpstr (g_hash_table_lookup (frame->headers, ":message-type"), ==, "event");
      g_string_append_len (text, start, end - start);
    }
  g_assert_cmpstr (text->str, ==, expected_text->str);
  assert_frame (frames, n + 1, "contentBlockStop", "{\"contentBlockIndex\":0}");
  assert_frame (frames, n + 2, "messageStop", "{\"stopReason\":\"end_turn\"}");
  assert_frame (frames, n + 3, "metadata", metadata);

  check_all_splits (stream, frames);
}

static void
test_exception_frame (void)
{
  static const char payload[] = "{\"message\":\"Too many requests, please wait before trying again.\"}";
  g_autoptr(GBytes) delta = jx_eventstream_encode ("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}", 45,
                                                   JSON_EVENT ("contentBlockDelta"), NULL);
  g_autoptr(GBytes) exception = hex_to_bytes (throttling_hex);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  Frame *frame;

  g_byte_array_append (all, g_bytes_get_data (delta, NULL), g_bytes_get_size (delta));
  g_byte_array_append (all, g_bytes_get_data (exception, NULL), g_bytes_get_size (exception));
  stream = g_byte_array_free_to_bytes (g_steal_pointer (&all));

  frames = parse_bytes (stream);
  g_assert_cmpuint (frames->len, ==, 2);
  frame = g_ptr_array_index (frames, 1);
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, ":message-type"), ==, "exception");
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, ":exception-type"), ==, "throttlingException");
  g_assert_null (g_hash_table_lookup (frame->headers, ":event-type"));
  g_assert_cmpmem (g_bytes_get_data (frame->payload, NULL), g_bytes_get_size (frame->payload),
                   payload, sizeof payload - 1);

  check_all_splits (stream, frames);
}

static void
test_non_string_headers (void)
{
  static const guint8 headers[] = {
    1, 't', 0,
    1, 'f', 1,
    1, 'b', 2, 0x7F,
    1, 's', 3, 0x01, 0x02,
    1, 'i', 4, 0, 0, 0, 42,
    1, 'l', 5, 0, 0, 0, 0, 0, 0, 0, 42,
    5, 'b', 'y', 't', 'e', 's', 6, 0, 3, 'a', '\0', 'c',
    3, 's', 't', 'r', 7, 0, 5, 'v', 'a', 'l', 'u', 'e',
    2, 't', 's', 8, 0, 0, 1, 0x8C, 0, 0, 0, 0,
    4, 'u', 'u', 'i', 'd', 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    5, 'e', 'm', 'p', 't', 'y', 7, 0, 0,
  };
  g_autoptr(GBytes) frame_bytes = build_raw_frame (headers, sizeof headers, "x", 1);
  g_autoptr(GPtrArray) frames = parse_bytes (frame_bytes);
  Frame *frame;

  g_assert_cmpuint (frames->len, ==, 1);
  frame = g_ptr_array_index (frames, 0);
  g_assert_cmpuint (g_hash_table_size (frame->headers), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, "str"), ==, "value");
  g_assert_cmpstr (g_hash_table_lookup (frame->headers, "empty"), ==, "");
  g_assert_cmpmem (g_bytes_get_data (frame->payload, NULL), g_bytes_get_size (frame->payload), "x", 1);
}

static void
test_empty_frame (void)
{
  g_autoptr(GBytes) frame_bytes = jx_eventstream_encode (NULL, 0, NULL, NULL);
  g_autoptr(GPtrArray) frames = parse_bytes (frame_bytes);
  Frame *frame;

  g_assert_cmpuint (g_bytes_get_size (frame_bytes), ==, 16);
  g_assert_cmpuint (frames->len, ==, 1);
  frame = g_ptr_array_index (frames, 0);
  g_assert_cmpuint (g_hash_table_size (frame->headers), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (frame->payload), ==, 0);
}

/* Parses a good frame followed by `bad`; expects the good one, then `code` naming `what`. */
static void
expect_error (GBytes     *bad,
              gint        code,
              const char *what)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (frame_free);
  g_autoptr(JxEventstreamParser) parser = jx_eventstream_parser_new (collect_cb, frames);
  g_autoptr(GBytes) good = hex_to_bytes (message_stop_hex);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_byte_array_append (all, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  g_byte_array_append (all, g_bytes_get_data (bad, NULL), g_bytes_get_size (bad));
  g_byte_array_append (all, g_bytes_get_data (good, NULL), g_bytes_get_size (good));

  g_assert_false (jx_eventstream_parser_feed (parser, all->data, all->len, &error));
  g_assert_error (error, JX_STREAM_ERROR, code);
  g_assert_nonnull (strstr (error->message, what));
  g_clear_error (&error);
  g_assert_cmpuint (frames->len, ==, 1);

  /* A failed parser keeps failing, and never delivers another frame. */
  g_assert_false (jx_eventstream_parser_feed (parser, g_bytes_get_data (good, NULL),
                                              g_bytes_get_size (good), &error));
  g_assert_error (error, JX_STREAM_ERROR, code);
  g_clear_error (&error);
  g_assert_false (jx_eventstream_parser_feed (parser, NULL, 0, NULL));
  g_assert_false (jx_eventstream_parser_finish (parser, &error));
  g_assert_error (error, JX_STREAM_ERROR, code);
  g_assert_cmpuint (frames->len, ==, 1);
}

static GBytes *
corrupt (const char *hex,
         gsize       offset)
{
  g_autoptr(GBytes) bytes = hex_to_bytes (hex);
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&bytes), &len);

  g_assert_cmpuint (offset, <, len);
  data[offset] ^= 0x20;

  return g_bytes_new_take (data, len);
}

static void
test_corrupt (void)
{
  g_autoptr(GBytes) payload = corrupt (content_block_delta_hex, 12 + 87 + 30);
  g_autoptr(GBytes) header = corrupt (content_block_delta_hex, 20);
  g_autoptr(GBytes) message_crc = corrupt (content_block_delta_hex, 171 - 2);
  g_autoptr(GBytes) length = corrupt (content_block_delta_hex, 3);
  g_autoptr(GBytes) headers_length = corrupt (content_block_delta_hex, 7);
  g_autoptr(GBytes) prelude_crc = corrupt (content_block_delta_hex, 9);

  expect_error (payload, JX_STREAM_ERROR_MALFORMED, "message CRC");
  expect_error (header, JX_STREAM_ERROR_MALFORMED, "message CRC");
  expect_error (message_crc, JX_STREAM_ERROR_MALFORMED, "message CRC");
  expect_error (length, JX_STREAM_ERROR_MALFORMED, "prelude CRC");
  expect_error (headers_length, JX_STREAM_ERROR_MALFORMED, "prelude CRC");
  expect_error (prelude_crc, JX_STREAM_ERROR_MALFORMED, "prelude CRC");
}

static void
test_corrupt_split (void)
{
  g_autoptr(GBytes) bad = corrupt (metadata_hex, 150);
  gsize len;
  const guint8 *data = g_bytes_get_data (bad, &len);

  /* The CRC error must also surface when the bad frame arrives in two pieces. */
  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (frame_free);
      g_autoptr(JxEventstreamParser) parser = jx_eventstream_parser_new (collect_cb, frames);
      g_autoptr(GError) error = NULL;

      if (jx_eventstream_parser_feed (parser, data, split, &error))
        g_assert_false (jx_eventstream_parser_feed (parser, data + split, len - split, &error));
      g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "message CRC"));
      g_assert_cmpuint (frames->len, ==, 0);
    }
}

static void
test_bad_lengths (void)
{
  static const guint8 truncated_string[] = { 3, 'a', 'b', 'c', 7, 0, 10, 'x', 'y' };
  static const guint8 truncated_name[] = { 9, 'a', 'b' };
  static const guint8 missing_type[] = { 2, 'a', 'b' };
  static const guint8 missing_len[] = { 1, 'a', 6, 0 };
  static const guint8 short_int[] = { 1, 'a', 4, 0, 0 };
  static const guint8 bad_type[] = { 1, 'a', 10, 0, 0 };
  g_autoptr(GBytes) bytes = NULL;
  guint8 frame[16] = { 0 };

  /* Shorter than prelude + message CRC, but with a valid prelude CRC. */
  put_u32 (frame, 15);
  put_u32 (frame + 8, jx_crc32 (0, frame, 8));
  bytes = g_bytes_new (frame, sizeof frame);
  expect_error (bytes, JX_STREAM_ERROR_MALFORMED, "shorter than");
  g_clear_pointer (&bytes, g_bytes_unref);

  /* headers_len larger than the frame can hold. */
  put_u32 (frame, 16);
  put_u32 (frame + 4, 1);
  put_u32 (frame + 8, jx_crc32 (0, frame, 8));
  put_u32 (frame + 12, jx_crc32 (0, frame, 12));
  bytes = g_bytes_new (frame, sizeof frame);
  expect_error (bytes, JX_STREAM_ERROR_MALFORMED, "headers length");
  g_clear_pointer (&bytes, g_bytes_unref);

#define EXPECT_HEADER_ERROR(h, what)                                        \
  bytes = build_raw_frame (h, sizeof h, "{}", 2);                           \
  expect_error (bytes, JX_STREAM_ERROR_MALFORMED, what);                    \
  g_clear_pointer (&bytes, g_bytes_unref)

  EXPECT_HEADER_ERROR (truncated_string, "truncated header");
  EXPECT_HEADER_ERROR (truncated_name, "truncated header");
  EXPECT_HEADER_ERROR (missing_type, "truncated header");
  EXPECT_HEADER_ERROR (missing_len, "truncated header");
  EXPECT_HEADER_ERROR (short_int, "truncated header");
  EXPECT_HEADER_ERROR (bad_type, "unknown value type 10");
#undef EXPECT_HEADER_ERROR
}

static void
test_too_large (void)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (frame_free);
  g_autoptr(JxEventstreamParser) parser = jx_eventstream_parser_new (collect_cb, frames);
  g_autoptr(JxEventstreamParser) small = jx_eventstream_parser_new (collect_cb, frames);
  g_autoptr(GBytes) delta = hex_to_bytes (content_block_delta_hex);
  g_autoptr(GError) error = NULL;
  guint8 prelude[12] = { 0 };

  /* Only the prelude of a huge frame arrives: refuse it at once, without buffering. */
  put_u32 (prelude, JX_STREAM_DEFAULT_MAX_EVENT_SIZE + 1);
  put_u32 (prelude + 8, jx_crc32 (0, prelude, 8));
  g_assert_true (jx_eventstream_parser_feed (parser, prelude, 6, &error));
  g_assert_false (jx_eventstream_parser_feed (parser, prelude + 6, 6, &error));
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "event-stream frame larger than 8 MiB");
  g_clear_error (&error);

  /* The 171-byte frame fits a 171-byte cap but not a 170-byte one. */
  jx_eventstream_parser_set_max_size (small, 171);
  g_assert_true (jx_eventstream_parser_feed (small, g_bytes_get_data (delta, NULL), 171, &error));
  g_assert_no_error (error);
  jx_eventstream_parser_set_max_size (small, 170);
  g_assert_false (jx_eventstream_parser_feed (small, g_bytes_get_data (delta, NULL), 171, &error));
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "event-stream frame larger than 170 bytes");
  g_assert_cmpuint (frames->len, ==, 1);
}

static void
test_truncated (void)
{
  g_autoptr(GBytes) frame = hex_to_bytes (metadata_hex);
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);

  /* Ending anywhere inside the frame (prelude included) is TRUNCATED at finish(). */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (frame_free);
      g_autoptr(JxEventstreamParser) parser = jx_eventstream_parser_new (collect_cb, frames);
      g_autoptr(GError) error = NULL;

      g_assert_true (jx_eventstream_parser_feed (parser, data, len, &error));
      g_assert_true (jx_eventstream_parser_feed (parser, data, cut, &error));
      g_assert_no_error (error);
      if (cut == 0)
        {
          g_assert_true (jx_eventstream_parser_finish (parser, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (jx_eventstream_parser_finish (parser, &error));
          g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TRUNCATED);
          g_clear_error (&error);
          g_assert_false (jx_eventstream_parser_feed (parser, data + cut, len - cut, &error));
          g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TRUNCATED);
        }
      g_assert_cmpuint (frames->len, ==, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/eventstream-parser/crc32", test_crc32);
  g_test_add_func ("/juxta/core/eventstream-parser/aws-vectors", test_aws_vectors);
  g_test_add_func ("/juxta/core/eventstream-parser/encode", test_encode);
  g_test_add_func ("/juxta/core/eventstream-parser/vector-splits", test_vector_splits);
  g_test_add_func ("/juxta/core/eventstream-parser/bedrock-sequence", test_bedrock_sequence);
  g_test_add_func ("/juxta/core/eventstream-parser/exception-frame", test_exception_frame);
  g_test_add_func ("/juxta/core/eventstream-parser/non-string-headers", test_non_string_headers);
  g_test_add_func ("/juxta/core/eventstream-parser/empty-frame", test_empty_frame);
  g_test_add_func ("/juxta/core/eventstream-parser/corrupt", test_corrupt);
  g_test_add_func ("/juxta/core/eventstream-parser/corrupt-split", test_corrupt_split);
  g_test_add_func ("/juxta/core/eventstream-parser/bad-lengths", test_bad_lengths);
  g_test_add_func ("/juxta/core/eventstream-parser/too-large", test_too_large);
  g_test_add_func ("/juxta/core/eventstream-parser/truncated", test_truncated);

  return g_test_run ();
}
