/* test-compare-window.c: panes streaming from fake providers on loopback
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-fake-server.h"
#include "jx-pane-private.h"
#include "jx-planner-view-private.h"
#include "jx-window.h"

static JxApplication *app;
static JxFakeServer *server;

static gpointer
pane_child (JxPane     *pane,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (pane), JX_TYPE_PANE, name);

  /* The figures are the metrics strip's own template children. */
  if (child == NULL)
    child = gtk_widget_get_template_child (GTK_WIDGET (jx_pane_get_metrics (pane)),
                                           JX_TYPE_PANE_METRICS, name);
  g_assert_nonnull (child);
  return child;
}

static const char *
pane_label (JxPane     *pane,
            const char *name)
{
  return gtk_label_get_text (pane_child (pane, name));
}

static gpointer
window_child (JxWindow   *window,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), JX_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
window_idle (gpointer data)
{
  return !jx_window_is_running (data);
}

static gboolean
pane_has_text (gpointer data)
{
  return strlen (jx_pane_get_text (data)) > 0;
}

static void
drain (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static JxWindow *
new_window (const char * const *panes)
{
  JxWindow *window = jx_application_new_window (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_present (GTK_WINDOW (window));
  jx_window_set_panes (window, panes);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  return window;
}

static void
send (JxWindow   *window,
      const char *prompt)
{
  jx_window_set_prompt (window, "Be brief.", prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  g_assert_true (jx_window_is_running (window));
}

/* The two fast panes: the whole answer, the provider's usage, their prices. */
static void
assert_fast_panes_done (GPtrArray *panes)
{
  for (guint i = 0; i < 2; i++)
    {
      JxPane *pane = g_ptr_array_index (panes, i);

      g_assert_cmpstr (jx_pane_get_text (pane), ==, "Hi there!");
      g_assert_cmpstr (jx_pane_get_status_text (pane), ==, "Done");
      g_assert_cmpstr (pane_label (pane, "tokens_value"), ==, "10 → 5");
      {
        const char *breakdown = gtk_widget_get_tooltip_text (
          GTK_WIDGET (pane_child (pane, "tokens_value")));

        g_assert_cmpstr (breakdown, ==, "Input: 10 tokens\nOutput: 5 tokens\nreported by the provider");
      }
      /* 10 × $1 + 5 × $2, and 10 × $2 + 5 × $3 per million tokens. */
      g_assert_cmpstr (pane_label (pane, "cost_value"), ==, i == 0 ? "$0.000020" : "$0.000035");
      g_assert_true (g_str_has_suffix (pane_label (pane, "ttft_value"), " ms"));
      g_assert_cmpstr (pane_label (pane, "tps_value"), !=, "—");
    }
}

static void
assert_slow_pane_done (JxPane *slow)
{
  g_autoptr(GString) expected = g_string_new (NULL);

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (expected, "word%u ", i);
  g_assert_cmpstr (jx_pane_get_text (slow), ==, expected->str);
  g_assert_cmpstr (jx_pane_get_status_text (slow), ==, "Done");
  /* No usage in this stream: the figures are estimates. */
  g_assert_true (g_str_has_prefix (pane_label (slow, "tokens_value"), "~"));
  g_assert_true (g_str_has_prefix (pane_label (slow, "cost_value"), "~$"));
}

/* One winner per badge, and the round's summary table. */
static void
assert_badges_and_summary (JxWindow  *window,
                           GPtrArray *panes)
{
  guint n_ttft = 0, n_tps = 0, n_cost = 0;
  GtkGrid *summary;

  for (guint i = 0; i < panes->len; i++)
    {
      JxPaneBadges badges = jx_pane_get_badges (g_ptr_array_index (panes, i));

      n_ttft += (badges & JX_PANE_BADGE_FASTEST_TTFT) != 0;
      n_tps += (badges & JX_PANE_BADGE_FASTEST_TPS) != 0;
      n_cost += (badges & JX_PANE_BADGE_CHEAPEST) != 0;
    }
  g_assert_cmpuint (n_ttft, ==, 1);
  g_assert_cmpuint (n_tps, ==, 1);
  g_assert_cmpuint (n_cost, ==, 1);
  /* The slow pane starts late. */
  g_assert_false (jx_pane_get_badges (g_ptr_array_index (panes, 2)) & JX_PANE_BADGE_FASTEST_TTFT);

  summary = window_child (window, "summary_grid");
  g_assert_true (gtk_revealer_get_reveal_child (window_child (window, "summary_revealer")));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *key = jx_pane_dup_key (g_ptr_array_index (panes, i));

      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (summary, 0, i + 1))), ==, key);
    }
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (summary, 4, 1))), ==, "$0.000020");
  g_assert_null (gtk_grid_get_child_at (summary, 0, 4));
}

