/* test-adapter-bedrock.c — Amazon Bedrock ConverseStream end to end over loopback HTTP
 *
 * The frames are built here with jx_eventstream_encode (real CRCs), so every test states
 * exactly what Bedrock sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "jx-eventstream-parser.h"
#include "jx-sigv4.h"
#include "jx-test-util.h"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"bedrock\",\"base_url\":\"@URL@\",\"models\":[" \
  "{\"id\":\"test-model\",\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5," \
  "\"cache_write_per_mtok\":1.25,\"output_per_mtok\":2.0}]}]}"

#define TEST_PATH   "/model/test-model/converse-stream"
#define LLAMA       "us.meta.llama3-3-70b-instruct-v1:0"
/* SoupServer decodes the path before the fake sees it (jx-fake-server.h). */
#define LLAMA_PATH  "/model/" LLAMA "/converse-stream"
#define API_KEY_CRED "{\"api_key\":\"bedrock-api-key-123\"}"
#define SECRET      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN       "FQoGZXIvYXdzEXAMPLE//session+token="
#define THROTTLED   "Too many requests, please wait before trying again."

static GBytes *
event_frame (const char *event_type,
             const char *json)
{
  return jx_eventstream_encode (json, strlen (json),
                                ":event-type", event_type,
                                ":content-type", "application/json",
                                ":message-type", "event",
                                NULL);
}

static GBytes *
exception_frame (const char *exception_type,
                 const char *json)
{
  return jx_eventstream_encode (json, strlen (json),
                                ":exception-type", exception_type,
                                ":content-type", "application/json",
                                ":message-type", "exception",
                                NULL);
}

static void
add_frame (JxFakeResponse *fake,
           GBytes         *frame)
{
  jx_fake_response_add_bytes (fake, 1, frame);
  g_bytes_unref (frame);
}

static void
add_event (JxFakeResponse *fake,
           const char     *event_type,
           const char     *json)
{
  add_frame (fake, event_frame (event_type, json));
}

static JxFakeResponse *
new_stream (void)
{
  return jx_fake_response_new (200, "application/vnd.amazon.eventstream");
}

/* A whole answer as Bedrock sends it: no contentBlockStart before text, `p` padding in
 * varying places, metadata after messageStop. */
static JxFakeResponse *
new_full_stream (void)
{
  JxFakeResponse *fake = new_stream ();

  add_event (fake, "messageStart", "{\"p\":\"abcdefghijklmnopqrstuvwxyzABCD\",\"role\":\"assistant\"}");
  add_event (fake, "contentBlockDelta",
             "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Thinking.\"}},\"p\":\"abcdef\"}");
  add_event (fake, "contentBlockDelta",
             "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcdefghijklm\"}");
  add_event (fake, "contentBlockDelta",
             "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" wörld\"},\"p\":\"ab\"}");
  add_event (fake, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopq\"}");
  add_event (fake, "messageStop", "{\"p\":\"abcdefghijklmnopqrs\",\"stopReason\":\"end_turn\"}");
  add_event (fake, "metadata",
             "{\"metrics\":{\"latencyMs\":1506},\"usage\":{\"cacheReadInputTokens\":100,"
             "\"cacheWriteInputTokens\":20,\"inputTokens\":8,\"outputTokens\":39,\"totalTokens\":167},"
             "\"p\":\"abcdef\"}");
  return fake;
}

