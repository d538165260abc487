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
  guint n_complete;      /* of which complete answers (jx_response_is_complete()): the only
                          * ones that compete */
} JxRoundWinners;

/* Responses left out of winners and percentiles, by how they ended (index: JxFinishReason;
 * STOP and UNKNOWN stay 0 except for failures counted under ERROR / CANCELLED). */
typedef struct
{
  guint by_finish[JX_FINISH_CANCELLED + 1];
  guint total;
} JxRoundLeftOut;

typedef struct
{
  double p50;
  double p95;
  double p99;
} JxRoundPercentiles;

/* Output tokens as reported by the provider, else estimated from the text. */
gint64 jx_round_output_tokens (const JxResponse *response);
/* Decode figures with the basis jx_timing_decode_basis() picks for this response: all
 * output tokens over every streamed generated token, or, for hidden reasoning, the answer's
 * tokens (output − reasoning) over the answer's span. NAN when too fast to measure. */
JxDecodeBasis jx_round_decode_basis (const JxResponse *response);
double jx_round_decode_tps    (const JxResponse *response);
double jx_round_itl_mean_ms   (const JxResponse *response);
/* Every response that is not a complete answer, by kind (NULL entries are not counted). */
void   jx_round_count_left_out (GPtrArray         *responses,
                                JxRoundLeftOut    *left_out);
/* "2 left out: 1 refused, 1 cut at max tokens", or NULL when none was (translated). */
char  *jx_round_describe_left_out (const JxRoundLeftOut *left_out);
/* The figure of one response; NAN when it failed or the figure cannot be computed. */
double jx_round_figure        (const JxResponse *response,
                               JxRoundFigure     figure);
/* @responses: JxResponse*, NULL entries allowed (a pane that has not run). Only complete
 * answers compete (a refusal, a cut or filtered answer, a tool call or a failure does not),
 * and there are winners only when there are at least two; ties go to the first. */
void   jx_round_find_winners  (GPtrArray          *responses,
                               JxRoundWinners     *winners);
/* P50/P95/P99 of @figure over the complete answers (NAN when there is none). */
void   jx_round_percentiles   (GPtrArray          *responses,
                               JxRoundFigure       figure,
                               JxRoundPercentiles *percentiles);
/* Sum of every response's cost, NAN if any is unknown. */
double jx_round_cost_total    (GPtrArray          *responses);
guint  jx_round_count_ok      (GPtrArray          *responses);

G_END_DECLS
