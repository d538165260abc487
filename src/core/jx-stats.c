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
  timing->generated_times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
jx_timing_clear (JxTiming *timing)
{
  g_return_if_fail (timing != NULL);

  g_clear_pointer (&timing->content_times, g_array_unref);
  g_clear_pointer (&timing->generated_times, g_array_unref);
  memset (timing, 0, sizeof *timing);
}

static void
add_generated (JxTiming *timing,
               gint64    when)
{
  if (timing->generated_times == NULL)
    timing->generated_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (timing->generated_times, when);

  if (timing->t_first_token == 0)
    timing->t_first_token = when;
  timing->t_last_token = when;
}

void
jx_timing_add_reasoning (JxTiming *timing,
                         gint64    when)
{
  g_return_if_fail (timing != NULL);

  timing->n_reasoning_events++;
  add_generated (timing, when);
}

void
jx_timing_add_content (JxTiming *timing,
                       gint64    when)
{
  g_return_if_fail (timing != NULL);

  if (timing->content_times == NULL)
    timing->content_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (timing->content_times, when);
  if (timing->t_first_answer_token == 0)
    timing->t_first_answer_token = when;
  add_generated (timing, when);
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
  return jx_timing_itl_mean_ms_basis (timing, JX_DECODE_BASIS_ALL, output_tokens);
}

/* Gaps between consecutive generated events in ms; NULL when there are fewer than two. */
static GArray *
content_gaps_ms (const JxTiming *timing)
{
  GArray *gaps;
  const gint64 *times;
  guint n;

  /* Every generated event: reasoning tokens are inter-token gaps too. */
  const GArray *src = timing->generated_times != NULL && timing->generated_times->len > 0
                      ? timing->generated_times : timing->content_times;

  if (src == NULL || src->len < 2)
    return NULL;

  times = (const gint64 *) (gconstpointer) src->data;
  n = src->len;
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
  return jx_timing_decode_tps_basis (timing, JX_DECODE_BASIS_ALL, output_tokens);
}

const char *
jx_decode_basis_to_string (JxDecodeBasis basis)
{
  return basis == JX_DECODE_BASIS_ANSWER ? "answer" : "all";
}

JxDecodeBasis
jx_timing_decode_basis (const JxTiming *timing,
                        gint64          reasoning_tokens)
{
  g_return_val_if_fail (timing != NULL, JX_DECODE_BASIS_ALL);

  return reasoning_tokens > 0 && timing->n_reasoning_events == 0 ? JX_DECODE_BASIS_ANSWER
                                                                  : JX_DECODE_BASIS_ALL;
}

static const GArray *
basis_times (const JxTiming *timing,
             JxDecodeBasis   basis)
{
  /* Timings built by hand (tests) may only have content times. */
  if (basis == JX_DECODE_BASIS_ANSWER || timing->generated_times == NULL ||
      timing->generated_times->len == 0)
    return timing->content_times;
  return timing->generated_times;
}

/* The first-to-last span of @basis's arrivals in ms, or NAN when they are too few or too
 * close to measure: one or two socket reads carry no rate. */
static double
measurable_span_ms (const JxTiming *timing,
                    JxDecodeBasis   basis)
{
  const GArray *times = basis_times (timing, basis);
  const gint64 *t;
  guint distinct = 0;

  if (times == NULL || times->len == 0)
    return NAN;

  t = (const gint64 *) (gconstpointer) times->data;
  for (guint i = 0; i < times->len && distinct < JX_TIMING_MIN_ARRIVALS; i++)
    if (i == 0 || t[i] != t[i - 1])
      distinct++;

  if (distinct < JX_TIMING_MIN_ARRIVALS || t[times->len - 1] - t[0] < JX_TIMING_MIN_SPAN_US)
    return NAN;

  return span_ms (t[0], t[times->len - 1]);
}

double
jx_timing_decode_tps_basis (const JxTiming *timing,
                            JxDecodeBasis   basis,
                            gint64          tokens)
{
  double span;

  g_return_val_if_fail (timing != NULL, NAN);

  if (tokens <= 0)
    return NAN;

  span = measurable_span_ms (timing, basis);
  if (isnan (span) || span <= 0.0)
    return NAN;

  return (double) tokens / (span / 1000.0);
}

double
jx_timing_itl_mean_ms_basis (const JxTiming *timing,
                             JxDecodeBasis   basis,
                             gint64          tokens)
{
  double span;

  g_return_val_if_fail (timing != NULL, NAN);

  /* Token counts, not event counts: providers batch several tokens per event. */
  if (tokens < 2)
    return NAN;

  span = measurable_span_ms (timing, basis);
  if (isnan (span))
    return NAN;

  return span / (double) (tokens - 1);
}

double
jx_timing_ttfat_ms (const JxTiming *timing)
{
  g_return_val_if_fail (timing != NULL, NAN);

  return span_ms (timing->t_start, timing->t_first_answer_token);
}
