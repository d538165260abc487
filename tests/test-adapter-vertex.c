/* test-adapter-vertex.c — Vertex AI: Google OAuth, Gemini and Claude publishers, over loopback
 *
 * The credentials' token_uri points at the fake server, which plays Google's token endpoint
 * too; the service-account key is generated at run time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "jx-test-fixture.h"

#define TOKEN_JSON "{\"access_token\":\"ya29.test\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"

#define GEMINI_PATH "/v1/projects/cred-project/locations/us-central1/publishers/google/models/test-model:streamGenerateContent"
#define CLAUDE_PATH "/v1/projects/cred-project/locations/us-central1/publishers/anthropic/models/claude-test:streamRawPredict"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"vertex\",\"base_url\":\"@URL@\",\"models\":[" \
  "{\"id\":\"test-model\",\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2.0}," \
  "{\"id\":\"claude-test\",\"input_per_mtok\":3.0,\"cached_input_per_mtok\":0.25,\"output_per_mtok\":15.0}]}]}"

static char *key_pem;

/* The fixture's credential is a service account, project_id "cred-project". */
static void
fixture_setup (JxTestFixture *f,
               gconstpointer  providers_json)
{
  g_autofree char *token_uri = NULL;

  jx_test_fixture_init (f, providers_json);
  token_uri = g_strconcat (jx_fake_server_get_url (f->server), "/token", NULL);
  f->credential = jx_test_credentials_json ("type", "service_account",
                                            "project_id", "cred-project",
                                            "private_key_id", "test-key-id",
                                            "private_key", key_pem,
                                            "client_email", "juxta@cred-project.iam.gserviceaccount.com",
                                            "client_id", "1234567890",
                                            "token_uri", token_uri,
                                            NULL);
  jx_fake_server_add (f->server, "POST", "/token", jx_fake_response_new_json (200, TOKEN_JSON));
}

static void
assert_header (JxFakeServer *server,
               const char   *path,
               const char   *name,
               const char   *expected)
{
  g_autofree char *value = jx_fake_server_get_last_header (server, path, name);

  g_assert_cmpstr (value, ==, expected);
}

/* Gemini on Vertex, twice on one engine: one token request serves both. */
static void
test_gemini (JxTestFixture *f,
             gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) request = NULL;
      g_autofree char *query = NULL;

      jx_fake_server_add (f->server, "POST", GEMINI_PATH, jx_test_sse_file ("vertex-gemini-basic.sse", seed));
      r = jx_test_run (f->engine, "vertex", "test-model", f->credential, NULL);

      g_assert_no_error (r->error);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
      g_assert_cmpstr (r->text->str, ==, "Hello there! How can I help you today?\n");
      g_assert_cmpstr (r->finish_reason, ==, "STOP");
      g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
      g_assert_cmpint (r->usage.input_tokens, ==, 2);
      g_assert_cmpint (r->usage.output_tokens, ==, 11);
      g_assert_cmpfloat_with_epsilon (r->cost_usd, (2 * 1.0 + 11 * 2.0) / 1e6, 1e-12);

      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GEMINI_PATH), ==, seed);
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/token"), ==, 1);
      assert_header (f->server, GEMINI_PATH, "Authorization", "Bearer ya29.test");
      assert_header (f->server, GEMINI_PATH, "x-goog-api-key", NULL);
      /* A service account bills its own project: no quota-project header. */
      assert_header (f->server, GEMINI_PATH, "x-goog-user-project", NULL);
      query = jx_fake_server_get_last_query (f->server, GEMINI_PATH);
      g_assert_cmpstr (query, ==, "alt=sse");

      body = jx_fake_server_get_last_body (f->server, GEMINI_PATH);
      request = jx_test_parse_body (body);
      g_assert_true (json_object_has_member (request, "contents"));
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (request, "generationConfig"),
                                                   "maxOutputTokens"), ==, 64);
      g_assert_false (json_object_has_member (request, "model"));
    }

  /* The token request was the service-account JWT grant. */
  {
    g_autoptr(GBytes) form = jx_fake_server_get_last_body (f->server, "/token");
    g_autofree char *text = g_strndup (g_bytes_get_data (form, NULL), g_bytes_get_size (form));

    g_assert_true (g_str_has_prefix (text, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="));
  }
}

/* Interim {"trafficType"} usage must not erase counts seen earlier. */
static void
test_interim_usage (JxTestFixture *f,
                    gconstpointer  data)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(JxResponse) r = NULL;

  jx_fake_response_add (fake, 1,
    "data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"A\"}]}}],"
    "\"usageMetadata\": {\"promptTokenCount\": 4,\"candidatesTokenCount\": 1,\"trafficType\": \"ON_DEMAND\"}}\r\n\r\n", -1);
  jx_fake_response_add (fake, 1,
    "data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"B\"}]},\"finishReason\": \"STOP\"}],"
    "\"usageMetadata\": {\"trafficType\": \"ON_DEMAND\"}}\r\n\r\n", -1);
  jx_fake_server_add (f->server, "POST", GEMINI_PATH, fake);

  r = jx_test_run (f->engine, "vertex", "test-model", f->credential, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "AB");
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (r->usage.input_tokens, ==, 4);
  g_assert_cmpint (r->usage.output_tokens, ==, 1);
}

