/* jx-usage.h — token usage normalised across providers, and its cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  JX_USAGE_SOURCE_NONE,     /* nothing known yet */
  JX_USAGE_SOURCE_PROVIDER, /* reported by the provider */
  JX_USAGE_SOURCE_ESTIMATE, /* estimated by us (labelled as such everywhere) */
} JxUsageSource;

/* All counts are -1 when unknown. Normalised (docs/protocols.md, "Usage normalisation"):
 * - input_tokens is the *total* prompt, cached reads and cache writes included;
 * - output_tokens includes reasoning tokens (Gemini thoughts are added in).
 * billed_* are set only where the provider bills differently from what it counts (Cohere). */
typedef struct
{
  gint64        input_tokens;
  gint64        cached_input_tokens;
  gint64        cache_write_tokens;
  gint64        output_tokens;
  gint64        reasoning_tokens;
  gint64        billed_input_tokens;
  gint64        billed_output_tokens;
  JxUsageSource source;
} JxUsage;

#define JX_PRICE_MAX_TIERS 3

/* A long-context tier: a request whose input exceeds @above_input_tokens is charged at
 * these rates for all its tokens (Gemini 2.5 Pro above 200k, GPT-5.x above 272k). A
 * negative cache price falls back to the tier's input price. */
typedef struct
{
  gint64 above_input_tokens;
  double input_per_mtok;
  double cached_input_per_mtok;
  double cache_write_per_mtok;
  double output_per_mtok;
} JxPriceTier;

/* Prices in USD per 1M tokens; negative = unknown. All-zero extras mean "none", so a
 * price filled in member by member stays a plain per-token price. */
typedef struct
{
  double input_per_mtok;
  double cached_input_per_mtok;
  double cache_write_per_mtok;
  double output_per_mtok;
  double per_request_usd;  /* fee on every request; 0 = none */
  double per_second_usd;   /* compute time (Replicate); 0 = not billed per second */
  guint  n_tiers;          /* long-context tiers, ascending by threshold */
  JxPriceTier tiers[JX_PRICE_MAX_TIERS];
} JxPrice;

void     jx_usage_init             (JxUsage       *usage);
gboolean jx_usage_is_known         (const JxUsage *usage);
void     jx_usage_estimate         (JxUsage       *usage,
                                    const char    *prompt_text,
                                    const char    *output_text);
/* The same, counting streamed reasoning as output too (and as reasoning_tokens, when any). */
void     jx_usage_estimate_with_reasoning (JxUsage    *usage,
                                           const char *prompt_text,
                                           const char *output_text,
                                           const char *reasoning_text);
gint64   jx_usage_estimate_tokens  (const char    *text);
void     jx_price_init             (JxPrice       *price);
gboolean jx_price_is_known         (const JxPrice *price);
double   jx_price_cost             (const JxPrice *price,
                                    const JxUsage *usage);
/* The per-token rates that apply to a request with @input_tokens: the highest tier whose
 * threshold it exceeds, else the base price (fees copied). @tier_above (optional) gets
 * that tier's threshold, -1 for the base price. */
JxPrice  jx_price_for_input        (const JxPrice *price,
                                    gint64         input_tokens,
                                    gint64        *tier_above);
/* Adds a tier, keeping them sorted; FALSE when all JX_PRICE_MAX_TIERS are used. */
gboolean jx_price_add_tier         (JxPrice           *price,
                                    const JxPriceTier *tier);

/* For the normalisers: @total plus the extras that are known (-1 when @total is unknown),
 * and source PROVIDER when any count is known. */
gint64   jx_usage_sum_known        (gint64         total,
                                    gint64         extra1,
                                    gint64         extra2);
void     jx_usage_mark_reported    (JxUsage       *usage);

/* Fill @usage from one protocol's raw counters (pass -1 for a field that is absent),
 * normalising them as described above and setting source PROVIDER when any count is
 * known. Other fields are reset to -1. Each is defined next to its adapter
 * (adapters/jx-adapter-<protocol>.c); a new protocol keeps its normaliser there. */
void     jx_usage_from_openai      (JxUsage       *usage,
                                    gint64         prompt_tokens,
                                    gint64         cached_tokens,
                                    gint64         completion_tokens,
                                    gint64         reasoning_tokens);
/* The same with total_tokens (-1 when absent): some providers (xAI) count reasoning outside
 * completion_tokens, so output is total − prompt when that exceeds completion, and
 * completion + reasoning when reasoning exceeds completion and no total is given. */
void     jx_usage_from_openai_total (JxUsage      *usage,
                                     gint64        prompt_tokens,
                                     gint64        cached_tokens,
                                     gint64        completion_tokens,
                                     gint64        reasoning_tokens,
                                     gint64        total_tokens);
void     jx_usage_from_anthropic   (JxUsage       *usage,
                                    gint64         input_tokens,
                                    gint64         cache_read_input_tokens,
                                    gint64         cache_creation_input_tokens,
                                    gint64         output_tokens);
void     jx_usage_from_gemini      (JxUsage       *usage,
                                    gint64         prompt_token_count,
                                    gint64         cached_content_token_count,
                                    gint64         candidates_token_count,
                                    gint64         thoughts_token_count);
/* The same with toolUsePromptTokenCount (the results of built-in tools such as Search fed
 * back to the model, billed as input), added to the input. */
void     jx_usage_from_gemini_tools (JxUsage      *usage,
                                     gint64        prompt_token_count,
                                     gint64        cached_content_token_count,
                                     gint64        candidates_token_count,
                                     gint64        thoughts_token_count,
                                     gint64        tool_use_prompt_token_count);
void     jx_usage_from_bedrock     (JxUsage       *usage,
                                    gint64         input_tokens,
                                    gint64         cache_read_input_tokens,
                                    gint64         cache_write_input_tokens,
                                    gint64         output_tokens);
void     jx_usage_from_cohere      (JxUsage       *usage,
                                    gint64         tokens_input,
                                    gint64         tokens_output,
                                    gint64         billed_input,
                                    gint64         billed_output,
                                    gint64         cached_tokens);

G_END_DECLS
