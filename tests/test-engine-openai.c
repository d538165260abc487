/* test-engine-openai.c — the OpenAI-compatible family end to end over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-proxy-resolver.h"
#include "jx-test-util.h"

#define PROVIDERS_JSON \
  "{\"providers\":[" \
  "{\"id\":\"%s\",\"base_url\":\"@URL@/v1\",\"api_key_env\":\"JX_TEST_KEY\"," \
  "\"models\":[{\"id\":\"test-model\",\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2.0}]}]}"

typedef struct
{
  const char *provider;
  const char *fixture;
  const char *text;
  gint64      input_tokens;
  gint64      output_tokens;
  double      provider_cost;   /* NAN = from our price table */
} FamilyCase;

static const FamilyCase family[] = {
  { "openai",      "openai-basic.sse",      "Hi there!",                     10, 5,   NAN },
  { "mistral",     "mistral-basic.sse",     "Coca Cola is a soft drink.",    31, 100, NAN },
  { "together",    "together-basic.sse",    "ABC done",                      12, 27,  NAN },
  { "fireworks",   "fireworks-basic.sse",   "Hello from Fireworks.",         14, 5,   NAN },
  { "groq",        "groq-basic.sse",        "Hello there!",                  18, 439, NAN },
  { "openrouter",  "openrouter-basic.sse",  "Hello there!",                  9,  89,  0.00005512 },
  { "huggingface", "huggingface-basic.sse", "Hello from Hugging Face!",      12, 6,   NAN },
  { "ollama",      "ollama-v1-basic.sse",   "Hello! How can I help?",        26, 8,   NAN },
  { "custom",      "openai-basic.sse",      "Hi there!",                     10, 5,   NAN },
};

static void
run_family_case (const FamilyCase *c,
                 guint32           seed)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autofree char *json = NULL;
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *auth = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream; charset=utf-8");
  const char *protocol_override = g_str_equal (c->provider, "ollama") ? ",\"protocol\":\"openai\"" : "";
  g_autoptr(GString) providers = NULL;

  jx_fake_response_add_file (fake, 5, 2, c->fixture);
  jx_fake_response_set_random_split (fake, seed, 7);
  jx_fake_server_add (server, "POST", "/v1/chat/completions", fake);

  /* Ollama's built-in entry speaks the native protocol; its /v1 endpoint is the OpenAI one. */
  json = g_strdup_printf (PROVIDERS_JSON, c->provider);
  providers = g_string_new (json);
  g_string_replace (providers, "\"base_url\"", "\"auth_kind\":\"bearer\",\"base_url\"", 1);
  if (*protocol_override != '\0')
    g_string_replace (providers, "\"base_url\"", "\"protocol\":\"openai\",\"base_url\"", 1);

  catalog = jx_test_catalog (jx_fake_server_get_url (server), providers->str);
  engine = jx_engine_new (catalog);
  r = jx_test_run (engine, c->provider, "test-model", NULL, NULL);

  g_assert_no_error (r->error);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpstr (r->text->str, ==, c->text);
  g_assert_cmpint (r->http_status, ==, 200);
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (r->usage.input_tokens, ==, c->input_tokens);
  g_assert_cmpint (r->usage.output_tokens, ==, c->output_tokens);
  g_assert_cmpuint (r->retries, ==, 0);

  if (isnan (c->provider_cost))
    g_assert_cmpfloat_with_epsilon (r->cost_usd, (c->input_tokens * 1.0 + c->output_tokens * 2.0) / 1e6, 1e-12);
  else
    {
      g_assert_true (r->cost_from_provider);
      g_assert_cmpfloat_with_epsilon (r->cost_usd, c->provider_cost, 1e-12);
    }

  /* Timing is recorded in order, and the first token is real text. */
  g_assert_cmpint (r->timing.t_start, >, 0);
  g_assert_cmpint (r->timing.t_headers, >=, r->timing.t_start);
  g_assert_cmpint (r->timing.t_first_byte, >=, r->timing.t_headers);
  g_assert_cmpint (r->timing.t_first_token, >=, r->timing.t_first_byte);
  g_assert_cmpint (r->timing.t_end, >=, r->timing.t_last_token);
  g_assert_cmpuint (r->timing.content_times->len, >, 0);

  /* What went over the wire. */
  auth = jx_fake_server_get_last_header (server, "/v1/chat/completions", "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer test-key-123");
  body = jx_fake_server_get_last_body (server, "/v1/chat/completions");
  request = jx_test_parse_body (body);
  g_assert_true (json_object_get_boolean_member (request, "stream"));
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "test-model");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (request, "messages")), ==, 2);
  /* Mistral rejects stream_options (422); OpenRouter always sends usage and deprecated it. */
  if (g_str_equal (c->provider, "mistral") || g_str_equal (c->provider, "openrouter"))
    g_assert_false (json_object_has_member (request, "stream_options"));
  else
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (request, "stream_options"),
                                                   "include_usage"));
  if (g_str_equal (c->provider, "openai"))
    g_assert_cmpint (json_object_get_int_member (request, "max_completion_tokens"), ==, 64);
  else
    g_assert_cmpint (json_object_get_int_member (request, "max_tokens"), ==, 64);
  if (g_str_equal (c->provider, "openrouter"))
    {
      g_autofree char *title = jx_fake_server_get_last_header (server, "/v1/chat/completions", "X-Title");
      g_assert_cmpstr (title, ==, "Juxta");
    }
  if (g_str_equal (c->provider, "groq"))
    {
      double *queue = g_hash_table_lookup (r->server_timings, "queue");

      g_assert_nonnull (queue);
      g_assert_cmpfloat_with_epsilon (*queue, 61.348671, 1e-6);
    }
}

