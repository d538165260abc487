/* test-round.c — winners and percentiles of a round, computed by hand, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-round.h"

#define MS 1000  /* µs */

/* A response whose first token came @ttft_ms after the start, then @tokens tokens one every
 * @gap_ms, costing @cost. */
static JxResponse *
make_response (JxResponseStatus status,
               double           ttft_ms,
               guint            tokens,
               double           gap_ms,
               double           cost)
{
  JxResponse *r = jx_response_new ();
  gint64 t = 1000000;

  r->status = status;
  r->timing.t_start = t;
  r->timing.t_first_token = t + (gint64) (ttft_ms * MS);
  for (guint i = 0; i < tokens; i++)
    jx_timing_add_content (&r->timing, r->timing.t_first_token + (gint64) (i * gap_ms * MS));
  r->timing.t_last_token = r->timing.t_first_token + (gint64) ((tokens - 1) * gap_ms * MS);
  r->timing.t_end = r->timing.t_last_token;
  r->usage.source = JX_USAGE_SOURCE_PROVIDER;
  r->usage.output_tokens = tokens;
  r->cost_usd = cost;

  return r;
}

static void
response_unref0 (gpointer response)
{
  if (response != NULL)
    jx_response_unref (response);
}

static GPtrArray *
responses_new (void)
{
  return g_ptr_array_new_with_free_func (response_unref0);
}

static void
test_winners (void)
{
  g_autoptr(GPtrArray) responses = responses_new ();
  JxRoundWinners w;

  /* Decode rate = output tokens / (last token − first token).
   * 0: TTFT 200 ms, 11 tokens 10 ms apart → 11 / 0.100 s = 110 tok/s, $0.002
   * 1: TTFT 100 ms, 11 tokens 20 ms apart → 11 / 0.200 s = 55 tok/s, $0.001
   * 2: not run yet (NULL)
   * 3: failed, fastest of all: does not compete
   * 4: TTFT 300 ms, 11 tokens 5 ms apart → 11 / 0.050 s = 220 tok/s, unknown price */
  g_ptr_array_add (responses, make_response (JX_RESPONSE_OK, 200, 11, 10, 0.002));
  g_ptr_array_add (responses, make_response (JX_RESPONSE_OK, 100, 11, 20, 0.001));
  g_ptr_array_add (responses, NULL);
  g_ptr_array_add (responses, make_response (JX_RESPONSE_ERROR, 1, 11, 1, 0));
  g_ptr_array_add (responses, make_response (JX_RESPONSE_OK, 300, 11, 5, NAN));

  g_assert_cmpfloat_with_epsilon (jx_round_figure (g_ptr_array_index (responses, 0), JX_ROUND_FIGURE_DECODE_TPS),
                                  110.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_round_figure (g_ptr_array_index (responses, 1), JX_ROUND_FIGURE_TTFT_MS),
                                  100.0, 1e-9);
  g_assert_true (isnan (jx_round_figure (g_ptr_array_index (responses, 3), JX_ROUND_FIGURE_TTFT_MS)));

  jx_round_find_winners (responses, &w);
  g_assert_cmpuint (w.n_ok, ==, 3);
  g_assert_cmpint (w.fastest_ttft, ==, 1);
  g_assert_cmpint (w.fastest_decode, ==, 4);
  g_assert_cmpint (w.cheapest, ==, 1);

  g_assert_cmpuint (jx_round_count_ok (responses), ==, 3);
}

/* One success alone wins nothing; ties go to the first. */
static void
test_winners_edge (void)
{
  g_autoptr(GPtrArray) one = responses_new ();
  g_autoptr(GPtrArray) tie = responses_new ();
  JxRoundWinners w;

  g_ptr_array_add (one, make_response (JX_RESPONSE_OK, 100, 5, 10, 0.001));
  g_ptr_array_add (one, make_response (JX_RESPONSE_CANCELLED, 50, 5, 10, 0.0001));
  jx_round_find_winners (one, &w);
  g_assert_cmpuint (w.n_ok, ==, 1);
  g_assert_cmpint (w.fastest_ttft, ==, -1);
  g_assert_cmpint (w.fastest_decode, ==, -1);
  g_assert_cmpint (w.cheapest, ==, -1);

  g_ptr_array_add (tie, make_response (JX_RESPONSE_OK, 100, 5, 10, 0.001));
  g_ptr_array_add (tie, make_response (JX_RESPONSE_OK, 100, 5, 10, 0.001));
  jx_round_find_winners (tie, &w);
  g_assert_cmpint (w.fastest_ttft, ==, 0);
  g_assert_cmpint (w.fastest_decode, ==, 0);
  g_assert_cmpint (w.cheapest, ==, 0);
}

