/* test-catalog.c — built-in catalog contents and the providers-file loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "jx-adapter.h"
#include "jx-catalog.h"

typedef struct
{
  const char *id;
  const char *protocol;
} Expected;

static const Expected expected_builtin[] = {
  { "openai", "openai" },
  { "azure-openai", "azure-openai" },
  { "anthropic", "anthropic" },
  { "gemini", "gemini" },
  { "vertex", "vertex" },
  { "bedrock", "bedrock" },
  { "cohere", "cohere" },
  { "mistral", "openai" },
  { "together", "openai" },
  { "fireworks", "openai" },
  { "replicate", "replicate" },
  { "huggingface", "openai" },
  { "groq", "openai" },
  { "openrouter", "openai" },
  { "portkey", "openai" },
  { "infron", "openai" },
  { "ollama", "ollama" },
  { "custom", "openai" },
  { "simulated", "simulated" },
};

static JxCatalog *
new_builtin (void)
{
  g_autoptr(GError) error = NULL;
  JxCatalog *catalog = jx_catalog_new_builtin (&error);

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  return catalog;
}

static void
test_builtin_providers (void)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  GPtrArray *providers = jx_catalog_get_providers (catalog);

  g_assert_cmpuint (providers->len, ==, G_N_ELEMENTS (expected_builtin));

  for (guint i = 0; i < G_N_ELEMENTS (expected_builtin); i++)
    {
      JxProvider *provider = jx_catalog_lookup (catalog, expected_builtin[i].id);

      g_test_message ("provider %s", expected_builtin[i].id);
      g_assert_nonnull (provider);
      g_assert_true (g_ptr_array_index (providers, i) == provider);
      g_assert_cmpstr (provider->protocol, ==, expected_builtin[i].protocol);
      g_assert_cmpstr (provider->builtin_id, ==, expected_builtin[i].id);
      g_assert_nonnull (provider->name);
      g_assert_nonnull (provider->base_url);
      g_assert_nonnull (jx_auth_kind_to_string (provider->auth_kind));

      if (g_str_equal (provider->id, "custom"))
        {
          g_assert_cmpuint (provider->models->len, ==, 0);
          g_assert_null (jx_provider_default_model (provider));
          continue;
        }

      g_assert_cmpuint (provider->models->len, >=, 2);
      g_assert_true (jx_provider_default_model (provider) == g_ptr_array_index (provider->models, 0));

      for (guint j = 0; j < provider->models->len; j++)
        {
          JxModel *model = g_ptr_array_index (provider->models, j);

          g_test_message ("  model %s", model->id);
          g_assert_nonnull (model->name);
          g_assert_cmpfloat (model->price.input_per_mtok, >=, 0);
          g_assert_cmpfloat (model->price.output_per_mtok, >=, 0);
          /* Cached / cache-write: a price, or -1 where the source has none. */
          g_assert_true (model->price.cached_input_per_mtok >= 0 ||
                         model->price.cached_input_per_mtok == -1);
          g_assert_true (model->price.cache_write_per_mtok >= 0 ||
                         model->price.cache_write_per_mtok == -1);
          g_assert_cmpfloat (model->batch_discount, >=, 0);
          g_assert_cmpfloat (model->batch_discount, <, 1);
          g_assert_cmpint (model->context_window, >=, 0);
          g_assert_nonnull (model->price_checked);
          g_assert_cmpstr (model->price_checked, !=, "");
          g_assert_false (model->price_overridden);
          g_assert_true (jx_provider_find_model (provider, model->id) == model);
        }
    }

  g_assert_null (jx_catalog_lookup (catalog, "nope"));
}

