/* test-adapter-replicate.c — create a prediction, stream its SSE URL, read its metrics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-fixture.h"

#define KEY          "r8_test_key"
#define CREATE_PATH  "/v1/models/meta/test-llm/predictions"
#define STREAM_PATH  "/v1/files/bcwr-stream-abc"
#define GET_PATH     "/v1/predictions/qpt5abc"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"replicate\",\"base_url\":\"@URL@\"," \
  "\"models\":[{\"id\":\"meta/test-llm\",\"input_per_mtok\":1.0,\"output_per_mtok\":2.0}]}]}"

#define METRICS_JSON \
  "{\"id\":\"qpt5abc\",\"status\":\"succeeded\",\"output\":[\"Hello\",\" there!\"]," \
  "\"metrics\":{\"predict_time\":1.23,\"total_time\":1.5,\"input_token_count\":12," \
  "\"output_token_count\":40,\"tokens_per_second\":55.1,\"time_to_first_token\":0.21}}"

/* The 201 body, with the stream and get URLs on `host_url` (usually the fake itself). */
static char *
prediction_json (const char *host_url,
                 gboolean    with_stream)
{
  g_autofree char *stream = with_stream ? g_strdup_printf ("\"stream\":\"%s" STREAM_PATH "\",", host_url)
                                        : g_strdup ("");

  return g_strdup_printf ("{\"id\":\"qpt5abc\",\"model\":\"meta/test-llm\",\"version\":\"hidden\","
                          "\"input\":{\"prompt\":\"Say hi\"},\"logs\":\"\",\"output\":null,"
                          "\"data_removed\":false,\"error\":null,\"status\":\"starting\","
                          "\"created_at\":\"2025-01-15T09:54:55.566Z\",\"urls\":{"
                          "\"cancel\":\"%s" GET_PATH "/cancel\",\"get\":\"%s" GET_PATH "\",%s"
                          "\"web\":\"https://replicate.com/p/qpt5abc\"}}",
                          host_url, host_url, stream);
}

/* Create (201 after create_delay_ms) → stream → metrics. */
static void
add_routes (JxTestFixture  *f,
            guint           create_delay_ms,
            JxFakeResponse *stream)
{
  g_autofree char *created = prediction_json (jx_fake_server_get_url (f->server), TRUE);
  JxFakeResponse *create = jx_fake_response_new_json (201, created);

  jx_fake_response_set_header_delay (create, create_delay_ms);
  jx_fake_server_add (f->server, "POST", CREATE_PATH, create);
  jx_fake_server_add (f->server, "GET", STREAM_PATH, stream);
  jx_fake_server_add (f->server, "GET", GET_PATH, jx_fake_response_new_json (200, METRICS_JSON));
}

static void
assert_header (JxTestFixture *f,
               const char    *path,
               const char    *name,
               const char    *expected)
{
  g_autofree char *value = jx_fake_server_get_last_header (f->server, path, name);

  g_assert_cmpstr (value, ==, expected);
}

static void
check_full_run (JxTestFixture *f,
                JxResponse    *r,
                const char    *text)
{
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonObject *input;
  gint64 post_received = jx_fake_server_get_last_request_time (f->server, CREATE_PATH);
  gint64 get_received = jx_fake_server_get_last_request_time (f->server, STREAM_PATH);
  double *ms;

  g_assert_no_error (r->error);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpstr (r->text->str, ==, text);

  /* Usage comes from the metrics poll, not from an estimate. */
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (r->usage.input_tokens, ==, 12);
  g_assert_cmpint (r->usage.output_tokens, ==, 40);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (12 * 1.0 + 40 * 2.0) / 1e6, 1e-12);
  g_assert_nonnull ((ms = g_hash_table_lookup (r->server_timings, "predict")));
  g_assert_cmpfloat_with_epsilon (*ms, 1230.0, 1e-6);
  g_assert_nonnull ((ms = g_hash_table_lookup (r->server_timings, "time_to_first_token")));
  g_assert_cmpfloat_with_epsilon (*ms, 210.0, 1e-6);

  /* TTFT counts from the POST: it includes the 60 ms the create took, not just the GET. */
  g_assert_cmpint (post_received, >, 0);
  g_assert_cmpint (r->timing.t_start, >, 0);
  g_assert_cmpint (r->timing.t_start - JX_TEST_STAMP_SLACK_US, <=, post_received);
  g_assert_cmpint (get_received, >, post_received);
  g_assert_cmpint (r->timing.t_first_token, >, get_received);
  g_assert_cmpfloat (jx_timing_ttft_ms (&r->timing), >=, 60.0 + 20.0);

  /* One request per hop, each with the key (every URL is on the API host here). */
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, CREATE_PATH), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, STREAM_PATH), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GET_PATH), ==, 1);
  assert_header (f, CREATE_PATH, "Authorization", "Bearer " KEY);
  assert_header (f, STREAM_PATH, "Authorization", "Bearer " KEY);
  assert_header (f, GET_PATH, "Authorization", "Bearer " KEY);
  assert_header (f, STREAM_PATH, "Accept", "text/event-stream");
  assert_header (f, STREAM_PATH, "Cache-Control", "no-store");

  body = jx_fake_server_get_last_body (f->server, CREATE_PATH);
  request = jx_test_parse_body (body);
  g_assert_true (json_object_get_boolean_member (request, "stream"));
  g_assert_false (json_object_has_member (request, "version"));
  input = json_object_get_object_member (request, "input");
  g_assert_cmpstr (json_object_get_string_member (input, "prompt"), ==, "Say hi");
  g_assert_cmpstr (json_object_get_string_member (input, "system_prompt"), ==, "You are terse.");
  g_assert_cmpint (json_object_get_int_member (input, "max_tokens"), ==, 64);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (input, "temperature"), 0.5, 1e-9);
}

