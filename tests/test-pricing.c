/* test-pricing.c — price overrides, LiteLLM import and the monthly cost planner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "jx-litellm.h"
#include "jx-planner.h"
#include "jx-price-overrides.h"

#define EPS 1e-9

/* Providers with stable made-up prices, one per usage semantics. */
static const char test_providers[] =
  "{\"providers\":["
  " {\"id\":\"acme\",\"protocol\":\"openai\",\"base_url\":\"https://acme.example/v1\",\"models\":["
  "   {\"id\":\"one\",\"input_per_mtok\":1,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2,"
  "    \"batch_discount\":0.5,\"context_window\":128000,\"price_checked\":\"2026-07\"},"
  "   {\"id\":\"two\",\"input_per_mtok\":3,\"output_per_mtok\":1},"
  "   {\"id\":\"free\",\"input_per_mtok\":0,\"output_per_mtok\":0},"
  "   {\"id\":\"unpriced\"}]},"
  " {\"id\":\"t-anthropic\",\"protocol\":\"anthropic\",\"base_url\":\"https://a.example/v1\",\"models\":["
  "   {\"id\":\"claude\",\"input_per_mtok\":3,\"cached_input_per_mtok\":0.3,"
  "    \"cache_write_per_mtok\":3.75,\"output_per_mtok\":15,\"batch_discount\":0.5}]},"
  " {\"id\":\"t-bedrock\",\"protocol\":\"bedrock\",\"base_url\":\"https://b.example\",\"models\":["
  "   {\"id\":\"claude\",\"input_per_mtok\":3,\"cached_input_per_mtok\":0.3,"
  "    \"cache_write_per_mtok\":3.75,\"output_per_mtok\":15}]},"
  " {\"id\":\"t-gemini\",\"protocol\":\"gemini\",\"base_url\":\"https://g.example/v1beta\",\"models\":["
  "   {\"id\":\"flash\",\"input_per_mtok\":0.3,\"cached_input_per_mtok\":0.03,\"output_per_mtok\":2.5}]},"
  " {\"id\":\"t-cohere\",\"protocol\":\"cohere\",\"base_url\":\"https://c.example\",\"models\":["
  "   {\"id\":\"command\",\"input_per_mtok\":2.5,\"output_per_mtok\":10}]}"
  "]}";

static JxCatalog *
test_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);

  g_assert_no_error (error);
  jx_catalog_load_data (catalog, test_providers, -1, "test-providers.json", &error);
  g_assert_no_error (error);
  return g_steal_pointer (&catalog);
}

static JxModel *
find_model (JxCatalog  *catalog,
            const char *provider_id,
            const char *model_id)
{
  JxProvider *provider = jx_catalog_lookup (catalog, provider_id);

  g_assert_nonnull (provider);
  return jx_provider_find_model (provider, model_id);
}

static GPtrArray *
plan_one (JxCatalog        *catalog,
          const JxWorkload *workload,
          const char       *provider_id,
          const char       *model_id,
          const JxUsage    *measured)
{
  g_autoptr(GError) error = NULL;
  JxPlanItem item;
  GPtrArray *rows;

  jx_plan_item_init (&item, provider_id, model_id);
  if (measured != NULL)
    {
      item.has_measured = TRUE;
      item.measured = *measured;
    }
  rows = jx_pricing_plan (catalog, workload, &item, 1, &error);
  jx_plan_item_clear (&item);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  return rows;
}

/* ---- arithmetic ----------------------------------------------------------------------- */

static void
test_blend (void)
{
  JxPrice price;

  jx_price_init (&price);
  g_assert_true (isnan (jx_price_blended (&price)));
  price.input_per_mtok = 2.5;
  price.output_per_mtok = 10;
  /* (3 × 2.5 + 10) / 4 */
  g_assert_cmpfloat_with_epsilon (jx_price_blended (&price), 4.375, EPS);
  g_assert_cmpstr (JX_PRICING_BLEND_LABEL, ==, "3:1 blend");
}