static void
test_builtin_details (void)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  JxProvider *p;
  JxModel *m;

  p = jx_catalog_lookup (catalog, "openai");
  g_assert_cmpstr (p->base_url, ==, "https://api.openai.com/v1");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "bearer");
  g_assert_cmpstr (p->api_key_env, ==, "OPENAI_API_KEY");
  g_assert_cmpstr (p->models_path, ==, "models");
  m = jx_provider_find_model (p, "gpt-4o");
  g_assert_nonnull (m);
  g_assert_cmpfloat_with_epsilon (m->price.input_per_mtok, 2.50, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->price.output_per_mtok, 10.00, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->batch_discount, 0.5, 1e-9);
  m = jx_provider_find_model (p, "gpt-5.4-mini");
  g_assert_cmpfloat_with_epsilon (m->price.cached_input_per_mtok, 0.075, 1e-9);
  g_assert_cmpint (m->context_window, ==, 1050000);
  g_assert_cmpstr (m->price_checked, ==, "2026-07");

  p = jx_catalog_lookup (catalog, "anthropic");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "x-api-key");
  g_assert_cmpstr (jx_provider_get_option (p, "anthropic_version"), ==, "2023-06-01");
  m = jx_provider_find_model (p, "claude-haiku-4-5");
  g_assert_cmpfloat_with_epsilon (m->price.cache_write_per_mtok, 1.25, 1e-9);
  /* The guide's comparison rows are present (flagged where retired). */
  g_assert_nonnull (jx_provider_find_model (p, "claude-3-5-sonnet-20241022"));
  g_assert_nonnull (jx_provider_find_model (jx_catalog_lookup (catalog, "gemini"), "gemini-2.0-flash"));

  p = jx_catalog_lookup (catalog, "azure-openai");
  g_assert_cmpstr (p->base_url, ==, "");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "api-key");
  g_assert_cmpstr (jx_provider_get_option (p, "api_version"), ==, "2024-10-21");
  g_assert_cmpstr (jx_provider_get_option (p, "endpoint_env"), ==, "AZURE_OPENAI_ENDPOINT");

  p = jx_catalog_lookup (catalog, "vertex");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "google-oauth");
  g_assert_cmpstr (p->api_key_env, ==, "GOOGLE_APPLICATION_CREDENTIALS");
  g_assert_nonnull (strstr (p->base_url, "{location}"));
  g_assert_cmpstr (jx_provider_get_option (p, "location"), ==, "us-central1");

  p = jx_catalog_lookup (catalog, "bedrock");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "aws");
  g_assert_cmpstr (p->api_key_env, ==, "AWS_ACCESS_KEY_ID");
  g_assert_cmpstr (p->base_url, ==, "https://bedrock-runtime.{region}.amazonaws.com");
  g_assert_cmpstr (jx_provider_get_option (p, "region"), ==, "us-east-1");
  g_assert_cmpstr (jx_provider_get_option (p, "bearer_token_env"), ==, "AWS_BEARER_TOKEN_BEDROCK");

  p = jx_catalog_lookup (catalog, "portkey");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "portkey");
  p = jx_catalog_lookup (catalog, "infron");
  g_assert_cmpstr (p->base_url, ==, "https://llm.onerouter.pro/v1");
  g_assert_cmpstr (p->api_key_env, ==, "INFRON_API_KEY");
  p = jx_catalog_lookup (catalog, "groq");
  g_assert_cmpstr (p->base_url, ==, "https://api.groq.com/openai/v1");
  p = jx_catalog_lookup (catalog, "mistral");
  g_assert_cmpstr (jx_provider_get_option (p, "stream_options"), ==, "false");

  p = jx_catalog_lookup (catalog, "ollama");
  g_assert_cmpstr (p->base_url, ==, "http://127.0.0.1:11434");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "none");
  g_assert_null (p->api_key_env);
  g_assert_nonnull (jx_provider_find_model (p, "llama3.2"));
  g_assert_cmpfloat (jx_provider_find_model (p, "llama3.2")->price.input_per_mtok, ==, 0);

  p = jx_catalog_lookup (catalog, "custom");
  g_assert_cmpstr (p->name, ==, "Custom OpenAI-compatible");
  g_assert_cmpstr (p->base_url, ==, "http://127.0.0.1:8000/v1");
  g_assert_cmpstr (p->api_key_env, ==, "CUSTOM_OPENAI_API_KEY");

  p = jx_catalog_lookup (catalog, "simulated");
  g_assert_cmpstr (p->name, ==, "Simulated (offline demo)");
  g_assert_cmpstr (p->base_url, ==, "simulated://");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "none");
  g_assert_cmpstr (jx_provider_get_option (p, "simulated"), ==, "true");
  g_assert_cmpuint (p->models->len, ==, 4);
  for (guint i = 0; i < p->models->len; i++)
    g_assert_true (g_str_has_prefix (((JxModel *) g_ptr_array_index (p->models, i))->id, "sim-"));
}

static void
test_shared_open_model (void)
{
  static const struct { const char *provider; const char *model; } hosts[] = {
    { "groq", "llama-3.3-70b-versatile" },
    { "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo" },
    { "fireworks", "accounts/fireworks/models/llama-v3p3-70b-instruct" },
    { "bedrock", "us.meta.llama3-3-70b-instruct-v1:0" },
  };
  g_autoptr(JxCatalog) catalog = new_builtin ();

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      JxProvider *provider = jx_catalog_lookup (catalog, hosts[i].provider);
      JxModel *model;

      g_assert_nonnull (provider);
      model = jx_provider_find_model (provider, hosts[i].model);
      g_assert_nonnull (model);
      g_assert_nonnull (strstr (model->name, "Llama 3.3 70B"));
      g_assert_cmpfloat (model->price.input_per_mtok, >, 0);
      g_assert_cmpfloat (model->price.output_per_mtok, >, 0);
    }

  /* The dated list prices differ per host, which is the point of the comparison. */
  g_assert_cmpfloat_with_epsilon (jx_provider_find_model (jx_catalog_lookup (catalog, "groq"),
                                                          hosts[0].model)->price.input_per_mtok,
                                  0.59, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_provider_find_model (jx_catalog_lookup (catalog, "bedrock"),
                                                          hosts[3].model)->price.output_per_mtok,
                                  0.72, 1e-9);
}