static void
test_percentiles (void)
{
  g_autoptr(GPtrArray) runs = responses_new ();
  g_autoptr(GPtrArray) failed = responses_new ();
  JxRoundPercentiles p;

  /* TTFTs 100, 200, 300, 400, 500 ms plus a failure at 1 ms that is left out. Type 7:
   * rank = p/100 × 4 → P50 = 300, P95 = 400 + 0.8 × 100 = 480, P99 = 400 + 0.96 × 100 = 496. */
  for (guint i = 1; i <= 5; i++)
    g_ptr_array_add (runs, make_response (JX_RESPONSE_OK, i * 100, 3, 10, 0.001 * i));
  g_ptr_array_add (runs, make_response (JX_RESPONSE_ERROR, 1, 3, 10, 0));

  jx_round_percentiles (runs, JX_ROUND_FIGURE_TTFT_MS, &p);
  g_assert_cmpfloat_with_epsilon (p.p50, 300.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.p95, 480.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.p99, 496.0, 1e-9);

  /* E2E = TTFT + 2 gaps of 10 ms. */
  jx_round_percentiles (runs, JX_ROUND_FIGURE_E2E_MS, &p);
  g_assert_cmpfloat_with_epsilon (p.p50, 320.0, 1e-9);

  /* Every run decodes 3 tokens between 0 and 20 ms: 150 tok/s. */
  jx_round_percentiles (runs, JX_ROUND_FIGURE_DECODE_TPS, &p);
  g_assert_cmpfloat_with_epsilon (p.p50, 150.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.p99, 150.0, 1e-9);

  /* 0.001 + … + 0.005 + 0 = 0.015 */
  g_assert_cmpfloat_with_epsilon (jx_round_cost_total (runs), 0.015, 1e-12);
  ((JxResponse *) g_ptr_array_index (runs, 5))->cost_usd = NAN;
  g_assert_true (isnan (jx_round_cost_total (runs)));

  g_ptr_array_add (failed, make_response (JX_RESPONSE_ERROR, 100, 3, 10, 0));
  jx_round_percentiles (failed, JX_ROUND_FIGURE_TTFT_MS, &p);
  g_assert_true (isnan (p.p50) && isnan (p.p95) && isnan (p.p99));
}

/* Without usage from the provider the output tokens are estimated from the text. */
static void
test_output_tokens (void)
{
  g_autoptr(JxResponse) r = make_response (JX_RESPONSE_OK, 100, 3, 10, 0);

  g_assert_cmpint (jx_round_output_tokens (r), ==, 3);
  r->usage.source = JX_USAGE_SOURCE_NONE;
  g_string_assign (r->text, "one two three four five six seven eight");
  g_assert_cmpint (jx_round_output_tokens (r), ==, jx_usage_estimate_tokens (r->text->str));
  g_assert_cmpint (jx_round_output_tokens (r), >, 0);
}

/* A refusal, a cut answer, a filtered answer and a tool call are fast for the wrong reason:
 * none of them wins or enters a percentile, and the round says how many of each were left
 * out. */
static void
test_incomplete_left_out (void)
{
  g_autoptr(GPtrArray) responses = responses_new ();
  g_autofree char *described = NULL;
  JxRoundPercentiles p;
  JxRoundLeftOut left_out;
  JxRoundWinners w;
  JxResponse *r;

  /* 0, 1: complete (stop, and unknown: a protocol that does not say). */
  r = make_response (JX_RESPONSE_OK, 200, 11, 10, 0.002);
  r->finish = JX_FINISH_STOP;
  g_ptr_array_add (responses, r);
  g_ptr_array_add (responses, make_response (JX_RESPONSE_OK, 300, 11, 20, 0.003));
  /* 2..5: much faster and cheaper, but not complete answers. */
  r = make_response (JX_RESPONSE_OK, 10, 11, 1, 0.0001);
  r->finish = JX_FINISH_REFUSAL;
  g_ptr_array_add (responses, r);
  r = make_response (JX_RESPONSE_OK, 10, 11, 1, 0.0001);
  r->finish = JX_FINISH_LENGTH;
  g_ptr_array_add (responses, r);
  r = make_response (JX_RESPONSE_OK, 10, 11, 1, 0.0001);
  r->finish = JX_FINISH_CONTENT_FILTER;
  g_ptr_array_add (responses, r);
  r = make_response (JX_RESPONSE_OK, 10, 11, 1, 0.0001);
  r->finish = JX_FINISH_TOOL_CALLS;
  g_ptr_array_add (responses, r);
  g_ptr_array_add (responses, make_response (JX_RESPONSE_ERROR, 10, 11, 1, 0.0001));

  jx_round_find_winners (responses, &w);
  g_assert_cmpuint (w.n_ok, ==, 6);
  g_assert_cmpuint (w.n_complete, ==, 2);
  g_assert_cmpint (w.fastest_ttft, ==, 0);
  g_assert_cmpint (w.fastest_decode, ==, 0);
  g_assert_cmpint (w.cheapest, ==, 0);

  jx_round_percentiles (responses, JX_ROUND_FIGURE_TTFT_MS, &p);
  g_assert_cmpfloat_with_epsilon (p.p50, 250, 1e-9);

  jx_round_count_left_out (responses, &left_out);
  g_assert_cmpuint (left_out.total, ==, 5);
  g_assert_cmpuint (left_out.by_finish[JX_FINISH_REFUSAL], ==, 1);
  g_assert_cmpuint (left_out.by_finish[JX_FINISH_LENGTH], ==, 1);
  g_assert_cmpuint (left_out.by_finish[JX_FINISH_CONTENT_FILTER], ==, 1);
  g_assert_cmpuint (left_out.by_finish[JX_FINISH_TOOL_CALLS], ==, 1);
  g_assert_cmpuint (left_out.by_finish[JX_FINISH_ERROR], ==, 1);
  described = jx_round_describe_left_out (&left_out);
  g_assert_cmpstr (described, ==, "5 left out: 1 refused, 1 cut at max tokens, "
                                  "1 blocked by content filter, 1 tool call, 1 failed");

  /* Only one complete answer: no race. */
  g_ptr_array_remove_index (responses, 1);
  jx_round_find_winners (responses, &w);
  g_assert_cmpint (w.fastest_ttft, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/round/winners", test_winners);
  g_test_add_func ("/juxta/core/round/winners-edge", test_winners_edge);
  g_test_add_func ("/juxta/core/round/percentiles", test_percentiles);
  g_test_add_func ("/juxta/core/round/output-tokens", test_output_tokens);
  g_test_add_func ("/juxta/core/round/incomplete-left-out", test_incomplete_left_out);

  return g_test_run ();
}