static void
test_usage_semantics (void)
{
  g_autoptr(JxCatalog) catalog = test_catalog ();
  JxWorkload workload;
  struct {
    const char *provider;
    const char *model;
    double      expected;  /* USD per request */
  } cases[5];
  guint n = 0;
  JxUsage usages[5];

  jx_workload_init (&workload);
  workload.requests_per_month = 1000;

  /* Anthropic: input_tokens excludes cache reads and writes; each is billed at its price:
   * 100 × 3 + 1000 × 0.3 + 200 × 3.75 + 50 × 15 = 2100 µ$ */
  jx_usage_from_anthropic (&usages[n], 100, 1000, 200, 50);
  g_assert_cmpint (usages[n].input_tokens, ==, 1300);
  cases[n++] = (typeof (cases[0])) { "t-anthropic", "claude", 2100e-6 };

  /* Bedrock counts like Anthropic. */
  jx_usage_from_bedrock (&usages[n], 100, 1000, 200, 50);
  cases[n++] = (typeof (cases[0])) { "t-bedrock", "claude", 2100e-6 };

  /* Gemini: thoughts are output. 600 × 0.3 + 400 × 0.03 + (100 + 300) × 2.5 = 1192 µ$ */
  jx_usage_from_gemini (&usages[n], 1000, 400, 100, 300);
  g_assert_cmpint (usages[n].output_tokens, ==, 400);
  cases[n++] = (typeof (cases[0])) { "t-gemini", "flash", 1192e-6 };

  /* Cohere: billed units, not raw tokens. 1000 × 2.5 + 80 × 10 = 3300 µ$ */
  jx_usage_from_cohere (&usages[n], 1200, 90, 1000, 80, -1);
  cases[n++] = (typeof (cases[0])) { "t-cohere", "command", 3300e-6 };

  /* OpenAI: cached ⊂ prompt. 500 × 1 + 500 × 0.5 + 200 × 2 = 1150 µ$ */
  jx_usage_from_openai (&usages[n], 1000, 500, 200, 50);
  cases[n++] = (typeof (cases[0])) { "acme", "one", 1150e-6 };

  for (guint i = 0; i < n; i++)
    {
      JxModel *model = find_model (catalog, cases[i].provider, cases[i].model);
      g_autoptr(GPtrArray) rows = NULL;
      JxPlanRow *row;

      g_test_message ("%s:%s", cases[i].provider, cases[i].model);
      g_assert_cmpfloat_with_epsilon (jx_price_cost (&model->price, &usages[i]),
                                      cases[i].expected, EPS);

      rows = plan_one (catalog, &workload, cases[i].provider, cases[i].model, &usages[i]);
      row = g_ptr_array_index (rows, 0);
      g_assert_true (row->measured);
      g_assert_cmpfloat_with_epsilon (row->per_request_usd, cases[i].expected, EPS);
      g_assert_cmpfloat_with_epsilon (row->monthly_usd, cases[i].expected * 1000, 1e-6);
    }

  /* Cohere rows show the billed counts. */
  {
    g_autoptr(GPtrArray) rows = plan_one (catalog, &workload, "t-cohere", "command", &usages[3]);
    JxPlanRow *row = g_ptr_array_index (rows, 0);

    g_assert_cmpint (row->input_tokens, ==, 1000);
    g_assert_cmpint (row->output_tokens, ==, 80);
  }

  /* Measured tokens with batch: the Anthropic discount applies on top. */
  workload.batch = TRUE;
  {
    g_autoptr(GPtrArray) rows = plan_one (catalog, &workload, "t-anthropic", "claude", &usages[0]);
    JxPlanRow *row = g_ptr_array_index (rows, 0);

    g_assert_true (row->batch_applied);
    g_assert_cmpfloat_with_epsilon (row->per_request_usd, 1050e-6, EPS);
  }

}