static char *
write_user_file (const char *contents)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "juxta", NULL);
  g_autofree char *path = g_build_filename (dir, "providers.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_user_file_absent (void)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "juxta", "providers.json", NULL);
  g_autoptr(GError) error = NULL;

  g_remove (path);
  g_assert_true (jx_catalog_load_user_file (catalog, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jx_catalog_get_providers (catalog)->len, ==, G_N_ELEMENTS (expected_builtin));
}

static void
test_user_file_adds_provider (void)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_user_file (
    "{\n"
    "  \"providers\": [\n"
    "    {\n"
    "      \"id\": \"my-vllm\",\n"
    "      \"protocol\": \"openai\",\n"
    "      \"base_url\": \"http://192.168.1.20:8000/v1\",\n"
    "      \"options\": {\"max_tokens_field\": \"max_tokens\", \"retries\": 3, \"temp\": 0.5},\n"
    "      \"models\": [\n"
    "        {\"id\": \"qwen3-32b\", \"input_per_mtok\": 0, \"output_per_mtok\": 0},\n"
    "        {\"id\": \"mistral-7b\", \"name\": \"Mistral 7B\", \"context_window\": 32768}\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n");
  JxProvider *p;
  JxModel *m;

  g_assert_true (jx_catalog_load_user_file (catalog, &error));
  g_assert_no_error (error);

  p = jx_catalog_lookup (catalog, "my-vllm");
  g_assert_nonnull (p);
  g_assert_true (g_ptr_array_index (jx_catalog_get_providers (catalog),
                                    G_N_ELEMENTS (expected_builtin)) == p);
  g_assert_null (p->builtin_id);
  g_assert_cmpstr (p->name, ==, "my-vllm");
  g_assert_cmpstr (p->protocol, ==, "openai");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "bearer");
  g_assert_null (p->api_key_env);
  g_assert_true (jx_provider_is_local (p));
  g_assert_cmpstr (jx_provider_get_option (p, "max_tokens_field"), ==, "max_tokens");
  g_assert_cmpstr (jx_provider_get_option (p, "retries"), ==, "3");
  g_assert_cmpstr (jx_provider_get_option (p, "temp"), ==, "0.5");
  g_assert_null (jx_provider_get_option (p, "missing"));

  m = jx_provider_default_model (p);
  g_assert_cmpstr (m->id, ==, "qwen3-32b");
  g_assert_cmpstr (m->name, ==, "qwen3-32b");
  g_assert_cmpfloat (m->price.input_per_mtok, ==, 0);
  g_assert_cmpfloat (m->price.cached_input_per_mtok, ==, -1);
  g_assert_false (m->price_overridden);
  m = jx_provider_find_model (p, "mistral-7b");
  g_assert_cmpstr (m->name, ==, "Mistral 7B");
  g_assert_cmpint (m->context_window, ==, 32768);
  g_assert_cmpfloat (m->price.input_per_mtok, ==, -1);
  g_assert_cmpfloat (m->price.output_per_mtok, ==, -1);
  g_assert_null (m->price_checked);

  /* A new ollama entry gets the default local URL. */
  g_assert_true (jx_catalog_load_data (catalog,
                                       "{\"providers\":[{\"id\":\"box\",\"protocol\":\"ollama\"}]}",
                                       -1, "providers.json", &error));
  g_assert_no_error (error);
  p = jx_catalog_lookup (catalog, "box");
  g_assert_cmpstr (p->base_url, ==, "http://127.0.0.1:11434");
  g_assert_cmpstr (jx_auth_kind_to_string (p->auth_kind), ==, "none");
}

