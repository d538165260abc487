/* jx-pane-metrics.c — a pane's strip of figures: TTFT, tokens/s, ITL, tokens, cost
 *
 * Copyright 2026 Juxta developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "jx-pane-metrics.h"
#include "jx-round.h"

struct _JxPaneMetrics
{
  GtkBox    parent_instance;

  /* Template widgets */
  GtkLabel *ttft_value;
  GtkLabel *tps_value;
  GtkLabel *itl_value;
  GtkLabel *tokens_value;
  GtkLabel *cost_value;
  GtkLabel *finish_label;
};

G_DEFINE_FINAL_TYPE (JxPaneMetrics, jx_pane_metrics, GTK_TYPE_BOX)

/* GTK 4.8 re-queries the pointer for every tooltip set, even an unchanged one: at 60
 * frames a second over 8 panes that was a quarter of the main loop (bench-ui). */
static void
set_tooltip_if_changed (GtkWidget  *widget,
                        const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static gboolean
is_estimate (const JxResponse *response)
{
  return response->usage.source != JX_USAGE_SOURCE_PROVIDER;
}

gint64
jx_pane_metrics_output_tokens (const JxResponse *response)
{
  return jx_round_output_tokens (response);
}

/* How the answer ended, when that is not a normal stop (NULL then): a short badge. */
const char *
jx_pane_metrics_finish_badge (JxFinishReason finish)
{
  switch (finish)
    {
    case JX_FINISH_REFUSAL:
      /* Translators: a badge on an answer whose model refused to answer */
      return _("Refused");
    case JX_FINISH_LENGTH:
      /* Translators: a badge on an answer cut at the output-token limit */
      return _("Cut at max tokens");
    case JX_FINISH_CONTENT_FILTER:
      /* Translators: a badge on an answer stopped by the provider's safety filter */
      return _("Blocked by content filter");
    case JX_FINISH_TOOL_CALLS:
      /* Translators: a badge on an answer that is a tool call instead of text */
      return _("Tool call");
    case JX_FINISH_STOP:
    case JX_FINISH_UNKNOWN:
    case JX_FINISH_ERROR:     /* the pane shows the error itself */
    case JX_FINISH_CANCELLED:
    default:
      return NULL;
    }
}

static void
update_finish (JxPaneMetrics    *self,
               const JxResponse *response)
{
  const char *badge = response != NULL && response->status == JX_RESPONSE_OK
                      ? jx_pane_metrics_finish_badge (jx_response_get_finish (response)) : NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->finish_label), badge != NULL);
  if (badge == NULL)
    return;

  gtk_label_set_text (self->finish_label, badge);
  if (response->finish_reason != NULL)
    /* Translators: %s is the provider's own finish reason, e.g. “max_tokens” */
    tooltip = g_strdup_printf (_("Not a complete answer: left out of the round’s winners and "
                                 "percentiles. The provider said “%s”."), response->finish_reason);
  else
    tooltip = g_strdup (_("Not a complete answer: left out of the round’s winners and percentiles."));
  set_tooltip_if_changed (GTK_WIDGET (self->finish_label), tooltip);
}

/* Why decode speed or ITL shows "—", or what it was computed over. */
static const char *
decode_tooltip (const JxResponse *response,
                double            value)
{
  if (!isfinite (value))
    return response->timing.t_first_token != 0
           /* Translators: tooltip of a "—" decode speed or inter-token latency */
           ? _("Too fast to measure: the answer arrived in too few separate reads")
           : NULL;
  if (jx_round_decode_basis (response) == JX_DECODE_BASIS_ANSWER)
    /* Translators: tooltip of a decode speed of a model whose reasoning was not streamed */
    return _("Over the answer’s tokens only: the reasoning was counted but not streamed");
  return NULL;
}

static char *
format_ms (double ms)
{
  if (!isfinite (ms) || ms < 0)
    return g_strdup ("—");
  if (ms >= 1000)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%.2f s"), ms / 1000.0);
  /* Translators: a duration in milliseconds */
  return g_strdup_printf (_("%.0f ms"), ms);
}

/* What the compact figures hide: cached and reasoning tokens, and where they come from. */
static void
update_breakdown (JxPaneMetrics *self,
                  JxResponse    *response)
{
  const JxUsage *usage = &response->usage;
  g_autoptr(GString) tokens = g_string_new (NULL);
  char count[32];
  const char *source;

  if (usage->source == JX_USAGE_SOURCE_NONE)
    {
      set_tooltip_if_changed (GTK_WIDGET (self->tokens_value), NULL);
      set_tooltip_if_changed (GTK_WIDGET (self->cost_value), NULL);
      return;
    }

  source = usage->source == JX_USAGE_SOURCE_PROVIDER ? _("reported by the provider")
                                                      : _("estimated by Juxta");
#define COUNT(n) (g_snprintf (count, sizeof count, "%" G_GINT64_FORMAT, (gint64) (n)), count)
  /* Translators: the lines of a tooltip that break down an answer's token counts */
  g_string_append_printf (tokens, _("Input: %s tokens"), COUNT (usage->input_tokens));
  if (usage->cached_input_tokens > 0)
    g_string_append_printf (tokens, _(", %s of them cached"), COUNT (usage->cached_input_tokens));
  if (usage->cache_write_tokens > 0)
    g_string_append_printf (tokens, _(", %s written to the cache"), COUNT (usage->cache_write_tokens));
  g_string_append_c (tokens, '\n');
  g_string_append_printf (tokens, _("Output: %s tokens"), COUNT (usage->output_tokens));
  if (usage->reasoning_tokens > 0)
    g_string_append_printf (tokens, _(", %s of them reasoning"), COUNT (usage->reasoning_tokens));
#undef COUNT
  g_string_append_printf (tokens, "\n%s", source);
  set_tooltip_if_changed (GTK_WIDGET (self->tokens_value), tokens->str);

  if (response->cost_from_provider)
    set_tooltip_if_changed (GTK_WIDGET (self->cost_value), _("Charged amount reported by the provider"));
  else if (isfinite (response->cost_usd))
    set_tooltip_if_changed (GTK_WIDGET (self->cost_value),
                            usage->source == JX_USAGE_SOURCE_PROVIDER
                                 ? _("Reported tokens × the catalog’s list prices")
                                 : _("Estimate: estimated tokens × the catalog’s list prices"));
}