static void
test_family (gconstpointer data)
{
  const FamilyCase *c = data;

  /* Different random splits, including inside UTF-8 sequences and JSON. */
  for (guint32 seed = 1; seed <= 3; seed++)
    run_family_case (c, seed);
}

static void
test_azure_deployment (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *key = NULL, *auth = NULL, *query = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  const char *path = "/openai/deployments/my-gpt/chat/completions";

  jx_fake_response_add_file (fake, 1, 1, "azure-filter.sse");
  jx_fake_response_set_random_split (fake, 42, 5);
  jx_fake_server_add (server, "POST", path, fake);
  catalog = jx_test_catalog (jx_fake_server_get_url (server),
                             "{\"providers\":[{\"id\":\"azure-openai\",\"base_url\":\"@URL@\","
                             "\"models\":[{\"id\":\"my-gpt\",\"input_per_mtok\":2.5,\"output_per_mtok\":10}]}]}");
  engine = jx_engine_new (catalog);

  r = jx_test_run (engine, "azure-openai", "my-gpt", "azure-secret", NULL);
  g_assert_no_error (r->error);
  /* The leading prompt_filter_results chunk is neither text nor usage. */
  g_assert_cmpstr (r->text->str, ==, "Hello from Azure.");
  g_assert_cmpint (r->usage.input_tokens, ==, 9);
  g_assert_cmpint (r->usage.output_tokens, ==, 4);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, (9 * 2.5 + 4 * 10.0) / 1e6, 1e-12);

  key = jx_fake_server_get_last_header (server, path, "api-key");
  auth = jx_fake_server_get_last_header (server, path, "Authorization");
  query = jx_fake_server_get_last_query (server, path);
  g_assert_cmpstr (key, ==, "azure-secret");
  g_assert_null (auth);
  g_assert_cmpstr (query, ==, "api-version=2024-10-21");
}

static void
test_no_usage_is_estimated (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Four score and seven\"}}]}\n\n", -1);
  jx_fake_response_add (fake, 1, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n", -1);
  jx_fake_response_add (fake, 1, "data: [DONE]\n\n", -1);
  jx_fake_server_add (server, "POST", "/v1/chat/completions", fake);
  catalog = jx_test_catalog (jx_fake_server_get_url (server),
                             "{\"providers\":[{\"id\":\"local\",\"name\":\"Local\",\"protocol\":\"openai\","
                             "\"base_url\":\"@URL@/v1\",\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":1}]}]}");
  engine = jx_engine_new (catalog);

  /* A local endpoint without a key goes ahead without one. */
  r = jx_test_run (engine, "local", "m", NULL, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Four score and seven");
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
  g_assert_cmpint (r->usage.output_tokens, ==, jx_usage_estimate_tokens ("Four score and seven"));
  g_assert_cmpint (r->usage.input_tokens, >, 0);
  g_assert_false (isnan (r->cost_usd));
}