static void
test_override_builtin (void)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JxProvider) before = jx_provider_ref (jx_catalog_lookup (catalog, "openai"));
  guint n_models = before->models->len;
  JxProvider *p;
  JxModel *m;
  const char *data =
    "{\"providers\":[\n"
    "  {\"id\":\"openai\",\"base_url\":\"https://proxy.example.com/v1\",\n"
    "   \"models\":[{\"id\":\"gpt-4o\",\"output_per_mtok\":9.5},\n"
    "             {\"id\":\"ft:gpt-4o:acme\",\"input_per_mtok\":3.75}]},\n"
    "  {\"id\":\"azure-openai\",\"base_url\":\"https://acme.openai.azure.com\",\n"
    "   \"options\":{\"api_version\":\"2025-04-01-preview\",\"url_form\":null}}\n"
    "]}\n";

  g_assert_true (jx_catalog_load_data (catalog, data, -1, "providers.json", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jx_catalog_get_providers (catalog)->len, ==, G_N_ELEMENTS (expected_builtin));

  p = jx_catalog_lookup (catalog, "openai");
  g_assert_true (g_ptr_array_index (jx_catalog_get_providers (catalog), 0) == p);
  g_assert_cmpstr (p->builtin_id, ==, "openai");
  g_assert_cmpstr (p->base_url, ==, "https://proxy.example.com/v1");
  g_assert_cmpstr (p->name, ==, "OpenAI");
  g_assert_cmpstr (p->protocol, ==, "openai");
  g_assert_cmpstr (p->api_key_env, ==, "OPENAI_API_KEY");
  g_assert_cmpuint (p->models->len, ==, n_models + 1);
  g_assert_cmpstr (jx_provider_default_model (p)->id, ==, "gpt-5.4-mini");

  m = jx_provider_find_model (p, "gpt-4o");
  g_assert_cmpfloat_with_epsilon (m->price.output_per_mtok, 9.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->price.input_per_mtok, 2.5, 1e-9);   /* kept */
  g_assert_cmpstr (m->name, ==, "GPT-4o");                               /* kept */
  g_assert_true (m->price_overridden);
  m = jx_provider_find_model (p, "ft:gpt-4o:acme");
  g_assert_nonnull (m);
  g_assert_cmpfloat_with_epsilon (m->price.input_per_mtok, 3.75, 1e-9);
  g_assert_false (jx_provider_find_model (p, "gpt-5")->price_overridden);

  /* Someone holding the old entry still sees it unchanged. */
  g_assert_true (before != p);
  g_assert_cmpstr (before->base_url, ==, "https://api.openai.com/v1");
  g_assert_cmpfloat_with_epsilon (jx_provider_find_model (before, "gpt-4o")->price.output_per_mtok,
                                  10.0, 1e-9);

  /* Options merge key by key; null removes. */
  p = jx_catalog_lookup (catalog, "azure-openai");
  g_assert_cmpstr (p->builtin_id, ==, "azure-openai");
  g_assert_cmpstr (p->base_url, ==, "https://acme.openai.azure.com");
  g_assert_cmpstr (jx_provider_get_option (p, "api_version"), ==, "2025-04-01-preview");
  g_assert_cmpstr (jx_provider_get_option (p, "endpoint_env"), ==, "AZURE_OPENAI_ENDPOINT");
  g_assert_null (jx_provider_get_option (p, "url_form"));
}

static void
assert_load_fails (const char *data,
                   int         code,
                   const char *must_contain1,
                   const char *must_contain2)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  g_autoptr(GError) error = NULL;

  g_assert_false (jx_catalog_load_data (catalog, data, -1, "providers.json", &error));
  g_assert_error (error, JX_CATALOG_ERROR, code);
  g_test_message ("error: %s", error->message);
  if (strstr (error->message, must_contain1) == NULL ||
      (must_contain2 != NULL && strstr (error->message, must_contain2) == NULL))
    g_error ("“%s” does not contain “%s” and “%s”", error->message, must_contain1,
             must_contain2 != NULL ? must_contain2 : "");
}

