/* test-pane-finish.c — a pane's figures strip says how an answer ended, and shows "—" with
 * a reason for figures too fast to measure; the summary has a finish column and says what
 * it left out (issue 12)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "jx-pane-metrics.h"
#include "jx-summary-table.h"
#include "jx-test-ui.h"

#define MS 1000

/* An answer of @n_reads reads 10 ms apart, ended as @finish with the provider's @raw. */
static JxResponse *
make_response (JxFinishReason finish,
               const char    *raw,
               guint          n_reads)
{
  JxResponse *r = jx_response_new ();
  gint64 t = 1000000;

  r->status = JX_RESPONSE_OK;
  r->finish = finish;
  r->finish_reason = g_strdup (raw);
  r->timing.t_start = t;
  for (guint i = 0; i < n_reads; i++)
    jx_timing_add_content (&r->timing, t + 100 * MS + i * 10 * MS);
  r->timing.t_end = t + 100 * MS + n_reads * 10 * MS;
  g_string_assign (r->text, "I'm sorry, I can't assist with that request.");
  jx_usage_from_openai (&r->usage, 79, -1, 11, 0);

  return r;
}

static GtkLabel *
metrics_label (JxPaneMetrics *metrics,
               const char    *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (metrics), JX_TYPE_PANE_METRICS, name);

  g_assert_true (GTK_IS_LABEL (child));
  return GTK_LABEL (child);
}

static void
test_badges (void)
{
  static const struct
  {
    JxFinishReason finish;
    const char    *raw;
    const char    *badge;
  } cases[] = {
    { JX_FINISH_REFUSAL, "stop", "Refused" },
    { JX_FINISH_REFUSAL, "refusal", "Refused" },
    { JX_FINISH_LENGTH, "max_tokens", "Cut at max tokens" },
    { JX_FINISH_CONTENT_FILTER, "SAFETY", "Blocked by content filter" },
    { JX_FINISH_TOOL_CALLS, "tool_calls", "Tool call" },
    { JX_FINISH_STOP, "stop", NULL },
    { JX_FINISH_UNKNOWN, NULL, NULL },
  };
  GtkWidget *window = gtk_window_new ();
  JxPaneMetrics *metrics = g_object_new (JX_TYPE_PANE_METRICS, NULL);
  GtkLabel *badge = metrics_label (metrics, "finish_label");

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (metrics));
  gtk_window_present (GTK_WINDOW (window));

  g_assert_null (jx_pane_metrics_get_finish_badge (metrics));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JxResponse) r = make_response (cases[i].finish, cases[i].raw, 5);

      jx_pane_metrics_update (metrics, r);
      g_assert_cmpstr (jx_pane_metrics_get_finish_badge (metrics), ==, cases[i].badge);
      g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (badge)), ==, cases[i].badge != NULL);
      if (cases[i].badge != NULL)
        {
          const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (badge));

          g_assert_cmpstr (gtk_label_get_text (badge), ==, cases[i].badge);
          /* The provider's own word is kept. */
          g_assert_nonnull (tooltip);
          g_assert_nonnull (strstr (tooltip, cases[i].raw));
        }

      /* A failure shows its error elsewhere, not a badge. */
      r->status = JX_RESPONSE_ERROR;
      jx_pane_metrics_update (metrics, r);
      g_assert_null (jx_pane_metrics_get_finish_badge (metrics));
    }

  jx_pane_metrics_update (metrics, NULL);
  g_assert_null (jx_pane_metrics_get_finish_badge (metrics));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* One read: no decode speed or ITL, "—" with the reason, never a number. */
static void
test_too_fast (void)
{
  JxPaneMetrics *metrics = g_object_ref_sink (g_object_new (JX_TYPE_PANE_METRICS, NULL));
  g_autoptr(JxResponse) one = make_response (JX_FINISH_STOP, "stop", 1);
  g_autoptr(JxResponse) many = make_response (JX_FINISH_STOP, "stop", 11);
  GtkLabel *tps = metrics_label (metrics, "tps_value");
  GtkLabel *itl = metrics_label (metrics, "itl_value");

  jx_pane_metrics_update (metrics, one);
  g_assert_cmpstr (gtk_label_get_text (tps), ==, "—");
  g_assert_cmpstr (gtk_label_get_text (itl), ==, "—");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (tps)), "Too fast to measure"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (itl)), "Too fast to measure"));

  /* 11 tokens over 100 ms. */
  jx_pane_metrics_update (metrics, many);
  g_assert_cmpstr (gtk_label_get_text (tps), ==, "110.0");
  g_assert_cmpstr (gtk_label_get_text (itl), ==, "10 ms");
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (tps)));

  g_object_unref (metrics);
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static void
response_unref0 (gpointer response)
{
  if (response != NULL)
    jx_response_unref (response);
}

/* The summary: a finish column, and a line saying what the winners left out. */
static void
test_summary (void)
{
  JxSummaryTable *table = g_object_ref_sink (g_object_new (JX_TYPE_SUMMARY_TABLE, NULL));
  g_autoptr(GPtrArray) responses = g_ptr_array_new_with_free_func (response_unref0);
  const char * const labels[] = { "A", "B", "C", NULL };
  GtkWidget *left_out;
  JxRoundWinners winners;

  g_ptr_array_add (responses, make_response (JX_FINISH_STOP, "stop", 5));
  g_ptr_array_add (responses, make_response (JX_FINISH_LENGTH, "length", 5));
  g_ptr_array_add (responses, make_response (JX_FINISH_REFUSAL, "stop", 5));
  jx_round_find_winners (responses, &winners);
  jx_summary_table_set_round (table, labels, responses, &winners);

  g_assert_nonnull (jx_test_find_widget (GTK_WIDGET (table), is_label_with_text, "Finish"));
  g_assert_nonnull (jx_test_find_widget (GTK_WIDGET (table), is_label_with_text, "Complete"));
  g_assert_nonnull (jx_test_find_widget (GTK_WIDGET (table), is_label_with_text, "Cut at max tokens"));
  g_assert_nonnull (jx_test_find_widget (GTK_WIDGET (table), is_label_with_text, "Refused"));
  left_out = jx_test_find_widget (GTK_WIDGET (table), jx_test_widget_has_name, "left-out");
  g_assert_nonnull (left_out);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (left_out)), ==,
                   "2 left out: 1 refused, 1 cut at max tokens (not in winners or percentiles)");

  g_object_unref (table);
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("LANGUAGE");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juxta/gui/pane-finish/badges", test_badges);
  g_test_add_func ("/juxta/gui/pane-finish/too-fast", test_too_fast);
  g_test_add_func ("/juxta/gui/pane-finish/summary", test_summary);

  return g_test_run ();
}
