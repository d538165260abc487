/* test-adapter-azure.c — Azure OpenAI: deployment and /openai/v1 URLs, api-key, its errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-fixture.h"

#define DEPLOYMENT_PATH "/openai/deployments/my-gpt/chat/completions"
#define V1_PATH         "/openai/v1/chat/completions"

static const char *azure_401 =
  "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key or wrong API "
  "endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API "
  "endpoint for your resource.\"}}";
static const char *azure_404 =
  "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not "
  "exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.\"}}";
static const char *azure_429 =
  "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the ChatCompletions_Create Operation under Azure "
  "OpenAI API version 2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. "
  "Please retry after 45 seconds.\"}}";

#define AZURE_JSON(options) \
  "{\"providers\":[{\"id\":\"azure-openai\",\"base_url\":\"@URL@\"" options "," \
  "\"models\":[{\"id\":\"my-gpt\",\"input_per_mtok\":2.5," \
  "\"cached_input_per_mtok\":1.25,\"output_per_mtok\":10}]}]}"
#define PROVIDERS_JSON  AZURE_JSON ("")
#define PREVIEW_JSON    AZURE_JSON (",\"options\":{\"api_version\":\"2025-04-01-preview\"}")
/* The built-in entry only (it has no base URL). */
#define BUILTIN_JSON    NULL

static void
check_filter_stream (JxResponse *r)
{
  g_assert_no_error (r->error);
  /* The leading prompt_filter_results chunk (choices:[]) is neither text nor usage. */
  g_assert_cmpstr (r->text->str, ==, "Hello from Azure.");
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (r->usage.input_tokens, ==, 9);
  g_assert_cmpint (r->usage.output_tokens, ==, 4);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (9 * 2.5 + 4 * 10.0) / 1e6, 1e-12);
}

static void
test_deployment_url (JxTestFixture *f,
                     gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) request = NULL;
      g_autofree char *key = NULL, *auth = NULL, *query = NULL;
      JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

      jx_fake_response_add_file (fake, 2, 1, "azure-filter.sse");
      jx_fake_response_set_random_split (fake, seed, 6);
      jx_fake_server_add (f->server, "POST", DEPLOYMENT_PATH, fake);

      r = jx_test_run (f->engine, "azure-openai", "my-gpt", "azure-secret", NULL);
      check_filter_stream (r);

      key = jx_fake_server_get_last_header (f->server, DEPLOYMENT_PATH, "api-key");
      auth = jx_fake_server_get_last_header (f->server, DEPLOYMENT_PATH, "Authorization");
      query = jx_fake_server_get_last_query (f->server, DEPLOYMENT_PATH);
      g_assert_cmpstr (key, ==, "azure-secret");
      g_assert_null (auth);
      g_assert_cmpstr (query, ==, "api-version=2025-04-01-preview");

      /* The deployment decides the model: the body carries none. */
      body = jx_fake_server_get_last_body (f->server, DEPLOYMENT_PATH);
      request = jx_test_parse_body (body);
      g_assert_false (json_object_has_member (request, "model"));
      g_assert_true (json_object_get_boolean_member (json_object_get_object_member (request, "stream_options"),
                                                     "include_usage"));
    }
}

static void
test_v1_url_and_endpoint_from_credential (JxTestFixture *f,
                                          gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *key = NULL, *query = NULL, *credential = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add_file (fake, 2, 1, "azure-filter.sse");
  jx_fake_server_add (f->server, "POST", V1_PATH, fake);

  /* The built-in entry has no base URL: the endpoint comes with the key (AZURE_OPENAI_ENDPOINT). */
  credential = g_strdup_printf ("{\"api_key\":\"az-v1\",\"endpoint\":\"%s/openai/v1\"}",
                                jx_fake_server_get_url (f->server));
  r = jx_test_run (f->engine, "azure-openai", "my-deployment", credential, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hello from Azure.");

  key = jx_fake_server_get_last_header (f->server, V1_PATH, "api-key");
  query = jx_fake_server_get_last_query (f->server, V1_PATH);
  g_assert_cmpstr (key, ==, "az-v1");
  g_assert_null (query);
  body = jx_fake_server_get_last_body (f->server, V1_PATH);
  request = jx_test_parse_body (body);
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "my-deployment");
}

static void
test_no_endpoint (JxTestFixture *f,
                  gconstpointer  data)
{
  g_autoptr(JxResponse) r = jx_test_run (f->engine, "azure-openai", "my-gpt", "just-a-key", NULL);

  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_CONFIG, "Azure OpenAI", "no Azure OpenAI endpoint: set AZURE_OPENAI_ENDPOINT or the provider's base_url");
}

static JxResponse *
run_error (JxTestFixture *f,
           guint          status,
           const char    *body,
           const char    *header,
           const char    *value,
           guint         *n_requests)
{
  JxFakeResponse *fake = jx_fake_response_new_json (status, body);
  JxResponse *r;

  /* A server of its own for each answer, so that its requests are counted alone. */
  jx_test_fixture_reset (f, PROVIDERS_JSON);
  if (header != NULL)
    jx_fake_response_add_header (fake, header, value);
  jx_fake_server_add (f->server, "POST", DEPLOYMENT_PATH, fake);
  r = jx_test_run (f->engine, "azure-openai", "my-gpt", "bad", NULL);
  *n_requests = jx_fake_server_get_request_count (f->server, DEPLOYMENT_PATH);
  return r;
}

static void
test_errors (JxTestFixture *f,
             gconstpointer  data)
{
  g_autoptr(JxResponse) unauthorized = NULL;
  g_autoptr(JxResponse) missing = NULL;
  g_autoptr(JxResponse) limited = NULL;
  guint n = 0;

  unauthorized = run_error (f, 401, azure_401, NULL, NULL, &n);
  jx_assert_request_error (unauthorized, JX_REQUEST_ERROR_AUTH, "Azure OpenAI", "Access denied due to invalid subscription key");
  g_assert_cmpuint (n, ==, 1);

  missing = run_error (f, 404, azure_404, NULL, NULL, &n);
  jx_assert_request_error (missing, JX_REQUEST_ERROR_NOT_FOUND, "Azure OpenAI", "my-gpt", "The API deployment for this resource does not exist.");

  /* retry-after-ms wins over retry-after; three retries, then the hint. */
  limited = run_error (f, 429, azure_429, "retry-after-ms", "30", &n);
  g_assert_cmpuint (limited->retries, ==, JX_REQUEST_MAX_RETRIES);
  g_assert_cmpuint (n, ==, JX_REQUEST_MAX_RETRIES + 1);
  jx_assert_request_error (limited, JX_REQUEST_ERROR_RATE_LIMITED, "Azure OpenAI", "1 s");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  jx_test_add ("/juxta/adapter/azure/deployment-url", PREVIEW_JSON, test_deployment_url);
  jx_test_add ("/juxta/adapter/azure/v1-url", BUILTIN_JSON, test_v1_url_and_endpoint_from_credential);
  jx_test_add ("/juxta/adapter/azure/no-endpoint", BUILTIN_JSON, test_no_endpoint);
  jx_test_add ("/juxta/adapter/azure/errors", PROVIDERS_JSON, test_errors);
  return g_test_run ();
}