static void
run_stream_case (JxTestFixture *f,
                 guint32        seed)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *auth = NULL, *date = NULL, *accept = NULL;
  JxFakeResponse *fake = new_full_stream ();
  JsonObject *message, *config;
  double *latency;

  if (seed > 0)
    jx_fake_response_set_random_split (fake, seed, 7);
  jx_fake_server_add (f->server, "POST", TEST_PATH, fake);

  r = jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);

  g_assert_no_error (r->error);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpint (r->http_status, ==, 200);
  g_assert_cmpstr (r->text->str, ==, "Hello wörld");
  g_assert_cmpstr (r->reasoning->str, ==, "Thinking.");
  g_assert_cmpstr (r->finish_reason, ==, "end_turn");
  g_assert_cmpuint (r->retries, ==, 0);

  /* inputTokens excludes cache reads and writes; normalised input is the whole prompt. */
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (r->usage.input_tokens, ==, 128);
  g_assert_cmpint (r->usage.cached_input_tokens, ==, 100);
  g_assert_cmpint (r->usage.cache_write_tokens, ==, 20);
  g_assert_cmpint (r->usage.output_tokens, ==, 39);
  g_assert_false (r->cost_from_provider);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (8 * 1.0 + 100 * 0.5 + 20 * 1.25 + 39 * 2.0) / 1e6, 1e-12);

  latency = g_hash_table_lookup (r->server_timings, "latency");
  g_assert_nonnull (latency);
  g_assert_cmpfloat_with_epsilon (*latency, 1506.0, 1e-9);

  /* Two text deltas; the reasoning delta is not the first token. */
  g_assert_cmpuint (r->timing.content_times->len, ==, 2);
  g_assert_cmpint (r->timing.t_first_token, >=, r->timing.t_first_byte);
  g_assert_cmpint (r->timing.t_end, >=, r->timing.t_last_token);

  /* API-key mode: a bearer header and no signature. */
  auth = jx_fake_server_get_last_header (f->server, TEST_PATH, "Authorization");
  date = jx_fake_server_get_last_header (f->server, TEST_PATH, "X-Amz-Date");
  accept = jx_fake_server_get_last_header (f->server, TEST_PATH, "Accept");
  g_assert_cmpstr (auth, ==, "Bearer bedrock-api-key-123");
  g_assert_null (date);
  g_assert_cmpstr (accept, ==, "application/vnd.amazon.eventstream");

  body = jx_fake_server_get_last_body (f->server, TEST_PATH);
  request = jx_test_parse_body (body);
  g_assert_false (json_object_has_member (request, "model"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "messages")), ==, 1);
  message = json_array_get_object_element (json_object_get_array_member (request, "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (message, "content"), 0),
                     "text"), ==, "Say hi");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (request, "system"), 0),
                     "text"), ==, "You are terse.");
  config = json_object_get_object_member (request, "inferenceConfig");
  g_assert_cmpint (json_object_get_int_member (config, "maxTokens"), ==, 64);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (config, "temperature"), 0.5, 1e-12);
}

static void
test_stream (JxTestFixture *f,
             gconstpointer  data)
{
  /* 0 = whole frames; the others split frames (and their preludes) at random bytes. */
  for (guint32 seed = 0; seed <= 5; seed++)
    run_stream_case (f, seed);
}

/* A plain (non-JSON) credential is a Bedrock API key. */
static void
test_plain_api_key (JxTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *auth = NULL;

  jx_fake_server_add (f->server, "POST", TEST_PATH, new_full_stream ());
  r = jx_test_run (f->engine, "bedrock", "test-model", "ABSKplainkey", NULL);

  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hello wörld");
  auth = jx_fake_server_get_last_header (f->server, TEST_PATH, "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer ABSKplainkey");
}

static GDateTime *
parse_amz_date (const char *amz_date)
{
  int y, mo, d, h, mi, s;

  g_assert_nonnull (amz_date);
  g_assert_cmpint (strlen (amz_date), ==, 16);
  g_assert_cmpint (sscanf (amz_date, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &d, &h, &mi, &s), ==, 6);
  return g_date_time_new_utc (y, mo, d, h, mi, s);
}

/* Signs what the fake received again, independently, and compares. The URL carries %3A:
 * had the client sent a raw ':' the canonical URI, and so the signature, would differ. */