static void
test_error_bad_json (void)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jx-catalog-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "providers.json", NULL);
  g_autofree char *prefix = g_strdup_printf ("%s:3:", path);

  assert_load_fails ("{\n  \"providers\": [\n    {\"id\": \"x\",, }\n  ]\n}\n",
                     JX_CATALOG_ERROR_PARSE, "providers.json:3:", NULL);
  assert_load_fails ("", JX_CATALOG_ERROR_PARSE, "providers.json:", "empty");
  assert_load_fails ("[1, 2]", JX_CATALOG_ERROR_PARSE, "providers.json:1:", "“providers”");

  /* From a file: the message names the path. */
  g_file_set_contents (path, "{\n\"providers\": [\n  {\"id\": }\n]}\n", -1, &error);
  g_assert_no_error (error);
  g_assert_false (jx_catalog_load_file (catalog, path, &error));
  g_assert_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE);
  g_test_message ("error: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_clear_error (&error);

  /* A missing file is a plain file error. */
  g_remove (path);
  g_assert_false (jx_catalog_load_file (catalog, path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_rmdir (dir);
}

static void
test_error_unknown_protocol (void)
{
  assert_load_fails ("{\n"
                     "  \"providers\": [\n"
                     "    {\"id\": \"ok\", \"protocol\": \"openai\", \"base_url\": \"https://a.example/v1\"},\n"
                     "    {\n"
                     "      \"id\": \"my-vllm\",\n"
                     "      \"base_url\": \"http://localhost:8000/v1\",\n"
                     "      \"protocol\": \"opnai\"\n"
                     "    }\n"
                     "  ]\n"
                     "}\n",
                     JX_CATALOG_ERROR_INVALID,
                     "providers.json:7: field “protocol”: unknown protocol “opnai”",
                     "expected one of openai, azure-openai");

  /* json-glib accepts C comments and single quotes; the line finder skips them. */
  assert_load_fails ("{'providers': [ /* {\"protocol\": 1}\n */\n"
                     "  {'id': 'ab', 'x': [{}, 'a\"]', \"]\\\"}\"], 'protocol': 'opnai'}]}",
                     JX_CATALOG_ERROR_INVALID, "providers.json:3: field “protocol”", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\", \"models\": [\n{\"id\": \"gpt-4o\"},\n\n{\"name\": \"n\"}]}]}",
                     JX_CATALOG_ERROR_INVALID, "providers.json:4: field “id” of models[1]: missing", NULL);

  /* A new provider must say which protocol it speaks (line of its object). */
  assert_load_fails ("{\"providers\": [\n\n  {\"id\": \"x\", \"base_url\": \"https://x.example/v1\"}]}",
                     JX_CATALOG_ERROR_INVALID, "providers.json:3: field “protocol”: missing", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"x\", \"protocol\": \"anthropic\"}]}",
                     JX_CATALOG_ERROR_INVALID, "providers.json:1: field “base_url”: missing", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\",\n \"auth_kind\": \"basic\"}]}",
                     JX_CATALOG_ERROR_INVALID, "providers.json:2: field “auth_kind”", "basic");
}

static void
test_error_bad_url (void)
{
  static const char * const bad[] = {
    "ftp://example.com/v1",
    "http://",
    "api.openai.com/v1",
    "simulated://",
    "https://example.com/v1?key=1",
    "https://{project}.example.com/v1",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *data = g_strdup_printf ("{\"providers\": [\n"
                                               "  {\"id\": \"x\",\n"
                                               "   \"protocol\": \"openai\",\n"
                                               "   \"base_url\": \"%s\"}]}", bad[i]);

      assert_load_fails (data, JX_CATALOG_ERROR_INVALID,
                         "providers.json:4: field “base_url”: invalid base URL", NULL);
    }

  /* Overriding a built-in's URL is checked too. */
  assert_load_fails ("{\"providers\": [{\"id\": \"groq\", \"base_url\": \"groq\"}]}",
                     JX_CATALOG_ERROR_INVALID, "field “base_url”", "“groq”");

  /* Placeholders, https and a custom port are fine. */
  {
    g_autoptr(JxCatalog) catalog = new_builtin ();
    g_autoptr(GError) error = NULL;

    g_assert_true (jx_catalog_load_data (catalog,
                                         "{\"providers\": [{\"id\": \"v2\", \"protocol\": \"vertex\","
                                         " \"base_url\": \"https://{location}-aiplatform.googleapis.com\"},"
                                         " {\"id\": \"s2\", \"protocol\": \"simulated\"},"
                                         " {\"id\": \"p\", \"protocol\": \"openai\","
                                         " \"base_url\": \"https://[2001:db8::1]:8443/v1/\"}]}",
                                         -1, "providers.json", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (jx_catalog_lookup (catalog, "s2")->base_url, ==, "simulated://");
  }
}

static void
test_error_wrong_type (void)
{
  assert_load_fails ("{\"providers\": [\n  {\"id\": \"openai\",\n   \"name\": 5}]}",
                     JX_CATALOG_ERROR_INVALID,
                     "providers.json:3: field “name”: expected a string, got a number", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\", \"models\": [\n"
                     "  {\"id\": \"gpt-4o\"},\n"
                     "  {\"id\": \"m2\",\n"
                     "   \"input_per_mtok\": \"0.5\"}]}]}",
                     JX_CATALOG_ERROR_INVALID,
                     "providers.json:4: field “input_per_mtok” of model “m2”", "got a string");
  assert_load_fails ("{\"providers\": {\"id\": \"x\"}}",
                     JX_CATALOG_ERROR_INVALID, "field “providers”", "got an object");
  assert_load_fails ("{\"providers\": [\"openai\"]}",
                     JX_CATALOG_ERROR_INVALID, "providers[0]", "got a string");
  assert_load_fails ("{\"providers\": [{\"id\": 7}]}",
                     JX_CATALOG_ERROR_INVALID, "field “id”", "got a number");
  assert_load_fails ("{\"providers\": [{\"name\": \"No id\"}]}",
                     JX_CATALOG_ERROR_INVALID, "providers.json:1: field “id”: missing", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\", \"options\": [1]}]}",
                     JX_CATALOG_ERROR_INVALID, "field “options”", "got an array");
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\", \"models\": {}}]}",
                     JX_CATALOG_ERROR_INVALID, "field “models”", "got an object");
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\", \"models\": [{\"id\": \"a\", \"context_window\": 1.5}]}]}",
                     JX_CATALOG_ERROR_INVALID, "field “context_window” of model “a”", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\", \"models\": [{\"id\": \"a\", \"batch_discount\": 2}]}]}",
                     JX_CATALOG_ERROR_INVALID, "field “batch_discount” of model “a”", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"openai\"}, {\"id\": \"openai\"}]}",
                     JX_CATALOG_ERROR_INVALID, "listed twice", NULL);
  assert_load_fails ("{\"providers\": [{\"id\": \"my vllm\", \"protocol\": \"ollama\"}]}",
                     JX_CATALOG_ERROR_INVALID, "invalid provider id", NULL);
}

static void
test_all_or_nothing (void)
{
  g_autoptr(JxCatalog) catalog = new_builtin ();
  g_autoptr(GError) error = NULL;
  JxProvider *openai = jx_catalog_lookup (catalog, "openai");
  const char *data =
    "{\"providers\": [\n"
    "  {\"id\": \"good\", \"protocol\": \"openai\", \"base_url\": \"https://good.example/v1\"},\n"
    "  {\"id\": \"openai\", \"base_url\": \"https://proxy.example/v1\",\n"
    "   \"models\": [{\"id\": \"gpt-4o\", \"input_per_mtok\": 99}]},\n"
    "  {\"id\": \"bad\", \"protocol\": \"openai\", \"base_url\": \"gopher://x\"}\n"
    "]}";

  g_assert_false (jx_catalog_load_data (catalog, data, -1, "providers.json", &error));
  g_assert_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "providers.json:5:"));

  g_assert_null (jx_catalog_lookup (catalog, "good"));
  g_assert_null (jx_catalog_lookup (catalog, "bad"));
  g_assert_true (jx_catalog_lookup (catalog, "openai") == openai);
  g_assert_cmpstr (openai->base_url, ==, "https://api.openai.com/v1");
  g_assert_cmpfloat_with_epsilon (jx_provider_find_model (openai, "gpt-4o")->price.input_per_mtok,
                                  2.5, 1e-9);
  g_assert_cmpuint (jx_catalog_get_providers (catalog)->len, ==, G_N_ELEMENTS (expected_builtin));
}