/* Claude on Vertex: Anthropic's body and stream behind streamRawPredict. */
static void
test_claude (JxTestFixture *f,
             gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) request = NULL;

      jx_fake_server_add (f->server, "POST", CLAUDE_PATH, jx_test_sse_file ("vertex-claude.sse", seed));
      r = jx_test_run (f->engine, "vertex", "claude-test", f->credential, NULL);

      g_assert_no_error (r->error);
      g_assert_cmpstr (r->text->str, ==, "Hi from Claude on Vertex.");
      g_assert_cmpstr (r->finish_reason, ==, "end_turn");
      g_assert_cmpuint (r->timing.content_times->len, ==, 2);
      /* message_delta repeats only output_tokens; input comes from message_start. */
      g_assert_cmpint (r->usage.input_tokens, ==, 15);
      g_assert_cmpint (r->usage.cached_input_tokens, ==, 3);
      g_assert_cmpint (r->usage.output_tokens, ==, 9);
      g_assert_cmpfloat_with_epsilon (r->cost_usd, (12 * 3.0 + 3 * 0.25 + 9 * 15.0) / 1e6, 1e-12);

      assert_header (f->server, CLAUDE_PATH, "Authorization", "Bearer ya29.test");
      assert_header (f->server, CLAUDE_PATH, "x-api-key", NULL);
      assert_header (f->server, CLAUDE_PATH, "anthropic-version", NULL);
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/token"), ==, 1);

      body = jx_fake_server_get_last_body (f->server, CLAUDE_PATH);
      request = jx_test_parse_body (body);
      g_assert_false (json_object_has_member (request, "model"));
      g_assert_cmpstr (json_object_get_string_member (request, "anthropic_version"), ==, "vertex-2023-10-16");
      g_assert_cmpstr (json_object_get_string_member (request, "system"), ==, "You are terse.");
      g_assert_cmpint (json_object_get_int_member (request, "max_tokens"), ==, 64);
      g_assert_true (json_object_get_boolean_member (request, "stream"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "messages")), ==, 1);
    }
}

/* A built-in Claude id with '@', priced from the catalog; mid-stream errors name Vertex. */
static void
test_claude_builtin_and_midstream (JxTestFixture *f,
                                   gconstpointer  data)
{
  const char *path = "/v1/projects/cred-project/locations/us-central1/publishers/anthropic/models/"
                     "claude-haiku-4-5@20251001:streamRawPredict";
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(JxResponse) r2 = NULL;

  jx_fake_server_add (f->server, "POST", path, jx_test_sse_file ("vertex-claude.sse", 11));
  jx_fake_server_add (f->server, "POST", path, jx_test_sse_file ("anthropic-midstream-error.sse", 12));

  r = jx_test_run (f->engine, "vertex", "claude-haiku-4-5@20251001", f->credential, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (12 * 1.0 + 3 * 0.1 + 9 * 5.0) / 1e6, 1e-12);

  r2 = jx_test_run (f->engine, "vertex", "claude-haiku-4-5@20251001", f->credential, NULL);
  g_assert_cmpint (r2->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r2, JX_REQUEST_ERROR_PROVIDER, "Google Vertex AI", "Overloaded");
  g_assert_cmpstr (r2->text->str, ==, "Hello");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/token"), ==, 1);
}

#define LOCATION_JSON \
  "{\"providers\":[{\"id\":\"vertex\",\"base_url\":\"@URL@/{location}\"," \
  "\"options\":{\"location\":\"europe-west4\",\"project\":\"opt-project\"}}]}"

/* {location} is substituted into the base URL and the path; options.project wins. */
static void
test_location_and_project_option (JxTestFixture *f,
                                  gconstpointer  data)
{
  const char *path = "/europe-west4/v1/projects/opt-project/locations/europe-west4/publishers/google/models/"
                     "gemini-2.5-flash:streamGenerateContent";
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", path, jx_test_sse_file ("vertex-gemini-basic.sse", 4));
  r = jx_test_run (f->engine, "vertex", "gemini-2.5-flash", f->credential, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, path), ==, 1);
  /* Built-in price for gemini-2.5-flash on Vertex. */
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (2 * 0.3 + 11 * 2.5) / 1e6, 1e-12);
}