static void
check_signature (JxFakeServer *server,
                 const char   *session_token,
                 const char   *region)
{
  g_autofree char *auth = jx_fake_server_get_last_header (server, LLAMA_PATH, "Authorization");
  g_autofree char *amz_date = jx_fake_server_get_last_header (server, LLAMA_PATH, "X-Amz-Date");
  g_autofree char *token = jx_fake_server_get_last_header (server, LLAMA_PATH, "X-Amz-Security-Token");
  g_autofree char *content_type = jx_fake_server_get_last_header (server, LLAMA_PATH, "Content-Type");
  g_autofree char *host = jx_fake_server_get_last_header (server, LLAMA_PATH, "Host");
  g_autofree char *sha = jx_fake_server_get_last_header (server, LLAMA_PATH, "x-amz-content-sha256");
  g_autoptr(GBytes) body = jx_fake_server_get_last_body (server, LLAMA_PATH);
  g_autoptr(GDateTime) when = parse_amz_date (amz_date);
  g_autofree char *url = g_strdup_printf ("%s/model/us.meta.llama3-3-70b-instruct-v1%%3A0/converse-stream",
                                          jx_fake_server_get_url (server));
  g_autofree char *prefix = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/%.8s/%s/bedrock/aws4_request, "
                                             "SignedHeaders=%s, Signature=",
                                             amz_date, region,
                                             session_token != NULL
                                               ? "content-type;host;x-amz-date;x-amz-security-token"
                                               : "content-type;host;x-amz-date");
  g_autofree char *host_line = g_strdup_printf ("\nhost:%s\n", host);
  const char *headers[] = { "Content-Type", content_type, NULL };
  g_auto(JxSigv4Result) expected = { 0 };
  g_autoptr(GError) error = NULL;
  JxSigv4Params params;

  g_assert_nonnull (auth);
  g_assert_true (g_str_has_prefix (auth, prefix));
  g_assert_cmpuint (strlen (auth), ==, strlen (prefix) + 64);
  g_assert_cmpstr (token, ==, session_token);
  g_assert_null (sha);
  g_assert_cmpstr (content_type, ==, "application/json");

  jx_sigv4_params_init (&params, "AKIDEXAMPLE", SECRET, session_token, region, "bedrock");
  jx_sigv4_sign (&params, "POST", url, headers, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                 when, &expected, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (auth, ==, expected.authorization);
  /* The signed host is the Host header the server got (port included). */
  g_assert_nonnull (host);
  g_assert_nonnull (strstr (expected.canonical_request, host_line));
  g_assert_nonnull (strstr (expected.canonical_request, "/model/us.meta.llama3-3-70b-instruct-v1%253A0/converse-stream\n"));
}

static void
test_sigv4_session_token (JxTestFixture *f,
                          gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", LLAMA_PATH, new_full_stream ());
  r = jx_test_run (f->engine, "bedrock", LLAMA,
                   "{\"access_key_id\":\"AKIDEXAMPLE\",\"secret_access_key\":\"" SECRET "\","
                   "\"session_token\":\"" TOKEN "\",\"region\":\"us-east-1\"}", NULL);

  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hello wörld");
  check_signature (f->server, TOKEN, "us-east-1");
}

/* Long-term keys, region from the credential rather than options.region. */
static void
test_sigv4_no_token (JxTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", LLAMA_PATH, new_full_stream ());
  r = jx_test_run (f->engine, "bedrock", LLAMA,
                   "{\"access_key_id\":\"AKIDEXAMPLE\",\"secret_access_key\":\"" SECRET "\","
                   "\"region\":\"eu-central-1\"}", NULL);

  g_assert_no_error (r->error);
  check_signature (f->server, NULL, "eu-central-1");
}

/* No region in the credential: options.region (us-east-1 in the built-in entry). */
static void
test_sigv4_region_from_options (JxTestFixture *f,
                                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", LLAMA_PATH, new_full_stream ());
  r = jx_test_run (f->engine, "bedrock", LLAMA,
                   "{\"access_key_id\":\"AKIDEXAMPLE\",\"secret_access_key\":\"" SECRET "\"}", NULL);

  g_assert_no_error (r->error);
  check_signature (f->server, NULL, "us-east-1");
}