static void
test_basic_fixture (JxTestFixture *f,
                    gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");

      jx_test_fixture_reset (f, data);
      jx_fake_response_add_file (stream, 20, 2, "replicate-basic.sse");
      jx_fake_response_set_random_split (stream, seed, 5);
      add_routes (f, 60, stream);

      r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
      /* "data:  there!" (two spaces) is a token that starts with a space. */
      check_full_run (f, r, "Hello there!");
    }
}

static const char multi_line_stream[] =
  "event: output\nid: 1690212292:0\ndata: Hello\n\n"
  "event: logs\nid: 1690212292:1\ndata: loading weights\n\n"
  "event: output\nid: 1690212292:2\ndata:  there!\n\n"
  "event: output\nid: 1690212292:3\ndata: \ndata: Line two\n\n"
  "event: output\nid: 1690212292:4\ndata:  and\ndata: three\n\n"
  "event: output\nid: 1690212292:5\ndata:\n\n"
  "event: done\nid: 1690212293:0\ndata: {}\n\n";

static void
test_multi_line (JxTestFixture *f,
                 gconstpointer  data)
{
  for (guint32 seed = 11; seed <= 14; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");
      g_autoptr(GBytes) bytes = g_bytes_new_static (multi_line_stream, strlen (multi_line_stream));
      g_autoptr(GPtrArray) events = jx_fake_split_events (bytes, JX_FAKE_SPLIT_SSE);

      jx_test_fixture_reset (f, data);
      for (guint i = 0; i < events->len; i++)
        jx_fake_response_add_bytes (stream, i == 0 ? 20 : 2, g_ptr_array_index (events, i));
      jx_fake_response_set_random_split (stream, seed, 4);
      add_routes (f, 60, stream);

      r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
      /* Data lines join with \n; logs and the empty output are not text. */
      check_full_run (f, r, "Hello there!\nLine two and\nthree");
      g_assert_cmpuint (r->timing.content_times->len, ==, 4);
    }
}

static void
test_version (JxTestFixture *f,
              gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *created = NULL;
  JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");

  created = prediction_json (jx_fake_server_get_url (f->server), TRUE);
  jx_fake_response_add_file (stream, 1, 1, "replicate-basic.sse");
  jx_fake_server_add (f->server, "POST", "/v1/predictions", jx_fake_response_new_json (201, created));
  jx_fake_server_add (f->server, "GET", STREAM_PATH, stream);
  jx_fake_server_add (f->server, "GET", GET_PATH, jx_fake_response_new_json (200, METRICS_JSON));

  r = jx_test_run (f->engine, "replicate", "meta/test-llm:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hello there!");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, CREATE_PATH), ==, 0);
  body = jx_fake_server_get_last_body (f->server, "/v1/predictions");
  request = jx_test_parse_body (body);
  g_assert_cmpstr (json_object_get_string_member (request, "version"), ==,
                   "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa");
  g_assert_nonnull (json_object_get_object_member (request, "input"));
}