/* Token counts that are not numbers are not read as 0 (which would bill nothing): they
 * count as unreported and are estimated, and say so. */
static void
test_non_numeric_usage_is_estimated (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Four score and seven\"}}]}\n\n", -1);
  jx_fake_response_add (fake, 1, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":true}}\n\n", -1);
  jx_fake_response_add (fake, 1, "data: [DONE]\n\n", -1);
  jx_fake_server_add (server, "POST", "/v1/chat/completions", fake);
  catalog = jx_test_catalog (jx_fake_server_get_url (server),
                             "{\"providers\":[{\"id\":\"local\",\"name\":\"Local\",\"protocol\":\"openai\","
                             "\"base_url\":\"@URL@/v1\",\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":1}]}]}");
  engine = jx_engine_new (catalog);

  r = jx_test_run (engine, "local", "m", NULL, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
  g_assert_cmpint (r->usage.output_tokens, ==, jx_usage_estimate_tokens ("Four score and seven"));
  g_assert_cmpint (r->usage.input_tokens, >, 0);
  g_assert_cmpfloat (r->cost_usd, >, 0);
}

static void
test_key_never_sent_over_plain_http (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("",
    "{\"providers\":[{\"id\":\"remote\",\"protocol\":\"openai\",\"base_url\":\"http://203.0.113.9/v1\"}]}");
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = jx_test_run (engine, "remote", "m", "sk-secret", NULL);

  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_REFUSED_BY_POLICY, "remote", "203.0.113.9");
  g_assert_cmpint (r->timing.t_start, ==, 0);
}

/* Moving a built-in provider to another host must not carry its key along (a name is judged
 * as written: gateway.localhost is not a loopback address, whatever it resolves to). */
static void
test_key_stays_with_its_host (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(GString) url = g_string_new (jx_fake_server_get_url (server));
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(JxResponse) r = NULL;

  g_string_replace (url, "127.0.0.1", "gateway.localhost", 1);
  catalog = jx_test_catalog (url->str, "{\"providers\":[{\"id\":\"openai\",\"base_url\":\"@URL@/v1\"}]}");
  engine = jx_engine_new (catalog);
  r = jx_test_run (engine, "openai", "gpt-5.4-mini", NULL, NULL);

  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_error (r->error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_REFUSED_BY_POLICY);
  g_assert_cmpstr (r->error->message, ==, "the OpenAI key (OPENAI_API_KEY) is only sent to api.openai.com, not to "
                                 "gateway.localhost: to send it there, set \"send_credentials_to_base_url\": "
                                 "true in the “openai” entry of the providers file, or give that entry its own "
                                 "api_key_env");
  g_assert_cmpuint (jx_fake_server_get_request_count (server, NULL), ==, 0);
}

/* A built-in provider moved to a loopback address (a local gateway) keeps its usual key. */
static void
test_key_goes_to_loopback (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxCatalog) catalog = jx_test_catalog (jx_fake_server_get_url (server),
    "{\"providers\":[{\"id\":\"openai\",\"base_url\":\"@URL@/v1\"}]}");
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *auth = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream; charset=utf-8");

  jx_fake_response_add_file (fake, 0, 0, "openai-basic.sse");
  jx_fake_server_add (server, "POST", "/v1/chat/completions", fake);
  r = jx_test_run (engine, "openai", "gpt-5.4-mini", NULL, NULL);

  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  auth = jx_fake_server_get_last_header (server, "/v1/chat/completions", "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer sk-must-not-leave");
}