static SoupMessage *
build_builtin (const char  *model,
               const char  *credential,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&local_error);
  const JxAdapter *adapter = jx_adapter_lookup ("bedrock");
  JxProvider *provider;
  JxPrompt prompt;

  g_assert_no_error (local_error);
  g_assert_nonnull (adapter);
  g_assert_cmpint (adapter->wire, ==, JX_WIRE_EVENTSTREAM);
  provider = jx_catalog_lookup (catalog, "bedrock");
  g_assert_nonnull (provider);
  jx_prompt_init (&prompt);
  prompt.user = (char *) "hi";

  return adapter->build_message (provider, model, &prompt, credential, error);
}

static void
assert_url (const char *model,
            const char *credential,
            const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = build_builtin (model, credential, &error);
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (message);
  url = g_uri_to_string (soup_message_get_uri (message));
  g_assert_cmpstr (url, ==, expected);
}

/* The wire path as libsoup will send it (the fake server cannot tell, it decodes paths). */
static void
test_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) bad = NULL;

  assert_url (LLAMA, API_KEY_CRED,
              "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.meta.llama3-3-70b-instruct-v1%3A0/converse-stream");
  assert_url (LLAMA, "{\"api_key\":\"k\",\"region\":\"eu-west-3\"}",
              "https://bedrock-runtime.eu-west-3.amazonaws.com/model/us.meta.llama3-3-70b-instruct-v1%3A0/converse-stream");
  assert_url ("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "k",
              "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
              "arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fanthropic.claude-3-haiku-20240307-v1%3A0"
              "/converse-stream");

  /* The region becomes part of a host name. */
  bad = build_builtin (LLAMA, "{\"api_key\":\"k\",\"region\":\"evil.example/x\"}", &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* IAM parts must come in pairs. */
  bad = build_builtin (LLAMA, "{\"access_key_id\":\"AKIDEXAMPLE\"}", &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_exception_midstream (JxTestFixture *f,
                          gconstpointer  data)
{
  JxFakeResponse *fake = new_stream ();

  add_event (fake, "messageStart", "{\"role\":\"assistant\"}");
  add_event (fake, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Partial\"}}");
  add_frame (fake, exception_frame ("throttlingException", "{\"message\":\"" THROTTLED "\"}"));
  add_event (fake, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" after\"}}");
  add_event (fake, "messageStop", "{\"stopReason\":\"end_turn\"}");
  jx_fake_server_add (f->server, "POST", TEST_PATH, fake);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JxResponse) r = jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);

      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Amazon Bedrock", "throttlingException: " THROTTLED);
      g_assert_cmpstr (r->text->str, ==, "Partial");
      /* A mid-stream exception is not retried like an HTTP 429. */
      g_assert_cmpuint (r->retries, ==, 0);
    }
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, TEST_PATH), ==, 2);
}

static void
test_model_stream_error (JxTestFixture *f,
                         gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = new_stream ();

  add_event (fake, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"One\"}}");
  add_frame (fake, exception_frame ("modelStreamErrorException",
                                    "{\"message\":\"Model stream failed\",\"originalStatusCode\":500,"
                                    "\"originalMessage\":\"boom\",\"p\":\"abc\"}"));
  jx_fake_response_set_random_split (fake, 7, 5);
  jx_fake_server_add (f->server, "POST", TEST_PATH, fake);

  r = jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Amazon Bedrock", "modelStreamErrorException: Model stream failed");
  g_assert_cmpstr (r->text->str, ==, "One");
}

/* :message-type error: everything is in headers, the payload is empty. */
static void
test_error_frame (JxTestFixture *f,
                  gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = new_stream ();

  add_event (fake, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}");
  add_frame (fake, jx_eventstream_encode ("", 0,
                                          ":error-code", "InternalFailure",
                                          ":error-message", "An internal error occurred",
                                          ":message-type", "error",
                                          NULL));
  jx_fake_server_add (f->server, "POST", TEST_PATH, fake);

  r = jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Amazon Bedrock", "InternalFailure: An internal error occurred");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

static void
run_bad_crc_case (JxTestFixture *f,
                  guint32        seed)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) good = event_frame ("contentBlockDelta",
                                        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" corrupted\"}}");
  g_autofree guint8 *bytes = NULL;
  gsize len;
  JxFakeResponse *fake = new_stream ();

  /* One payload byte flipped: the prelude is intact, the message CRC is not. */
  len = g_bytes_get_size (good);
  bytes = g_memdup2 (g_bytes_get_data (good, NULL), len);
  bytes[len - 10] ^= 0x01;

  add_event (fake, "messageStart", "{\"role\":\"assistant\"}");
  add_event (fake, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Kept\"}}");
  add_frame (fake, g_bytes_new (bytes, len));
  add_event (fake, "messageStop", "{\"stopReason\":\"end_turn\"}");
  jx_fake_response_set_random_split (fake, seed, 9);
  jx_fake_server_add (f->server, "POST", TEST_PATH, fake);

  r = jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_nonnull (r->error);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "Amazon Bedrock");
  g_assert_cmpstr (r->text->str, ==, "Kept");
  g_assert_null (r->finish_reason);
}