/**
 * jx_pane_metrics_update:
 * @self: a #JxPaneMetrics
 * @response: (nullable): the response so far, or %NULL for none yet
 *
 * Shows the figures of @response; "—" for each when it is %NULL.
 */
void
jx_pane_metrics_update (JxPaneMetrics *self,
                        JxResponse    *response)
{
  g_autofree char *ttft = NULL;
  g_autofree char *tps = NULL;
  g_autofree char *itl = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *ttft_tooltip = NULL;
  const char *approx;
  gint64 out;
  double rate;
  double itl_ms;

  g_return_if_fail (JX_IS_PANE_METRICS (self));

  if (response == NULL)
    {
      gtk_label_set_text (self->ttft_value, "—");
      gtk_label_set_text (self->tps_value, "—");
      gtk_label_set_text (self->itl_value, "—");
      gtk_label_set_text (self->tokens_value, "—");
      gtk_label_set_text (self->cost_value, "—");
      set_tooltip_if_changed (GTK_WIDGET (self->ttft_value), NULL);
      set_tooltip_if_changed (GTK_WIDGET (self->tps_value), NULL);
      set_tooltip_if_changed (GTK_WIDGET (self->itl_value), NULL);
      update_finish (self, NULL);
      return;
    }

  approx = is_estimate (response) ? "~" : "";
  out = jx_pane_metrics_output_tokens (response);

  ttft = format_ms (jx_timing_ttft_ms (&response->timing));
  rate = jx_round_decode_tps (response);
  tps = isfinite (rate) ? g_strdup_printf ("%.1f", rate) : g_strdup ("—");
  itl_ms = jx_round_itl_mean_ms (response);
  itl = format_ms (itl_ms);
  if (response->timing.t_first_answer_token != 0 &&
      response->timing.t_first_answer_token != response->timing.t_first_token)
    {
      g_autofree char *ttfat = format_ms (jx_timing_ttfat_ms (&response->timing));

      /* Translators: tooltip of TTFT when reasoning came before the answer; %s is a duration */
      ttft_tooltip = g_strdup_printf (_("Reasoning counts as the first token. First answer token: %s"), ttfat);
    }

  if (response->usage.source == JX_USAGE_SOURCE_NONE)
    tokens = g_strdup_printf ("— → ~%" G_GINT64_FORMAT, out);
  else
    tokens = g_strdup_printf ("%s%" G_GINT64_FORMAT " → %s%" G_GINT64_FORMAT,
                              approx, response->usage.input_tokens, approx, out);

  if (!isfinite (response->cost_usd))
    cost = g_strdup ("—");
  else
    cost = g_strdup_printf ("%s$%.6f", response->cost_from_provider ? "" : approx, response->cost_usd);

  gtk_label_set_text (self->ttft_value, ttft);
  gtk_label_set_text (self->tps_value, tps);
  gtk_label_set_text (self->itl_value, itl);
  gtk_label_set_text (self->tokens_value, tokens);
  gtk_label_set_text (self->cost_value, cost);
  set_tooltip_if_changed (GTK_WIDGET (self->ttft_value), ttft_tooltip);
  set_tooltip_if_changed (GTK_WIDGET (self->tps_value), decode_tooltip (response, rate));
  set_tooltip_if_changed (GTK_WIDGET (self->itl_value), decode_tooltip (response, itl_ms));
  update_finish (self, response);
  update_breakdown (self, response);
}

/**
 * jx_pane_metrics_get_finish_badge:
 * @self: a #JxPaneMetrics
 *
 * Returns: (nullable): the finish-reason badge shown ("Refused", "Cut at max tokens"…), or
 * %NULL when none is (a complete answer).
 */
const char *
jx_pane_metrics_get_finish_badge (JxPaneMetrics *self)
{
  g_return_val_if_fail (JX_IS_PANE_METRICS (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->finish_label)))
    return NULL;
  return gtk_label_get_text (self->finish_label);
}

static void
jx_pane_metrics_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), JX_TYPE_PANE_METRICS);

  G_OBJECT_CLASS (jx_pane_metrics_parent_class)->dispose (object);
}

static void
jx_pane_metrics_class_init (JxPaneMetricsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_pane_metrics_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-pane-metrics.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPaneMetrics, ttft_value);
  gtk_widget_class_bind_template_child (widget_class, JxPaneMetrics, tps_value);
  gtk_widget_class_bind_template_child (widget_class, JxPaneMetrics, itl_value);
  gtk_widget_class_bind_template_child (widget_class, JxPaneMetrics, tokens_value);
  gtk_widget_class_bind_template_child (widget_class, JxPaneMetrics, cost_value);
  gtk_widget_class_bind_template_child (widget_class, JxPaneMetrics, finish_label);
}

static void
jx_pane_metrics_init (JxPaneMetrics *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jx_pane_metrics_update (self, NULL);
}