/* The planner, as a user would use it after this round: measured tokens, 10,000 a day. */
static void
assert_planner_uses_round (JxWindow *window)
{
  GtkWidget *planner = adw_view_stack_get_child_by_name (window_child (window, "view_stack"), "planner");
  GtkSwitch *measured;
  GPtrArray *rows;
  JxWorkload workload;

  g_assert_nonnull (planner);
  adw_view_stack_set_visible_child_name (window_child (window, "view_stack"), "planner");
  measured = GTK_SWITCH (gtk_widget_get_template_child (planner, JX_TYPE_PLANNER_VIEW, "measured_switch"));
  gtk_switch_set_active (measured, TRUE);
  jx_workload_init (&workload);
  jx_workload_set_requests_per_day (&workload, 10000);
  workload.input_tokens = 500;
  workload.output_tokens = 500;
  jx_planner_view_set_workload (JX_PLANNER_VIEW (planner), &workload);
  gtk_switch_set_active (measured, TRUE);
  jx_planner_view_refresh (JX_PLANNER_VIEW (planner));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_free (jx_test_save_screenshot (GTK_WIDGET (window), "planner-after-round.png"));

  /* Each model priced with its own measured tokens (10 in, 5 out per request), not the
   * 500/500 typed in: 300,000 requests × (10 × $1 + 5 × $2) / 1M = $6.00, and
   * 300,000 × (10 × $2 + 5 × $3) / 1M = $10.50. */
  rows = jx_planner_view_get_rows (JX_PLANNER_VIEW (planner));
  g_assert_cmpuint (rows->len, >=, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->provider_id, "fake-a"))
        {
          g_assert_true (row->measured);
          g_assert_false (row->measured_estimated);
          g_assert_cmpint (row->input_tokens, ==, 10);
          g_assert_cmpint (row->output_tokens, ==, 5);
          g_assert_cmpfloat_with_epsilon (row->monthly_usd, 6.00, 1e-9);
          g_assert_true (row->cheapest);
          g_assert_cmpuint (i, ==, 0);
        }
      else if (g_str_equal (row->provider_id, "fake-b"))
        g_assert_cmpfloat_with_epsilon (row->monthly_usd, 10.50, 1e-9);
      else if (g_str_equal (row->provider_id, "fake-slow"))
        g_assert_true (row->measured && row->measured_estimated);  /* its stream had no usage */
    }
}

