/* test-sse-parser.c — WHATWG event-stream parsing, fed at every possible split
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-sse-parser.h"

typedef struct
{
  const char *type;
  const char *data;
  const char *id;
} ExpectedEvent;

typedef struct
{
  char   *type;
  GBytes *data;
  char   *id;
} Event;

/* Streams in the providers' documented shapes, byte for byte (origin: tests/streams/README.md):
 * OpenAI, Anthropic, Gemini with an extra event holding raw U+2028/U+2029/U+0085 and
 * multibyte text, OpenRouter, Replicate with a multi-line event. Expected events were
 * produced by an independent reference parser and checked by hand. */

static const char openai_stream[] =
  "data: {\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":176156467"
  "4,\"model\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null"
  ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":n"
  "ull},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"kSx18\"}\n"
  "\n"
  "data: {\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":176156467"
  "4,\"model\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null"
  ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason"
  "\":null}],\"usage\":null,\"obfuscation\":\"Gpkah\"}\n"
  "\n"
  "data: {\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":176156467"
  "4,\"model\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null"
  ",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"us"
  "age\":null,\"obfuscation\":\"a\"}\n"
  "\n"
  "data: {\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":176156467"
  "4,\"model\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null"
  ",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15"
  ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_det"
  "ails\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"reject"
  "ed_prediction_tokens\":0}},\"obfuscation\":\"8618FsxJD2gV\"}\n"
  "\n"
  "data: [DONE]\n"
  "\n";

static const ExpectedEvent openai_events[] = {
  { NULL,
    "{\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":1761564674,\"mo"
      "del\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null,\"cho"
      "ices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\""
      "logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"kSx18\"}",
    NULL },
  { NULL,
    "{\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":1761564674,\"mo"
      "del\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null,\"cho"
      "ices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":nul"
      "l}],\"usage\":null,\"obfuscation\":\"Gpkah\"}",
    NULL },
  { NULL,
    "{\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":1761564674,\"mo"
      "del\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null,\"cho"
      "ices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":"
      "null,\"obfuscation\":\"a\"}",
    NULL },
  { NULL,
    "{\"id\":\"chatcmpl-CVFjO\",\"object\":\"chat.completion.chunk\",\"created\":1761564674,\"mo"
      "del\":\"gpt-3.5-turbo-0125\",\"service_tier\":\"default\",\"system_fingerprint\":null,\"cho"
      "ices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,\"pro"
      "mpt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\""
      ":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_pre"
      "diction_tokens\":0}},\"obfuscation\":\"8618FsxJD2gV\"}",
    NULL },
  { NULL,
    "[DONE]",
    NULL },
};

static const char anthropic_stream[] =
  "event: message_start\n"
  "data: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5-20251001\",\"id"
  "\":\"msg_01UodR8c\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"stop_reaso"
  "n\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":29,\"cache_creation_input_token"
  "s\":0,\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"e"
  "phemeral_1h_input_tokens\":0},\"output_tokens\":2,\"service_tier\":\"standard\"}}      }\n"
  "\n"
  "event: content_block_start\n"
  "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\""
  "text\":\"\"}   }\n"
  "\n"
  "event: ping\n"
  "data: {\"type\": \"ping\"}\n"
  "\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"te"
  "xt\":\"Hello!\"}  }\n"
  "\n"
  "event: content_block_stop\n"
  "data: {\"type\":\"content_block_stop\",\"index\":0 }\n"
  "\n"
  "event: message_delta\n"
  "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\""
  ":null},\"usage\":{\"input_tokens\":29,\"cache_creation_input_tokens\":0,\"cache_read_input_"
  "tokens\":0,\"output_tokens\":5}    }\n"
  "\n"
  "event: message_stop\n"
  "data: {\"type\":\"message_stop\"        }\n"
  "\n";