static void
test_is_local (void)
{
  static const struct { const char *url; gboolean local; } cases[] = {
    { "http://127.0.0.1:11434", TRUE },
    { "http://127.8.9.10/v1", TRUE },
    { "http://localhost:8000/v1", TRUE },
    { "http://LOCALHOST./v1", TRUE },
    { "http://[::1]:8080/v1", TRUE },
    { "http://10.1.2.3/v1", TRUE },
    { "http://172.16.0.5/v1", TRUE },
    { "http://172.31.255.1/v1", TRUE },
    { "http://192.168.1.20:8000/v1", TRUE },
    /* Link-local is not local: 169.254.169.254 is the cloud metadata service. */
    { "http://169.254.10.1/v1", FALSE },
    { "http://[fe80::1]/v1", FALSE },
    { "http://[fd12:3456::1]/v1", TRUE },
    { "http://172.32.0.1/v1", FALSE },
    { "http://11.0.0.1/v1", FALSE },
    { "https://api.openai.com/v1", FALSE },
    { "https://localhost.example.com/v1", FALSE },
    { "https://[2001:db8::1]/v1", FALSE },
  };
  g_autoptr(JxCatalog) catalog = new_builtin ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *data = g_strdup_printf ("{\"providers\": [{\"id\": \"t%u\", \"protocol\": \"openai\","
                                               " \"base_url\": \"%s\"}]}", i, cases[i].url);
      g_autofree char *id = g_strdup_printf ("t%u", i);

      g_assert_true (jx_catalog_load_data (catalog, data, -1, "providers.json", &error));
      g_assert_no_error (error);
      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (jx_provider_is_local (jx_catalog_lookup (catalog, id)), ==, cases[i].local);
    }

  g_assert_true (jx_provider_is_local (jx_catalog_lookup (catalog, "ollama")));
  g_assert_true (jx_provider_is_local (jx_catalog_lookup (catalog, "simulated")));
  g_assert_true (jx_provider_is_local (jx_catalog_lookup (catalog, "custom")));
  g_assert_false (jx_provider_is_local (jx_catalog_lookup (catalog, "openai")));
  g_assert_false (jx_provider_is_local (jx_catalog_lookup (catalog, "azure-openai")));
  g_assert_false (jx_provider_is_local (jx_catalog_lookup (catalog, "vertex")));
}

/* The adapter table describes every protocol completely and consistently: the catalog,
 * keys, Preferences and model lists read nothing else. */