static void
test_three_panes (void)
{
  const char *keys[] = { "fake-a:model-a", "fake-b:model-b", "fake-slow:model-s", NULL };
  g_autoptr(GPtrArray) panes = NULL;
  g_autofree char *mid = NULL;
  g_autofree char *after = NULL;
  JxWindow *window;

  window = new_window (keys);
  panes = jx_window_get_panes (window);
  g_assert_cmpuint (panes->len, ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "content_stack")), ==, "panes");

  send (window, "Say hi");

  /* Mid-stream: the slow pane has some text but is not done. */
  jx_test_wait_until (pane_has_text, g_ptr_array_index (panes, 2), 20);
  drain (300);
  g_assert_true (jx_pane_is_running (g_ptr_array_index (panes, 2)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  mid = jx_test_save_screenshot (GTK_WIDGET (window), "compare-mid-stream.png");

  jx_test_wait_until (window_idle, window, 30);
  drain (100);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  after = jx_test_save_screenshot (GTK_WIDGET (window), "compare-after-round.png");

  assert_fast_panes_done (panes);
  assert_slow_pane_done (g_ptr_array_index (panes, 2));
  assert_badges_and_summary (window, panes);
  assert_planner_uses_round (window);

  jx_test_destroy_all_windows ();
}

static void
test_stop_keeps_partial_text (void)
{
  const char *keys[] = { "fake-slow:model-s", NULL };
  g_autoptr(GPtrArray) panes = NULL;
  g_autofree char *partial = NULL;
  JxWindow *window;
  JxPane *pane;

  window = new_window (keys);
  panes = jx_window_get_panes (window);
  pane = g_ptr_array_index (panes, 0);

  send (window, "Count");
  jx_test_wait_until (pane_has_text, pane, 20);
  drain (250);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  jx_test_wait_until (window_idle, window, 10);

  partial = g_strdup (jx_pane_get_text (pane));
  g_assert_true (g_str_has_prefix (partial, "word0 "));
  g_assert_false (strstr (partial, "word11") != NULL);
  g_assert_cmpstr (jx_pane_get_status_text (pane), ==, "Stopped");

  jx_test_destroy_all_windows ();
}

static void
test_failing_pane (void)
{
  const char *keys[] = { "fake-a:model-a", "fake-fail:model-f", "fake-midfail:model-m", NULL };
  g_autoptr(GPtrArray) panes = NULL;
  g_autofree char *shot = NULL;
  JxWindow *window;
  JxPane *ok, *fail, *midfail;

  window = new_window (keys);
  panes = jx_window_get_panes (window);
  ok = g_ptr_array_index (panes, 0);
  fail = g_ptr_array_index (panes, 1);
  midfail = g_ptr_array_index (panes, 2);

  send (window, "Say hi");
  jx_test_wait_until (window_idle, window, 30);
  drain (100);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  shot = jx_test_save_screenshot (GTK_WIDGET (window), "compare-failure.png");

  g_assert_cmpstr (jx_pane_get_text (ok), ==, "Hi there!");
  g_assert_cmpstr (jx_pane_get_status_text (ok), ==, "Done");

  g_test_message ("fail: %s", jx_pane_get_status_text (fail));
  g_assert_true (g_str_has_prefix (jx_pane_get_status_text (fail), "Failed: "));
  g_assert_nonnull (strstr (jx_pane_get_status_text (fail), "Incorrect API key provided"));

  /* A stream that breaks off keeps what it said. */
  g_test_message ("midfail: %s", jx_pane_get_status_text (midfail));
  g_assert_true (g_str_has_prefix (jx_pane_get_status_text (midfail), "Failed: "));
  g_assert_cmpstr (jx_pane_get_text (midfail), !=, "");

  jx_test_destroy_all_windows ();
}

/* prices.json (written in main) makes fake-priced $100 / $100 per 1M instead of the
 * providers file's $1 / $2: the window's catalog, the pane and the summary all use it. */
static void
test_prices_override (void)
{
  const char *keys[] = { "fake-priced:model-p", "fake-a:model-a", NULL };
  g_autoptr(GPtrArray) panes = NULL;
  JxProvider *provider;
  JxModel *model;
  JxResponse *response;
  JxWindow *window;
  GtkGrid *summary;

  provider = jx_catalog_lookup (jx_application_get_catalog (app), "fake-priced");
  g_assert_nonnull (provider);
  model = jx_provider_find_model (provider, "model-p");
  g_assert_nonnull (model);
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 100);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, 100);

  window = new_window (keys);
  panes = jx_window_get_panes (window);
  send (window, "Say hi");
  jx_test_wait_until (window_idle, window, 30);
  drain (50);

  response = jx_pane_get_response (g_ptr_array_index (panes, 0));
  g_assert_nonnull (response);
  g_assert_cmpint (response->status, ==, JX_RESPONSE_OK);
  g_assert_cmpint (response->usage.input_tokens, ==, 10);
  g_assert_cmpint (response->usage.output_tokens, ==, 5);
  /* (10 + 5) × $100 / 1M */
  g_assert_cmpfloat_with_epsilon (response->cost_usd, 0.0015, 1e-12);
  g_assert_cmpstr (pane_label (g_ptr_array_index (panes, 0), "cost_value"), ==, "$0.001500");

  summary = window_child (window, "summary_grid");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (summary, 4, 1))), ==, "$0.001500");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (summary, 4, 2))), ==, "$0.000020");
  /* The override makes the other pane the cheaper one. */
  g_assert_true (jx_pane_get_badges (g_ptr_array_index (panes, 1)) & JX_PANE_BADGE_CHEAPEST);

  jx_test_destroy_all_windows ();
}

