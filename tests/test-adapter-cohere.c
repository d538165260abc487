/* test-adapter-cohere.c — Cohere v2 Chat end to end over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-util.h"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"cohere\",\"base_url\":\"@URL@\",\"models\":[" \
  "{\"id\":\"test-model\",\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2.0}]}]}"

#define CHAT_PATH "/v2/chat"
#define KEY       "co-test-key"

#define EV_START \
  "event: message-start\n" \
  "data: {\"id\":\"20ae3cc4\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\"," \
  "\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n"
#define EV_CONTENT_START \
  "event: content-start\n" \
  "data: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n"
#define EV_DELTA(text) \
  "event: content-delta\n" \
  "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"" text "\"}}}}\n\n"

static void
run_basic_case (JxTestFixture *f,
                guint32        seed)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *auth = NULL, *accept = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  JsonArray *messages;
  JsonObject *message;

  jx_fake_response_add_file (fake, 2, 1, "cohere-basic.sse");
  if (seed > 0)
    jx_fake_response_set_random_split (fake, seed, 6);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = jx_test_run (f->engine, "cohere", "test-model", KEY, NULL);

  /* The `data: [DONE]` after message-end is not an error and not text. */
  g_assert_no_error (r->error);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpint (r->http_status, ==, 200);
  g_assert_cmpstr (r->text->str, ==, "The ocean is vast");
  g_assert_cmpstr (r->reasoning->str, ==, "");
  g_assert_cmpstr (r->finish_reason, ==, "MAX_TOKENS");
  g_assert_cmpuint (r->timing.content_times->len, ==, 2);

  /* Raw counts (with Cohere's preamble) for throughput, billed units for money. */
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (r->usage.input_tokens, ==, 506);
  g_assert_cmpint (r->usage.output_tokens, ==, 4);
  g_assert_cmpint (r->usage.billed_input_tokens, ==, 11);
  g_assert_cmpint (r->usage.billed_output_tokens, ==, 3);
  g_assert_cmpint (r->usage.cached_input_tokens, ==, 448);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (11 * 1.0 + 3 * 2.0) / 1e6, 1e-12);

  auth = jx_fake_server_get_last_header (f->server, CHAT_PATH, "Authorization");
  accept = jx_fake_server_get_last_header (f->server, CHAT_PATH, "Accept");
  g_assert_cmpstr (auth, ==, "Bearer " KEY);
  g_assert_cmpstr (accept, ==, "text/event-stream");

  body = jx_fake_server_get_last_body (f->server, CHAT_PATH);
  request = jx_test_parse_body (body);
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "test-model");
  g_assert_true (json_object_get_boolean_member (request, "stream"));
  g_assert_cmpint (json_object_get_int_member (request, "max_tokens"), ==, 64);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (request, "temperature"), 0.5, 1e-12);
  messages = json_object_get_array_member (request, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  message = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "You are terse.");
  message = json_array_get_object_element (messages, 1);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "Say hi");
}

static void
test_basic (JxTestFixture *f,
            gconstpointer  data)
{
  for (guint32 seed = 0; seed <= 4; seed++)
    run_basic_case (f, seed);
}

static JxResponse *
run_events (JxTestFixture *f,
            const char    *first,
            ...) G_GNUC_NULL_TERMINATED;

static JxResponse *
run_events (JxTestFixture *f,
            const char    *first,
            ...)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  va_list args;

  va_start (args, first);
  for (const char *event = first; event != NULL; event = va_arg (args, const char *))
    jx_fake_response_add (fake, 1, event, -1);
  va_end (args);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  return jx_test_run (f->engine, "cohere", "test-model", KEY, NULL);
}

/* message-end without [DONE] is a complete answer too. */
static void
test_without_done (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  r = run_events (f, EV_START, EV_CONTENT_START, EV_DELTA ("Hi"),
                  "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n",
                  "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\","
                  "\"usage\":{\"billed_units\":{\"input_tokens\":5,\"output_tokens\":1},"
                  "\"tokens\":{\"input_tokens\":70,\"output_tokens\":2}}}}\n\n",
                  NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hi");
  g_assert_cmpstr (r->finish_reason, ==, "COMPLETE");
  g_assert_cmpint (r->usage.input_tokens, ==, 70);
  g_assert_cmpint (r->usage.cached_input_tokens, ==, -1);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (5 * 1.0 + 1 * 2.0) / 1e6, 1e-12);
}

/* Reasoning models stream thinking blocks before the text. */
static void
test_thinking (JxTestFixture *f,
               gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  r = run_events (f, EV_START,
                  "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":"
                  "{\"content\":{\"type\":\"thinking\",\"thinking\":\"\"}}}}\n\n",
                  "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":"
                  "{\"content\":{\"thinking\":\"Hmm.\"}}}}\n\n",
                  EV_DELTA ("Yes"),
                  "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\"}}\n\n",
                  "data: [DONE]\n\n",
                  NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->reasoning->str, ==, "Hmm.");
  g_assert_cmpstr (r->text->str, ==, "Yes");
  g_assert_cmpuint (r->timing.content_times->len, ==, 1);
  /* No usage reported: estimated, and labelled as such. */
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
}

