/* test-models.c — model lists: every shape, auth headers, cache, fallback, Ollama detection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-models.h"
#include "jx-test-util.h"

typedef struct
{
  GMainLoop      *loop;
  GPtrArray      *ids;
  JxModelsSource  source;
  GError         *error;
} ListRun;

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ListRun *run = user_data;

  run->ids = jx_models_list_finish (result, &run->source, &run->error);
  g_main_loop_quit (run->loop);
}

static GPtrArray *
list_models (JxEngine        *engine,
             const char      *provider_id,
             const char      *credential,
             GCancellable    *cancellable,
             JxModelsSource  *source,
             GError         **error)
{
  JxProvider *provider = jx_catalog_lookup (jx_engine_get_catalog (engine), provider_id);
  ListRun run = { g_main_loop_new (NULL, FALSE), NULL, -1, NULL };

  g_assert_nonnull (provider);
  jx_models_list_async (engine, provider, credential, cancellable, list_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  *source = run.source;
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.ids;
}

static void
detect_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ListRun *run = user_data;

  run->ids = jx_models_detect_ollama_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static GPtrArray *
detect_ollama (JxEngine    *engine,
               const char  *base_url,
               GError     **error)
{
  ListRun run = { g_main_loop_new (NULL, FALSE), NULL, -1, NULL };

  jx_models_detect_ollama_async (engine, base_url, NULL, detect_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.ids;
}

/* A loopback URL where nothing listens: bind an ephemeral port, then close it. */
static char *
closed_port_url (void)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_true (g_socket_bind (sock, any, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (sock, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
assert_ids (GPtrArray  *ids,
            const char *expected)
{
  g_auto(GStrv) want = g_strsplit (expected, ",", -1);

  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, g_strv_length (want));
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ids, i), ==, want[i]);
}

typedef struct
{
  const char *provider;
  const char *base_suffix;   /* appended to the fake's URL as base_url */
  const char *path;          /* the list request's path on the fake */
  const char *body;
  const char *expected;      /* comma-separated ids */
  const char *auth_header;
  const char *auth_value;
  const char *extra_header;  /* NULL or a header that must be present too */
  const char *extra_value;
  const char *query;
} ShapeCase;

static const ShapeCase shapes[] = {
  { "openai", "/v1", "/v1/models",
    "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1721172741,"
    "\"owned_by\":\"system\"},{\"id\":\"gpt-5\",\"object\":\"model\"}]}",
    "gpt-4o-mini,gpt-5", "Authorization", "Bearer k-1", NULL, NULL, NULL },
  { "together", "/v1", "/v1/models",
    "[{\"id\":\"meta-llama/Llama-3.3-70B-Instruct-Turbo\",\"object\":\"model\",\"type\":\"chat\","
    "\"pricing\":{\"input\":0.88,\"output\":0.88}},{\"id\":\"openai/gpt-oss-120b\"}]",
    "meta-llama/Llama-3.3-70B-Instruct-Turbo,openai/gpt-oss-120b", "Authorization", "Bearer k-1",
    NULL, NULL, NULL },
  { "anthropic", "", "/v1/models",
    "{\"data\":[{\"type\":\"model\",\"id\":\"claude-haiku-4-5-20251001\",\"display_name\":\"Claude Haiku 4.5\"},"
    "{\"type\":\"model\",\"id\":\"claude-sonnet-4-6\"}],\"has_more\":false}",
    "claude-haiku-4-5-20251001,claude-sonnet-4-6", "x-api-key", "k-1", "anthropic-version", "2023-06-01",
    "limit=1000" },
  { "gemini", "", "/v1beta/models",
    "{\"models\":[{\"name\":\"models/gemini-2.5-flash\",\"version\":\"001\",\"displayName\":\"Gemini 2.5 Flash\"},"
    "{\"name\":\"models/gemini-2.5-pro\"}],\"nextPageToken\":\"abc\"}",
    "gemini-2.5-flash,gemini-2.5-pro", "x-goog-api-key", "k-1", NULL, NULL, "pageSize=1000" },
  { "cohere", "", "/v1/models",
    "{\"models\":[{\"name\":\"command-a-03-2025\",\"endpoints\":[\"generate\",\"chat\"],\"finetuned\":false},"
    "{\"name\":\"command-r7b-12-2024\"}],\"next_page_token\":\"x\"}",
    "command-a-03-2025,command-r7b-12-2024", "Authorization", "Bearer k-1", NULL, NULL,
    "endpoint=chat&page_size=1000" },
  { "ollama", "", "/api/tags",
    "{\"models\":[{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\",\"size\":2019393189,"
    "\"details\":{\"family\":\"llama\"}},{\"name\":\"qwen2.5:7b\",\"model\":\"qwen2.5:7b\"}]}",
    "llama3.2:latest,qwen2.5:7b", "Authorization", NULL, NULL, NULL, NULL },
};