static const ExpectedEvent anthropic_events[] = {
  { "message_start",
    "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5-20251001\",\"id\":\"m"
      "sg_01UodR8c\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"stop_reason\":nu"
      "ll,\"stop_sequence\":null,\"usage\":{\"input_tokens\":29,\"cache_creation_input_tokens\":0,"
      "\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemer"
      "al_1h_input_tokens\":0},\"output_tokens\":2,\"service_tier\":\"standard\"}}      }",
    NULL },
  { "content_block_start",
    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\""
      ":\"\"}   }",
    NULL },
  { "ping",
    "{\"type\": \"ping\"}",
    NULL },
  { "content_block_delta",
    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
      "Hello!\"}  }",
    NULL },
  { "content_block_stop",
    "{\"type\":\"content_block_stop\",\"index\":0 }",
    NULL },
  { "message_delta",
    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}"
      ",\"usage\":{\"input_tokens\":29,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens"
      "\":0,\"output_tokens\":5}    }",
    NULL },
  { "message_stop",
    "{\"type\":\"message_stop\"        }",
    NULL },
};

static const char gemini_stream[] =
  "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"1\\n2\\n\"}],\"role\": \"mo"
  "del\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,\"candidatesTokenCount\":"
  " 3,\"totalTokenCount\": 11,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\""
  ": 8}]},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"WhmlabShCNjv-8YPl_D1gAo\"}\r"
  "\n"
  "\r\n"
  "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"3\\n4\\n5\"}],\"role\": \"m"
  "odel\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\":"
  " 8,\"candidatesTokenCount\": 8,\"totalTokenCount\": 16,\"promptTokensDetails\": [{\"modalit"
  "y\": \"TEXT\",\"tokenCount\": 8}]},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \""
  "WhmlabShCNjv-8YPl_D1gAo\"}\r\n"
  "\r\n"
  "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"caf\303\251 \346\227\245\346"
  "\234\254\342\200\250line \360\237\230\200\342\200\251end\302\205!\"}],\"role\": \"model\"},"
  "\"finishReason\": \"STOP\",\"index\": 0}],\"modelVersion\": \"gemini-2.5-flash\"}\r\n"
  "\r\n";

static const ExpectedEvent gemini_events[] = {
  { NULL,
    "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"1\\n2\\n\"}],\"role\": \"model\"}"
      ",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,\"candidatesTokenCount\": 3,\"t"
      "otalTokenCount\": 11,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 8}]}"
      ",\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"WhmlabShCNjv-8YPl_D1gAo\"}",
    NULL },
  { NULL,
    "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"3\\n4\\n5\"}],\"role\": \"model\""
      "},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,\"c"
      "andidatesTokenCount\": 8,\"totalTokenCount\": 16,\"promptTokensDetails\": [{\"modality\": \""
      "TEXT\",\"tokenCount\": 8}]},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"Whmlab"
      "ShCNjv-8YPl_D1gAo\"}",
    NULL },
  { NULL,
    "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"caf\303\251 \346\227\245\346\234\254"
      "\342\200\250line \360\237\230\200\342\200\251end\302\205!\"}],\"role\": \"model\"},\"finish"
      "Reason\": \"STOP\",\"index\": 0}],\"modelVersion\": \"gemini-2.5-flash\"}",
    NULL },
};