#define GLOBAL_JSON \
  "{\"providers\":[{\"id\":\"vertex\",\"base_url\":\"https://{location}-aiplatform.invalid\"," \
  "\"options\":{\"location\":\"global\",\"global_base_url\":\"@URL@/global-host\",\"project_env\":\"JX_TEST_PROJECT\"}}]}"

/* Location "global" uses the global host; the project comes from the project_env variable. */
static void
test_global_and_project_env (JxTestFixture *f,
                             gconstpointer  data)
{
  const char *path = "/global-host/v1/projects/env-project/locations/global/publishers/google/models/"
                     "gemini-2.5-flash:streamGenerateContent";
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", path, jx_test_sse_file ("vertex-gemini-basic.sse", 5));
  r = jx_test_run (f->engine, "vertex", "gemini-2.5-flash", f->credential, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, path), ==, 1);
}

#define NO_PROJECT_JSON \
  "{\"providers\":[{\"id\":\"vertex\",\"base_url\":\"@URL@\",\"options\":{\"project_env\":\"JX_TEST_NO_SUCH_PROJECT\"}}]}"

/* gcloud user credentials: refresh-token grant, the quota project as project and as
 * x-goog-user-project; with no project anywhere, an error before any token request. */
static void
test_authorized_user (JxTestFixture *f,
                      gconstpointer  data)
{
  g_autofree char *token_uri = g_strconcat (jx_fake_server_get_url (f->server), "/token", NULL);
  g_autofree char *with_quota = jx_test_credentials_json ("type", "authorized_user",
                                                          "client_id", "123.apps.googleusercontent.com",
                                                          "client_secret", "secret",
                                                          "refresh_token", "1//refresh",
                                                          "quota_project_id", "quota-project",
                                                          "token_uri", token_uri,
                                                          NULL);
  g_autofree char *without = jx_test_credentials_json ("type", "authorized_user",
                                                       "client_id", "123.apps.googleusercontent.com",
                                                       "client_secret", "secret",
                                                       "refresh_token", "1//other",
                                                       "token_uri", token_uri,
                                                       NULL);
  const char *path = "/v1/projects/quota-project/locations/us-central1/publishers/google/models/"
                     "test-model:streamGenerateContent";
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(JxResponse) r2 = NULL;
  g_autoptr(GBytes) form = NULL;
  g_autofree char *text = NULL;

  r = jx_test_run (f->engine, "vertex", "test-model", without, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_CONFIG, "Google Vertex AI", "no Google Cloud project: set JX_TEST_NO_SUCH_PROJECT or the provider’s “project” option");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, NULL), ==, 0);

  jx_fake_server_add (f->server, "POST", path, jx_test_sse_file ("vertex-gemini-basic.sse", 6));
  r2 = jx_test_run (f->engine, "vertex", "test-model", with_quota, NULL);
  g_assert_no_error (r2->error);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, path), ==, 1);
  assert_header (f->server, path, "Authorization", "Bearer ya29.test");
  assert_header (f->server, path, "x-goog-user-project", "quota-project");

  form = jx_fake_server_get_last_body (f->server, "/token");
  text = g_strndup (g_bytes_get_data (form, NULL), g_bytes_get_size (form));
  g_assert_true (g_str_has_prefix (text, "grant_type=refresh_token&"));
  g_assert_nonnull (strstr (text, "refresh_token=1%2F%2Frefresh"));
}

/* A credentials file path works as the credential; junk is reported, not crashed on. */
static void
test_credential_forms (JxTestFixture *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jx-vertex-XXXXXX", &error);
  g_autofree char *file = NULL;
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(JxResponse) r2 = NULL;
  g_autoptr(JxResponse) r3 = NULL;

  g_assert_no_error (error);
  file = g_build_filename (dir, "sa.json", NULL);
  g_file_set_contents (file, f->credential, -1, &error);
  g_assert_no_error (error);

  jx_fake_server_add (f->server, "POST", GEMINI_PATH, jx_test_sse_file ("vertex-gemini-basic.sse", 0));
  r = jx_test_run (f->engine, "vertex", "test-model", file, NULL);
  g_assert_no_error (r->error);
  assert_header (f->server, GEMINI_PATH, "Authorization", "Bearer ya29.test");

  r2 = jx_test_run (f->engine, "vertex", "test-model", "ya29-not-a-file", NULL);
  g_assert_cmpint (r2->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r2, JX_REQUEST_ERROR_CONFIG, "Google Vertex AI", "the credential is neither Google credentials JSON nor a readable credentials file");

  r3 = jx_test_run (f->engine, "vertex", "test-model", "{\"type\":\"external_account\"}", NULL);
  g_assert_cmpint (r3->status, ==, JX_RESPONSE_ERROR);
  g_assert_nonnull (r3->error);
  g_assert_true (g_str_has_prefix (r3->error->message, "Google Vertex AI: "));
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GEMINI_PATH), ==, 1);

  g_remove (file);
  g_rmdir (dir);
}

