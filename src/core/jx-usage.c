/* jx-usage.c — token usage normalised across providers, and its cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-usage.h"
#include "jx-saturate.h"

void
jx_usage_init (JxUsage *usage)
{
  g_return_if_fail (usage != NULL);

  usage->input_tokens = -1;
  usage->cached_input_tokens = -1;
  usage->cache_write_tokens = -1;
  usage->output_tokens = -1;
  usage->reasoning_tokens = -1;
  usage->billed_input_tokens = -1;
  usage->billed_output_tokens = -1;
  usage->source = JX_USAGE_SOURCE_NONE;
}

/* Known means both sides are there, which is what a cost needs; anything less
 * (e.g. a stream cut off after Anthropic's message_start) should be estimated. */
gboolean
jx_usage_is_known (const JxUsage *usage)
{
  g_return_val_if_fail (usage != NULL, FALSE);

  return usage->source != JX_USAGE_SOURCE_NONE &&
         usage->input_tokens >= 0 &&
         usage->output_tokens >= 0;
}

/* Heuristic: about one token per 4 bytes of UTF-8 (rounded up), which is what
 * OpenAI and Anthropic quote for English text; any non-empty text is at least one
 * token. It is only a fallback and is labelled as an estimate wherever shown. */
gint64
jx_usage_estimate_tokens (const char *text)
{
  gsize len;

  if (text == NULL || text[0] == '\0')
    return 0;

  len = strlen (text);

  return MAX ((gint64) 1, (gint64) ((len + 3) / 4));
}

void
jx_usage_estimate (JxUsage    *usage,
                   const char *prompt_text,
                   const char *output_text)
{
  g_return_if_fail (usage != NULL);

  jx_usage_init (usage);
  usage->input_tokens = jx_usage_estimate_tokens (prompt_text);
  usage->output_tokens = jx_usage_estimate_tokens (output_text);
  usage->source = JX_USAGE_SOURCE_ESTIMATE;
}

void
jx_usage_estimate_with_reasoning (JxUsage    *usage,
                                  const char *prompt_text,
                                  const char *output_text,
                                  const char *reasoning_text)
{
  gint64 reasoning = jx_usage_estimate_tokens (reasoning_text);

  jx_usage_estimate (usage, prompt_text, output_text);
  if (reasoning > 0)
    {
      usage->output_tokens += reasoning;
      usage->reasoning_tokens = reasoning;
    }
}

void
jx_price_init (JxPrice *price)
{
  g_return_if_fail (price != NULL);

  price->input_per_mtok = -1;
  price->cached_input_per_mtok = -1;
  price->cache_write_per_mtok = -1;
  price->output_per_mtok = -1;
  price->per_request_usd = 0;
  price->per_second_usd = 0;
  price->n_tiers = 0;
  memset (price->tiers, 0, sizeof price->tiers);
}

JxPrice
jx_price_for_input (const JxPrice *price,
                    gint64         input_tokens,
                    gint64        *tier_above)
{
  JxPrice result = *price;
  gint64 above = -1;

  for (guint i = 0; i < MIN (price->n_tiers, JX_PRICE_MAX_TIERS); i++)
    {
      const JxPriceTier *tier = &price->tiers[i];

      if (input_tokens > tier->above_input_tokens && tier->above_input_tokens >= above)
        {
          above = tier->above_input_tokens;
          result.input_per_mtok = tier->input_per_mtok;
          result.output_per_mtok = tier->output_per_mtok;
          result.cached_input_per_mtok = tier->cached_input_per_mtok >= 0
                                         ? tier->cached_input_per_mtok : tier->input_per_mtok;
          result.cache_write_per_mtok = tier->cache_write_per_mtok >= 0
                                        ? tier->cache_write_per_mtok : tier->input_per_mtok;
        }
    }

  if (tier_above != NULL)
    *tier_above = above;
  return result;
}

