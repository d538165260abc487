/* test-planner.c — the planner view: a workload in, sorted rows and the cost chart out
 *
 * Needs a display (run under Xvfb). Saves the chart to $G_TEST_BUILDDIR/screenshots/planner.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "jx-test-ui.h"
#include "jx-planner-view-private.h"

static const char test_providers[] =
  "{\"providers\":[{\"id\":\"acme\",\"name\":\"Acme\",\"protocol\":\"openai\","
  "\"base_url\":\"https://acme.example/v1\",\"models\":["
  "{\"id\":\"one\",\"name\":\"One\",\"input_per_mtok\":1,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2,\"batch_discount\":0.5},"
  "{\"id\":\"two\",\"name\":\"Two\",\"input_per_mtok\":3,\"output_per_mtok\":1},"
  "{\"id\":\"three\",\"name\":\"Three\",\"input_per_mtok\":0.5,\"output_per_mtok\":4}]}]}";

static JxResponse *
make_response (const char *model,
               gint64      input,
               gint64      output,
               gint64      ttft_us)
{
  JxResponse *r = jx_response_new ();

  r->provider_id = g_strdup ("acme");
  r->model = g_strdup (model);
  r->status = JX_RESPONSE_OK;
  jx_usage_from_openai (&r->usage, input, -1, output, -1);
  r->timing.t_start = 1;
  r->timing.t_first_token = 1 + ttft_us;
  return r;
}

static JxPlanRow *
row_at (GPtrArray *rows,
        guint      i)
{
  return g_ptr_array_index (rows, i);
}

static void
test_planner_workload (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_autoptr(GPtrArray) responses = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_response_unref);
  g_autofree char *csv = NULL;
  g_autofree char *md = NULL;
  GtkWidget *window;
  GtkWidget *view;
  GPtrArray *rows;
  JxWorkload workload;

  g_assert_no_error (error);
  jx_catalog_load_data (catalog, test_providers, -1, "test", &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 780);
  view = jx_planner_view_new (catalog);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));

  /* No round yet: every priced catalog model. */
  rows = jx_planner_view_get_rows (JX_PLANNER_VIEW (view));
  g_assert_cmpuint (rows->len, >, 40);

  /* A round over the three acme models. */
  g_ptr_array_add (responses, make_response ("one", 2000, 100, 300000));
  g_ptr_array_add (responses, make_response ("two", 2000, 100, 200000));
  g_ptr_array_add (responses, make_response ("three", 2000, 100, 100000));
  jx_planner_view_set_measured (JX_PLANNER_VIEW (view), responses);

  /* 10,000 requests a day, 1000 in, 200 out. */
  jx_workload_init (&workload);
  jx_workload_set_requests_per_day (&workload, 10000);
  workload.input_tokens = 1000;
  workload.output_tokens = 200;
  jx_planner_view_set_workload (JX_PLANNER_VIEW (view), &workload);

  rows = jx_planner_view_get_rows (JX_PLANNER_VIEW (view));
  g_assert_cmpuint (rows->len, ==, 3);
  /* one: 300,000 × 1400 µ$ = $420; three: 300,000 × 1300 µ$ = $390; two: 300,000 × 3200 µ$ = $960 */
  g_assert_cmpstr (row_at (rows, 0)->model_id, ==, "three");
  g_assert_cmpfloat_with_epsilon (row_at (rows, 0)->monthly_usd, 390.0, 1e-6);
  g_assert_true (row_at (rows, 0)->cheapest);
  g_assert_cmpstr (row_at (rows, 1)->model_id, ==, "one");
  g_assert_cmpfloat_with_epsilon (row_at (rows, 1)->monthly_usd, 420.0, 1e-6);
  g_assert_false (row_at (rows, 1)->cheapest);
  g_assert_cmpstr (row_at (rows, 2)->model_id, ==, "two");
  g_assert_cmpfloat_with_epsilon (row_at (rows, 2)->monthly_usd, 960.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (row_at (rows, 0)->ttft_ms, 100.0, 1e-6);

  /* Batch: one halves to $210 and becomes the cheapest; the others have no batch price. */
  workload.batch = TRUE;
  jx_planner_view_set_workload (JX_PLANNER_VIEW (view), &workload);
  rows = jx_planner_view_get_rows (JX_PLANNER_VIEW (view));
  g_assert_cmpstr (row_at (rows, 0)->model_id, ==, "one");
  g_assert_cmpfloat_with_epsilon (row_at (rows, 0)->monthly_usd, 210.0, 1e-6);
  g_assert_true (row_at (rows, 1)->batch_unavailable);

  csv = jx_planner_view_to_csv (JX_PLANNER_VIEW (view));
  g_assert_true (g_str_has_prefix (csv, "provider,model,per_request_usd,monthly_usd,cheapest,batch\r\n"
                                        "\"acme\",\"one\",0.0007000000,210.000000,true,\"applied\"\r\n"));
  md = jx_planner_view_to_markdown (JX_PLANNER_VIEW (view));
  g_assert_nonnull (strstr (md, "| Acme | One | $0.000700 | $210.00 | cheapest |"));

  workload.batch = FALSE;
  jx_planner_view_set_workload (JX_PLANNER_VIEW (view), &workload);

  gtk_test_widget_wait_for_draw (window);
  g_free (jx_test_save_screenshot (jx_planner_view_get_chart (JX_PLANNER_VIEW (view)), "planner.png"));
  g_free (jx_test_save_screenshot (view, "planner-view.png"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_label_containing (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_containing (child, text))
      return TRUE;
  return FALSE;
}

/* Pricing models other than tokens: compute time (given, then measured) and a
 * subscription with an included quota; and a long-context request. */
static void
test_planner_billing (void)
{
  static const char gpu_providers[] =
    "{\"providers\":[{\"id\":\"gpuhost\",\"name\":\"GPU host\",\"protocol\":\"openai\","
    "\"base_url\":\"https://gpu.example/v1\",\"models\":["
    "{\"id\":\"gpu\",\"name\":\"GPU model\",\"per_second_usd\":0.0014}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_autoptr(GPtrArray) responses = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_response_unref);
  JxSubscription subscription;
  JxResponse *response;
  GtkWidget *window;
  GtkWidget *view;
  GPtrArray *rows;
  JxWorkload workload;
  JxPlanRow *gpu = NULL, *team = NULL, *gemini = NULL;

  g_assert_no_error (error);
  jx_catalog_load_data (catalog, gpu_providers, -1, "test", &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  view = jx_planner_view_new (catalog);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));

  /* 1000 requests a day of 300k input tokens, 10 s of compute each, and a plan of $500 a
   * month with 20,000 requests included and $0.05 per extra request. */
  g_assert_true (jx_subscription_parse (&subscription, "team:500:20k:0.05", &error));
  jx_workload_init (&workload);
  jx_workload_set_requests_per_day (&workload, 1000);
  workload.input_tokens = 300000;
  workload.output_tokens = 1000;
  workload.seconds_per_request = 10;
  workload.subscriptions = &subscription;
  workload.n_subscriptions = 1;
  jx_planner_view_set_workload (JX_PLANNER_VIEW (view), &workload);
  jx_subscription_clear (&subscription);

  rows = jx_planner_view_get_rows (JX_PLANNER_VIEW (view));
  for (guint i = 0; i < rows->len; i++)
    {
      JxPlanRow *row = row_at (rows, i);

      if (g_str_equal (row->model_id, "gpu"))
        gpu = row;
      else if (g_str_equal (row->provider_id, "subscription"))
        team = row;
      else if (g_str_equal (row->provider_id, "gemini") && g_str_equal (row->model_id, "gemini-2.5-pro"))
        gemini = row;
    }
  g_assert_nonnull (gpu);
  g_assert_nonnull (team);
  g_assert_nonnull (gemini);
  /* 10 s × $0.0014 × 30,000 = $420. */
  g_assert_cmpint (gpu->billing, ==, JX_PLAN_BILLING_PER_SECOND);
  g_assert_cmpfloat_with_epsilon (gpu->monthly_usd, 420.0, 1e-6);
  /* $500 + 10,000 × $0.05 = $1,000. */
  g_assert_cmpint (team->billing, ==, JX_PLAN_BILLING_SUBSCRIPTION);
  g_assert_cmpfloat_with_epsilon (team->monthly_usd, 1000.0, 1e-6);
  g_assert_cmpstr (team->model_name, ==, "team");
  /* Above 200k input: $0.765 a request. */
  g_assert_cmpint (gemini->tier_above, ==, 200000);
  g_assert_cmpfloat_with_epsilon (gemini->per_request_usd, 0.765, 1e-9);

  gtk_test_widget_wait_for_draw (window);
  g_assert_true (has_label_containing (view, "10.0 s billed per second"));
  g_assert_true (has_label_containing (view, "long context (>200k input)"));
  g_assert_true (has_label_containing (view, "catalog 2026-07"));

  /* Without given seconds, a measured round's duration is billed: 8 s → $336. */
  response = jx_response_new ();
  response->provider_id = g_strdup ("gpuhost");
  response->model = g_strdup ("gpu");
  response->status = JX_RESPONSE_OK;
  jx_usage_from_openai (&response->usage, 300000, -1, 1000, -1);
  response->timing.t_start = 1;
  response->timing.t_first_token = 1 + G_USEC_PER_SEC;
  response->timing.t_end = 1 + 8 * G_USEC_PER_SEC;
  g_ptr_array_add (responses, response);
  jx_planner_view_set_measured (JX_PLANNER_VIEW (view), responses);
  workload.seconds_per_request = NAN;
  workload.n_subscriptions = 0;
  workload.subscriptions = NULL;
  jx_planner_view_set_workload (JX_PLANNER_VIEW (view), &workload);
  rows = jx_planner_view_get_rows (JX_PLANNER_VIEW (view));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (row_at (rows, 0)->seconds, 8.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (row_at (rows, 0)->monthly_usd, 336.0, 1e-6);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("LANGUAGE");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/juxta/gui/planner-view/workload", test_planner_workload);
  g_test_add_func ("/juxta/gui/planner-view/billing", test_planner_billing);

  return g_test_run ();
}