static void
test_plan_totals (void)
{
  g_autoptr(JxCatalog) catalog = test_catalog ();
  g_autoptr(GPtrArray) rows = NULL;
  JxWorkload workload;
  JxPlanRow *row;

  jx_workload_init (&workload);
  jx_workload_set_requests_per_day (&workload, 10000);
  g_assert_cmpfloat (workload.requests_per_month, ==, 300000);  /* 30-day months */
  workload.input_tokens = 1000;
  workload.output_tokens = 200;

  /* 300,000 × (1000 × $1 + 200 × $2) / 1e6 = 300,000 × $0.0014 = $420.00 */
  rows = plan_one (catalog, &workload, "acme", "one", NULL);
  row = g_ptr_array_index (rows, 0);
  g_assert_true (row->price_known);
  g_assert_false (row->measured);
  g_assert_cmpfloat_with_epsilon (row->per_request_usd, 0.0014, EPS);
  g_assert_cmpfloat_with_epsilon (row->monthly_usd, 420.0, 1e-6);
  g_assert_true (row->cheapest);
  g_assert_false (row->batch_applied);
  g_assert_false (row->batch_unavailable);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* 2× the tokens at the same rate doubles it: $840.00 */
  workload.input_tokens = 2000;
  workload.output_tokens = 400;
  rows = plan_one (catalog, &workload, "acme", "one", NULL);
  g_assert_cmpfloat_with_epsilon (((JxPlanRow *) rows->pdata[0])->monthly_usd, 840.0, 1e-6);
  g_clear_pointer (&rows, g_ptr_array_unref);
  workload.input_tokens = 1000;
  workload.output_tokens = 200;

  /* Cached share 0.5: 500 × $1 + 500 × $0.5 + 200 × $2 = 1150 µ$ → $345.00 */
  workload.cached_share = 0.5;
  rows = plan_one (catalog, &workload, "acme", "one", NULL);
  g_assert_cmpfloat_with_epsilon (((JxPlanRow *) rows->pdata[0])->monthly_usd, 345.0, 1e-6);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* No cached price: the cache share is billed at the input price. 1000 × 3 + 200 × 1 = 3200 µ$ */
  rows = plan_one (catalog, &workload, "acme", "two", NULL);
  g_assert_cmpfloat_with_epsilon (((JxPlanRow *) rows->pdata[0])->monthly_usd, 960.0, 1e-6);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Batch 50 % on top of the cache: $172.50 */
  workload.batch = TRUE;
  rows = plan_one (catalog, &workload, "acme", "one", NULL);
  row = g_ptr_array_index (rows, 0);
  g_assert_true (row->batch_applied);
  g_assert_cmpfloat_with_epsilon (row->monthly_usd, 172.5, 1e-6);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A model without a batch discount: unchanged, and the row says so. */
  rows = plan_one (catalog, &workload, "acme", "two", NULL);
  row = g_ptr_array_index (rows, 0);
  g_assert_false (row->batch_applied);
  g_assert_true (row->batch_unavailable);
  g_assert_cmpfloat_with_epsilon (row->monthly_usd, 960.0, 1e-6);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Unknown price: NAN, not cheapest. */
  rows = plan_one (catalog, &workload, "acme", "unpriced", NULL);
  row = g_ptr_array_index (rows, 0);
  g_assert_false (row->price_known);
  g_assert_true (isnan (row->monthly_usd));
  g_assert_false (row->cheapest);
}

static void
test_plan_sorting (void)
{
  g_autoptr(JxCatalog) catalog = test_catalog ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (JxPlanItem));
  const char *models[] = { "unpriced", "two", "one", "free" };
  JxWorkload workload;
  JxPlanItem item;
  double last = -1;
  guint n_priced = 0;
  GPtrArray *providers;

  g_array_set_clear_func (items, (GDestroyNotify) jx_plan_item_clear);
  jx_workload_init (&workload);
  workload.requests_per_month = 1000;
  workload.input_tokens = 1000;
  workload.output_tokens = 1000;

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      jx_plan_item_init (&item, "acme", models[i]);
      g_array_append_val (items, item);
    }
  rows = jx_pricing_plan (catalog, &workload, (JxPlanItem *) (gpointer) items->data, items->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (((JxPlanRow *) rows->pdata[0])->model_id, ==, "free");
  g_assert_cmpstr (((JxPlanRow *) rows->pdata[1])->model_id, ==, "one");  /* $3 */
  g_assert_cmpstr (((JxPlanRow *) rows->pdata[2])->model_id, ==, "two");  /* $4 */
  g_assert_cmpstr (((JxPlanRow *) rows->pdata[3])->model_id, ==, "unpriced");
  g_assert_true (((JxPlanRow *) rows->pdata[0])->cheapest);
  g_assert_false (((JxPlanRow *) rows->pdata[1])->cheapest);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Unknown model: an error naming it. */
  g_array_set_size (items, 0);
  jx_plan_item_init (&item, "acme", "nope");
  g_array_append_val (items, item);
  rows = jx_pricing_plan (catalog, &workload, (JxPlanItem *) (gpointer) items->data, 1, &error);
  g_assert_null (rows);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nope"));
  g_clear_error (&error);

  /* No items: every priced model, simulated and retired ones left out, ascending. */
  rows = jx_pricing_plan (catalog, &workload, NULL, 0, &error);
  g_assert_no_error (error);
  providers = jx_catalog_get_providers (catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);

      if (g_strcmp0 (provider->protocol, "simulated") != 0)
        for (guint j = 0; j < provider->models->len; j++)
          n_priced += jx_price_is_known (&((JxModel *) provider->models->pdata[j])->price) &&
                      !jx_model_is_retired (provider->models->pdata[j]);
    }
  g_assert_cmpuint (rows->len, ==, n_priced);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (((JxPlanRow *) rows->pdata[i])->model_id, !=, "claude-3-5-sonnet-20241022");
  g_assert_cmpuint (rows->len, >, 40);
  for (guint i = 0; i < rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpstr (row->provider_id, !=, "simulated");
      g_assert_true (row->price_known);
      g_assert_cmpfloat (row->monthly_usd, >=, last);
      g_assert_true (row->cheapest == (row->monthly_usd == 0));  /* Ollama and acme:free */
      last = row->monthly_usd;
    }
}

