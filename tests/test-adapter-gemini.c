/* test-adapter-gemini.c — Gemini API streamGenerateContent SSE end to end over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-fixture.h"

#define KEY  "AIza-test-123"
#define PATH "/v1beta/models/test-model:streamGenerateContent"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"gemini\",\"base_url\":\"@URL@\",\"models\":[{\"id\":\"test-model\"," \
  "\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2.0}]}]}"

/* "Café in 日本 is fun 😀\u2028Done." — split across CRLF-framed events. */
#define BASIC_TEXT "Caf\xc3\xa9 in \xe6\x97\xa5\xe6\x9c\xac is fun \xf0\x9f\x98\x80\xe2\x80\xa8" "Done."

static JsonObject *
first_part (JsonObject *content)
{
  JsonArray *parts = json_object_get_array_member (content, "parts");

  g_assert_cmpuint (json_array_get_length (parts), ==, 1);
  return json_array_get_object_element (parts, 0);
}

static void
test_basic (JxTestFixture *f,
            gconstpointer  data)
{
  /* Splits fall inside the CRLF pairs, multibyte characters and U+2028. */
  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) request = NULL;
      g_autofree char *key = NULL, *auth = NULL, *query = NULL;
      JsonObject *content, *config;

      jx_fake_server_add (f->server, "POST", PATH, jx_test_sse_file ("gemini-basic.sse", seed));
      r = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);

      g_assert_no_error (r->error);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
      g_assert_cmpstr (r->text->str, ==, BASIC_TEXT);
      g_assert_true (g_utf8_validate (r->text->str, -1, NULL));
      g_assert_cmpstr (r->finish_reason, ==, "STOP");
      g_assert_cmpuint (r->timing.content_times->len, ==, 3);

      /* Thoughts (35) are billed as output on top of candidates (12). */
      g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
      g_assert_cmpint (r->usage.input_tokens, ==, 8);
      g_assert_cmpint (r->usage.output_tokens, ==, 47);
      g_assert_cmpint (r->usage.reasoning_tokens, ==, 35);
      g_assert_cmpfloat_with_epsilon (r->cost_usd, (8 * 1.0 + 47 * 2.0) / 1e6, 1e-12);

      key = jx_fake_server_get_last_header (f->server, PATH, "x-goog-api-key");
      auth = jx_fake_server_get_last_header (f->server, PATH, "Authorization");
      query = jx_fake_server_get_last_query (f->server, PATH);
      g_assert_cmpstr (key, ==, KEY);
      g_assert_null (auth);
      g_assert_cmpstr (query, ==, "alt=sse");

      body = jx_fake_server_get_last_body (f->server, PATH);
      request = jx_test_parse_body (body);
      g_assert_false (json_object_has_member (request, "model"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "contents")), ==, 1);
      content = json_array_get_object_element (json_object_get_array_member (request, "contents"), 0);
      g_assert_cmpstr (json_object_get_string_member (content, "role"), ==, "user");
      g_assert_cmpstr (json_object_get_string_member (first_part (content), "text"), ==, "Say hi");
      g_assert_cmpstr (json_object_get_string_member (first_part (json_object_get_object_member (request, "systemInstruction")), "text"),
                       ==, "You are terse.");
      config = json_object_get_object_member (request, "generationConfig");
      g_assert_cmpfloat (json_object_get_double_member (config, "temperature"), ==, 0.5);
      g_assert_cmpint (json_object_get_int_member (config, "maxOutputTokens"), ==, 64);
    }
}