static void
test_error_event_keeps_text (JxTestFixture *f,
                             gconstpointer  data)
{
  for (guint32 seed = 21; seed <= 23; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");

      jx_test_fixture_reset (f, data);
      jx_fake_response_add (stream, 5, "event: output\nid: 1:0\ndata: Partial\n\n", -1);
      jx_fake_response_add (stream, 2, "event: output\nid: 1:1\ndata:  answer\n\n", -1);
      jx_fake_response_add (stream, 2, "event: error\nid: 1:2\ndata: {\"detail\":\"CUDA out of memory\"}\n\n", -1);
      jx_fake_response_add (stream, 2, "event: output\nid: 1:3\ndata:  never\n\n", -1);
      jx_fake_response_add (stream, 2, "event: done\nid: 1:4\ndata: {\"reason\":\"error\"}\n\n", -1);
      jx_fake_response_set_random_split (stream, seed, 6);
      add_routes (f, 0, stream);

      r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Replicate", "CUDA out of memory");
      g_assert_cmpstr (r->text->str, ==, "Partial answer");
      /* A failed stream has no metrics worth fetching. */
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GET_PATH), ==, 0);
    }
}

static void
test_done_canceled (JxTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (stream, 1, "event: output\nid: 1:0\ndata: Half\n\n", -1);
  jx_fake_response_add (stream, 1, "event: done\nid: 1:1\ndata: {\"reason\":\"canceled\"}\n\n", -1);
  add_routes (f, 0, stream);

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Replicate", "the prediction was canceled");
  g_assert_cmpstr (r->text->str, ==, "Half");
}

static void
test_truncated (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (stream, 1, "event: output\nid: 1:0\ndata: Cut\n\n", -1);
  add_routes (f, 0, stream);

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, "Replicate");
  g_assert_cmpstr (r->text->str, ==, "Cut");
}

static void
test_unauthorized (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", CREATE_PATH,
                      jx_fake_response_new_json (401, "{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass "
                                                      "a valid authentication token\",\"status\":401}"));

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", "r8_wrong", NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpint (r->http_status, ==, 401);
  jx_assert_request_error (r, JX_REQUEST_ERROR_AUTH, "Replicate");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, STREAM_PATH), ==, 0);
}

static void
test_invalid_input (JxTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", CREATE_PATH,
                      jx_fake_response_new_json (422, "{\"title\":\"Input validation failed\",\"detail\":"
                                                      "\"- input.max_tokens: Must be less than or equal to 4096\","
                                                      "\"status\":422,\"invalid_fields\":[{\"type\":\"less_than_equal\","
                                                      "\"field\":\"input.max_tokens\"}]}"));

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpint (r->http_status, ==, 422);
  jx_assert_request_error (r, JX_REQUEST_ERROR_BAD_REQUEST, "Replicate", "- input.max_tokens: Must be less than or equal to 4096");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, STREAM_PATH), ==, 0);
}

static void
test_no_stream_url (JxTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *created = NULL;

  created = prediction_json (jx_fake_server_get_url (f->server), FALSE);
  jx_fake_server_add (f->server, "POST", CREATE_PATH, jx_fake_response_new_json (201, created));

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_UNSUPPORTED, "Replicate", "the prediction has no stream URL (this model cannot stream)");
}

/* A stream URL on another host gets no key; neither does the metrics URL (so it is skipped). */
static void
test_key_stays_on_api_host (JxTestFixture *f,
                            gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *other_host = NULL;
  g_autofree char *created = NULL;
  JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");
  const char *url;

  url = jx_fake_server_get_url (f->server);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  other_host = g_strconcat ("http://localhost:", url + strlen ("http://127.0.0.1:"), NULL);
  created = prediction_json (other_host, TRUE);
  jx_fake_response_add_file (stream, 1, 1, "replicate-basic.sse");
  jx_fake_server_add (f->server, "POST", CREATE_PATH, jx_fake_response_new_json (201, created));
  jx_fake_server_add (f->server, "GET", STREAM_PATH, stream);
  jx_fake_server_add (f->server, "GET", GET_PATH, jx_fake_response_new_json (200, METRICS_JSON));

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hello there!");
  assert_header (f, CREATE_PATH, "Authorization", "Bearer " KEY);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, STREAM_PATH), ==, 1);
  assert_header (f, STREAM_PATH, "Authorization", NULL);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GET_PATH), ==, 0);
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
}