static const char openrouter_stream[] =
  ": OPENROUTER PROCESSING\n"
  "\n"
  "data: {\"id\":\"gen-1778031306-UD7bR0I1\",\"object\":\"chat.completion.chunk\",\"created\":"
  "1778031306,\"model\":\"openai/gpt-4o-mini\",\"provider\":\"Azure\",\"system_fingerprint\":\""
  "fp_eb37e061ec\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\",\"role\":\"assis"
  "tant\"},\"finish_reason\":null,\"native_finish_reason\":null}]}\n"
  "\n"
  "data: {\"id\":\"gen-1778031306-UD7bR0I1\",\"object\":\"chat.completion.chunk\",\"created\":"
  "1778031306,\"model\":\"openai/gpt-4o-mini\",\"provider\":\"Azure\",\"system_fingerprint\":\""
  "fp_eb37e061ec\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\",\"role\":\"assistant\""
  "},\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\"}]}\n"
  "\n"
  "data: {\"id\":\"gen-1778031306-UD7bR0I1\",\"object\":\"chat.completion.chunk\",\"created\":"
  "1778031306,\"model\":\"openai/gpt-4o-mini\",\"provider\":\"Azure\",\"system_fingerprint\":\""
  "fp_eb37e061ec\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\",\"role\":\"assistant\""
  "},\"finish_reason\":null,\"native_finish_reason\":null}],\"usage\":{\"prompt_tokens\":9,\"c"
  "ompletion_tokens\":89,\"total_tokens\":98,\"cost\":0.00005512,\"is_byok\":false,\"prompt_to"
  "kens_details\":{\"cached_tokens\":0,\"audio_tokens\":0,\"video_tokens\":0},\"cost_details\""
  ":{\"upstream_inference_cost\":null,\"upstream_inference_prompt_cost\":0.00000261,\"upstream"
  "_inference_completions_cost\":0.00005251},\"completion_tokens_details\":{\"reasoning_tokens"
  "\":82,\"image_tokens\":0}}}\n"
  "\n"
  "data: [DONE]\n"
  "\n";

static const ExpectedEvent openrouter_events[] = {
  { NULL,
    "{\"id\":\"gen-1778031306-UD7bR0I1\",\"object\":\"chat.completion.chunk\",\"created\":177803"
      "1306,\"model\":\"openai/gpt-4o-mini\",\"provider\":\"Azure\",\"system_fingerprint\":\"fp_eb"
      "37e061ec\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\",\"role\":\"assistant\""
      "},\"finish_reason\":null,\"native_finish_reason\":null}]}",
    NULL },
  { NULL,
    "{\"id\":\"gen-1778031306-UD7bR0I1\",\"object\":\"chat.completion.chunk\",\"created\":177803"
      "1306,\"model\":\"openai/gpt-4o-mini\",\"provider\":\"Azure\",\"system_fingerprint\":\"fp_eb"
      "37e061ec\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\",\"role\":\"assistant\"},\""
      "finish_reason\":\"stop\",\"native_finish_reason\":\"stop\"}]}",
    NULL },
  { NULL,
    "{\"id\":\"gen-1778031306-UD7bR0I1\",\"object\":\"chat.completion.chunk\",\"created\":177803"
      "1306,\"model\":\"openai/gpt-4o-mini\",\"provider\":\"Azure\",\"system_fingerprint\":\"fp_eb"
      "37e061ec\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\",\"role\":\"assistant\"},\""
      "finish_reason\":null,\"native_finish_reason\":null}],\"usage\":{\"prompt_tokens\":9,\"compl"
      "etion_tokens\":89,\"total_tokens\":98,\"cost\":0.00005512,\"is_byok\":false,\"prompt_tokens"
      "_details\":{\"cached_tokens\":0,\"audio_tokens\":0,\"video_tokens\":0},\"cost_details\":{\""
      "upstream_inference_cost\":null,\"upstream_inference_prompt_cost\":0.00000261,\"upstream_inf"
      "erence_completions_cost\":0.00005251},\"completion_tokens_details\":{\"reasoning_tokens\":8"
      "2,\"image_tokens\":0}}}",
    NULL },
  { NULL,
    "[DONE]",
    NULL },
};

static const char replicate_stream[] =
  "event: output\n"
  "id: 1690212292:0\n"
  "data: Hello\n"
  "\n"
  "event: output\n"
  "id: 1690212292:1\n"
  "data:  there!\n"
  "\n"
  "event: output\n"
  "id: 1690212292:2\n"
  "data: line one\n"
  "data:   indented\n"
  "data:\n"
  "data: line four\n"
  "\n"
  "event: done\n"
  "id: 1690212293:0\n"
  "data: {}\n"
  "\n";