/* A generation that fails mid-way ends with finish_reason ERROR and delta.error. */
static void
test_midstream_error (JxTestFixture *f,
                      gconstpointer  data)
{
  g_autoptr(JxResponse) with_message = NULL;
  g_autoptr(JxResponse) bare = NULL;

  with_message = run_events (f, EV_START, EV_CONTENT_START, EV_DELTA ("Part"),
                             "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"error\":"
                             "\"internal server error, please try again later\",\"finish_reason\":\"ERROR\"}}\n\n",
                             "data: [DONE]\n\n",
                             NULL);
  g_assert_cmpint (with_message->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (with_message, JX_REQUEST_ERROR_PROVIDER, "Cohere", "internal server error, please try again later");
  g_assert_cmpstr (with_message->text->str, ==, "Part");

  bare = run_events (f, EV_START, EV_DELTA ("Part"),
                     "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\"}}\n\n",
                     NULL);
  g_assert_cmpint (bare->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (bare, JX_REQUEST_ERROR_PROVIDER, "Cohere", "ended the answer with finish_reason “ERROR”");
  g_assert_cmpstr (bare->text->str, ==, "Part");
}

/* Clean EOF before message-end (and without [DONE]) is a cut-off answer. */
static void
test_truncated (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  r = run_events (f, EV_START, EV_CONTENT_START, EV_DELTA ("Cut"), NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, "Cohere");
  g_assert_cmpstr (r->text->str, ==, "Cut");
}

static void
test_unauthorized (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", CHAT_PATH,
                      jx_fake_response_new_json (401, "{\"id\":\"3b6f1c2e\",\"message\":\"invalid api token\"}"));
  r = jx_test_run (f->engine, "cohere", "test-model", "wrong", NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpint (r->http_status, ==, 401);
  jx_assert_request_error (r, JX_REQUEST_ERROR_AUTH, "Cohere", "invalid api token");
  g_assert_cmpuint (r->retries, ==, 0);
}

static void
test_not_found (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", CHAT_PATH,
                      jx_fake_response_new_json (404, "{\"message\":\"model 'test-model' not found, make sure the "
                                                      "correct model ID was used and that you have access to the model.\"}"));
  r = jx_test_run (f->engine, "cohere", "test-model", KEY, NULL);
  jx_assert_request_error (r, JX_REQUEST_ERROR_NOT_FOUND, "Cohere", "test-model", "model 'test-model' not found, make sure the correct model ID was used and that you have access to the model.");
}

#define TRIAL_MINUTE "You are using a Trial key, which is limited to 10 API calls / minute. You can continue to use " \
                     "the Trial key for free or upgrade to a Production key with higher rate limits."

static void
test_rate_limited_then_ok (JxTestFixture *f,
                           gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *ok = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add_file (ok, 1, 1, "cohere-basic.sse");
  /* No Retry-After: the engine's own backoff. */
  jx_fake_server_add (f->server, "POST", CHAT_PATH,
                      jx_fake_response_new_json (429, "{\"message\":\"" TRIAL_MINUTE "\"}"));
  jx_fake_server_add (f->server, "POST", CHAT_PATH, ok);

  r = jx_test_run (f->engine, "cohere", "test-model", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->retries, ==, 1);
  g_assert_cmpstr (r->text->str, ==, "The ocean is vast");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, CHAT_PATH), ==, 2);
}

static void
test_rate_limited_exhausted (JxTestFixture *f,
                             gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *limited = jx_fake_response_new_json (429, "{\"message\":\"" TRIAL_MINUTE "\"}");

  jx_fake_response_add_header (limited, "retry-after-ms", "5");
  jx_fake_server_add (f->server, "POST", CHAT_PATH, limited);

  r = jx_test_run (f->engine, "cohere", "test-model", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpuint (r->retries, ==, JX_REQUEST_MAX_RETRIES);
  jx_assert_request_error (r, JX_REQUEST_ERROR_RATE_LIMITED, "Cohere", "1 s");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  jx_test_add ("/juxta/adapter/cohere/basic", PROVIDERS_JSON, test_basic);
  jx_test_add ("/juxta/adapter/cohere/without-done", PROVIDERS_JSON, test_without_done);
  jx_test_add ("/juxta/adapter/cohere/thinking", PROVIDERS_JSON, test_thinking);
  jx_test_add ("/juxta/adapter/cohere/midstream-error", PROVIDERS_JSON, test_midstream_error);
  jx_test_add ("/juxta/adapter/cohere/truncated", PROVIDERS_JSON, test_truncated);
  jx_test_add ("/juxta/adapter/cohere/http-401", PROVIDERS_JSON, test_unauthorized);
  jx_test_add ("/juxta/adapter/cohere/http-404", PROVIDERS_JSON, test_not_found);
  jx_test_add ("/juxta/adapter/cohere/http-429-then-ok", PROVIDERS_JSON, test_rate_limited_then_ok);
  jx_test_add ("/juxta/adapter/cohere/http-429-exhausted", PROVIDERS_JSON, test_rate_limited_exhausted);

  return g_test_run ();
}