static void
test_items_from_responses (void)
{
  g_autoptr(GPtrArray) responses = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_response_unref);
  g_autoptr(GArray) items = NULL;
  JxResponse *r;
  JxPlanItem *item;

  for (guint i = 0; i < 3; i++)
    {
      r = jx_response_new ();
      r->provider_id = g_strdup (i < 2 ? "t-anthropic" : "t-gemini");
      r->model = g_strdup (i < 2 ? "claude" : "flash");
      r->status = JX_RESPONSE_OK;
      if (i < 2)
        jx_usage_from_anthropic (&r->usage, 100, 1000, 0, i == 0 ? 50 : 70);
      else
        jx_usage_from_gemini (&r->usage, 10, -1, 5, 5);
      r->timing.t_start = 1000;
      r->timing.t_first_token = 1000 + (i + 1) * 100000;  /* 100 ms, 200 ms, 300 ms */
      g_ptr_array_add (responses, r);
    }
  /* A failed one does not count. */
  r = jx_response_new ();
  r->provider_id = g_strdup ("t-gemini");
  r->model = g_strdup ("flash");
  r->status = JX_RESPONSE_ERROR;
  jx_usage_from_gemini (&r->usage, 99999, -1, 99999, -1);
  g_ptr_array_add (responses, r);

  items = jx_plan_items_from_responses (responses);
  g_assert_cmpuint (items->len, ==, 2);
  item = &g_array_index (items, JxPlanItem, 0);
  g_assert_cmpstr (item->provider_id, ==, "t-anthropic");
  g_assert_true (item->has_measured);
  g_assert_cmpint (item->measured.input_tokens, ==, 1100);
  g_assert_cmpint (item->measured.cached_input_tokens, ==, 1000);
  g_assert_cmpint (item->measured.output_tokens, ==, 60);  /* mean of 50 and 70 */
  g_assert_cmpfloat_with_epsilon (item->ttft_ms, 150, 1e-6);  /* median of 100, 200 */
  item = &g_array_index (items, JxPlanItem, 1);
  g_assert_cmpstr (item->model_id, ==, "flash");
  g_assert_cmpint (item->measured.output_tokens, ==, 10);
}

/* ---- overrides ------------------------------------------------------------------------ */

static JxPrice
make_price (double input,
            double cached,
            double output)
{
  JxPrice price;

  jx_price_init (&price);
  price.input_per_mtok = input;
  price.cached_input_per_mtok = cached;
  price.output_per_mtok = output;
  return price;
}

static JsonNode *
read_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

/* Overrides gpt-4o in @catalog; the file holds it, in the providers format. */
static void
override_and_check_file (JxCatalog     *catalog,
                         const char    *path,
                         const JxPrice *price)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JxModel *model;
  JsonObject *entry;

  g_assert_true (jx_pricing_set_override (catalog, "openai", "gpt-4o", price, &error));
  g_assert_no_error (error);
  model = find_model (catalog, "openai", "gpt-4o");
  g_assert_true (model->price_overridden);
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 1.0);
  g_assert_cmpfloat (model->price.cached_input_per_mtok, ==, 0.25);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, 4.0);
  g_assert_cmpfloat (model->batch_discount, ==, 0.5);  /* untouched */
  g_assert_false (find_model (catalog, "openai", "gpt-4o-mini")->price_overridden);

  /* The file holds it, in the providers format. */
  root = read_json (path);
  entry = json_array_get_object_element (
    json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "providers"), 0),
      "models"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, "gpt-4o");
  g_assert_cmpfloat (json_object_get_double_member (entry, "input_per_mtok"), ==, 1.0);
  g_assert_true (json_object_get_null_member (entry, "cache_write_per_mtok"));
}