static const ExpectedEvent replicate_events[] = {
  { "output",
    "Hello",
    "1690212292:0" },
  { "output",
    " there!",
    "1690212292:1" },
  { "output",
    "line one\n"
      "  indented\n"
      "\n"
      "line four",
    "1690212292:2" },
  { "done",
    "{}",
    "1690212293:0" },
};

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->type);
  g_bytes_unref (event->data);
  g_free (event->id);
  g_free (event);
}

static void
collect_cb (const char *event_type,
            const char *data,
            gsize       data_len,
            const char *id,
            gpointer    user_data)
{
  GPtrArray *events = user_data;
  Event *event = g_new0 (Event, 1);

  g_assert_nonnull (data);
  g_assert_cmpint (data[data_len], ==, '\0');

  event->type = g_strdup (event_type);
  event->data = g_bytes_new (data, data_len);
  event->id = g_strdup (id);
  g_ptr_array_add (events, event);
}

/* Feeds `stream` in pieces that end at each offset in `cuts` (ascending), then the rest. */
static GPtrArray *
parse_with_cuts (const char  *stream,
                 gsize        len,
                 const gsize *cuts,
                 guint        n_cuts,
                 gboolean    *had_partial)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  g_autoptr(GError) error = NULL;
  gsize pos = 0;
  gboolean partial = FALSE;

  for (guint i = 0; i < n_cuts; i++)
    {
      g_assert_cmpuint (cuts[i], >=, pos);
      g_assert_cmpuint (cuts[i], <=, len);
      g_assert_true (jx_sse_parser_feed (parser, stream + pos, cuts[i] - pos, &error));
      g_assert_no_error (error);
      pos = cuts[i];
    }
  g_assert_true (jx_sse_parser_feed (parser, stream + pos, len - pos, &error));
  g_assert_no_error (error);
  g_assert_true (jx_sse_parser_finish (parser, &partial));

  if (had_partial != NULL)
    *had_partial = partial;

  return g_steal_pointer (&events);
}

static GPtrArray *
parse_whole (const char *stream,
             gsize       len)
{
  return parse_with_cuts (stream, len, NULL, 0, NULL);
}

static void
assert_event (const Event *event,
              const char  *type,
              const char  *data,
              gsize        data_len,
              const char  *id)
{
  g_assert_cmpstr (event->type, ==, type);
  g_assert_cmpmem (g_bytes_get_data (event->data, NULL), g_bytes_get_size (event->data),
                   data, data_len);
  g_assert_cmpstr (event->id, ==, id);
}

static void
assert_events_expected (GPtrArray           *events,
                        const ExpectedEvent *expected,
                        gsize                n_expected)
{
  g_assert_cmpuint (events->len, ==, n_expected);
  for (guint i = 0; i < events->len; i++)
    assert_event (g_ptr_array_index (events, i),
                  expected[i].type, expected[i].data, strlen (expected[i].data), expected[i].id);
}

static void
assert_events_equal (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const Event *eb = g_ptr_array_index (b, i);
      gsize len;
      const char *data = g_bytes_get_data (eb->data, &len);

      assert_event (g_ptr_array_index (a, i), eb->type, data, len, eb->id);
    }
}

/* The same events must come out however the network chunks the bytes. */
static void
check_all_splits (const char          *stream,
                  gsize                len,
                  const ExpectedEvent *expected,
                  gsize                n_expected)
{
  g_autoptr(GPtrArray) whole = parse_whole (stream, len);
  g_autofree gsize *cuts = g_new (gsize, len + 1);
  gboolean partial = TRUE;

  assert_events_expected (whole, expected, n_expected);

  /* Two feeds, split at every position (including empty first and second feeds). */
  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(GPtrArray) events = parse_with_cuts (stream, len, &split, 1, &partial);

      assert_events_equal (events, whole);
      g_assert_false (partial);
    }

  /* Random small pieces, sometimes empty, with several fixed seeds. */
  for (guint32 seed = 1; seed <= 8; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) random_cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_autoptr(GPtrArray) events = NULL;
      gsize pos = 0;

      while (pos < len)
        {
          gsize step = g_rand_int_range (rand, 0, 17);

          pos = MIN (len, pos + step);
          g_array_append_val (random_cuts, pos);
        }
      events = parse_with_cuts (stream, len, (gsize *) random_cuts->data, random_cuts->len, &partial);
      assert_events_equal (events, whole);
      g_assert_false (partial);
    }

  /* One byte at a time. */
  {
    g_autoptr(GPtrArray) events = NULL;

    for (gsize i = 0; i < len; i++)
      cuts[i] = i + 1;
    events = parse_with_cuts (stream, len, cuts, len, &partial);
    assert_events_equal (events, whole);
  }
}

