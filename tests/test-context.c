/* test-context.c — one place loads the catalog, the user's files and prices.json for every
 * front end; a price override reaches what `compare` and the window run on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jx-context.h"
#include "jx-price-overrides.h"
#include "jx-test-util.h"

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
remove_file (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_unlink (path);
}

static char *
prices_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "juxta", NULL);
}

static JxModel *
lookup_model (JxCatalog  *catalog,
              const char *provider_id,
              const char *model_id)
{
  JxProvider *provider = jx_catalog_lookup (catalog, provider_id);

  g_assert_nonnull (provider);
  return jx_provider_find_model (provider, model_id);
}

/* sim-fast is $0.10 / $0.40 in the catalog; prices.json makes it $100 / $100. */
static void
test_prices_override (void)
{
  g_autofree char *dir = prices_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JxContext) context = NULL;
  g_autoptr(JxResponse) response = NULL;
  JxModel *model;
  gint64 tokens;

  write_file (dir, "prices.json",
              "{\"providers\":[{\"id\":\"simulated\",\"models\":[{\"id\":\"sim-fast\","
              "\"input_per_mtok\":100,\"output_per_mtok\":100}]}]}");

  context = jx_context_new (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
  g_assert_true (jx_engine_get_catalog (jx_context_get_engine (context)) == jx_context_get_catalog (context));

  model = lookup_model (jx_context_get_catalog (context), "simulated", "sim-fast");
  g_assert_nonnull (model);
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 100);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, 100);
  g_assert_true (model->price_overridden);

  /* The shipped defaults stay readable, untouched. */
  model = lookup_model (jx_context_get_builtin_catalog (context), "simulated", "sim-fast");
  g_assert_cmpfloat_with_epsilon (model->price.input_per_mtok, 0.10, 1e-12);
  g_assert_false (model->price_overridden);

  /* A request on the context's engine is priced with the override. */
  response = jx_test_run (jx_context_get_engine (context), "simulated", "sim-fast", NULL, NULL);
  g_assert_cmpint (response->status, ==, JX_RESPONSE_OK);
  tokens = response->usage.input_tokens + response->usage.output_tokens;
  g_assert_cmpint (tokens, >, 0);
  g_assert_cmpfloat_with_epsilon (response->cost_usd, tokens * 100.0 / 1e6, 1e-12);

  remove_file (dir, "prices.json");
}

/* The extra providers file is read before prices.json, so an override can price its models;
 * without an argument $JUXTA_PROVIDERS_FILE is that file. */
static void
test_order_and_env (void)
{
  g_autofree char *dir = prices_dir ();
  g_autofree char *tmp = g_dir_make_tmp ("juxta-context-XXXXXX", NULL);
  g_autofree char *providers = g_build_filename (tmp, "extra.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JxContext) by_arg = NULL;
  g_autoptr(JxContext) by_env = NULL;
  JxModel *model;

  write_file (tmp, "extra.json",
              "{\"providers\":[{\"id\":\"acme\",\"protocol\":\"openai\",\"base_url\":\"https://acme.example/v1\","
              "\"models\":[{\"id\":\"one\",\"input_per_mtok\":1,\"output_per_mtok\":2}]}]}");
  write_file (dir, "prices.json",
              "{\"providers\":[{\"id\":\"acme\",\"models\":[{\"id\":\"one\","
              "\"input_per_mtok\":7,\"output_per_mtok\":8}]}]}");

  by_arg = jx_context_new (providers, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jx_context_get_providers_file (by_arg), ==, providers);
  model = lookup_model (jx_context_get_catalog (by_arg), "acme", "one");
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 7);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, 8);

  g_setenv ("JUXTA_PROVIDERS_FILE", providers, TRUE);
  by_env = jx_context_new (NULL, NULL, &error);
  g_unsetenv ("JUXTA_PROVIDERS_FILE");
  g_assert_no_error (error);
  model = lookup_model (jx_context_get_catalog (by_env), "acme", "one");
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 7);

  remove_file (dir, "prices.json");
  remove_file (tmp, "extra.json");
  g_rmdir (tmp);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* Reloading reads prices.json again, replaces catalog and engine and says so. */