static void
test_descriptors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_autoptr(GHashTable) protocols = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const *names = jx_adapter_list_protocols ();
  GPtrArray *providers;
  guint n_simulated = 0;

  g_assert_no_error (error);
  g_assert_nonnull (names);
  g_assert_nonnull (names[0]);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const JxAdapter *adapter = jx_adapter_lookup (names[i]);
      const JxCredentialField *fields;
      g_autoptr(GHashTable) members = g_hash_table_new (g_str_hash, g_str_equal);
      guint required = 0;

      g_test_message ("protocol %s", names[i]);
      g_assert_nonnull (adapter);
      g_assert_cmpstr (adapter->protocol, ==, names[i]);
      g_assert_true (g_hash_table_add (protocols, (gpointer) names[i]));
      g_assert_nonnull (adapter->build_message);
      g_assert_nonnull (adapter->handle_event);
      g_assert_nonnull (jx_auth_kind_to_string (adapter->default_auth));
      g_assert_true ((adapter->resolve_credential_async == NULL) == (adapter->resolve_credential_finish == NULL));
      g_assert_true ((adapter->epilogue == NULL) == (adapter->finish_epilogue == NULL));
      if (adapter->default_base_url != NULL)
        g_assert_cmpstr (adapter->default_base_url, !=, "");
      if (adapter->list_query != NULL)
        g_assert_nonnull (adapter->build_list_message);
      n_simulated += adapter->is_simulated;

      /* Credential fields: labelled, the bare value only first, members unique, something
       * required, and every alternative can be completed. */
      fields = jx_adapter_get_credential_fields (adapter);
      g_assert_nonnull (fields);
      g_assert_nonnull (fields[0].label);
      for (guint j = 0; fields[j].label != NULL; j++)
        {
          g_assert_cmpstr (fields[j].label, !=, "");
          g_assert_cmpuint (fields[j].alternative, <, 32);
          if (fields[j].member == NULL)
            g_assert_cmpuint (j, ==, 0);
          else
            g_assert_true (g_hash_table_add (members, (gpointer) fields[j].member));
          if (fields[j].flags & JX_CREDENTIAL_FIELD_FILE_CONTENTS)
            g_assert_true (fields[j].env != NULL || (fields[j].flags & JX_CREDENTIAL_FIELD_KEY_ENV));
          if (!(fields[j].flags & JX_CREDENTIAL_FIELD_OPTIONAL))
            required++;
          if (fields[j].alternative != 0)
            {
              gboolean has_required = FALSE;

              for (guint k = 0; fields[k].label != NULL; k++)
                has_required |= fields[k].alternative == fields[j].alternative &&
                                !(fields[k].flags & JX_CREDENTIAL_FIELD_OPTIONAL);
              g_assert_true (has_required);
            }
        }
      g_assert_cmpuint (required, >, 0);

      /* LiteLLM names point at built-in providers of this protocol. */
      for (guint j = 0; adapter->litellm_providers != NULL && adapter->litellm_providers[j] != NULL; j += 2)
        {
          JxProvider *provider;

          g_assert_nonnull (adapter->litellm_providers[j + 1]);
          provider = jx_catalog_lookup (catalog, adapter->litellm_providers[j + 1]);
          g_assert_nonnull (provider);
          g_assert_cmpstr (provider->protocol, ==, adapter->protocol);
          g_assert_cmpstr (jx_adapter_provider_for_litellm (adapter->litellm_providers[j]), ==,
                           adapter->litellm_providers[j + 1]);
        }
    }
  g_assert_cmpuint (n_simulated, ==, 1);
  g_assert_null (jx_adapter_lookup ("no-such-protocol"));
  g_assert_null (jx_adapter_lookup (NULL));
  g_assert_null (jx_adapter_provider_for_litellm ("no-such-provider"));

  /* Every built-in provider has an adapter; the simulated one is the only simulated one,
   * and a provider with no auth_kind in catalog.json would get its adapter's default. */
  providers = jx_catalog_get_providers (catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);
      const JxAdapter *adapter = jx_adapter_for_provider (provider);

      g_assert_nonnull (adapter);
      g_assert_true (g_hash_table_contains (protocols, provider->protocol));
      g_assert_cmpint (jx_provider_is_simulated (provider), ==, adapter->is_simulated);
      g_assert_cmpint (jx_provider_is_simulated (provider), ==, g_str_equal (provider->id, "simulated"));
    }

  /* Auth kinds round-trip through their providers-file spelling. */
  for (JxAuthKind kind = JX_AUTH_BEARER; kind <= JX_AUTH_NONE; kind++)
    {
      JxAuthKind parsed = JX_AUTH_NONE;

      g_assert_true (jx_auth_kind_from_string (jx_auth_kind_to_string (kind), &parsed));
      g_assert_cmpint (parsed, ==, kind);
    }
  g_assert_false (jx_auth_kind_from_string ("basic", NULL));
}

/* A new provider that gives no auth_kind or base_url gets its protocol's. */
static void
test_descriptor_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  const char * const *names = jx_adapter_list_protocols ();

  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const JxAdapter *adapter = jx_adapter_lookup (names[i]);
      g_autofree char *id = g_strdup_printf ("new-%s", names[i]);
      g_autofree char *json = NULL;
      JxProvider *provider;

      json = g_strdup_printf ("{\"providers\":[{\"id\":\"%s\",\"protocol\":\"%s\"%s}]}", id, names[i],
                              adapter->default_base_url != NULL ? "" : ",\"base_url\":\"https://example.com\"");
      g_assert_true (jx_catalog_load_data (catalog, json, -1, NULL, &error));
      g_assert_no_error (error);
      provider = jx_catalog_lookup (catalog, id);
      g_assert_nonnull (provider);
      g_assert_cmpint (provider->auth_kind, ==, adapter->default_auth);
      if (adapter->default_base_url != NULL)
        g_assert_cmpstr (provider->base_url, ==, adapter->default_base_url);
    }
}

typedef struct
{
  const char *member;
  const char *value;
} FieldValue;

static const char *
field_value_cb (const JxCredentialField *field,
                gpointer                 user_data)
{
  const FieldValue *values = user_data;

  for (guint i = 0; values[i].value != NULL; i++)
    if (g_strcmp0 (values[i].member, field->member) == 0)
      return values[i].value;
  return NULL;
}