static JxEngine *
engine_for (const char *provider,
            const char *base_url)
{
  g_autofree char *json = g_strdup_printf ("{\"providers\":[{\"id\":\"%s\",\"base_url\":\"%s\"}]}",
                                           provider, base_url);
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", json);

  return jx_engine_new (catalog);
}

#define OPENAI_JSON    "{\"providers\":[{\"id\":\"openai\",\"base_url\":\"@URL@/v1\"}]}"
#define GROQ_JSON      "{\"providers\":[{\"id\":\"groq\",\"base_url\":\"@URL@/v1\"}]}"
#define GEMINI_JSON    "{\"providers\":[{\"id\":\"gemini\",\"base_url\":\"@URL@\"}]}"
#define REPLICATE_JSON "{\"providers\":[{\"id\":\"replicate\",\"base_url\":\"@URL@\"}]}"
#define BUILTIN_JSON   NULL

/* The fixture for a ShapeCase: its provider on the fake, at the case's base URL. */
static void
shape_setup (JxTestFixture *f,
             gconstpointer  data)
{
  const ShapeCase *c = data;
  g_autofree char *json = g_strdup_printf ("{\"providers\":[{\"id\":\"%s\",\"base_url\":\"@URL@%s\"}]}",
                                           c->provider, c->base_suffix);

  jx_test_fixture_init (f, json);
}

static void
test_shape (JxTestFixture *f,
            gconstpointer  data)
{
  const ShapeCase *c = data;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL, *extra = NULL, *query = NULL, *method = NULL;
  JxModelsSource source;

  jx_fake_server_add (f->server, "GET", c->path, jx_fake_response_new_json (200, c->body));

  ids = list_models (f->engine, c->provider, "k-1", NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_PROVIDER);
  assert_ids (ids, c->expected);

  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, c->path), ==, 1);
  method = jx_fake_server_get_last_method (f->server, c->path);
  g_assert_cmpstr (method, ==, "GET");
  auth = jx_fake_server_get_last_header (f->server, c->path, c->auth_header);
  g_assert_cmpstr (auth, ==, c->auth_value);
  if (c->extra_header != NULL)
    {
      extra = jx_fake_server_get_last_header (f->server, c->path, c->extra_header);
      g_assert_cmpstr (extra, ==, c->extra_value);
    }
  query = jx_fake_server_get_last_query (f->server, c->path);
  g_assert_cmpstr (query, ==, c->query);
}

static void
test_cache (JxTestFixture *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL, second = NULL, third = NULL, fourth = NULL;
  JxModelsSource source;

  jx_fake_server_add (f->server, "GET", "/v1/models",
                      jx_fake_response_new_json (200, "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}]}"));

  first = list_models (f->engine, "openai", "k-1", NULL, &source, NULL);
  assert_ids (first, "a,b");
  second = list_models (f->engine, "openai", "k-1", NULL, &source, NULL);
  assert_ids (second, "a,b");
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_PROVIDER);
  /* The second answer came from memory, and is the caller's own copy. */
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/models"), ==, 1);
  g_assert_true (first != second);

  /* A different key is a different question (the Preferences key check). */
  third = list_models (f->engine, "openai", "k-2", NULL, &source, NULL);
  assert_ids (third, "a,b");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/models"), ==, 2);

  jx_models_forget (f->engine, "openai");
  fourth = list_models (f->engine, "openai", "k-2", NULL, &source, NULL);
  assert_ids (fourth, "a,b");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/models"), ==, 3);
}

