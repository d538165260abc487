/* jx-summary-table.c — one line per pane under the panes: TTFT, tok/s, tokens, cost, finish
 *
 * The figures and winners come from jx-round; this widget only lays them out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "jx-pane-metrics.h"
#include "jx-summary-table.h"

struct _JxSummaryTable
{
  GtkGrid parent_instance;
};

G_DEFINE_FINAL_TYPE (JxSummaryTable, jx_summary_table, GTK_TYPE_GRID)

void
jx_summary_table_clear (JxSummaryTable *self)
{
  GtkWidget *child;

  g_return_if_fail (JX_IS_SUMMARY_TABLE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_grid_remove (GTK_GRID (self), child);
}

static void
add_cell (JxSummaryTable *self,
          const char     *text,
          int             column,
          int             row,
          gboolean        header,
          gboolean        best)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.0 : 1.0);
  if (column == 0)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
    }
  gtk_widget_add_css_class (label, header ? "caption-heading" : "numeric");
  if (header)
    gtk_widget_add_css_class (label, "dim-label");
  if (best)
    gtk_widget_add_css_class (label, "jx-best");
  gtk_grid_attach (GTK_GRID (self), label, column, row, 1, 1);
}

/* The finish column: "—" while running and for a normal stop. */
static const char *
describe_finish (const JxResponse *response)
{
  const char *badge;

  if (response == NULL)
    return "—";

  switch (jx_response_get_finish (response))
    {
    case JX_FINISH_ERROR:
      /* Translators: the finish column of an answer whose request failed */
      return _("Failed");
    case JX_FINISH_CANCELLED:
      /* Translators: the finish column of an answer the user stopped */
      return _("Stopped");
    default:
      badge = jx_pane_metrics_finish_badge (jx_response_get_finish (response));
      /* Translators: the finish column of a complete answer */
      return badge != NULL ? badge : _("Complete");
    }
}

void
jx_summary_table_set_round (JxSummaryTable       *self,
                            const char * const   *labels,
                            GPtrArray            *responses,
                            const JxRoundWinners *winners)
{
  g_autofree char *left_out_text = NULL;
  JxRoundLeftOut left_out;

  g_return_if_fail (JX_IS_SUMMARY_TABLE (self));
  g_return_if_fail (labels != NULL && responses != NULL && winners != NULL);

  jx_summary_table_clear (self);

  add_cell (self, _("Model"), 0, 0, TRUE, FALSE);
  add_cell (self, C_("metric", "TTFT"), 1, 0, TRUE, FALSE);
  add_cell (self, C_("metric", "tok/s"), 2, 0, TRUE, FALSE);
  add_cell (self, _("Output Tokens"), 3, 0, TRUE, FALSE);
  add_cell (self, C_("metric", "Cost"), 4, 0, TRUE, FALSE);
  /* Translators: the summary column saying how each answer ended */
  add_cell (self, _("Finish"), 5, 0, TRUE, FALSE);

  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);
      g_autofree char *ttft = NULL;
      g_autofree char *tps = NULL;
      g_autofree char *out = NULL;
      g_autofree char *cost = NULL;
      const char *approx = "";
      double ttft_ms = response != NULL ? jx_round_figure (response, JX_ROUND_FIGURE_TTFT_MS) : NAN;
      double rate = response != NULL ? jx_round_figure (response, JX_ROUND_FIGURE_DECODE_TPS) : NAN;

      if (response != NULL && response->usage.source != JX_USAGE_SOURCE_PROVIDER)
        approx = "~";

      /* Translators: milliseconds, in the summary table */
      ttft = isfinite (ttft_ms) ? g_strdup_printf (_("%.0f ms"), ttft_ms) : g_strdup ("—");
      tps = isfinite (rate) ? g_strdup_printf ("%.1f", rate) : g_strdup ("—");
      out = response != NULL ? g_strdup_printf ("%s%" G_GINT64_FORMAT, approx,
                                                jx_round_output_tokens (response))
                             : g_strdup ("—");
      if (response != NULL && isfinite (response->cost_usd))
        cost = g_strdup_printf ("%s$%.6f", response->cost_from_provider ? "" : approx,
                                response->cost_usd);
      else
        cost = g_strdup ("—");

      add_cell (self, labels[i], 0, i + 1, FALSE, FALSE);
      add_cell (self, ttft, 1, i + 1, FALSE, (int) i == winners->fastest_ttft);
      add_cell (self, tps, 2, i + 1, FALSE, (int) i == winners->fastest_decode);
      add_cell (self, out, 3, i + 1, FALSE, FALSE);
      add_cell (self, cost, 4, i + 1, FALSE, (int) i == winners->cheapest);
      add_cell (self, describe_finish (response), 5, i + 1, FALSE, FALSE);
    }

  jx_round_count_left_out (responses, &left_out);
  left_out_text = jx_round_describe_left_out (&left_out);
  if (left_out_text != NULL)
    {
      /* Translators: %s is e.g. "2 left out: 1 refused, 1 cut at max tokens" */
      g_autofree char *line = g_strdup_printf (_("%s (not in winners or percentiles)"), left_out_text);
      GtkWidget *label = gtk_label_new (line);

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_name (label, "left-out");
      gtk_grid_attach (GTK_GRID (self), label, 0, responses->len + 1, 6, 1);
    }
}

static void
jx_summary_table_class_init (JxSummaryTableClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "grid");
}

static void
jx_summary_table_init (JxSummaryTable *self)
{
}