/* A fresh catalog picks the override up; the full setter adds one for Haiku. */
static void
load_in_fresh_catalog (JxCatalog     *fresh,
                       const JxPrice *price)
{
  g_autoptr(GError) error = NULL;
  JxModel *model;

  g_assert_false (find_model (fresh, "openai", "gpt-4o")->price_overridden);
  g_assert_true (jx_pricing_load_overrides (fresh, &error));
  g_assert_no_error (error);
  model = find_model (fresh, "openai", "gpt-4o");
  g_assert_true (model->price_overridden);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, 4.0);
  g_assert_nonnull (model->price_checked);
  g_assert_cmpuint (strlen (model->price_checked), ==, 10);  /* today, YYYY-MM-DD */

  /* Batch and context through the full setter. */
  g_assert_true (jx_pricing_set_override_full (fresh, "anthropic", "claude-haiku-4-5", price,
                                               0.25, 50000, &error));
  g_assert_no_error (error);
  model = find_model (fresh, "anthropic", "claude-haiku-4-5");
  g_assert_cmpfloat (model->batch_discount, ==, 0.25);
  g_assert_cmpint (model->context_window, ==, 50000);

  /* Unknown model: error, file unchanged. */
  g_assert_false (jx_pricing_set_override (fresh, "openai", "gpt-nope", price, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

/* Resets gpt-4o in both catalogs, then Haiku: each leaves the file consistent. */
static void
reset_overrides (JxCatalog  *catalog,
                 JxCatalog  *fresh,
                 const char *path,
                 double      builtin_input,
                 double      builtin_output)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) third = NULL;
  g_autoptr(JsonNode) root = NULL;
  JxModel *model;

  /* Reset on the fresh catalog (its snapshot predates the overrides). */
  g_assert_true (jx_pricing_reset (fresh, "openai", "gpt-4o", &error));
  g_assert_no_error (error);
  model = find_model (fresh, "openai", "gpt-4o");
  g_assert_false (model->price_overridden);
  g_assert_cmpfloat (model->price.input_per_mtok, ==, builtin_input);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, builtin_output);
  g_assert_cmpstr (model->price_checked, ==, "2026-07");

  /* Gone from the file; the other override stays. */
  root = read_json (path);
  {
    JsonArray *providers = json_object_get_array_member (json_node_get_object (root), "providers");

    g_assert_cmpuint (json_array_get_length (providers), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (providers, 0), "id"),
                     ==, "anthropic");
  }

  /* Reset on the first catalog too, then a third catalog sees only Haiku overridden. */
  g_assert_true (jx_pricing_reset (catalog, "openai", "gpt-4o", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (find_model (catalog, "openai", "gpt-4o")->price.input_per_mtok, ==, builtin_input);
  third = jx_catalog_new_builtin (&error);
  g_assert_true (jx_pricing_load_overrides (third, &error));
  g_assert_false (find_model (third, "openai", "gpt-4o")->price_overridden);
  g_assert_true (find_model (third, "anthropic", "claude-haiku-4-5")->price_overridden);

  /* Reset of the last one leaves an empty, valid file. */
  g_assert_true (jx_pricing_reset (third, "anthropic", "claude-haiku-4-5", &error));
  g_assert_no_error (error);
  g_assert_false (find_model (third, "anthropic", "claude-haiku-4-5")->price_overridden);
  g_clear_pointer (&root, json_node_unref);
  root = read_json (path);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "providers")), ==, 0);
}

static void
test_override_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_autoptr(JxCatalog) fresh = NULL;
  g_autofree char *path = jx_pricing_get_overrides_path ();
  g_autofree char *expected_path = g_build_filename (g_get_user_data_dir (), "juxta", "prices.json", NULL);
  JxPrice price = make_price (1.0, 0.25, 4.0);
  JxModel *model;
  double builtin_input, builtin_output;

  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected_path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* No file: nothing to do. */
  g_assert_true (jx_pricing_load_overrides (catalog, &error));
  g_assert_no_error (error);

  model = find_model (catalog, "openai", "gpt-4o");
  builtin_input = model->price.input_per_mtok;
  builtin_output = model->price.output_per_mtok;
  g_assert_cmpfloat (builtin_input, ==, 2.5);
  g_assert_false (model->price_overridden);

  override_and_check_file (catalog, path, &price);

  /* A fresh catalog picks it up. */
  fresh = jx_catalog_new_builtin (&error);
  g_assert_no_error (error);
  load_in_fresh_catalog (fresh, &price);

  reset_overrides (catalog, fresh, path, builtin_input, builtin_output);
}