static void
test_fallback_server_down (void)
{
  g_autofree char *url = closed_port_url ();
  g_autofree char *base_url = g_strconcat (url, "/v1", NULL);
  g_autoptr(JxEngine) engine = engine_for ("openai", base_url);
  JxProvider *provider = jx_catalog_lookup (jx_engine_get_catalog (engine), "openai");
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  JxModelsSource source = JX_MODELS_SOURCE_PROVIDER;

  ids = list_models (engine, "openai", "k-1", NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_FALLBACK);
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, provider->models->len);
  g_assert_cmpuint (ids->len, >, 0);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ids, i), ==, ((JxModel *) g_ptr_array_index (provider->models, i))->id);
}

/* A failing list is not cached: the next call asks again and gets the real list. */
static void
test_fallback_not_cached (JxTestFixture *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL, second = NULL, third = NULL;
  g_autoptr(GError) error = NULL;
  JxModelsSource source;

  jx_fake_server_add (f->server, "GET", "/v1/models",
                      jx_fake_response_new_json (503, "{\"error\":{\"message\":\"overloaded\"}}"));
  jx_fake_server_add (f->server, "GET", "/v1/models", jx_fake_response_new_json (200, "<html>not json"));
  jx_fake_server_add (f->server, "GET", "/v1/models",
                      jx_fake_response_new_json (200, "{\"object\":\"list\",\"data\":[{\"id\":\"llama-x\"}]}"));

  first = list_models (f->engine, "groq", "k-1", NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_FALLBACK);
  g_assert_true (first->len > 0 && g_strcmp0 (g_ptr_array_index (first, 0), "llama-x") != 0);

  second = list_models (f->engine, "groq", "k-1", NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_FALLBACK);

  third = list_models (f->engine, "groq", "k-1", NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_PROVIDER);
  assert_ids (third, "llama-x");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/models"), ==, 3);
}

static void
test_key_rejected (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL, anonymous = NULL;
  g_autoptr(GError) error = NULL;
  JxModelsSource source;

  jx_fake_server_add (f->server, "GET", "/v1/models",
                      jx_fake_response_new_json (401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-bad.\","
                                                      "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

  ids = list_models (f->engine, "openai", "sk-bad", NULL, &source, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "key rejected by OpenAI (401)");
  g_clear_error (&error);

  /* Without a key a 401 says nothing about any key: the catalog list, no error. */
  anonymous = list_models (f->engine, "openai", NULL, NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_FALLBACK);
  g_assert_cmpuint (anonymous->len, >, 0);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/models"), ==, 2);
}

/* Gemini says 400 INVALID_ARGUMENT "API key not valid" for a bad key. */
static void
test_key_rejected_gemini (JxTestFixture *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  JxModelsSource source;

  jx_fake_server_add (f->server, "GET", "/v1beta/models",
                      jx_fake_response_new_json (400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. "
                                                      "Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}"));

  ids = list_models (f->engine, "gemini", "AIza-bad", NULL, &source, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "key rejected by Google Gemini API (400)");
}

static void
test_replicate_uses_catalog (JxTestFixture *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  JxModelsSource source = JX_MODELS_SOURCE_PROVIDER;

  ids = list_models (f->engine, "replicate", "r8_x", NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, JX_MODELS_SOURCE_CATALOG);
  g_assert_cmpuint (ids->len, >, 0);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "meta/meta-llama-3-8b-instruct");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, NULL), ==, 0);
}

static void
test_plain_http_refused (void)
{
  g_autoptr(JxEngine) engine = engine_for ("openai", "http://203.0.113.9/v1");
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  JxModelsSource source;

  ids = list_models (engine, "openai", "sk-secret", NULL, &source, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "refusing to send the OpenAI key over unencrypted HTTP to 203.0.113.9");
}