static void
test_bad_crc (JxTestFixture *f,
              gconstpointer  data)
{
  for (guint32 seed = 0; seed <= 3; seed++)
    run_bad_crc_case (f, seed);
}

/* Clean EOF without messageStop is a cut-off answer, not a success. */
static void
test_no_message_stop (JxTestFixture *f,
                      gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = new_stream ();

  add_event (fake, "messageStart", "{\"role\":\"assistant\"}");
  add_event (fake, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Cut\"}}");
  jx_fake_server_add (f->server, "POST", TEST_PATH, fake);

  r = jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, "Amazon Bedrock");
  g_assert_cmpstr (r->text->str, ==, "Cut");
}

static JxResponse *
run_http_error (JxTestFixture *f,
                guint          status,
                const char    *error_type,
                const char    *json)
{
  JxFakeResponse *fake = jx_fake_response_new_json (status, json);
  g_autofree char *type_header = g_strdup_printf ("%s:http://internal.amazon.com/coral/com.amazon.bedrock/",
                                                  error_type);

  jx_fake_response_add_header (fake, "x-amzn-ErrorType", type_header);
  jx_fake_response_add_header (fake, "x-amzn-RequestId", "b1b2c3d4-0000-4000-8000-000000000000");
  jx_fake_server_add (f->server, "POST", TEST_PATH, fake);

  return jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);
}

static void
test_http_errors (JxTestFixture *f,
                  gconstpointer  data)
{
  g_autoptr(JxResponse) bad_token = NULL;
  g_autoptr(JxResponse) bad_key = NULL;
  g_autoptr(JxResponse) unauthorized = NULL;
  g_autoptr(JxResponse) not_found = NULL;
  g_autoptr(JxResponse) invalid = NULL;

  /* What AWS really answers for bad IAM keys: 403 UnrecognizedClientException. */
  bad_token = run_http_error (f, 403, "UnrecognizedClientException",
                              "{\"message\":\"The security token included in the request is invalid.\"}");
  g_assert_cmpint (bad_token->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpint (bad_token->http_status, ==, 403);
  jx_assert_request_error (bad_token, JX_REQUEST_ERROR_AUTH, "Amazon Bedrock", "The security token included in the request is invalid.");

  /* A bad Bedrock API key: the auth layer capitalises "Message". */
  bad_key = run_http_error (f, 403, "AccessDeniedException",
                            "{\"Message\":\"Authentication failed: Please make sure your API Key is valid.\"}");
  jx_assert_request_error (bad_key, JX_REQUEST_ERROR_AUTH, "Amazon Bedrock", "Authentication failed: Please make sure your API Key is valid.");

  unauthorized = run_http_error (f, 401, "UnrecognizedClientException",
                                 "{\"message\":\"The security token included in the request is invalid.\"}");
  jx_assert_request_error (unauthorized, JX_REQUEST_ERROR_AUTH, "Amazon Bedrock", "The security token included in the request is invalid.");

  not_found = run_http_error (f, 404, "ResourceNotFoundException", "{\"message\":\"Model not found.\"}");
  jx_assert_request_error (not_found, JX_REQUEST_ERROR_NOT_FOUND, "Amazon Bedrock", "test-model", "Model not found.");

  invalid = run_http_error (f, 400, "ValidationException",
                            "{\"message\":\"The provided model identifier is invalid.\"}");
  jx_assert_request_error (invalid, JX_REQUEST_ERROR_BAD_REQUEST, "Amazon Bedrock", "The provided model identifier is invalid.");
  g_assert_cmpuint (invalid->retries, ==, 0);
}

/* Bedrock sends no Retry-After: the engine's own backoff, then a fresh signature. */
static void
test_throttled_then_ok (JxTestFixture *f,
                        gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *throttled = jx_fake_response_new_json (429, "{\"message\":\"" THROTTLED "\"}");

  jx_fake_response_add_header (throttled, "x-amzn-ErrorType",
                               "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/");
  jx_fake_server_add (f->server, "POST", LLAMA_PATH, throttled);
  jx_fake_server_add (f->server, "POST", LLAMA_PATH, new_full_stream ());

  r = jx_test_run (f->engine, "bedrock", LLAMA,
                   "{\"access_key_id\":\"AKIDEXAMPLE\",\"secret_access_key\":\"" SECRET "\","
                   "\"session_token\":\"" TOKEN "\"}", NULL);

  g_assert_no_error (r->error);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpuint (r->retries, ==, 1);
  g_assert_cmpstr (r->text->str, ==, "Hello wörld");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, LLAMA_PATH), ==, 2);
  /* The retry was signed for its own time, and still verifies. */
  check_signature (f->server, TOKEN, "us-east-1");
}

