/* test-adapter-anthropic.c — Anthropic Messages SSE end to end over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-fixture.h"

#define KEY "sk-ant-test-123"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"anthropic\",\"base_url\":\"@URL@\",\"models\":[{\"id\":\"test-model\"," \
  "\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5,\"cache_write_per_mtok\":1.25,\"output_per_mtok\":2.0}]}]}"

/* Anthropic says charset=utf-8. */
static JxFakeResponse *
sse_file (const char *file,
          guint32     seed)
{
  return jx_test_stream_file ("text/event-stream; charset=utf-8", file, seed);
}

static void
test_basic (JxTestFixture *f,
            gconstpointer  data)
{
  /* Random splits land inside JSON, the padding spaces and the event: lines. */
  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) request = NULL;
      g_autofree char *key = NULL, *version = NULL, *auth = NULL, *content_type = NULL;
      JsonObject *message;
      guint before = jx_fake_server_get_request_count (f->server, "/v1/messages");

      jx_fake_server_add (f->server, "POST", "/v1/messages", sse_file ("anthropic-basic.sse", seed));
      r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);

      g_assert_no_error (r->error);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
      g_assert_cmpstr (r->text->str, ==, "Hello! How can I help?");
      g_assert_cmpstr (r->reasoning->str, ==, "");
      g_assert_cmpstr (r->finish_reason, ==, "end_turn");
      g_assert_cmpint (r->http_status, ==, 200);
      g_assert_cmpuint (r->retries, ==, 0);
      /* Two text deltas; message_start, content_block_start and ping are not tokens. */
      g_assert_cmpuint (r->timing.content_times->len, ==, 2);
      g_assert_cmpint (r->timing.t_first_token, >=, r->timing.t_first_byte);

      g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
      g_assert_cmpint (r->usage.input_tokens, ==, 29);
      g_assert_cmpint (r->usage.cached_input_tokens, ==, 0);
      g_assert_cmpint (r->usage.output_tokens, ==, 5);
      g_assert_cmpfloat_with_epsilon (r->cost_usd, (29 * 1.0 + 5 * 2.0) / 1e6, 1e-12);

      /* What went over the wire. */
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/messages"), ==, before + 1);
      key = jx_fake_server_get_last_header (f->server, "/v1/messages", "x-api-key");
      version = jx_fake_server_get_last_header (f->server, "/v1/messages", "anthropic-version");
      auth = jx_fake_server_get_last_header (f->server, "/v1/messages", "Authorization");
      content_type = jx_fake_server_get_last_header (f->server, "/v1/messages", "Content-Type");
      g_assert_cmpstr (key, ==, KEY);
      g_assert_cmpstr (version, ==, "2023-06-01");
      g_assert_null (auth);
      g_assert_true (g_str_has_prefix (content_type, "application/json"));

      body = jx_fake_server_get_last_body (f->server, "/v1/messages");
      request = jx_test_parse_body (body);
      g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "test-model");
      g_assert_cmpstr (json_object_get_string_member (request, "system"), ==, "You are terse.");
      g_assert_cmpint (json_object_get_int_member (request, "max_tokens"), ==, 64);
      g_assert_cmpfloat (json_object_get_double_member (request, "temperature"), ==, 0.5);
      g_assert_true (json_object_get_boolean_member (request, "stream"));
      g_assert_false (json_object_has_member (request, "anthropic_version"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "messages")), ==, 1);
      message = json_array_get_object_element (json_object_get_array_member (request, "messages"), 0);
      g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
      g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "Say hi");
    }
}

/* max_tokens is required by Anthropic; system and temperature are left out when unset. */
static void
test_defaults (JxTestFixture *f,
               gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) request = NULL;
  JxPrompt prompt;

  jx_fake_server_add (f->server, "POST", "/v1/messages", sse_file ("anthropic-basic.sse", 0));
  jx_prompt_init (&prompt);
  prompt.user = (char *) "go";
  r = jx_test_run_prompt (f->engine, "anthropic", "claude-haiku-4-5", KEY, &prompt, NULL);
  g_assert_no_error (r->error);

  body = jx_fake_server_get_last_body (f->server, "/v1/messages");
  request = jx_test_parse_body (body);
  g_assert_cmpint (json_object_get_int_member (request, "max_tokens"), ==, 1024);
  g_assert_false (json_object_has_member (request, "system"));
  g_assert_false (json_object_has_member (request, "temperature"));
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "claude-haiku-4-5");
  /* A built-in price: 29 in at $1, 5 out at $5. */
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (29 * 1.0 + 5 * 5.0) / 1e6, 1e-12);
}