static void
test_cancelled (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  JxFakeResponse *slow = jx_fake_response_new_json (200, "{\"data\":[{\"id\":\"a\"}]}");
  JxModelsSource source;

  jx_fake_response_set_header_delay (slow, 5000);
  jx_fake_server_add (f->server, "GET", "/v1/models", slow);
  g_timeout_add_once (50, (GSourceOnceFunc) g_cancellable_cancel, cancellable);

  ids = list_models (f->engine, "openai", "k-1", cancellable, &source, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_detect_ollama (JxTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  jx_fake_server_add (f->server, "GET", "/api/tags",
                      jx_fake_response_new_json (200, "{\"models\":[{\"name\":\"llama3.2:latest\"},"
                                                      "{\"name\":\"gpt-oss:20b\"}]}"));

  ids = detect_ollama (f->engine, jx_fake_server_get_url (f->server), &error);
  g_assert_no_error (error);
  assert_ids (ids, "llama3.2:latest,gpt-oss:20b");
}

static void
test_detect_ollama_absent (void)
{
  g_autofree char *url = closed_port_url ();
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = detect_ollama (engine, url, &error);
  g_assert_no_error (error);
  g_assert_null (ids);
}

/* Something answers, but not within the second, or not as Ollama. */
static void
test_detect_ollama_slow_or_foreign (JxTestFixture *f,
                                    gconstpointer  data)
{
  g_autoptr(JxFakeServer) foreign = jx_fake_server_new ();
  g_autoptr(GPtrArray) late = NULL, other = NULL;
  g_autoptr(GError) error = NULL;
  JxFakeResponse *slow = jx_fake_response_new_json (200, "{\"models\":[{\"name\":\"x\"}]}");
  gint64 start;

  jx_fake_response_set_header_delay (slow, 4000);
  jx_fake_server_add (f->server, "GET", "/api/tags", slow);
  start = g_get_monotonic_time ();
  late = detect_ollama (f->engine, jx_fake_server_get_url (f->server), &error);
  g_assert_no_error (error);
  g_assert_null (late);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);

  jx_fake_server_add (foreign, "GET", "/api/tags", jx_fake_response_new_json (200, "{\"data\":[{\"id\":\"x\"}]}"));
  other = detect_ollama (f->engine, jx_fake_server_get_url (foreign), &error);
  g_assert_no_error (error);
  g_assert_null (other);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/juxta/core/models/shape-%s", shapes[i].provider);

      g_test_add (path, JxTestFixture, &shapes[i], shape_setup, test_shape, jx_test_fixture_teardown);
    }
  jx_test_add ("/juxta/core/models/cache", OPENAI_JSON, test_cache);
  g_test_add_func ("/juxta/core/models/fallback-server-down", test_fallback_server_down);
  jx_test_add ("/juxta/core/models/fallback-not-cached", GROQ_JSON, test_fallback_not_cached);
  jx_test_add ("/juxta/core/models/key-rejected", OPENAI_JSON, test_key_rejected);
  jx_test_add ("/juxta/core/models/key-rejected-gemini", GEMINI_JSON, test_key_rejected_gemini);
  g_test_add_func ("/juxta/core/models/key-plain-http", test_plain_http_refused);
  jx_test_add ("/juxta/core/models/replicate-catalog", REPLICATE_JSON, test_replicate_uses_catalog);
  jx_test_add ("/juxta/core/models/cancelled", OPENAI_JSON, test_cancelled);
  jx_test_add ("/juxta/core/models/ollama-detect", BUILTIN_JSON, test_detect_ollama);
  g_test_add_func ("/juxta/core/models/ollama-absent", test_detect_ollama_absent);
  jx_test_add ("/juxta/core/models/ollama-slow-or-foreign", BUILTIN_JSON, test_detect_ollama_slow_or_foreign);

  return g_test_run ();
}