static void
test_reload (void)
{
  g_autofree char *dir = prices_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JxContext) context = jx_context_new (NULL, NULL, &error);
  JxCatalog *before;
  guint catalog_notified = 0;
  guint engine_notified = 0;
  JxModel *model;

  g_assert_no_error (error);
  before = jx_context_get_catalog (context);
  model = lookup_model (before, "simulated", "sim-large");
  g_assert_cmpfloat_with_epsilon (model->price.input_per_mtok, 5.0, 1e-12);

  write_file (dir, "prices.json",
              "{\"providers\":[{\"id\":\"simulated\",\"models\":[{\"id\":\"sim-large\","
              "\"input_per_mtok\":3,\"output_per_mtok\":4}]}]}");
  g_signal_connect (context, "notify::catalog", G_CALLBACK (count_notify), &catalog_notified);
  g_signal_connect (context, "notify::engine", G_CALLBACK (count_notify), &engine_notified);
  g_assert_true (jx_context_reload (context, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (catalog_notified, ==, 1);
  g_assert_cmpuint (engine_notified, ==, 1);
  g_assert_true (jx_context_get_catalog (context) != before);
  model = lookup_model (jx_context_get_catalog (context), "simulated", "sim-large");
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 3);

  remove_file (dir, "prices.json");
}

/* A broken prices.json is an error of its own stage (the CLI exits 1, not 2); the lenient
 * constructor (the window's) warns and keeps the catalog prices. */
static void
test_errors (void)
{
  g_autofree char *dir = prices_dir ();
  g_autofree char *tmp = g_dir_make_tmp ("juxta-context-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (tmp, "bad.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JxContext) context = NULL;
  JxContextStage stage = JX_CONTEXT_STAGE_PROVIDERS;

  write_file (dir, "prices.json", "{\"providers\": 3");
  context = jx_context_new (NULL, &stage, &error);
  g_assert_null (context);
  g_assert_nonnull (error);
  g_assert_cmpint (stage, ==, JX_CONTEXT_STAGE_PRICES);
  g_clear_error (&error);

  if (g_test_subprocess ())
    {
      /* The warning is the point here: not fatal in this child. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      context = jx_context_new_lenient (NULL);
      g_assert_nonnull (jx_context_get_catalog (context));
      g_assert_cmpfloat_with_epsilon (lookup_model (jx_context_get_catalog (context), "simulated", "sim-fast")->price.input_per_mtok,
                                      0.10, 1e-12);
      remove_file (dir, "prices.json");
      remove_file (tmp, "bad.json");
      g_rmdir (tmp);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Could not apply the price overrides*");
  remove_file (dir, "prices.json");

  write_file (tmp, "bad.json", "{\"providers\":[{\"id\":\"x\",\"protocol\":\"opnai\",\"base_url\":\"http://h/v1\"}]}");
  stage = JX_CONTEXT_STAGE_PRICES;
  context = jx_context_new (bad, &stage, &error);
  g_assert_null (context);
  g_assert_nonnull (error);
  g_assert_cmpint (stage, ==, JX_CONTEXT_STAGE_PROVIDERS);

  remove_file (tmp, "bad.json");
  g_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("juxta-test-context-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *juxta_dir = g_build_filename (data, "juxta", NULL);
  int ret;

  /* Private data and config dirs for prices.json and providers.json; the system dirs stay,
   * since the engine reads the proxy settings schema from them. */
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/context/prices-override", test_prices_override);
  g_test_add_func ("/juxta/core/context/order-and-env", test_order_and_env);
  g_test_add_func ("/juxta/core/context/reload", test_reload);
  g_test_add_func ("/juxta/core/context/errors", test_errors);

  ret = g_test_run ();

  g_rmdir (juxta_dir);
  g_rmdir (data);
  g_rmdir (config);
  g_rmdir (home);
  return ret;
}
