/* jx-round.c — the figures of a round: winners and percentiles over a set of responses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-round.h"

gint64
jx_round_output_tokens (const JxResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);

  if (response->usage.source != JX_USAGE_SOURCE_NONE)
    return response->usage.output_tokens;
  return jx_usage_estimate_tokens (response->text->str);
}

double
jx_round_figure (const JxResponse *response,
                 JxRoundFigure     figure)
{
  g_return_val_if_fail (response != NULL, NAN);

  /* A failed run has no meaningful latency. */
  if (response->status != JX_RESPONSE_OK)
    return NAN;

  switch (figure)
    {
    case JX_ROUND_FIGURE_TTFT_MS:
      return jx_timing_ttft_ms (&response->timing);
    case JX_ROUND_FIGURE_E2E_MS:
      return jx_timing_e2e_ms (&response->timing);
    case JX_ROUND_FIGURE_DECODE_TPS:
      return jx_timing_decode_tps (&response->timing, jx_round_output_tokens (response));
    default:
      g_return_val_if_reached (NAN);
    }
}

void
jx_round_find_winners (GPtrArray      *responses,
                       JxRoundWinners *winners)
{
  double best_ttft = INFINITY;
  double best_tps = -INFINITY;
  double best_cost = INFINITY;

  g_return_if_fail (responses != NULL && winners != NULL);

  winners->fastest_ttft = winners->fastest_decode = winners->cheapest = -1;
  winners->n_ok = 0;

  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);
      double ttft, tps;

      if (response == NULL || response->status != JX_RESPONSE_OK)
        continue;
      winners->n_ok++;
      ttft = jx_round_figure (response, JX_ROUND_FIGURE_TTFT_MS);
      tps = jx_round_figure (response, JX_ROUND_FIGURE_DECODE_TPS);
      if (isfinite (ttft) && ttft < best_ttft)
        best_ttft = ttft, winners->fastest_ttft = i;
      if (isfinite (tps) && tps > best_tps)
        best_tps = tps, winners->fastest_decode = i;
      if (isfinite (response->cost_usd) && response->cost_usd < best_cost)
        best_cost = response->cost_usd, winners->cheapest = i;
    }

  /* One answer alone is not a race. */
  if (winners->n_ok < 2)
    winners->fastest_ttft = winners->fastest_decode = winners->cheapest = -1;
}

void
jx_round_percentiles (GPtrArray          *responses,
                      JxRoundFigure       figure,
                      JxRoundPercentiles *percentiles)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  const double *data;

  g_return_if_fail (responses != NULL && percentiles != NULL);

  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);
      double v = response != NULL ? jx_round_figure (response, figure) : NAN;

      if (!isnan (v))
        g_array_append_val (values, v);
    }

  data = (const double *) (gpointer) values->data;
  percentiles->p50 = jx_stats_percentile (data, values->len, 50);
  percentiles->p95 = jx_stats_percentile (data, values->len, 95);
  percentiles->p99 = jx_stats_percentile (data, values->len, 99);
}

double
jx_round_cost_total (GPtrArray *responses)
{
  double total = 0;

  g_return_val_if_fail (responses != NULL, NAN);

  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);

      if (response == NULL || isnan (response->cost_usd))
        return NAN;
      total += response->cost_usd;
    }

  return total;
}

guint
jx_round_count_ok (GPtrArray *responses)
{
  guint ok = 0;

  g_return_val_if_fail (responses != NULL, 0);

  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);

      ok += response != NULL && response->status == JX_RESPONSE_OK;
    }

  return ok;
}
