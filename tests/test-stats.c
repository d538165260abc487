/* test-stats.c — percentiles and timing figures, against hand-computed values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-round.h"
#include "jx-stats.h"

#define EPS 1e-9

static void
test_stats_percentile_type7 (void)
{
  /* Unsorted on purpose; sorted it is 15 20 35 40 50, so rank = p/100 * 4. */
  const double values[] = { 40, 15, 50, 20, 35 };
  const double copy[] = { 40, 15, 50, 20, 35 };

  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (values, 5, 0), 15, EPS);
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (values, 5, 100), 50, EPS);
  /* rank 2 → 35 */
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (values, 5, 50), 35, EPS);
  /* rank 1 → 20 */
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (values, 5, 25), 20, EPS);
  /* rank 1.6 → 20 + 0.6 × (35 − 20) = 29 (numpy gives 29.0) */
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (values, 5, 40), 29, EPS);
  /* rank 3.6 → 40 + 0.6 × (50 − 40) = 46 */
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (values, 5, 90), 46, EPS);

  /* The input is left untouched. */
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (values[i], ==, copy[i]);
}

static void
test_stats_percentile_small (void)
{
  const double one[] = { 7 };
  const double four[] = { 4, 3, 2, 1 };

  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (one, 1, 0), 7, EPS);
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (one, 1, 50), 7, EPS);
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (one, 1, 99), 7, EPS);

  /* rank 1.5 → 2.5; rank 2.85 → 3.85; rank 0.03 → 1.03 */
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (four, 4, 50), 2.5, EPS);
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (four, 4, 95), 3.85, EPS);
  g_assert_cmpfloat_with_epsilon (jx_stats_percentile (four, 4, 1), 1.03, EPS);
}

static void
test_stats_percentile_empty (void)
{
  g_assert_true (isnan (jx_stats_percentile (NULL, 0, 50)));
}

/* t_start 1 s; content at +250, +300, +330, +450 ms; end at +500 ms. */
static void
fill_timing (JxTiming *timing)
{
  jx_timing_init (timing);
  timing->t_start = 1000000;
  timing->t_headers = 1100000;
  timing->t_first_byte = 1200000;
  jx_timing_add_content (timing, 1250000);
  jx_timing_add_content (timing, 1300000);
  jx_timing_add_content (timing, 1330000);
  jx_timing_add_content (timing, 1450000);
  timing->t_end = 1500000;
}

static void
test_stats_timing_basic (void)
{
  JxTiming timing;

  fill_timing (&timing);

  g_assert_cmpint (timing.t_first_token, ==, 1250000);
  g_assert_cmpint (timing.t_last_token, ==, 1450000);
  g_assert_cmpuint (timing.content_times->len, ==, 4);

  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&timing), 250, EPS);
  g_assert_cmpfloat_with_epsilon (jx_timing_e2e_ms (&timing), 500, EPS);

  /* (1450000 − 1250000) µs = 200 ms over 5 − 1 intervals. */
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_mean_ms (&timing, 5), 50, EPS);
  /* 200 ms over 20 − 1 intervals. */
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_mean_ms (&timing, 20), 200.0 / 19.0, EPS);
  g_assert_true (isnan (jx_timing_itl_mean_ms (&timing, 1)));
  g_assert_true (isnan (jx_timing_itl_mean_ms (&timing, 0)));
  g_assert_true (isnan (jx_timing_itl_mean_ms (&timing, -1)));

  /* Gaps 50, 30, 120 ms → sorted 30 50 120. */
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_gap_ms (&timing, 50), 50, EPS);
  /* rank 1.8 → 50 + 0.8 × 70 = 106 */
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_gap_ms (&timing, 90), 106, EPS);
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_gap_ms (&timing, 0), 30, EPS);
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_max_ms (&timing), 120, EPS);

  /* 5 tokens over 0.2 s. */
  g_assert_cmpfloat_with_epsilon (jx_timing_decode_tps (&timing, 5), 25, EPS);
  g_assert_true (isnan (jx_timing_decode_tps (&timing, 0)));
  g_assert_true (isnan (jx_timing_decode_tps (&timing, -1)));

  jx_timing_clear (&timing);
  g_assert_null (timing.content_times);
  g_assert_cmpint (timing.t_start, ==, 0);
}