/* Cache reads and writes are outside input_tokens (docs/protocols.md, "Usage
 * normalisation"); an older message_delta repeats only output_tokens; thinking is
 * reasoning, not answer. */
static void
test_cache_and_thinking (JxTestFixture *f,
                         gconstpointer  data)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r = NULL;

  jx_fake_response_add (fake, 1,
    "event: message_start\n"
    "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
    "\"content\":[],\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":50,"
    "\"cache_read_input_tokens\":100,\"output_tokens\":1}}}\n\n", -1);
  jx_fake_response_add (fake, 1,
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me think.\"}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}\n\n"
    "event: content_block_stop\n"
    "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n", -1);
  jx_fake_response_add (fake, 20,
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Answer: caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80\"}}\n\n"
    "event: message_delta\n"
    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},"
    "\"usage\":{\"output_tokens\":7,\"output_tokens_details\":{\"thinking_tokens\":4}}}\n\n"
    "event: message_stop\n"
    "data: {\"type\":\"message_stop\"}\n\n", -1);
  jx_fake_response_set_random_split (fake, 99, 5);
  jx_fake_server_add (f->server, "POST", "/v1/messages", fake);

  r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Answer: caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80");
  g_assert_cmpstr (r->reasoning->str, ==, "Let me think.");
  g_assert_cmpstr (r->finish_reason, ==, "max_tokens");
  /* Thinking arrived 20 ms before the first answer text, and must not count for TTFT. */
  g_assert_cmpuint (r->timing.content_times->len, ==, 1);

  g_assert_cmpint (r->usage.input_tokens, ==, 160);
  g_assert_cmpint (r->usage.cached_input_tokens, ==, 100);
  g_assert_cmpint (r->usage.cache_write_tokens, ==, 50);
  g_assert_cmpint (r->usage.output_tokens, ==, 7);
  g_assert_cmpint (r->usage.reasoning_tokens, ==, 4);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (10 * 1.0 + 100 * 0.5 + 50 * 1.25 + 7 * 2.0) / 1e6, 1e-12);
}

static void
test_midstream_error (JxTestFixture *f,
                      gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(JxResponse) r = NULL;

      jx_fake_server_add (f->server, "POST", "/v1/messages", sse_file ("anthropic-midstream-error.sse", seed));
      r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);

      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      /* Names the provider, carries Anthropic's own message, keeps the partial text. */
      jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Anthropic", "Overloaded");
      g_assert_cmpstr (r->text->str, ==, "Hello");
      g_assert_cmpuint (r->retries, ==, 0);
    }
}

/* A clean EOF before message_stop is a truncated answer, not a success. */
static void
test_no_message_stop (JxTestFixture *f,
                      gconstpointer  data)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r = NULL;

  jx_fake_response_add (fake, 1,
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Half\"}}\n\n", -1);
  jx_fake_server_add (f->server, "POST", "/v1/messages", fake);

  r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, "Anthropic");
  g_assert_cmpstr (r->text->str, ==, "Half");
}

static void
test_bad_json (JxTestFixture *f,
               gconstpointer  data)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r = NULL;

  jx_fake_response_add (fake, 1, "event: content_block_delta\ndata: {\"type\":\"content_bl\n\n", -1);
  jx_fake_server_add (f->server, "POST", "/v1/messages", fake);

  r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "Anthropic", "sent an event that is not valid JSON");
}

typedef struct
{
  guint       status;
  const char *body;
  JxRequestErrorCode code;
  const char *detail;        /* the provider's own words, in the message */
} ErrorCase;

static const ErrorCase http_errors[] = {
  { 401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"},\"request_id\":\"req_1\"}",
    JX_REQUEST_ERROR_AUTH, "invalid x-api-key" },
  { 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: test-model\"},\"request_id\":\"req_2\"}",
    JX_REQUEST_ERROR_NOT_FOUND, "model: test-model" },
  { 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: must be greater than or equal to 1\"}}",
    JX_REQUEST_ERROR_BAD_REQUEST, "max_tokens: must be greater than or equal to 1" },
  { 500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}",
    JX_REQUEST_ERROR_SERVER, "Internal server error" },
};

static void
test_http_errors (JxTestFixture *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (http_errors); i++)
    {
      g_autoptr(JxResponse) r = NULL;

      /* A server of its own for each answer, so that its requests are counted alone. */
      jx_test_fixture_reset (f, data);
      jx_fake_server_add (f->server, "POST", "/v1/messages", jx_test_error_response (http_errors[i].status, http_errors[i].body, NULL));
      r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);

      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      g_assert_cmpint (r->http_status, ==, http_errors[i].status);
      jx_assert_request_error (r, http_errors[i].code, "Anthropic", http_errors[i].detail);
      g_assert_cmpuint (r->retries, ==, 0);
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/messages"), ==, 1);
    }
}

