/* jx-stats.h — percentiles and per-request timing figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Percentile by linear interpolation between closest ranks (Hyndman & Fan type 7, the
 * default of numpy, R and spreadsheets): rank = p/100 * (n-1). Returns NAN for n == 0.
 * Sorts a copy; the input is left untouched. */
double jx_stats_percentile (const double *values,
                            gsize         n_values,
                            double        p);

/* Timestamps are g_get_monotonic_time() µs, 0 = did not happen. */
typedef struct
{
  gint64  t_queued;       /* the request was handed to the HTTP session (before connecting) */
  gint64  t_start;        /* last byte of the request written, of the attempt that succeeded
                             (for a two-step start, of its first request) */
  gint64  t_headers;      /* response headers parsed */
  gint64  t_first_byte;   /* first body byte read */
  gint64  t_first_token;  /* first generated token of any kind, streamed reasoning included */
  gint64  t_last_token;   /* last generated token of any kind */
  gint64  t_end;          /* stream finished (EOF, error, cancel) */
  GArray *content_times;  /* gint64 arrival time of every answer (content) event */
  gint64  t_first_answer_token; /* first answer token (TTFAT) */
  GArray *generated_times;      /* gint64 arrival time of every generated event: reasoning
                                 * and answer, in order */
  guint   n_reasoning_events;   /* reasoning events among them */
} JxTiming;

/* Which tokens and span the decode speed and ITL are computed over (see README,
 * "Definitions"): every streamed generated token (ALL), or, when the reasoning was
 * counted but not streamed (hidden), the answer's tokens over the answer's span (ANSWER). */
typedef enum
{
  JX_DECODE_BASIS_ALL,
  JX_DECODE_BASIS_ANSWER,
} JxDecodeBasis;

/* Fewer separate arrivals than this, or a shorter span, is too fast to measure: the
 * answer came in one or two socket reads, and decode speed and ITL are NAN. */
#define JX_TIMING_MIN_ARRIVALS 3
#define JX_TIMING_MIN_SPAN_US  3000

void   jx_timing_init          (JxTiming       *timing);
void   jx_timing_clear         (JxTiming       *timing);
void   jx_timing_add_content   (JxTiming       *timing,
                                gint64          when);
void   jx_timing_add_reasoning (JxTiming       *timing,
                                gint64          when);
const char   *jx_decode_basis_to_string (JxDecodeBasis basis);
/* ANSWER when @reasoning_tokens > 0 and no reasoning was streamed, else ALL. */
JxDecodeBasis jx_timing_decode_basis    (const JxTiming *timing,
                                         gint64          reasoning_tokens);
/* @tokens over the span of @basis's arrivals (ALL: every generated event; ANSWER: the
 * answer's); NAN with too few separate arrivals (JX_TIMING_MIN_ARRIVALS,
 * JX_TIMING_MIN_SPAN_US). */
double jx_timing_decode_tps_basis  (const JxTiming *timing,
                                    JxDecodeBasis   basis,
                                    gint64          tokens);
double jx_timing_itl_mean_ms_basis (const JxTiming *timing,
                                    JxDecodeBasis   basis,
                                    gint64          tokens);
/* Time to the first answer token (reasoning excluded). */
double jx_timing_ttfat_ms      (const JxTiming *timing);
/* Each returns NAN when it cannot be computed. The ITL and decode figures without a basis
 * use JX_DECODE_BASIS_ALL. */
double jx_timing_ttft_ms       (const JxTiming *timing);
double jx_timing_e2e_ms        (const JxTiming *timing);
double jx_timing_itl_mean_ms   (const JxTiming *timing,
                                gint64          output_tokens);
double jx_timing_itl_gap_ms    (const JxTiming *timing,
                                double          percentile);
double jx_timing_itl_max_ms    (const JxTiming *timing);
double jx_timing_decode_tps    (const JxTiming *timing,
                                gint64          output_tokens);

G_END_DECLS