/* Thought parts are reasoning: they set TTFT, not TTFAT; early usage has thoughts only. */
static void
test_thoughts (JxTestFixture *f,
               gconstpointer  data)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r = NULL;

  jx_fake_response_add (fake, 1,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"**Considering**\\n\\nhmm\",\"thought\": true}],"
    "\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 2,\"totalTokenCount\": 73,"
    "\"thoughtsTokenCount\": 71}}\r\n\r\n", -1);
  jx_fake_response_add (fake, 20,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}],\"role\": \"model\"},\"index\": 0}],"
    "\"usageMetadata\": {\"promptTokenCount\": 2,\"candidatesTokenCount\": 1,\"totalTokenCount\": 74,"
    "\"cachedContentTokenCount\": 1,\"thoughtsTokenCount\": 71}}\r\n\r\n", -1);
  /* Gemini 3 may close with an empty part plus finishReason. */
  jx_fake_response_add (fake, 1,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},\"finishReason\": \"MAX_TOKENS\",\"index\": 0}],"
    "\"usageMetadata\": {\"promptTokenCount\": 2,\"candidatesTokenCount\": 3,\"totalTokenCount\": 76,"
    "\"cachedContentTokenCount\": 1,\"thoughtsTokenCount\": 71}}\r\n\r\n", -1);
  jx_fake_server_add (f->server, "POST", PATH, fake);

  r = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hi");
  g_assert_cmpstr (r->reasoning->str, ==, "**Considering**\n\nhmm");
  g_assert_cmpstr (r->finish_reason, ==, "MAX_TOKENS");
  g_assert_cmpuint (r->timing.content_times->len, ==, 1);
  g_assert_cmpuint (r->timing.n_reasoning_events, ==, 1);
  g_assert_cmpint (r->timing.t_first_answer_token - r->timing.t_first_token, >=, 20000 - JX_TEST_STAMP_SLACK_US);
  g_assert_cmpint (jx_response_get_finish (r), ==, JX_FINISH_LENGTH);
  g_assert_cmpint (r->usage.input_tokens, ==, 2);
  g_assert_cmpint (r->usage.cached_input_tokens, ==, 1);
  g_assert_cmpint (r->usage.output_tokens, ==, 74);
  g_assert_cmpint (r->usage.reasoning_tokens, ==, 71);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (1 * 1.0 + 1 * 0.5 + 74 * 2.0) / 1e6, 1e-12);
}

#define V1_JSON \
  "{\"providers\":[{\"id\":\"gemini\",\"base_url\":\"@URL@/\",\"options\":{\"api_version\":\"v1\"}}]}"

/* api_version comes from the options; "models/…" ids from the model list work as-is;
 * unset temperature and max tokens leave generationConfig out. */
static void
test_api_version (JxTestFixture *f,
                  gconstpointer  data)
{
  const char *path = "/v1/models/gemini-2.5-flash:streamGenerateContent";
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) request = NULL;
  JxPrompt prompt;

  jx_fake_server_add (f->server, "POST", path, jx_test_sse_file ("gemini-basic.sse", 0));
  jx_prompt_init (&prompt);
  prompt.user = (char *) "go";
  r = jx_test_run_prompt (f->engine, "gemini", "models/gemini-2.5-flash", KEY, &prompt, NULL);

  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, BASIC_TEXT);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, path), ==, 1);
  body = jx_fake_server_get_last_body (f->server, path);
  request = jx_test_parse_body (body);
  g_assert_false (json_object_has_member (request, "generationConfig"));
  g_assert_false (json_object_has_member (request, "systemInstruction"));
}

static void
test_midstream_error (JxTestFixture *f,
                      gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
      g_autoptr(JxResponse) r = NULL;

      jx_fake_response_add (fake, 1,
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Partial \\u00e9\"}],\"role\": \"model\"},\"index\": 0}]}\r\n\r\n", -1);
      jx_fake_response_add (fake, 1,
        "data: {\"error\": {\"code\": 503,\"message\": \"The model is overloaded. Please try again later.\",\"status\": \"UNAVAILABLE\"}}\r\n\r\n", -1);
      jx_fake_response_set_random_split (fake, seed, 6);
      jx_fake_server_add (f->server, "POST", PATH, fake);

      r = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Google Gemini API", "The model is overloaded. Please try again later.");
      g_assert_cmpstr (r->text->str, ==, "Partial \xc3\xa9");
    }
}

static void
test_prompt_blocked (JxTestFixture *f,
                     gconstpointer  data)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r = NULL;

  jx_fake_response_add (fake, 1,
    "data: {\"promptFeedback\": {\"blockReason\": \"PROHIBITED_CONTENT\"},\"usageMetadata\": {\"promptTokenCount\": 5,"
    "\"totalTokenCount\": 5}}\r\n\r\n", -1);
  jx_fake_server_add (f->server, "POST", PATH, fake);

  r = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Google Gemini API", "blocked the prompt (PROHIBITED_CONTENT)");
}

/* No sentinel, but a dropped connection or a half event at EOF is still a failure. */
/* Whole events and a clean EOF, but no chunk ever said finishReason: the answer was cut
 * (issue 12; it used to be reported ok). The text and the usage so far are kept. */
