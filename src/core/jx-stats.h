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
  gint64  t_first_token;  /* first non-empty content delta */
  gint64  t_last_token;   /* last content delta */
  gint64  t_end;          /* stream finished (EOF, error, cancel) */
  GArray *content_times;  /* gint64 arrival time of every content event */
} JxTiming;

void   jx_timing_init          (JxTiming       *timing);
void   jx_timing_clear         (JxTiming       *timing);
void   jx_timing_add_content   (JxTiming       *timing,
                                gint64          when);
/* Each returns NAN when it cannot be computed. */
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
