/* jx-round.c — the figures of a round: winners and percentiles over a set of responses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-round.h"

gint64
jx_round_output_tokens (const JxResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);

  if (response->usage.source != JX_USAGE_SOURCE_NONE)
    return response->usage.output_tokens;
  return jx_usage_estimate_tokens (response->text->str) +
         jx_usage_estimate_tokens (response->reasoning->str);
}

JxDecodeBasis
jx_round_decode_basis (const JxResponse *response)
{
  g_return_val_if_fail (response != NULL, JX_DECODE_BASIS_ALL);

  return jx_timing_decode_basis (&response->timing, response->usage.reasoning_tokens);
}

/* The tokens the basis's span covers. */
static gint64
basis_tokens (const JxResponse *response,
              JxDecodeBasis     basis)
{
  gint64 output = jx_round_output_tokens (response);

  if (basis == JX_DECODE_BASIS_ALL)
    return output;
  if (output >= 0 && response->usage.reasoning_tokens >= 0 && output > response->usage.reasoning_tokens)
    return output - response->usage.reasoning_tokens;
  return jx_usage_estimate_tokens (response->text->str);
}

double
jx_round_decode_tps (const JxResponse *response)
{
  JxDecodeBasis basis;

  g_return_val_if_fail (response != NULL, NAN);

  basis = jx_round_decode_basis (response);
  return jx_timing_decode_tps_basis (&response->timing, basis, basis_tokens (response, basis));
}

double
jx_round_itl_mean_ms (const JxResponse *response)
{
  JxDecodeBasis basis;

  g_return_val_if_fail (response != NULL, NAN);

  basis = jx_round_decode_basis (response);
  return jx_timing_itl_mean_ms_basis (&response->timing, basis, basis_tokens (response, basis));
}

void
jx_round_count_left_out (GPtrArray      *responses,
                         JxRoundLeftOut *left_out)
{
  g_return_if_fail (responses != NULL && left_out != NULL);

  memset (left_out, 0, sizeof *left_out);
  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);
      JxFinishReason finish;

      if (response == NULL || jx_response_is_complete (response))
        continue;
      finish = jx_response_get_finish (response);
      if ((guint) finish < G_N_ELEMENTS (left_out->by_finish))
        left_out->by_finish[finish]++;
      left_out->total++;
    }
}

char *
jx_round_describe_left_out (const JxRoundLeftOut *left_out)
{
  g_autoptr(GString) text = NULL;
  static const JxFinishReason order[] = {
    JX_FINISH_REFUSAL, JX_FINISH_LENGTH, JX_FINISH_CONTENT_FILTER, JX_FINISH_TOOL_CALLS,
    JX_FINISH_ERROR, JX_FINISH_CANCELLED,
  };

  g_return_val_if_fail (left_out != NULL, NULL);

  if (left_out->total == 0)
    return NULL;

  /* Translators: the start of e.g. "2 left out: 1 refused, 1 cut at max tokens" */
  text = g_string_new (NULL);
  g_string_printf (text, _("%u left out: "), left_out->total);
  for (guint i = 0, n = 0; i < G_N_ELEMENTS (order); i++)
    {
      guint count = left_out->by_finish[order[i]];
      const char *what;

      if (count == 0)
        continue;
      switch (order[i])
        {
        case JX_FINISH_REFUSAL:
          /* Translators: "1 refused", in "2 left out: 1 refused, 1 cut at max tokens" */
          what = _("refused");
          break;
        case JX_FINISH_LENGTH:
          what = _("cut at max tokens");
          break;
        case JX_FINISH_CONTENT_FILTER:
          what = _("blocked by content filter");
          break;
        case JX_FINISH_TOOL_CALLS:
          what = _("tool call");
          break;
        case JX_FINISH_ERROR:
          what = _("failed");
          break;
        case JX_FINISH_CANCELLED:
        default:
          what = _("stopped");
          break;
        }
      g_string_append_printf (text, "%s%u %s", n++ > 0 ? ", " : "", count, what);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
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
      return jx_round_decode_tps (response);
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
  winners->n_complete = 0;

  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);
      double ttft, tps;

      if (response == NULL || response->status != JX_RESPONSE_OK)
        continue;
      winners->n_ok++;
      /* A refusal or a cut answer is quick for the wrong reason. */
      if (!jx_response_is_complete (response))
        continue;
      winners->n_complete++;
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
  if (winners->n_complete < 2)
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
      double v = response != NULL && jx_response_is_complete (response)
                 ? jx_round_figure (response, figure) : NAN;

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