static void
test_cut_before_finish_reason (JxTestFixture *f,
                               gconstpointer  data)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r = NULL;

  jx_fake_response_add (fake, 1,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The answer \"}],\"role\": \"model\"},\"index\": 0}],"
    "\"usageMetadata\": {\"promptTokenCount\": 4,\"candidatesTokenCount\": 2,\"totalTokenCount\": 6}}\r\n\r\n", -1);
  jx_fake_response_add (fake, 5,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"is\"}],\"role\": \"model\"},\"index\": 0}],"
    "\"usageMetadata\": {\"promptTokenCount\": 4,\"candidatesTokenCount\": 3,\"totalTokenCount\": 7}}\r\n\r\n", -1);
  jx_fake_server_add (f->server, "POST", PATH, fake);

  r = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, "Google Gemini API");
  g_assert_cmpstr (r->text->str, ==, "The answer is");
  g_assert_null (r->finish_reason);
  g_assert_cmpint (jx_response_get_finish (r), ==, JX_FINISH_ERROR);
  g_assert_cmpint (r->usage.output_tokens, ==, 3);
}

/* A tool call ends with STOP but is no answer; SAFETY is a content filter; the Search tool's
 * toolUsePromptTokenCount is input. */
static void
test_finish_kinds (JxTestFixture *f,
                   gconstpointer  data)
{
  JxFakeResponse *tool = jx_fake_response_new (200, "text/event-stream");
  JxFakeResponse *safety = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r1 = NULL;
  g_autoptr(JxResponse) r2 = NULL;

  jx_fake_response_add (tool, 1,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\": \"get_weather\",\"args\": {}}}],"
    "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 20,"
    "\"candidatesTokenCount\": 5,\"toolUsePromptTokenCount\": 100,\"totalTokenCount\": 125}}\r\n\r\n", -1);
  jx_fake_server_add (f->server, "POST", PATH, tool);
  r1 = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_no_error (r1->error);
  g_assert_cmpstr (r1->finish_reason, ==, "STOP");
  g_assert_cmpint (jx_response_get_finish (r1), ==, JX_FINISH_TOOL_CALLS);
  g_assert_false (jx_response_is_complete (r1));
  g_assert_cmpint (r1->usage.input_tokens, ==, 120);
  g_assert_cmpfloat_with_epsilon (r1->cost_usd, (120 * 1.0 + 5 * 2.0) / 1e6, 1e-12);

  jx_fake_response_add (safety, 1,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"No\"}],\"role\": \"model\"},"
    "\"finishReason\": \"SAFETY\",\"index\": 0}]}\r\n\r\n", -1);
  jx_fake_server_add (f->server, "POST", PATH, safety);
  r2 = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_no_error (r2->error);
  g_assert_cmpstr (r2->text->str, ==, "No");
  g_assert_cmpint (jx_response_get_finish (r2), ==, JX_FINISH_CONTENT_FILTER);
  g_assert_false (jx_response_is_complete (r2));
}

static void
test_truncated (JxTestFixture *f,
                gconstpointer  data)
{
  JxFakeResponse *aborted = jx_fake_response_new (200, "text/event-stream");
  JxFakeResponse *half = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r1 = NULL;
  g_autoptr(JxResponse) r2 = NULL;

  jx_fake_response_add (aborted, 1,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"One\"}],\"role\": \"model\"},\"index\": 0}]}\r\n\r\n", -1);
  jx_fake_response_set_abort (aborted, TRUE);
  jx_fake_server_add (f->server, "POST", PATH, aborted);
  r1 = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_cmpint (r1->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r1, JX_REQUEST_ERROR_NETWORK, "Google Gemini API");
  g_assert_cmpstr (r1->text->str, ==, "One");

  jx_fake_response_add (half, 1,
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"One\"}],\"role\": \"model\"},\"index\": 0}]}\r\n\r\n"
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" two", -1);
  jx_fake_server_add (f->server, "POST", PATH, half);
  r2 = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_cmpint (r2->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r2, JX_REQUEST_ERROR_TRUNCATED, "Google Gemini API");
  g_assert_cmpstr (r2->text->str, ==, "One");
}

typedef struct
{
  guint       status;
  const char *body;
  JxRequestErrorCode code;
  const char *detail;        /* the provider's own words, in the message */
} ErrorCase;