static void
test_override_bad_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_autofree char *path = jx_pricing_get_overrides_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* Unknown providers and models are skipped, not fatal. */
  g_file_set_contents (path,
                       "{\"providers\":[{\"id\":\"gone\",\"models\":[{\"id\":\"x\",\"input_per_mtok\":1}]},"
                       "{\"id\":\"openai\",\"models\":[{\"id\":\"gone\",\"input_per_mtok\":1},"
                       "{\"id\":\"gpt-4o\",\"output_per_mtok\":7}]}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (jx_pricing_load_overrides (catalog, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (find_model (catalog, "openai", "gpt-4o")->price.output_per_mtok, ==, 7);
  g_assert_null (find_model (catalog, "openai", "gone"));

  /* A bad value is an error naming the file. */
  g_file_set_contents (path, "{\"providers\":[{\"id\":\"openai\",\"models\":[{\"id\":\"gpt-4o\","
                       "\"batch_discount\":3}]}]}", -1, &error);
  g_assert_false (jx_pricing_load_overrides (catalog, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "prices.json"));
  g_clear_error (&error);

  g_file_set_contents (path, "{not json", -1, &error);
  g_assert_false (jx_pricing_load_overrides (catalog, &error));
  g_assert_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE);
}

static void
test_import_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_autoptr(JxCatalog) fresh = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "import-prices.json", NULL);
  guint n = 99;

  g_file_set_contents (path,
                       "{\"providers\":[{\"id\":\"gemini\",\"models\":[{\"id\":\"gemini-2.5-flash\","
                       "\"input_per_mtok\":0.1,\"output_per_mtok\":0.4,\"name\":\"ignored\"},"
                       "{\"id\":\"unknown\",\"input_per_mtok\":1,\"output_per_mtok\":1}]},"
                       "{\"id\":\"nobody\",\"models\":[{\"id\":\"m\",\"input_per_mtok\":1}]}]}",
                       -1, &error);
  g_assert_no_error (error);
  g_assert_true (jx_pricing_import_file (catalog, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (find_model (catalog, "gemini", "gemini-2.5-flash")->price.input_per_mtok, ==, 0.1);
  g_assert_true (find_model (catalog, "gemini", "gemini-2.5-flash")->price_overridden);

  fresh = jx_catalog_new_builtin (&error);
  g_assert_true (jx_pricing_load_overrides (fresh, &error));
  g_assert_cmpfloat (find_model (fresh, "gemini", "gemini-2.5-flash")->price.output_per_mtok, ==, 0.4);
  g_assert_cmpstr (find_model (fresh, "gemini", "gemini-2.5-flash")->name, !=, "ignored");

  g_assert_false (jx_pricing_import_file (catalog, "/nonexistent/prices.json", &n, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_unlink (path);
}

static void
test_litellm_map (void)
{
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("openai"), ==, "openai");
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("vertex_ai-language-models"), ==, "vertex");
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("vertex_ai-anthropic_models"), ==, "vertex");
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("bedrock_converse"), ==, "bedrock");
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("cohere_chat"), ==, "cohere");
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("together_ai"), ==, "together");
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("fireworks_ai"), ==, "fireworks");
  g_assert_cmpstr (jx_pricing_map_litellm_provider ("gemini"), ==, "gemini");
  g_assert_null (jx_pricing_map_litellm_provider ("dashscope"));
  g_assert_null (jx_pricing_map_litellm_provider (NULL));
}

