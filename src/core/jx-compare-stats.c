/* jx-compare-stats.c — bootstrap interval of a difference of medians
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-compare-stats.h"
#include "jx-stats.h"

/* The finite values of @values. */
static GArray *
finite_values (const double *values,
               gsize         n_values)
{
  GArray *kept = g_array_sized_new (FALSE, FALSE, sizeof (double), (guint) n_values);

  for (gsize i = 0; i < n_values; i++)
    if (isfinite (values[i]))
      g_array_append_val (kept, values[i]);
  return kept;
}

static double
median (const GArray *values)
{
  return jx_stats_percentile ((const double *) values->data, values->len, 50);
}

/* Median of one resample (with replacement) of @values, drawn into @scratch. */
static double
resampled_median (GRand        *rand,
                  const GArray *values,
                  double       *scratch)
{
  for (guint i = 0; i < values->len; i++)
    scratch[i] = g_array_index (values, double, g_rand_int_range (rand, 0, (gint32) values->len));
  return jx_stats_percentile (scratch, values->len, 50);
}

gboolean
jx_compare_medians (const double    *a,
                    gsize            n_a,
                    const double    *b,
                    gsize            n_b,
                    guint            n_resamples,
                    guint32          seed,
                    JxCompareResult *result)
{
  g_autoptr(GArray) sample_a = NULL;
  g_autoptr(GArray) sample_b = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree double *scratch_a = NULL;
  g_autofree double *scratch_b = NULL;
  g_autofree double *differences = NULL;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (a != NULL || n_a == 0, FALSE);
  g_return_val_if_fail (b != NULL || n_b == 0, FALSE);

  sample_a = finite_values (a, n_a);
  sample_b = finite_values (b, n_b);
  result->median_a = median (sample_a);
  result->median_b = median (sample_b);
  result->difference = result->median_b - result->median_a;
  result->ci_low = NAN;
  result->ci_high = NAN;
  result->verdict = JX_COMPARE_VERDICT_UNKNOWN;

  if (sample_a->len < 2 || sample_b->len < 2)
    return FALSE;

  if (n_resamples == 0)
    n_resamples = JX_COMPARE_DEFAULT_RESAMPLES;

  rand = g_rand_new_with_seed (seed);
  scratch_a = g_new (double, sample_a->len);
  scratch_b = g_new (double, sample_b->len);
  differences = g_new (double, n_resamples);
  for (guint i = 0; i < n_resamples; i++)
    {
      double median_a = resampled_median (rand, sample_a, scratch_a);
      double median_b = resampled_median (rand, sample_b, scratch_b);

      differences[i] = median_b - median_a;
    }

  result->ci_low = jx_stats_percentile (differences, n_resamples, 2.5);
  result->ci_high = jx_stats_percentile (differences, n_resamples, 97.5);

  if (result->ci_high < 0)
    result->verdict = JX_COMPARE_VERDICT_LOWER;
  else if (result->ci_low > 0)
    result->verdict = JX_COMPARE_VERDICT_HIGHER;
  else
    result->verdict = JX_COMPARE_VERDICT_WITHIN_NOISE;

  return TRUE;
}

const char *
jx_compare_verdict_to_string (JxCompareVerdict verdict)
{
  switch (verdict)
    {
    case JX_COMPARE_VERDICT_UNKNOWN:
      return "unknown";
    case JX_COMPARE_VERDICT_WITHIN_NOISE:
      return "within-noise";
    case JX_COMPARE_VERDICT_LOWER:
      return "lower";
    case JX_COMPARE_VERDICT_HIGHER:
      return "higher";
    default:
      g_return_val_if_reached ("unknown");
    }
}