static const ErrorCase http_errors[] = {
  /* A bad key is 400, not 401. */
  { 400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\","
         "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\","
         "\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]}}",
    JX_REQUEST_ERROR_AUTH, "API key not valid. Please pass a valid API key." },
  { 404, "{\"error\":{\"code\":404,\"message\":\"models/test-model is not found for API version v1beta, or is not supported "
         "for generateContent. Call ListModels to see the list of available models and their supported methods.\","
         "\"status\":\"NOT_FOUND\"}}",
    JX_REQUEST_ERROR_NOT_FOUND, "models/test-model is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods." },
  /* An exhausted quota is not retried; the body's RetryInfo is the only hint, and a
   * multi-line message becomes one line. */
  { 429, "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your plan and billing details.\\n"
         "* Quota exceeded for metric: generate_content_free_tier_requests, limit: 10\\n\",\"status\":\"RESOURCE_EXHAUSTED\","
         "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaId\":"
         "\"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\",\"quotaValue\":\"10\"}]},"
         "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"11.2s\"}]}}",
    JX_REQUEST_ERROR_QUOTA, "You exceeded your current quota, please check your plan and billing details. * Quota exceeded for metric: generate_content_free_tier_requests, limit: 10 (retry in 12 s)" },
  { 400, "{\"error\":{\"code\":400,\"message\":\"User location is not supported for the API use.\",\"status\":\"FAILED_PRECONDITION\"}}",
    JX_REQUEST_ERROR_BAD_REQUEST, "User location is not supported for the API use." },
  { 403, "{\"error\":{\"code\":403,\"message\":\"\",\"status\":\"PERMISSION_DENIED\"}}",
    JX_REQUEST_ERROR_FORBIDDEN, "PERMISSION_DENIED" },
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
      jx_fake_server_add (f->server, "POST", PATH, jx_test_error_response (http_errors[i].status, http_errors[i].body, NULL));
      r = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);

      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      g_assert_cmpint (r->http_status, ==, http_errors[i].status);
      jx_assert_request_error (r, http_errors[i].code, "Google Gemini API", http_errors[i].detail);
      g_assert_cmpuint (r->retries, ==, 0);
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, PATH), ==, 1);
    }
}

/* A transient 429 and an overloaded 503 are retried; a persistent 503 gives up after the
 * engine's retries with Google's message. */
static void
test_retries (JxTestFixture *f,
              gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(JxResponse) r2 = NULL;
  const char *overloaded = "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\","
                           "\"status\":\"UNAVAILABLE\"}}";

  jx_fake_server_add (f->server, "POST", PATH,
                      jx_test_error_response (429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check "
                                              "your limits).\",\"status\":\"RESOURCE_EXHAUSTED\"}}", "10"));
  jx_fake_server_add (f->server, "POST", PATH, jx_test_error_response (503, overloaded, "10"));
  jx_fake_server_add (f->server, "POST", PATH, jx_test_sse_file ("gemini-basic.sse", 7));
  r = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, BASIC_TEXT);
  g_assert_cmpuint (r->retries, ==, 2);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, PATH), ==, 3);

  /* A server and engine of their own for the second run. */
  jx_test_fixture_reset (f, data);
  jx_fake_server_add (f->server, "POST", PATH, jx_test_error_response (503, overloaded, "5"));
  r2 = jx_test_run (f->engine, "gemini", "test-model", KEY, NULL);
  g_assert_cmpint (r2->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r2, JX_REQUEST_ERROR_OVERLOADED, "Google Gemini API", "The model is overloaded. Please try again later.");
  g_assert_cmpuint (r2->retries, ==, JX_REQUEST_MAX_RETRIES);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  jx_test_add ("/juxta/adapter/gemini/basic", PROVIDERS_JSON, test_basic);
  jx_test_add ("/juxta/adapter/gemini/thoughts", PROVIDERS_JSON, test_thoughts);
  jx_test_add ("/juxta/adapter/gemini/api-version", V1_JSON, test_api_version);
  jx_test_add ("/juxta/adapter/gemini/midstream-error", PROVIDERS_JSON, test_midstream_error);
  jx_test_add ("/juxta/adapter/gemini/prompt-blocked", PROVIDERS_JSON, test_prompt_blocked);
  jx_test_add ("/juxta/adapter/gemini/truncated", PROVIDERS_JSON, test_truncated);
  jx_test_add ("/juxta/adapter/gemini/http-errors", PROVIDERS_JSON, test_http_errors);
  jx_test_add ("/juxta/adapter/gemini/retries", PROVIDERS_JSON, test_retries);
  jx_test_add ("/juxta/adapter/gemini/cut-before-finish-reason", PROVIDERS_JSON, test_cut_before_finish_reason);
  jx_test_add ("/juxta/adapter/gemini/finish-kinds", PROVIDERS_JSON, test_finish_kinds);

  return g_test_run ();
}