static const char litellm_json[] =
  "{\n"
  "  \"sample_spec\": {\"input_cost_per_token\": 0.0, \"litellm_provider\": \"one of https://docs.litellm.ai/docs/providers\"},\n"
  "  \"gpt-4o\": {\"input_cost_per_token\": 2e-06, \"output_cost_per_token\": 8e-06,\n"
  "     \"cache_read_input_token_cost\": 1e-06, \"input_cost_per_token_batches\": 1e-06,\n"
  "     \"output_cost_per_token_batches\": 4e-06, \"max_input_tokens\": 100000,\n"
  "     \"max_output_tokens\": 16384, \"litellm_provider\": \"openai\", \"mode\": \"chat\"},\n"
  "  \"claude-haiku-4-5\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 5e-06,\n"
  "     \"cache_read_input_token_cost\": 1e-07, \"cache_creation_input_token_cost\": 1.25e-06,\n"
  "     \"max_input_tokens\": 200000, \"litellm_provider\": \"anthropic\", \"mode\": \"chat\"},\n"
  "  \"gemini/gemini-2.5-flash\": {\"input_cost_per_token\": 3e-07, \"output_cost_per_token\": 2.5e-06,\n"
  "     \"output_cost_per_reasoning_token\": 2.5e-06, \"litellm_provider\": \"gemini\", \"mode\": \"chat\"},\n"
  "  \"gemini-2.5-flash\": {\"input_cost_per_token\": 9e-07, \"output_cost_per_token\": 9e-06,\n"
  "     \"litellm_provider\": \"vertex_ai-language-models\", \"mode\": \"chat\"},\n"
  "  \"together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo\": {\"input_cost_per_token\": 8.8e-07,\n"
  "     \"output_cost_per_token\": 8.8e-07, \"litellm_provider\": \"together_ai\", \"mode\": \"chat\"},\n"
  "  \"command-r-08-2024\": {\"input_cost_per_token\": 1.5e-07, \"output_cost_per_token\": 6e-07,\n"
  "     \"litellm_provider\": \"cohere_chat\", \"mode\": \"chat\"},\n"
  "  \"gpt-unknown\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 1e-06, \"litellm_provider\": \"openai\", \"mode\": \"chat\"},\n"
  "  \"gpt-no-mode\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 1e-06, \"litellm_provider\": \"openai\"},\n"
  "  \"qwen-max\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 1e-06, \"litellm_provider\": \"dashscope\"},\n"
  "  \"gemini/gemini-2.5-pro\": {\"input_cost_per_token\": 1.25e-06, \"output_cost_per_token\": 1e-05,\n"
  "     \"cache_read_input_token_cost\": 3.1e-07, \"input_cost_per_token_above_200k_tokens\": 2.5e-06,\n"
  "     \"output_cost_per_token_above_200k_tokens\": 1.5e-05,\n"
  "     \"cache_read_input_token_cost_above_200k_tokens\": 6.25e-07, \"litellm_provider\": \"gemini\", \"mode\": \"chat\"},\n"
  "  \"gemini/gemini-2.0-flash\": {\"input_cost_per_token\": 1e-07, \"output_cost_per_token\": 4e-07,\n"
  "     \"deprecation_date\": \"2026-06-01\", \"litellm_provider\": \"gemini\", \"mode\": \"chat\"},\n"
  "  \"bedrock/us-east-1/anthropic.claude-test-v1:0\": {\"input_cost_per_token\": 1e-06,\n"
  "     \"output_cost_per_token\": 1e-06, \"litellm_provider\": \"bedrock\", \"mode\": \"chat\"},\n"
  "  \"text-embedding-3-small\": {\"input_cost_per_token\": 2e-08, \"output_cost_per_token\": 0.0,\n"
  "     \"litellm_provider\": \"openai\", \"mode\": \"embedding\"},\n"
  "  \"replicate/acme/llama-on-a100\": {\"input_cost_per_token\": 0.0, \"output_cost_per_token\": 0.0,\n"
  "     \"input_cost_per_second\": 0.0014, \"litellm_provider\": \"replicate\", \"mode\": \"chat\"}\n"
  "}\n";

