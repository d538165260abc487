/* jx-compare-stats.h — is one model really faster than another over repeated runs?
 *
 * For "Run ×N": the difference of the two samples' medians, with a 95 % confidence interval
 * from a percentile bootstrap (resample each sample with replacement, take the difference
 * of the medians, repeat; the interval is the 2.5th to 97.5th percentile of those
 * differences). The generator is seeded, so the same samples always give the same interval.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  JX_COMPARE_VERDICT_UNKNOWN,       /* fewer than 2 values in a sample */
  JX_COMPARE_VERDICT_WITHIN_NOISE,  /* the interval contains 0 */
  JX_COMPARE_VERDICT_LOWER,         /* B is lower than A (faster, for a time) */
  JX_COMPARE_VERDICT_HIGHER,        /* B is higher than A (slower, for a time) */
} JxCompareVerdict;

typedef struct
{
  double           median_a;
  double           median_b;
  double           difference;   /* median_b - median_a */
  double           ci_low;       /* 95 % interval of the difference; NAN when UNKNOWN */
  double           ci_high;
  JxCompareVerdict verdict;
} JxCompareResult;

#define JX_COMPARE_DEFAULT_RESAMPLES 2000
#define JX_COMPARE_DEFAULT_SEED      20260101u

/* NAN values are left out. Medians are type-7 percentiles (jx_stats_percentile). Returns
 * FALSE (verdict UNKNOWN, medians still set where possible) when a sample has fewer than
 * two values. @n_resamples 0 = JX_COMPARE_DEFAULT_RESAMPLES. */
gboolean    jx_compare_medians             (const double    *a,
                                            gsize            n_a,
                                            const double    *b,
                                            gsize            n_b,
                                            guint            n_resamples,
                                            guint32          seed,
                                            JxCompareResult *result);
const char *jx_compare_verdict_to_string   (JxCompareVerdict verdict);

G_END_DECLS