/* Local servers skip the proxy lookup; everything else keeps the system's proxy. */
static void
test_proxy_resolver (void)
{
  g_autoptr(GProxyResolver) system = g_simple_proxy_resolver_new ("http://proxy.example:3128", NULL);
  g_autoptr(GProxyResolver) resolver = jx_proxy_resolver_new (system);
  g_auto(GStrv) local = g_proxy_resolver_lookup (resolver, "http://127.0.0.1:8000/v1", NULL, NULL);
  g_auto(GStrv) lan = g_proxy_resolver_lookup (resolver, "http://192.168.1.20:11434/", NULL, NULL);
  g_auto(GStrv) remote = g_proxy_resolver_lookup (resolver, "https://api.openai.com/v1", NULL, NULL);

  g_assert_cmpstr (local[0], ==, "direct://");
  g_assert_cmpstr (lan[0], ==, "direct://");
  g_assert_cmpstr (remote[0], ==, "http://proxy.example:3128");
}

/* 16 panes to one host must not queue behind each other (libsoup's default is 2 per host). */
static void
test_sixteen_concurrent (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  JxProvider *provider;
  JxPrompt prompt;
  double min_ttft = G_MAXDOUBLE, max_ttft = 0;

  jx_fake_response_add (fake, 300, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t\"}}]}\n\n", -1);
  for (guint i = 0; i < 100; i++)
    jx_fake_response_add (fake, 2, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" t\"}}]}\n\n", -1);
  jx_fake_response_add (fake, 1, "data: [DONE]\n\n", -1);
  jx_fake_server_add (server, "POST", "/v1/chat/completions", fake);
  catalog = jx_test_catalog (jx_fake_server_get_url (server),
                             "{\"providers\":[{\"id\":\"local\",\"protocol\":\"openai\",\"base_url\":\"@URL@/v1\"}]}");
  engine = jx_engine_new (catalog);
  provider = jx_catalog_lookup (catalog, "local");
  jx_prompt_init (&prompt);
  prompt.user = (char *) "go";

  requests = jx_test_run_concurrent (engine, provider, "m", &prompt, 16);

  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/v1/chat/completions"), ==, 16);
  for (guint i = 0; i < requests->len; i++)
    {
      JxResponse *r = jx_request_get_response (g_ptr_array_index (requests, i));
      double ttft = jx_timing_ttft_ms (&r->timing);

      g_test_message ("pane %u: ttft %.1f ms, headers after %.1f ms", i, ttft,
                      (r->timing.t_headers - r->timing.t_start) / 1000.0);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
      g_assert_cmpuint (r->timing.content_times->len, ==, 101);
      g_assert_cmpfloat (ttft, >=, 300.0 - JX_TEST_STAMP_SLACK_MS);
      min_ttft = MIN (min_ttft, ttft);
      max_ttft = MAX (max_ttft, ttft);
    }
  /* Serialised requests would wait for a whole earlier stream (≥ 500 ms) first. */
  g_assert_cmpfloat (max_ttft - min_ttft, <, 100.0);
  g_assert_cmpfloat (max_ttft, <, 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  /* Before any thread exists: setenv is not thread-safe. */
  g_setenv ("JX_TEST_KEY", "test-key-123", TRUE);
  g_setenv ("OPENAI_API_KEY", "sk-must-not-leave", TRUE);
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (family); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/openai-family/%s", family[i].provider);

      g_test_add_data_func (path, &family[i], test_family);
    }
  g_test_add_func ("/engine/azure/deployment", test_azure_deployment);
  g_test_add_func ("/engine/usage/estimate", test_no_usage_is_estimated);
  g_test_add_func ("/engine/usage/non-numeric", test_non_numeric_usage_is_estimated);
  g_test_add_func ("/engine/keys/plain-http", test_key_never_sent_over_plain_http);
  g_test_add_func ("/engine/keys/own-host", test_key_stays_with_its_host);
  g_test_add_func ("/engine/keys/loopback", test_key_goes_to_loopback);
  g_test_add_func ("/engine/proxy/local-direct", test_proxy_resolver);
  g_test_add_func ("/engine/concurrency/sixteen", test_sixteen_concurrent);

  return g_test_run ();
}
