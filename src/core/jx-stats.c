/* jx-stats.c — percentiles and per-request timing figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-stats.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
jx_stats_percentile (const double *values,
                     gsize         n_values,
                     double        p)
{
  g_autofree double *sorted = NULL;
  double rank;
  double lower;
  double frac;
  gsize i;

  if (n_values == 0 || values == NULL || isnan (p))
    return NAN;

  p = CLAMP (p, 0.0, 100.0);

  sorted = g_memdup2 (values, n_values * sizeof (double));
  qsort (sorted, n_values, sizeof (double), compare_doubles);

  /* Type 7: rank = p (n - 1), interpolate between the two neighbours. */
  rank = p / 100.0 * (double) (n_values - 1);
  lower = floor (rank);
  i = (gsize) lower;
  frac = rank - lower;

  if (i + 1 >= n_values)
    return sorted[n_values - 1];

  return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}

void
jx_timing_init (JxTiming *timing)
{
  g_return_if_fail (timing != NULL);

  memset (timing, 0, sizeof *timing);
  timing->content_times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
jx_timing_clear (JxTiming *timing)
{
  g_return_if_fail (timing != NULL);

  g_clear_pointer (&timing->content_times, g_array_unref);
  memset (timing, 0, sizeof *timing);
}

void
jx_timing_add_content (JxTiming *timing,
                       gint64    when)
{
  g_return_if_fail (timing != NULL);

  if (timing->content_times == NULL)
    timing->content_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (timing->content_times, when);

  if (timing->t_first_token == 0)
    timing->t_first_token = when;
  timing->t_last_token = when;
}

/* Difference of two monotonic µs stamps in ms; NAN if either never happened. */
static double
span_ms (gint64 from,
         gint64 to)
{
  if (from == 0 || to == 0 || to < from)
    return NAN;

  return (double) (to - from) / 1000.0;
}

double
jx_timing_ttft_ms (const JxTiming *timing)
{
  g_return_val_if_fail (timing != NULL, NAN);

  return span_ms (timing->t_start, timing->t_first_token);
}

double
jx_timing_e2e_ms (const JxTiming *timing)
{
  g_return_val_if_fail (timing != NULL, NAN);

  return span_ms (timing->t_start, timing->t_end);
}

double
jx_timing_itl_mean_ms (const JxTiming *timing,
                       gint64          output_tokens)
{
  double span;

  g_return_val_if_fail (timing != NULL, NAN);

  /* Token counts, not event counts: providers batch several tokens per event. */
  if (output_tokens < 2)
    return NAN;

  span = span_ms (timing->t_first_token, timing->t_last_token);
  if (isnan (span))
    return NAN;

  return span / (double) (output_tokens - 1);
}

/* Gaps between consecutive content events in ms; NULL when there are fewer than two. */
static GArray *
content_gaps_ms (const JxTiming *timing)
{
  GArray *gaps;
  const gint64 *times;
  guint n;

  if (timing->content_times == NULL || timing->content_times->len < 2)
    return NULL;

  times = (const gint64 *) timing->content_times->data;
  n = timing->content_times->len;
  gaps = g_array_sized_new (FALSE, FALSE, sizeof (double), n - 1);

  for (guint i = 1; i < n; i++)
    {
      double gap = (double) (times[i] - times[i - 1]) / 1000.0;

      g_array_append_val (gaps, gap);
    }

  return gaps;
}

double
jx_timing_itl_gap_ms (const JxTiming *timing,
                      double          percentile)
{
  g_autoptr(GArray) gaps = NULL;

  g_return_val_if_fail (timing != NULL, NAN);

  gaps = content_gaps_ms (timing);
  if (gaps == NULL)
    return NAN;

  return jx_stats_percentile ((const double *) gaps->data, gaps->len, percentile);
}

double
jx_timing_itl_max_ms (const JxTiming *timing)
{
  g_autoptr(GArray) gaps = NULL;
  double max = -INFINITY;

  g_return_val_if_fail (timing != NULL, NAN);

  gaps = content_gaps_ms (timing);
  if (gaps == NULL)
    return NAN;

  for (guint i = 0; i < gaps->len; i++)
    max = MAX (max, g_array_index (gaps, double, i));

  return max;
}

double
jx_timing_decode_tps (const JxTiming *timing,
                      gint64          output_tokens)
{
  double span;

  g_return_val_if_fail (timing != NULL, NAN);

  if (output_tokens <= 0)
    return NAN;

  span = span_ms (timing->t_first_token, timing->t_last_token);
  if (isnan (span) || span <= 0.0)
    return NAN;

  return (double) output_tokens / (span / 1000.0);
}