static void
test_throttled_exhausted (JxTestFixture *f,
                          gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *throttled = jx_fake_response_new_json (429, "{\"message\":\"" THROTTLED "\"}");

  /* Short waits keep the test fast; the last response repeats. */
  jx_fake_response_add_header (throttled, "retry-after-ms", "5");
  jx_fake_server_add (f->server, "POST", TEST_PATH, throttled);

  r = jx_test_run (f->engine, "bedrock", "test-model", API_KEY_CRED, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpuint (r->retries, ==, JX_REQUEST_MAX_RETRIES);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, TEST_PATH), ==, JX_REQUEST_MAX_RETRIES + 1);
  jx_assert_request_error (r, JX_REQUEST_ERROR_RATE_LIMITED, "Amazon Bedrock", "1 s");
  g_assert_cmpstr (r->text->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  jx_test_add ("/juxta/adapter/bedrock/stream", PROVIDERS_JSON, test_stream);
  jx_test_add ("/juxta/adapter/bedrock/plain-api-key", PROVIDERS_JSON, test_plain_api_key);
  jx_test_add ("/juxta/adapter/bedrock/sigv4-session-token", PROVIDERS_JSON, test_sigv4_session_token);
  jx_test_add ("/juxta/adapter/bedrock/sigv4-no-token", PROVIDERS_JSON, test_sigv4_no_token);
  jx_test_add ("/juxta/adapter/bedrock/sigv4-region-from-options", PROVIDERS_JSON, test_sigv4_region_from_options);
  g_test_add_func ("/juxta/adapter/bedrock/url", test_url);
  jx_test_add ("/juxta/adapter/bedrock/exception-throttling", PROVIDERS_JSON, test_exception_midstream);
  jx_test_add ("/juxta/adapter/bedrock/exception-model-stream-error", PROVIDERS_JSON, test_model_stream_error);
  jx_test_add ("/juxta/adapter/bedrock/exception-error-frame", PROVIDERS_JSON, test_error_frame);
  jx_test_add ("/juxta/adapter/bedrock/bad-crc", PROVIDERS_JSON, test_bad_crc);
  jx_test_add ("/juxta/adapter/bedrock/no-message-stop", PROVIDERS_JSON, test_no_message_stop);
  jx_test_add ("/juxta/adapter/bedrock/http-errors", PROVIDERS_JSON, test_http_errors);
  jx_test_add ("/juxta/adapter/bedrock/throttled-then-ok", PROVIDERS_JSON, test_throttled_then_ok);
  jx_test_add ("/juxta/adapter/bedrock/throttled-exhausted", PROVIDERS_JSON, test_throttled_exhausted);

  return g_test_run ();
}