/* The token endpoint refusing is reported with Google's reason, and nothing is streamed. */
/* A token Vertex stops accepting (revoked) is dropped, so the next request gets a new one. */
static void
test_revoked_token_refreshed (JxTestFixture *f,
                              gconstpointer  data)
{
  g_autoptr(JxResponse) first = NULL;
  g_autoptr(JxResponse) revoked = NULL;
  g_autoptr(JxResponse) again = NULL;

  jx_fake_server_add (f->server, "POST", GEMINI_PATH, jx_test_sse_file ("vertex-gemini-basic.sse", 0));
  jx_fake_server_add (f->server, "POST", GEMINI_PATH,
                      jx_fake_response_new_json (401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid "
                                                      "authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}"));
  jx_fake_server_add (f->server, "POST", GEMINI_PATH, jx_test_sse_file ("vertex-gemini-basic.sse", 0));

  first = jx_test_run (f->engine, "vertex", "test-model", f->credential, NULL);
  g_assert_no_error (first->error);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/token"), ==, 1);

  revoked = jx_test_run (f->engine, "vertex", "test-model", f->credential, NULL);
  jx_assert_request_error (revoked, JX_REQUEST_ERROR_AUTH, "Google Vertex AI");
  /* The cached token was still used for that request… */
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/token"), ==, 1);

  /* …and is not used again. */
  again = jx_test_run (f->engine, "vertex", "test-model", f->credential, NULL);
  g_assert_no_error (again->error);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/token"), ==, 2);
}

static void
test_token_rejected (JxTestFixture *f,
                     gconstpointer  data)
{
  g_autofree char *token_uri = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(JxResponse) r = NULL;

  /* A bare server: the fixture's token route answers 200. */
  jx_test_fixture_reset (f, data);
  token_uri = g_strconcat (jx_fake_server_get_url (f->server), "/token", NULL);
  credentials = jx_test_credentials_json ("type", "service_account",
                                          "project_id", "cred-project",
                                          "private_key", key_pem,
                                          "client_email", "juxta@cred-project.iam.gserviceaccount.com",
                                          "token_uri", token_uri,
                                          NULL);
  jx_fake_server_add (f->server, "POST", "/token",
                      jx_fake_response_new_json (400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));
  r = jx_test_run (f->engine, "vertex", "test-model", credentials, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_AUTH, "Google Vertex AI", "Google rejected the service-account credentials: invalid_grant (Invalid JWT Signature.)");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GEMINI_PATH), ==, 0);
}

typedef struct
{
  const char *path;
  const char *model;
  guint       status;
  const char *body;
  JxRequestErrorCode code;
  const char *detail;        /* the provider's own words, in the message */
} ErrorCase;

static const ErrorCase http_errors[] = {
  /* Vertex wraps errors in a one-element array. */
  { GEMINI_PATH, "test-model", 404,
    "[{\"error\":{\"code\":404,\"message\":\"Publisher Model `projects/cred-project/locations/us-central1/publishers/google/"
    "models/test-model` was not found or your project does not have access to it.\",\"status\":\"NOT_FOUND\"}}]",
    JX_REQUEST_ERROR_NOT_FOUND, "Publisher Model `projects/cred-project/locations/us-central1/publishers/google/models/test-model` was not found or your project does not have access to it." },
  { GEMINI_PATH, "test-model", 401,
    "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential.\",\"status\":\"UNAUTHENTICATED\"}}",
    JX_REQUEST_ERROR_AUTH, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential." },
  /* Claude errors pass through in Anthropic's envelope. */
  { CLAUDE_PATH, "claude-test", 400,
    "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"temperature: range: 0..1\"}}",
    JX_REQUEST_ERROR_BAD_REQUEST, "temperature: range: 0..1" },
};

static void
test_http_errors (JxTestFixture *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (http_errors); i++)
    {
      const ErrorCase *c = &http_errors[i];
      g_autoptr(JxResponse) r = NULL;

      jx_fake_server_add (f->server, "POST", c->path, jx_fake_response_new_json (c->status, c->body));
      r = jx_test_run (f->engine, "vertex", c->model, f->credential, NULL);

      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      g_assert_cmpint (r->http_status, ==, c->status);
      jx_assert_request_error (r, c->code, "Google Vertex AI", c->detail);
      g_assert_cmpuint (r->retries, ==, 0);
      /* Routes replay their last response: one request per case, in order. */
      g_assert_cmpuint (jx_fake_server_get_request_count (f->server, c->path), ==, i < 2 ? i + 1 : i - 1);
    }
}