/* Metrics are a bonus: a failing poll keeps the answer and estimates usage. */
static void
test_metrics_failure (JxTestFixture *f,
                      gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *created = NULL;
  JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");

  created = prediction_json (jx_fake_server_get_url (f->server), TRUE);
  jx_fake_response_add_file (stream, 1, 1, "replicate-basic.sse");
  jx_fake_server_add (f->server, "POST", CREATE_PATH, jx_fake_response_new_json (201, created));
  jx_fake_server_add (f->server, "GET", STREAM_PATH, stream);
  jx_fake_server_add (f->server, "GET", GET_PATH,
                      jx_fake_response_new_json (500, "{\"detail\":\"internal error\"}"));

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpstr (r->text->str, ==, "Hello there!");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GET_PATH), ==, 1);
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
}

/* The stream can end just before the prediction is marked done: the metrics are asked for
 * again until they are final, a few times at most. */
static void
test_metrics_polled_until_final (JxTestFixture *f,
                                 gconstpointer  data)
{
  for (guint processing = 1; processing <= 5; processing++)
    {
      g_autoptr(JxResponse) r = NULL;
      g_autofree char *created = NULL;
      JxFakeResponse *stream = jx_fake_response_new (200, "text/event-stream");
      /* At most 3 more polls after the first. */
      guint expected_gets = MIN (processing + 1, 4);

      jx_test_fixture_reset (f, data);
      created = prediction_json (jx_fake_server_get_url (f->server), TRUE);
      jx_fake_response_add_file (stream, 1, 1, "replicate-basic.sse");
      jx_fake_server_add (f->server, "POST", CREATE_PATH, jx_fake_response_new_json (201, created));
      jx_fake_server_add (f->server, "GET", STREAM_PATH, stream);
      for (guint i = 0; i < processing; i++)
        jx_fake_server_add (f->server, "GET", GET_PATH,
                            jx_fake_response_new_json (200, "{\"id\":\"qpt5abc\",\"status\":\"processing\","
                                                       "\"metrics\":{\"predict_time\":0.5}}"));
      jx_fake_server_add (f->server, "GET", GET_PATH, jx_fake_response_new_json (200, METRICS_JSON));

      r = jx_test_run (f->engine, "replicate", "meta/test-llm", KEY, NULL);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
      g_assert_cmpstr (r->text->str, ==, "Hello there!");
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GET_PATH), ==, expected_gets);
      if (processing <= 3)
        {
          /* The final metrics arrived: provider-reported usage and cost. */
          g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
          g_assert_cmpint (r->usage.output_tokens, ==, 40);
          g_assert_cmpfloat_with_epsilon (r->cost_usd, (12 * 1.0 + 40 * 2.0) / 1e6, 1e-12);
        }
      else
        /* Still processing after the last poll: the answer stands, usage is an estimate. */
        g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
    }
}

static void
test_bad_model_id (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  r = jx_test_run (f->engine, "replicate", "llama", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_CONFIG, "Replicate", "“llama” is not a Replicate model: use owner/name or owner/name:version");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  jx_test_add ("/juxta/adapter/replicate/basic", PROVIDERS_JSON, test_basic_fixture);
  jx_test_add ("/juxta/adapter/replicate/multi-line", PROVIDERS_JSON, test_multi_line);
  jx_test_add ("/juxta/adapter/replicate/version", PROVIDERS_JSON, test_version);
  jx_test_add ("/juxta/adapter/replicate/error-event", PROVIDERS_JSON, test_error_event_keeps_text);
  jx_test_add ("/juxta/adapter/replicate/done-canceled", PROVIDERS_JSON, test_done_canceled);
  jx_test_add ("/juxta/adapter/replicate/truncated", PROVIDERS_JSON, test_truncated);
  jx_test_add ("/juxta/adapter/replicate/unauthorized", PROVIDERS_JSON, test_unauthorized);
  jx_test_add ("/juxta/adapter/replicate/invalid-input", PROVIDERS_JSON, test_invalid_input);
  jx_test_add ("/juxta/adapter/replicate/no-stream-url", PROVIDERS_JSON, test_no_stream_url);
  jx_test_add ("/juxta/adapter/replicate/key-host", PROVIDERS_JSON, test_key_stays_on_api_host);
  jx_test_add ("/juxta/adapter/replicate/metrics-failure", PROVIDERS_JSON, test_metrics_failure);
  jx_test_add ("/juxta/adapter/replicate/metrics-polled", PROVIDERS_JSON, test_metrics_polled_until_final);
  jx_test_add ("/juxta/adapter/replicate/bad-model", PROVIDERS_JSON, test_bad_model_id);

  return g_test_run ();
}