static void
test_stats_timing_unknown (void)
{
  JxTiming timing;

  jx_timing_init (&timing);

  g_assert_true (isnan (jx_timing_ttft_ms (&timing)));
  g_assert_true (isnan (jx_timing_e2e_ms (&timing)));
  g_assert_true (isnan (jx_timing_itl_mean_ms (&timing, 10)));
  g_assert_true (isnan (jx_timing_itl_gap_ms (&timing, 50)));
  g_assert_true (isnan (jx_timing_itl_max_ms (&timing)));
  g_assert_true (isnan (jx_timing_decode_tps (&timing, 10)));

  /* Request sent but no token yet: E2E known, TTFT not. */
  timing.t_start = 5000;
  timing.t_end = 105000;
  g_assert_true (isnan (jx_timing_ttft_ms (&timing)));
  g_assert_cmpfloat_with_epsilon (jx_timing_e2e_ms (&timing), 100, EPS);

  /* One content event: no gap, and a zero span gives no decode rate. */
  jx_timing_add_content (&timing, 25000);
  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&timing), 20, EPS);
  g_assert_true (isnan (jx_timing_itl_gap_ms (&timing, 50)));
  g_assert_true (isnan (jx_timing_itl_max_ms (&timing)));
  g_assert_true (isnan (jx_timing_decode_tps (&timing, 3)));

  jx_timing_clear (&timing);
  /* Clearing twice is harmless. */
  jx_timing_clear (&timing);
}

#define PACE_US 10000  /* one token every 10 ms: 100 tok/s, ITL 10 ms */

/* A reasoning model paced at a known rate, reasoning streamed: 50 reasoning tokens, then 30
 * answer tokens, one per read. Decode speed and ITL are over all 80 (issue 12: the answer's
 * span alone read 80 tokens over 0.29 s, 276 tok/s). TTFT is the first reasoning token,
 * TTFAT the first answer token. */
static void
test_stats_reasoning_streamed (void)
{
  g_autoptr(JxResponse) r = jx_response_new ();
  gint64 t = 1000000;

  r->status = JX_RESPONSE_OK;
  r->timing.t_start = t - 200000;
  for (guint i = 0; i < 50; i++, t += PACE_US)
    jx_timing_add_reasoning (&r->timing, t);
  for (guint i = 0; i < 30; i++, t += PACE_US)
    jx_timing_add_content (&r->timing, t);
  jx_usage_from_openai (&r->usage, 20, -1, 80, 50);

  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&r->timing), 200, EPS);
  g_assert_cmpfloat_with_epsilon (jx_timing_ttfat_ms (&r->timing), 200 + 500, EPS);
  g_assert_cmpint (jx_round_decode_basis (r), ==, JX_DECODE_BASIS_ALL);
  g_assert_cmpstr (jx_decode_basis_to_string (jx_round_decode_basis (r)), ==, "all");
  /* 80 tokens over 79 × 10 ms. */
  g_assert_cmpfloat_with_epsilon (jx_round_decode_tps (r), 80 / 0.79, 1e-6);
  g_assert_cmpfloat (fabs (jx_round_decode_tps (r) - 100) / 100, <, 0.10);
  g_assert_cmpfloat_with_epsilon (jx_round_itl_mean_ms (r), 10, EPS);
  /* Gaps include the reasoning tokens'. */
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_max_ms (&r->timing), 10, EPS);
}

