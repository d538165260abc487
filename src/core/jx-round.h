/* jx-round.h — the figures of a round: winners and percentiles over a set of responses
 *
 * Pure functions, no display: the window's summary and badges and `juxta compare`'s summary
 * lines are both computed here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jx-response.h"

G_BEGIN_DECLS

typedef enum
{
  JX_ROUND_FIGURE_TTFT_MS,
  JX_ROUND_FIGURE_E2E_MS,
  JX_ROUND_FIGURE_DECODE_TPS,
} JxRoundFigure;

/* Indices into the responses given, -1 = no winner. */
typedef struct
{
  int   fastest_ttft;    /* lowest time to first token */
  int   fastest_decode;  /* highest decode tokens/s */
  int   cheapest;        /* lowest known cost */
  guint n_ok;            /* responses that finished successfully */
} JxRoundWinners;

typedef struct
{
  double p50;
  double p95;
  double p99;
} JxRoundPercentiles;

/* Output tokens as reported by the provider, else estimated from the text. */
gint64 jx_round_output_tokens (const JxResponse *response);
/* The figure of one response; NAN when it failed or the figure cannot be computed. */
double jx_round_figure        (const JxResponse *response,
                               JxRoundFigure     figure);
/* @responses: JxResponse*, NULL entries allowed (a pane that has not run). Only successful
 * responses compete, and there are winners only when at least two succeeded; ties go to the
 * first. */
void   jx_round_find_winners  (GPtrArray          *responses,
                               JxRoundWinners     *winners);
/* P50/P95/P99 of @figure over the successful responses (NAN when there is none). */
void   jx_round_percentiles   (GPtrArray          *responses,
                               JxRoundFigure       figure,
                               JxRoundPercentiles *percentiles);
/* Sum of every response's cost, NAN if any is unknown. */
double jx_round_cost_total    (GPtrArray          *responses);
guint  jx_round_count_ok      (GPtrArray          *responses);

G_END_DECLS