static void
test_litellm_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_autoptr(JxCatalog) fresh = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "model_prices_and_context_window.json", NULL);
  JxModel *model;
  guint n = 0;

  g_file_set_contents (path, litellm_json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (jx_pricing_import_litellm (catalog, path, &n, &error));
  g_assert_no_error (error);
  /* 6 catalog models, gemini-2.5-pro and gemini-2.0-flash updated, gpt-unknown and the
   * Replicate model added; the embedding model and the unknown provider are not. */
  g_assert_cmpuint (n, ==, 10);

  model = find_model (catalog, "openai", "gpt-4o");
  g_assert_true (model->price_overridden);
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 2.0);  /* exact after ×1e6 */
  g_assert_cmpfloat (model->price.cached_input_per_mtok, ==, 1.0);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, 8.0);
  g_assert_cmpfloat (model->batch_discount, ==, 0.5);
  g_assert_cmpint (model->context_window, ==, 100000);
  g_assert_false (find_model (catalog, "azure-openai", "gpt-4o")->price_overridden);

  model = find_model (catalog, "anthropic", "claude-haiku-4-5");
  g_assert_cmpfloat (model->price.cached_input_per_mtok, ==, 0.1);
  g_assert_cmpfloat (model->price.cache_write_per_mtok, ==, 1.25);

  /* "gemini/" prefix → Gemini API; the bare key with a vertex_ai provider → Vertex. */
  g_assert_cmpfloat (find_model (catalog, "gemini", "gemini-2.5-flash")->price.input_per_mtok, ==, 0.3);
  g_assert_cmpfloat (find_model (catalog, "vertex", "gemini-2.5-flash")->price.input_per_mtok, ==, 0.9);
  g_assert_cmpfloat (find_model (catalog, "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")->price.output_per_mtok,
                     ==, 0.88);
  g_assert_cmpfloat (find_model (catalog, "cohere", "command-r-08-2024")->price.input_per_mtok, ==, 0.15);

  /* Long-context tiers, deprecation, source and date. */
  model = find_model (catalog, "gemini", "gemini-2.5-pro");
  g_assert_cmpuint (model->price.n_tiers, ==, 1);
  g_assert_cmpint (model->price.tiers[0].above_input_tokens, ==, 200000);
  g_assert_cmpfloat (model->price.tiers[0].input_per_mtok, ==, 2.5);
  g_assert_cmpfloat (model->price.tiers[0].output_per_mtok, ==, 15.0);
  g_assert_cmpfloat (model->price.tiers[0].cached_input_per_mtok, ==, 0.625);
  g_assert_true (g_str_has_prefix (model->price_source, "LiteLLM 20"));
  g_assert_cmpstr (find_model (catalog, "gemini", "gemini-2.0-flash")->deprecated, ==, "2026-06-01");

  /* A chat model the catalog lacked is added with its prices; others are not. */
  model = find_model (catalog, "openai", "gpt-unknown");
  g_assert_true (model->imported);
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 1.0);
  g_assert_true (g_str_has_prefix (model->price_source, "LiteLLM 20"));
  g_assert_null (jx_provider_find_model (jx_catalog_lookup (catalog, "openai"), "text-embedding-3-small"));
  g_assert_null (jx_provider_find_model (jx_catalog_lookup (catalog, "openai"), "gpt-no-mode"));
  /* A region-prefixed key is a variant, not a model of its own. */
  g_assert_cmpuint (jx_catalog_lookup (catalog, "bedrock")->models->len, ==,
                    jx_catalog_lookup (jx_catalog_get_builtin (), "bedrock")->models->len);
  model = find_model (catalog, "replicate", "acme/llama-on-a100");
  g_assert_cmpfloat (model->price.per_second_usd, ==, 0.0014);

  /* Persisted as overrides. */
  fresh = jx_catalog_new_builtin (&error);
  g_assert_true (jx_pricing_load_overrides (fresh, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (find_model (fresh, "vertex", "gemini-2.5-flash")->price.output_per_mtok, ==, 9.0);
  g_assert_true (find_model (fresh, "cohere", "command-r-08-2024")->price_overridden);
  g_assert_cmpfloat (find_model (fresh, "openai", "gpt-unknown")->price.output_per_mtok, ==, 1.0);
  g_assert_true (find_model (fresh, "openai", "gpt-unknown")->imported);
  g_assert_cmpuint (find_model (fresh, "gemini", "gemini-2.5-pro")->price.n_tiers, ==, 1);

  /* Not LiteLLM's shape. */
  g_file_set_contents (path, "[1,2]", -1, &error);
  g_assert_false (jx_pricing_import_litellm (catalog, path, &n, &error));
  g_assert_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/juxta/core/pricing/blend", test_blend);
  g_test_add_func ("/juxta/core/pricing/usage-semantics", test_usage_semantics);
  g_test_add_func ("/juxta/core/pricing/plan-totals", test_plan_totals);
  g_test_add_func ("/juxta/core/pricing/plan-sorting", test_plan_sorting);
  g_test_add_func ("/juxta/core/pricing/plan-from-responses", test_items_from_responses);
  g_test_add_func ("/juxta/core/pricing/overrides-round-trip", test_override_round_trip);
  g_test_add_func ("/juxta/core/pricing/overrides-bad-file", test_override_bad_file);
  g_test_add_func ("/juxta/core/pricing/import-file", test_import_file);
  g_test_add_func ("/juxta/core/pricing/import-litellm-map", test_litellm_map);
  g_test_add_func ("/juxta/core/pricing/import-litellm", test_litellm_import);

  return g_test_run ();
}