/* 429 and 529 are retried after the server's retry-after-ms, then the stream succeeds. */
static void
test_retry_then_success (JxTestFixture *f,
                         gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", "/v1/messages",
                      jx_test_error_response (429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                                              "\"message\":\"This request would exceed the rate limit for your organization\"}}", "20"));
  jx_fake_server_add (f->server, "POST", "/v1/messages",
                      jx_test_error_response (529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "20"));
  jx_fake_server_add (f->server, "POST", "/v1/messages", sse_file ("anthropic-basic.sse", 3));

  r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hello! How can I help?");
  g_assert_cmpuint (r->retries, ==, 2);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/messages"), ==, 3);
  g_assert_cmpint (r->usage.output_tokens, ==, 5);
}

static void
test_retries_exhausted (JxTestFixture *f,
                        gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(JxResponse) r2 = NULL;

  jx_fake_server_add (f->server, "POST", "/v1/messages",
                      jx_test_error_response (529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "5"));
  r = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_OVERLOADED, "Anthropic", "Overloaded");
  g_assert_cmpuint (r->retries, ==, JX_REQUEST_MAX_RETRIES);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/messages"), ==, JX_REQUEST_MAX_RETRIES + 1);

  /* A server and engine of their own for the second run. */
  jx_test_fixture_reset (f, data);
  jx_fake_server_add (f->server, "POST", "/v1/messages",
                      jx_test_error_response (429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}", "5"));
  r2 = jx_test_run (f->engine, "anthropic", "test-model", KEY, NULL);
  g_assert_cmpint (r2->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r2, JX_REQUEST_ERROR_RATE_LIMITED, "Anthropic", "1 s");
  g_assert_cmpuint (r2->retries, ==, JX_REQUEST_MAX_RETRIES);
}

/* An Anthropic-compatible gateway configured for bearer auth gets no x-api-key. */
static void
test_bearer_gateway (JxTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *auth = NULL, *key = NULL, *version = NULL;

  jx_fake_server_add (f->server, "POST", "/anthropic/v1/messages", sse_file ("anthropic-basic.sse", 5));
  r = jx_test_run (f->engine, "gateway", "m", "gw-token", NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hello! How can I help?");

  auth = jx_fake_server_get_last_header (f->server, "/anthropic/v1/messages", "Authorization");
  key = jx_fake_server_get_last_header (f->server, "/anthropic/v1/messages", "x-api-key");
  version = jx_fake_server_get_last_header (f->server, "/anthropic/v1/messages", "anthropic-version");
  g_assert_cmpstr (auth, ==, "Bearer gw-token");
  g_assert_null (key);
  g_assert_cmpstr (version, ==, "2024-01-01");
}

#define GATEWAY_JSON \
  "{\"providers\":[{\"id\":\"gateway\",\"name\":\"Gateway\",\"protocol\":\"anthropic\",\"auth_kind\":\"bearer\"," \
  "\"base_url\":\"@URL@/anthropic/\",\"options\":{\"anthropic_version\":\"2024-01-01\"}}]}"

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  jx_test_add ("/juxta/adapter/anthropic/basic", PROVIDERS_JSON, test_basic);
  jx_test_add ("/juxta/adapter/anthropic/defaults", PROVIDERS_JSON, test_defaults);
  jx_test_add ("/juxta/adapter/anthropic/cache-and-thinking", PROVIDERS_JSON, test_cache_and_thinking);
  jx_test_add ("/juxta/adapter/anthropic/midstream-error", PROVIDERS_JSON, test_midstream_error);
  jx_test_add ("/juxta/adapter/anthropic/no-message-stop", PROVIDERS_JSON, test_no_message_stop);
  jx_test_add ("/juxta/adapter/anthropic/bad-json", PROVIDERS_JSON, test_bad_json);
  jx_test_add ("/juxta/adapter/anthropic/http-errors", PROVIDERS_JSON, test_http_errors);
  jx_test_add ("/juxta/adapter/anthropic/retry-then-success", PROVIDERS_JSON, test_retry_then_success);
  jx_test_add ("/juxta/adapter/anthropic/retries-exhausted", PROVIDERS_JSON, test_retries_exhausted);
  jx_test_add ("/juxta/adapter/anthropic/bearer-gateway", GATEWAY_JSON, test_bearer_gateway);

  return g_test_run ();
}