static void
test_demo (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) panes = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *prompt = NULL;
  g_auto(GStrv) saved = NULL;
  JxWindow *window;

  window = new_window (NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (window, "content_stack")), ==, "empty");

  g_signal_emit_by_name (window_child (window, "demo_button"), "clicked");
  panes = jx_window_get_panes (window);
  g_assert_cmpuint (panes->len, ==, 4);
  for (guint i = 0; i < panes->len; i++)
    {
      JxPane *pane = g_ptr_array_index (panes, i);

      g_assert_cmpstr (jx_pane_get_provider_id (pane), ==, "simulated");
      g_assert_true (gtk_widget_get_visible (pane_child (pane, "simulated_label")));
    }
  g_assert_true (jx_window_is_running (window));
  jx_test_wait_until (window_idle, window, 60);
  drain (100);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  shot = jx_test_save_screenshot (GTK_WIDGET (window), "demo-after-round.png");

  for (guint i = 0; i < panes->len; i++)
    {
      JxPane *pane = g_ptr_array_index (panes, i);

      g_test_message ("%s: %s", jx_pane_get_model (pane), jx_pane_get_status_text (pane));
      g_assert_cmpstr (jx_pane_get_status_text (pane), ==, "Done");
      g_assert_cmpuint (strlen (jx_pane_get_text (pane)), >, 20);
    }

  /* Session: panes and prompt come back in a new window. */
  saved = g_settings_get_strv (settings, "panes");
  g_assert_cmpuint (g_strv_length (saved), ==, 4);
  g_assert_cmpstr (saved[0], ==, "simulated:sim-fast");
  prompt = jx_window_dup_prompt (window);
  gtk_window_close (GTK_WINDOW (window));
  jx_test_destroy_all_windows ();

  window = jx_application_new_window (app);
  g_clear_pointer (&panes, g_ptr_array_unref);
  panes = jx_window_get_panes (window);
  g_assert_cmpuint (panes->len, ==, 4);
  g_assert_cmpstr (jx_pane_get_model (g_ptr_array_index (panes, 3)), ==, "sim-reasoning");
  {
    g_autofree char *restored = jx_window_dup_prompt (window);

    g_assert_cmpstr (restored, ==, prompt);
  }

  jx_window_set_panes (window, NULL);
  jx_test_destroy_all_windows ();
}

static void
add_sse (const char *path,
         guint       first_delay,
         guint       per_event_delay,
         const char *fixture)
{
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add_file (r, first_delay, per_event_delay, fixture);
  jx_fake_server_add (server, "POST", path, r);
}