/* Capacity 429 (no "quota") and Claude's 529 are retried; a persistent 529 gives up. */
static void
test_retries (JxTestFixture *f,
              gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(JxResponse) r2 = NULL;
  const char *overloaded = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
  JxFakeResponse *capacity = jx_fake_response_new_json (429,
    "[{\"error\":{\"code\":429,\"message\":\"Resource exhausted. Please try again later.\",\"status\":\"RESOURCE_EXHAUSTED\"}}]");
  JxFakeResponse *busy = jx_fake_response_new_json (529, overloaded);
  JxFakeResponse *busy_forever = jx_fake_response_new_json (529, overloaded);

  jx_fake_response_add_header (capacity, "retry-after-ms", "10");
  jx_fake_response_add_header (busy, "retry-after-ms", "10");
  jx_fake_response_add_header (busy_forever, "retry-after-ms", "5");
  jx_fake_server_add (f->server, "POST", CLAUDE_PATH, capacity);
  jx_fake_server_add (f->server, "POST", CLAUDE_PATH, busy);
  jx_fake_server_add (f->server, "POST", CLAUDE_PATH, jx_test_sse_file ("vertex-claude.sse", 8));
  jx_fake_server_add (f->server, "POST", CLAUDE_PATH, busy_forever);

  r = jx_test_run (f->engine, "vertex", "claude-test", f->credential, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hi from Claude on Vertex.");
  g_assert_cmpuint (r->retries, ==, 2);

  r2 = jx_test_run (f->engine, "vertex", "claude-test", f->credential, NULL);
  g_assert_cmpint (r2->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r2, JX_REQUEST_ERROR_OVERLOADED, "Google Vertex AI", "Overloaded");
  g_assert_cmpuint (r2->retries, ==, JX_REQUEST_MAX_RETRIES);
  /* Retries reuse the resolved token. */
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/token"), ==, 1);
}

static void
generate_key (void)
{
  gnutls_x509_privkey_t key;
  gnutls_datum_t pem = { NULL, 0 };

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &pem), ==, 0);
  key_pem = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);
  gnutls_x509_privkey_deinit (key);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before any thread exists: setenv is not thread-safe. */
  g_setenv ("JX_TEST_PROJECT", "env-project", TRUE);
  g_unsetenv ("JX_TEST_NO_SUCH_PROJECT");
  g_unsetenv ("GOOGLE_CLOUD_PROJECT");
  g_test_init (&argc, &argv, NULL);
  generate_key ();

#define ADD(path, providers_json, func) \
  g_test_add (path, JxTestFixture, providers_json, fixture_setup, func, jx_test_fixture_teardown)
  ADD ("/juxta/adapter/vertex/gemini", PROVIDERS_JSON, test_gemini);
  ADD ("/juxta/adapter/vertex/interim-usage", PROVIDERS_JSON, test_interim_usage);
  ADD ("/juxta/adapter/vertex/claude", PROVIDERS_JSON, test_claude);
  ADD ("/juxta/adapter/vertex/claude-builtin-midstream", PROVIDERS_JSON, test_claude_builtin_and_midstream);
  ADD ("/juxta/adapter/vertex/location-project-option", LOCATION_JSON, test_location_and_project_option);
  ADD ("/juxta/adapter/vertex/global-project-env", GLOBAL_JSON, test_global_and_project_env);
  ADD ("/juxta/adapter/vertex/authorized-user", NO_PROJECT_JSON, test_authorized_user);
  ADD ("/juxta/adapter/vertex/credential-forms", PROVIDERS_JSON, test_credential_forms);
  ADD ("/juxta/adapter/vertex/token-rejected", PROVIDERS_JSON, test_token_rejected);
  ADD ("/juxta/adapter/vertex/revoked-token-refreshed", PROVIDERS_JSON, test_revoked_token_refreshed);
  ADD ("/juxta/adapter/vertex/http-errors", PROVIDERS_JSON, test_http_errors);
  ADD ("/juxta/adapter/vertex/retries", PROVIDERS_JSON, test_retries);
#undef ADD

  status = g_test_run ();
  g_free (key_pem);

  return status;
}