gboolean
jx_price_add_tier (JxPrice           *price,
                   const JxPriceTier *tier)
{
  guint i;

  g_return_val_if_fail (price != NULL && tier != NULL, FALSE);

  if (price->n_tiers >= JX_PRICE_MAX_TIERS)
    return FALSE;

  for (i = price->n_tiers; i > 0 && price->tiers[i - 1].above_input_tokens > tier->above_input_tokens; i--)
    price->tiers[i] = price->tiers[i - 1];
  price->tiers[i] = *tier;
  price->n_tiers++;
  return TRUE;
}

gboolean
jx_price_is_known (const JxPrice *price)
{
  g_return_val_if_fail (price != NULL, FALSE);

  return price->input_per_mtok >= 0 && price->output_per_mtok >= 0;
}

/* USD for @usage at @price, or NAN when either the price or the token counts are
 * unknown.
 *
 * input_tokens is the whole prompt (normalised), so the uncached part is what is left
 * after cache reads and cache writes. A missing cache-read price falls back to the input
 * price. A missing cache-write price also falls back to the input price, not to a
 * guessed premium (Anthropic's is 1.25×): the catalog should carry the real figure, and
 * the fallback never invents money the provider did not list.
 *
 * Where the provider bills other counts than it reports (Cohere billed_units), the billed
 * figures replace input/output and are charged at the plain rates: they already are
 * what the provider charges, so no cache split is applied to them.
 *
 * The request's input tokens (billed, else reported) pick the long-context tier, and a
 * per-request fee is added. */
double
jx_price_cost (const JxPrice *base,
               const JxUsage *usage)
{
  JxPrice tiered;
  const JxPrice *price = &tiered;
  double cached_price;
  double write_price;
  gint64 output;
  double usd;

  g_return_val_if_fail (base != NULL, NAN);
  g_return_val_if_fail (usage != NULL, NAN);

  if (!jx_price_is_known (base))
    return NAN;
  tiered = jx_price_for_input (base, usage->billed_input_tokens >= 0 ? usage->billed_input_tokens
                                                                     : usage->input_tokens, NULL);

  output = usage->billed_output_tokens >= 0 ? usage->billed_output_tokens
                                            : usage->output_tokens;
  if (output < 0)
    return NAN;

  usd = (double) output * price->output_per_mtok;

  if (usage->billed_input_tokens >= 0)
    {
      usd += (double) usage->billed_input_tokens * price->input_per_mtok;
    }
  else
    {
      gint64 cached = MAX (usage->cached_input_tokens, 0);
      gint64 writes = MAX (usage->cache_write_tokens, 0);
      gint64 uncached;

      if (usage->input_tokens < 0)
        return NAN;

      /* Clamp: inconsistent provider figures must not produce a negative charge. */
      uncached = MAX (jx_sat_sub (jx_sat_sub (usage->input_tokens, cached), writes), 0);

      cached_price = price->cached_input_per_mtok >= 0 ? price->cached_input_per_mtok
                                                       : price->input_per_mtok;
      write_price = price->cache_write_per_mtok >= 0 ? price->cache_write_per_mtok
                                                     : price->input_per_mtok;

      usd += (double) uncached * price->input_per_mtok;
      usd += (double) cached * cached_price;
      usd += (double) writes * write_price;
    }

  return usd / 1e6 + MAX (price->per_request_usd, 0);
}

/* @total plus the extras that are known; -1 when @total itself is unknown. */
gint64
jx_usage_sum_known (gint64 total,
                    gint64 extra1,
                    gint64 extra2)
{
  if (total < 0)
    return -1;

  return jx_sat_add (jx_sat_add (total, MAX (extra1, 0)), MAX (extra2, 0));
}

void
jx_usage_mark_reported (JxUsage *usage)
{
  g_return_if_fail (usage != NULL);

  if (usage->input_tokens >= 0 || usage->output_tokens >= 0)
    usage->source = JX_USAGE_SOURCE_PROVIDER;
}