#define CHECK_FIXTURE(name) \
  check_all_splits (name##_stream, sizeof name##_stream - 1, name##_events, G_N_ELEMENTS (name##_events))

static void
test_openai (void)
{
  CHECK_FIXTURE (openai);
}

static void
test_anthropic (void)
{
  g_autoptr(GPtrArray) events = parse_whole (anthropic_stream, sizeof anthropic_stream - 1);
  const Event *ping = g_ptr_array_index (events, 2);
  const Event *stop = g_ptr_array_index (events, 6);

  /* Spot checks independent of the generated table: padding is data, not trimmed. */
  assert_event (ping, "ping", "{\"type\": \"ping\"}", 16, NULL);
  assert_event (stop, "message_stop", "{\"type\":\"message_stop\"        }", 31, NULL);

  CHECK_FIXTURE (anthropic);
}

static void
test_gemini (void)
{
  g_autoptr(GPtrArray) events = parse_whole (gemini_stream, sizeof gemini_stream - 1);
  const Event *last;
  gsize len;
  const char *data;

  g_assert_nonnull (memchr (gemini_stream, '\r', sizeof gemini_stream - 1));
  g_assert_cmpuint (events->len, ==, 3);
  last = g_ptr_array_index (events, 2);
  data = g_bytes_get_data (last->data, &len);
  g_assert_true (g_utf8_validate (data, len, NULL));
  /* U+2028, U+2029 and U+0085 are not line terminators for SSE. */
  g_assert_nonnull (g_strstr_len (data, len, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa8line "
                                             "\xf0\x9f\x98\x80\xe2\x80\xa9" "end\xc2\x85!"));

  CHECK_FIXTURE (gemini);
}

static void
test_openrouter (void)
{
  g_autoptr(GPtrArray) events = parse_whole (openrouter_stream, sizeof openrouter_stream - 1);

  g_assert_true (g_str_has_prefix (openrouter_stream, ": OPENROUTER PROCESSING\n\n"));
  g_assert_cmpuint (events->len, ==, 4);
  assert_event (g_ptr_array_index (events, 3), NULL, "[DONE]", 6, NULL);

  CHECK_FIXTURE (openrouter);
}

static void
test_replicate (void)
{
  static const char multi[] = "line one\n  indented\n\nline four";
  g_autoptr(GPtrArray) events = parse_whole (replicate_stream, sizeof replicate_stream - 1);

  g_assert_cmpuint (events->len, ==, 4);
  /* Only one space after the colon is stripped. */
  assert_event (g_ptr_array_index (events, 1), "output", " there!", 7, "1690212292:1");
  assert_event (g_ptr_array_index (events, 2), "output", multi, sizeof multi - 1, "1690212292:2");

  CHECK_FIXTURE (replicate);
}

static char *
replace_newlines (const char *stream,
                  const char *with)
{
  g_auto(GStrv) lines = g_strsplit (stream, "\n", -1);

  return g_strjoinv (with, lines);
}

static void
test_line_endings (void)
{
  g_autofree char *cr = replace_newlines (anthropic_stream, "\r");
  g_autofree char *crlf = replace_newlines (anthropic_stream, "\r\n");
  g_autoptr(GString) mixed = g_string_new (NULL);
  static const char *const endings[] = { "\n", "\r\n", "\r" };
  guint n = 0;

  for (const char *p = anthropic_stream; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (mixed, endings[n++ % G_N_ELEMENTS (endings)]);
      else
        g_string_append_c (mixed, *p);
    }

  check_all_splits (cr, strlen (cr), anthropic_events, G_N_ELEMENTS (anthropic_events));
  check_all_splits (crlf, strlen (crlf), anthropic_events, G_N_ELEMENTS (anthropic_events));
  check_all_splits (mixed->str, mixed->len, anthropic_events, G_N_ELEMENTS (anthropic_events));
}

static void
test_cr_at_chunk_end (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  g_autoptr(GError) error = NULL;

  /* If the LF after a chunk-final CR were read as a blank line, "a" would dispatch alone. */
  g_assert_true (jx_sse_parser_feed (parser, "data: a\r", 8, &error));
  g_assert_true (jx_sse_parser_feed (parser, "", 0, &error));
  g_assert_true (jx_sse_parser_feed (parser, "\ndata: b\r", 9, &error));
  g_assert_true (jx_sse_parser_feed (parser, "\n", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 0);
  /* The CR of "b\r\n" was already consumed, so this CR is the blank line. */
  g_assert_true (jx_sse_parser_feed (parser, "\r", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  assert_event (g_ptr_array_index (events, 0), NULL, "a\nb", 3, NULL);
}

static void
test_comments (void)
{
  static const char stream[] =
    ": keep-alive\n"
    ":\n"
    "data: a\n"
    ": between data lines\n"
    "data: b\n"
    "\n"
    ": OPENROUTER PROCESSING\n"
    "\n"
    ":data: not data\n"
    "\n";
  static const ExpectedEvent expected[] = { { NULL, "a\nb", NULL } };

  check_all_splits (stream, sizeof stream - 1, expected, G_N_ELEMENTS (expected));
}

static void
test_field_parsing (void)
{
  static const char stream[] =
    "data:{\"a\":1}\n\n"
    "data:  two spaces\n\n"
    "data:\tx\n\n"
    "data\n\n"
    "data:\n\n"
    "Data: wrong case\ndata: c\n\n"
    "data: x:y: z\n\n"
    "retry: 1000\nfoo: bar\nfoo\ndata: d\n\n"
    "event: \0x\ndata: f\n\n";
  static const ExpectedEvent expected[] = {
    { NULL, "{\"a\":1}", NULL },
    { NULL, " two spaces", NULL },
    { NULL, "\tx", NULL },
    /* A data line with an empty value still makes a (empty) event, per spec. */
    { NULL, "", NULL },
    { NULL, "", NULL },
    { NULL, "c", NULL },
    { NULL, "x:y: z", NULL },
    { NULL, "d", NULL },
    /* A type starting with NUL is an empty C string: reported as no type. */
    { NULL, "f", NULL },
  };

  check_all_splits (stream, sizeof stream - 1, expected, G_N_ELEMENTS (expected));
}

static void
test_nul_in_data (void)
{
  static const char stream[] = "data: a\0b\n\n";
  g_autoptr(GPtrArray) events = parse_whole (stream, sizeof stream - 1);

  g_assert_cmpuint (events->len, ==, 1);
  assert_event (g_ptr_array_index (events, 0), NULL, "a\0b", 3, NULL);
}

static void
test_no_data_not_dispatched (void)
{
  static const char stream[] =
    "event: ping\n\n"
    "\n\n\n"
    ": only a comment\n\n"
    "data: x\n\n"
    "event: named\ndata: 1\n\n"
    "data: 2\n\n"
    "event: dropped\nid: 9\n\n"
    "data: 3\n\n";
  static const ExpectedEvent expected[] = {
    /* The type of the data-less "ping" must not leak into the next event. */
    { NULL, "x", NULL },
    { "named", "1", NULL },
    /* Event type resets after each dispatch. */
    { NULL, "2", NULL },
    /* The id of a dropped event still sets the last event id. */
    { NULL, "3", "9" },
  };

  check_all_splits (stream, sizeof stream - 1, expected, G_N_ELEMENTS (expected));
}

static void
test_ids (void)
{
  static const char stream[] =
    "id: 1\ndata: a\n\n"
    "data: b\n\n"
    "id: x\0y\ndata: c\n\n"
    "id\ndata: d\n\n"
    "id: 2\nevent:\ndata: e\n\n";
  static const ExpectedEvent expected[] = {
    { NULL, "a", "1" },
    /* The last event id persists across events. */
    { NULL, "b", "1" },
    /* Ids containing NUL are ignored. */
    { NULL, "c", "1" },
    /* An empty id resets it. */
    { NULL, "d", NULL },
    /* An empty event name means the default type. */
    { NULL, "e", "2" },
  };

  check_all_splits (stream, sizeof stream - 1, expected, G_N_ELEMENTS (expected));
}

static void
test_bom (void)
{
  static const char stream[] = "\xEF\xBB\xBF" "data: x\n\n\xEF\xBB\xBF" "data: y\n\n";
  static const ExpectedEvent expected[] = { { NULL, "x", NULL } };
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  gboolean partial = FALSE;

  /* Only the leading BOM is stripped; the second one makes an unknown field name. */
  check_all_splits (stream, sizeof stream - 1, expected, G_N_ELEMENTS (expected));

  /* Something that only starts like a BOM is kept: "\xEF\xBBdata" is an unknown field. */
  check_all_splits ("\xEF\xBB" "data: z\n\n", 11, NULL, 0);

  g_assert_true (jx_sse_parser_feed (parser, "\xEF\xBB", 2, NULL));
  g_assert_true (jx_sse_parser_finish (parser, &partial));
  g_assert_true (partial);
}

static void
test_big_event_bytewise (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  g_autoptr(GString) stream = g_string_new ("data: ");
  gsize payload_len = 512 * 1024;

  for (gsize i = 0; i < payload_len; i++)
    g_string_append_c (stream, 'a' + i % 26);
  g_string_append (stream, "\n\n");

  for (gsize i = 0; i < stream->len; i++)
    g_assert_true (jx_sse_parser_feed (parser, stream->str + i, 1, NULL));

  g_assert_cmpuint (events->len, ==, 1);
  assert_event (g_ptr_array_index (events, 0), NULL, stream->str + 6, payload_len, NULL);
}

static void
assert_too_large (JxSseParser *parser,
                  const char  *message)
{
  g_autoptr(GError) error = NULL;

  /* Once failed, the parser stays failed. */
  g_assert_false (jx_sse_parser_feed (parser, "\n\ndata: ok\n\n", 12, &error));
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_false (jx_sse_parser_feed (parser, "x", 1, NULL));
  g_assert_false (jx_sse_parser_finish (parser, NULL));
}

static void
test_too_large_line (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_malloc (1025);
  gsize pos;

  jx_sse_parser_set_max_size (parser, 1024);
  memset (line, 'a', 1025);
  memcpy (line, "data: ", 6);

  /* A line of exactly the cap is fine. */
  g_assert_true (jx_sse_parser_feed (parser, line, 1024, &error));
  g_assert_true (jx_sse_parser_feed (parser, "\n\n", 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);

  /* One more byte, fed in small pieces without a newline, must fail. */
  for (pos = 0; pos < 1025; pos += 100)
    {
      if (!jx_sse_parser_feed (parser, line + pos, MIN (100, 1025 - pos), &error))
        break;
    }
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "server-sent event larger than 1 KiB");
  g_assert_cmpuint (pos, ==, 1000);
  assert_too_large (parser, "server-sent event larger than 1 KiB");
  g_assert_cmpuint (events->len, ==, 1);
}

static void
test_too_large_event (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  g_autoptr(GError) error = NULL;
  char line[107];
  guint i;

  jx_sse_parser_set_max_size (parser, 1000);
  memset (line, 'b', sizeof line);
  memcpy (line, "data: ", 6);
  line[sizeof line - 1] = '\n';

  /* Each line is small; the joined data (10 × 100 + 9 newlines) is not. */
  for (i = 0; i < 20; i++)
    {
      if (!jx_sse_parser_feed (parser, line, sizeof line, &error))
        break;
    }
  g_assert_cmpuint (i, ==, 9);
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  assert_too_large (parser, "server-sent event larger than 1000 bytes");
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_too_large_default (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  g_autoptr(GError) error = NULL;
  gsize chunk = 64 * 1024;
  g_autofree char *buf = g_malloc (chunk);
  gsize fed = 0;

  memset (buf, 'z', chunk);
  memcpy (buf, "data: ", 6);

  while (jx_sse_parser_feed (parser, buf, chunk, &error))
    {
      fed += chunk;
      memset (buf, 'z', 6);
      g_assert_cmpuint (fed, <=, JX_STREAM_DEFAULT_MAX_EVENT_SIZE);
    }
  g_assert_cmpuint (fed, ==, JX_STREAM_DEFAULT_MAX_EVENT_SIZE);
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "server-sent event larger than 8 MiB");
}

static void
check_partial (const char *stream,
               gboolean    expected_partial,
               guint       expected_events)
{
  g_autoptr(GPtrArray) events = NULL;
  gboolean partial = !expected_partial;

  events = parse_with_cuts (stream, strlen (stream), NULL, 0, &partial);
  g_assert_cmpuint (events->len, ==, expected_events);
  g_assert_cmpint (partial, ==, expected_partial);
}

static void
test_finish_partial (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(JxSseParser) parser = jx_sse_parser_new (collect_cb, events);
  gboolean partial = TRUE;

  check_partial ("", FALSE, 0);
  check_partial ("data: x\n\n", FALSE, 1);
  check_partial ("data: x\n\n: keep-alive\n", FALSE, 1);
  /* Unterminated events are discarded, not dispatched. */
  check_partial ("data: x\n\ndata: y\n", TRUE, 1);
  check_partial ("data: x\n\ndata: y", TRUE, 1);
  check_partial ("data: x\r\n\r\nevent: e\n", TRUE, 1);
  check_partial ("data: x\n\n:", TRUE, 1);

  /* finish() with a NULL out-parameter is fine. */
  g_assert_true (jx_sse_parser_feed (parser, "data: p", 7, NULL));
  g_assert_true (jx_sse_parser_finish (parser, NULL));
  g_assert_true (jx_sse_parser_finish (parser, &partial));
  g_assert_false (partial);
  g_assert_cmpuint (events->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/sse-parser/openai", test_openai);
  g_test_add_func ("/juxta/core/sse-parser/anthropic", test_anthropic);
  g_test_add_func ("/juxta/core/sse-parser/gemini", test_gemini);
  g_test_add_func ("/juxta/core/sse-parser/openrouter", test_openrouter);
  g_test_add_func ("/juxta/core/sse-parser/replicate", test_replicate);
  g_test_add_func ("/juxta/core/sse-parser/line-endings", test_line_endings);
  g_test_add_func ("/juxta/core/sse-parser/cr-at-chunk-end", test_cr_at_chunk_end);
  g_test_add_func ("/juxta/core/sse-parser/comments", test_comments);
  g_test_add_func ("/juxta/core/sse-parser/field-parsing", test_field_parsing);
  g_test_add_func ("/juxta/core/sse-parser/nul-in-data", test_nul_in_data);
  g_test_add_func ("/juxta/core/sse-parser/no-data-not-dispatched", test_no_data_not_dispatched);
  g_test_add_func ("/juxta/core/sse-parser/ids", test_ids);
  g_test_add_func ("/juxta/core/sse-parser/bom", test_bom);
  g_test_add_func ("/juxta/core/sse-parser/big-event-bytewise", test_big_event_bytewise);
  g_test_add_func ("/juxta/core/sse-parser/too-large-line", test_too_large_line);
  g_test_add_func ("/juxta/core/sse-parser/too-large-event", test_too_large_event);
  g_test_add_func ("/juxta/core/sse-parser/too-large-default", test_too_large_default);
  g_test_add_func ("/juxta/core/sse-parser/finish-partial", test_finish_partial);

  return g_test_run ();
}