static JsonObject *
compose_object (const char       *protocol,
                const FieldValue *values)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = jx_adapter_compose_credential (jx_adapter_lookup (protocol), field_value_cb,
                                                               (gpointer) values, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (credential);
  node = json_from_string (credential, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* Credentials are put together from the adapter's fields, for Preferences and the
 * environment alike. */
static void
test_compose_credential (void)
{
  static const FieldValue bare[] = { { NULL, "sk-1" }, { NULL, NULL } };
  static const FieldValue access[] = {
    { "access_key_id", "AKID" }, { "secret_access_key", "SECRET" }, { "region", "eu-west-1" }, { NULL, NULL }
  };
  static const FieldValue both[] = {
    { "access_key_id", "AKID" }, { "secret_access_key", "SECRET" }, { "session_token", "TOKEN" },
    { "api_key", "BEARER" }, { NULL, NULL }
  };
  static const FieldValue half[] = { { "access_key_id", "AKID" }, { NULL, NULL } };
  static const FieldValue azure[] = { { "endpoint", "https://r.openai.azure.com" }, { "api_key", "az" }, { NULL, NULL } };
  static const FieldValue vertex[] = { { NULL, "{\"type\":\"service_account\"}" }, { "project", "p1" }, { NULL, NULL } };
  static const FieldValue vertex_bad[] = { { NULL, "not json" }, { "location", "global" }, { NULL, NULL } };
  static const FieldValue none[] = { { NULL, NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = NULL;
  g_autoptr(JsonObject) object = NULL;

  /* One bare key. */
  credential = jx_adapter_compose_credential (jx_adapter_lookup ("openai"), field_value_cb, (gpointer) bare, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credential, ==, "sk-1");
  g_clear_pointer (&credential, g_free);
  credential = jx_adapter_compose_credential (jx_adapter_lookup ("openai"), field_value_cb, (gpointer) none, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (credential);
  g_clear_error (&error);

  /* Bedrock: an access key pair, or a Bedrock API key, which wins when both are given. */
  object = compose_object ("bedrock", access);
  g_assert_cmpstr (json_object_get_string_member (object, "access_key_id"), ==, "AKID");
  g_assert_cmpstr (json_object_get_string_member (object, "secret_access_key"), ==, "SECRET");
  g_assert_cmpstr (json_object_get_string_member (object, "region"), ==, "eu-west-1");
  g_assert_false (json_object_has_member (object, "api_key"));
  g_clear_pointer (&object, json_object_unref);
  object = compose_object ("bedrock", both);
  g_assert_cmpstr (json_object_get_string_member (object, "api_key"), ==, "BEARER");
  g_assert_false (json_object_has_member (object, "access_key_id"));
  g_assert_false (json_object_has_member (object, "session_token"));
  g_clear_pointer (&object, json_object_unref);
  credential = jx_adapter_compose_credential (jx_adapter_lookup ("bedrock"), field_value_cb, (gpointer) half, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Secret Access Key"));
  g_assert_nonnull (strstr (error->message, "Bedrock API Key"));
  g_assert_null (credential);
  g_clear_error (&error);

  /* Azure: endpoint and key. */
  object = compose_object ("azure-openai", azure);
  g_assert_cmpstr (json_object_get_string_member (object, "endpoint"), ==, "https://r.openai.azure.com");
  g_assert_cmpstr (json_object_get_string_member (object, "api_key"), ==, "az");
  g_clear_pointer (&object, json_object_unref);

  /* Vertex: project and location are merged into the credentials JSON. */
  object = compose_object ("vertex", vertex);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "service_account");
  g_assert_cmpstr (json_object_get_string_member (object, "project"), ==, "p1");
  g_clear_pointer (&object, json_object_unref);
  credential = jx_adapter_compose_credential (jx_adapter_lookup ("vertex"), field_value_cb, (gpointer) vertex_bad, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (credential);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/catalog/builtin/providers", test_builtin_providers);
  g_test_add_func ("/catalog/builtin/details", test_builtin_details);
  g_test_add_func ("/catalog/builtin/shared-open-model", test_shared_open_model);
  g_test_add_func ("/catalog/user-file/absent", test_user_file_absent);
  g_test_add_func ("/catalog/user-file/adds-provider", test_user_file_adds_provider);
  g_test_add_func ("/catalog/override/builtin", test_override_builtin);
  g_test_add_func ("/catalog/error/bad-json", test_error_bad_json);
  g_test_add_func ("/catalog/error/unknown-protocol", test_error_unknown_protocol);
  g_test_add_func ("/catalog/error/bad-url", test_error_bad_url);
  g_test_add_func ("/catalog/error/wrong-type", test_error_wrong_type);
  g_test_add_func ("/catalog/error/all-or-nothing", test_all_or_nothing);
  g_test_add_func ("/catalog/is-local", test_is_local);
  g_test_add_func ("/catalog/descriptors/consistent", test_descriptors);
  g_test_add_func ("/catalog/descriptors/defaults", test_descriptor_defaults);
  g_test_add_func ("/catalog/descriptors/compose-credential", test_compose_credential);

  return g_test_run ();
}