static char *
write_providers_file (void)
{
  const char *url = jx_fake_server_get_url (server);
  g_autoptr(GString) json = g_string_new ("{\"providers\":[");
  static const struct { const char *id; const char *model; } p[] = {
    { "fake-a", "model-a" }, { "fake-b", "model-b" }, { "fake-slow", "model-s" },
    { "fake-fail", "model-f" }, { "fake-midfail", "model-m" }, { "fake-priced", "model-p" },
  };
  g_autofree char *dir = g_dir_make_tmp ("juxta-ui-XXXXXX", NULL);
  char *path = g_build_filename (dir, "providers.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    g_string_append_printf (json,
                            "%s{\"id\":\"%s\",\"name\":\"Fake %c\",\"protocol\":\"openai\","
                            "\"base_url\":\"%s/%s/v1\",\"auth_kind\":\"none\","
                            "\"models\":[{\"id\":\"%s\",\"input_per_mtok\":%s,\"output_per_mtok\":%s}]}",
                            i > 0 ? "," : "", p[i].id, g_ascii_toupper (p[i].id[5]),
                            url, p[i].id, p[i].model,
                            i == 1 ? "2.0" : "1.0", i == 1 ? "3.0" : "2.0");
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, -1, NULL));

  return path;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *providers = NULL;
  g_autofree char *data_home = g_dir_make_tmp ("juxta-ui-data-XXXXXX", NULL);
  g_autofree char *prices_dir = g_build_filename (data_home, "juxta", NULL);
  g_autofree char *prices = g_build_filename (prices_dir, "prices.json", NULL);
  JxFakeResponse *r;
  int ret;

  /* The user's price overrides, read once when the application loads its context. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (prices_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (prices, "{\"providers\":[{\"id\":\"fake-priced\",\"models\":"
                                      "[{\"id\":\"model-p\",\"input_per_mtok\":100,\"output_per_mtok\":100}]}]}",
                                      -1, NULL));

  g_unsetenv ("LANGUAGE");
  gtk_test_init (&argc, &argv, NULL);

  server = jx_fake_server_new ();
  add_sse ("/fake-a/v1/chat/completions", 0, 5, "openai-basic.sse");
  add_sse ("/fake-b/v1/chat/completions", 40, 30, "openai-basic.sse");
  add_sse ("/fake-priced/v1/chat/completions", 0, 5, "openai-basic.sse");
  add_sse ("/fake-midfail/v1/chat/completions", 0, 20, "openai-midstream-error.sse");

  /* Twelve words, 150 ms apart, no usage: slow enough to watch and to stop. */
  r = jx_fake_response_new (200, "text/event-stream");
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *event = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":"
                                                "{\"content\":\"word%u \"}}]}\n\n", i);

      jx_fake_response_add (r, i == 0 ? 300 : 150, event, -1);
    }
  jx_fake_response_add (r, 50, "data: {\"choices\":[{\"index\":0,\"delta\":{},"
                        "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n", -1);
  jx_fake_server_add (server, "POST", "/fake-slow/v1/chat/completions", r);

  jx_fake_server_add (server, "POST", "/fake-fail/v1/chat/completions",
                      jx_fake_response_new_json (401, "{\"error\":{\"message\":\"Incorrect API key "
                                                 "provided: sk-xxx.\",\"type\":\"invalid_request_error\"}}"));

  providers = write_providers_file ();
  g_setenv ("JUXTA_PROVIDERS_FILE", providers, TRUE);

  app = jx_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/juxta/gui/compare-window/three-panes", test_three_panes);
  g_test_add_func ("/juxta/gui/compare-window/stop-keeps-partial-text", test_stop_keeps_partial_text);
  g_test_add_func ("/juxta/gui/compare-window/failing-pane", test_failing_pane);
  g_test_add_func ("/juxta/gui/compare-window/demo-and-session", test_demo);
  g_test_add_func ("/juxta/gui/compare-window/prices-override", test_prices_override);

  ret = g_test_run ();

  jx_test_destroy_all_windows ();
  g_clear_object (&app);
  jx_fake_server_free (server);
  g_unlink (prices);
  g_rmdir (prices_dir);
  g_rmdir (data_home);

  return ret;
}