/* Hidden reasoning (counted, never streamed): the answer's tokens over the answer's span. */
static void
test_stats_reasoning_hidden (void)
{
  g_autoptr(JxResponse) r = jx_response_new ();
  gint64 t = 1000000;

  r->status = JX_RESPONSE_OK;
  r->timing.t_start = t - 3000000;
  for (guint i = 0; i < 30; i++, t += PACE_US)
    jx_timing_add_content (&r->timing, t);
  /* Gemini: 30 candidates + 400 thoughts. */
  jx_usage_from_gemini (&r->usage, 9, -1, 30, 400);

  g_assert_cmpint (r->usage.output_tokens, ==, 430);
  g_assert_cmpint (jx_round_decode_basis (r), ==, JX_DECODE_BASIS_ANSWER);
  g_assert_cmpstr (jx_decode_basis_to_string (jx_round_decode_basis (r)), ==, "answer");
  /* TTFT and TTFAT are the same: nothing came before the answer. */
  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&r->timing), 3000, EPS);
  g_assert_cmpfloat_with_epsilon (jx_timing_ttfat_ms (&r->timing), 3000, EPS);
  g_assert_cmpfloat_with_epsilon (jx_round_decode_tps (r), 30 / 0.29, 1e-6);
  g_assert_cmpfloat (fabs (jx_round_decode_tps (r) - 100) / 100, <, 0.10);
  g_assert_cmpfloat_with_epsilon (jx_round_itl_mean_ms (r), 10, EPS);
  /* All 430 tokens over the answer's span would read 1483 tok/s. */
  g_assert_cmpfloat (jx_timing_decode_tps (&r->timing, 430), >, 1400);
}

/* Too few separate arrivals: an answer in one or two reads, or three within 3 ms, has no
 * decode speed and no ITL (issue 12: 105 895 tok/s and ITL 0.0 ms). */
static void
test_stats_too_fast (void)
{
  JxTiming timing;

  /* One read carrying eight events. */
  jx_timing_init (&timing);
  timing.t_start = 1000000;
  for (guint i = 0; i < 8; i++)
    jx_timing_add_content (&timing, 1200000);
  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&timing), 200, EPS);
  g_assert_true (isnan (jx_timing_decode_tps (&timing, 300)));
  g_assert_true (isnan (jx_timing_itl_mean_ms (&timing, 300)));
  jx_timing_clear (&timing);

  /* Two reads 40 ms apart. */
  jx_timing_init (&timing);
  for (guint i = 0; i < 4; i++)
    jx_timing_add_content (&timing, 1200000);
  for (guint i = 0; i < 4; i++)
    jx_timing_add_content (&timing, 1240000);
  g_assert_true (isnan (jx_timing_decode_tps (&timing, 300)));
  g_assert_true (isnan (jx_timing_itl_mean_ms (&timing, 300)));
  jx_timing_clear (&timing);

  /* Three reads within 2 ms. */
  jx_timing_init (&timing);
  jx_timing_add_content (&timing, 1200000);
  jx_timing_add_content (&timing, 1201000);
  jx_timing_add_content (&timing, 1202000);
  g_assert_true (isnan (jx_timing_decode_tps (&timing, 300)));
  g_assert_true (isnan (jx_timing_itl_mean_ms (&timing, 300)));
  /* A third read 5 ms after the first is enough. */
  jx_timing_add_content (&timing, 1205000);
  g_assert_cmpfloat_with_epsilon (jx_timing_decode_tps (&timing, 300), 300 / 0.005, 1e-6);
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_mean_ms (&timing, 300), 5.0 / 299, EPS);
  jx_timing_clear (&timing);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/stats/percentile-type7", test_stats_percentile_type7);
  g_test_add_func ("/juxta/core/stats/percentile-small", test_stats_percentile_small);
  g_test_add_func ("/juxta/core/stats/percentile-empty", test_stats_percentile_empty);
  g_test_add_func ("/juxta/core/stats/timing-basic", test_stats_timing_basic);
  g_test_add_func ("/juxta/core/stats/timing-unknown", test_stats_timing_unknown);
  g_test_add_func ("/juxta/core/stats/timing-reasoning-streamed", test_stats_reasoning_streamed);
  g_test_add_func ("/juxta/core/stats/timing-reasoning-hidden", test_stats_reasoning_hidden);
  g_test_add_func ("/juxta/core/stats/timing-too-fast", test_stats_too_fast);

  return g_test_run ();
}
