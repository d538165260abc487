/* test-usage.c — usage normalisation per provider (docs/protocols.md, "Usage normalisation"), cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-usage.h"

#define EPS 1e-12

static void
set_price (JxPrice *price,
           double   input,
           double   cached,
           double   cache_write,
           double   output)
{
  jx_price_init (price);
  price->input_per_mtok = input;
  price->cached_input_per_mtok = cached;
  price->cache_write_per_mtok = cache_write;
  price->output_per_mtok = output;
}

static void
test_usage_init (void)
{
  JxUsage usage;
  JxPrice price;

  memset (&usage, 0x55, sizeof usage);
  jx_usage_init (&usage);

  g_assert_cmpint (usage.input_tokens, ==, -1);
  g_assert_cmpint (usage.cached_input_tokens, ==, -1);
  g_assert_cmpint (usage.cache_write_tokens, ==, -1);
  g_assert_cmpint (usage.output_tokens, ==, -1);
  g_assert_cmpint (usage.reasoning_tokens, ==, -1);
  g_assert_cmpint (usage.billed_input_tokens, ==, -1);
  g_assert_cmpint (usage.billed_output_tokens, ==, -1);
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_NONE);
  g_assert_false (jx_usage_is_known (&usage));

  jx_price_init (&price);
  g_assert_false (jx_price_is_known (&price));
  g_assert_cmpfloat (price.input_per_mtok, <, 0);
  g_assert_cmpfloat (price.cached_input_per_mtok, <, 0);
  g_assert_cmpfloat (price.cache_write_per_mtok, <, 0);
  g_assert_cmpfloat (price.output_per_mtok, <, 0);

  /* Free models are known, at zero. */
  set_price (&price, 0, -1, -1, 0);
  g_assert_true (jx_price_is_known (&price));
}

static void
test_usage_estimate (void)
{
  JxUsage usage;
  JxPrice price;
  char long_text[401];

  g_assert_cmpint (jx_usage_estimate_tokens (NULL), ==, 0);
  g_assert_cmpint (jx_usage_estimate_tokens (""), ==, 0);
  g_assert_cmpint (jx_usage_estimate_tokens ("a"), ==, 1);
  g_assert_cmpint (jx_usage_estimate_tokens ("abcd"), ==, 1);
  g_assert_cmpint (jx_usage_estimate_tokens ("abcde"), ==, 2);
  /* Bytes, not characters: "héllo" is 6 bytes. */
  g_assert_cmpint (jx_usage_estimate_tokens ("h\xc3\xa9llo"), ==, 2);

  memset (long_text, 'x', 400);
  long_text[400] = '\0';
  g_assert_cmpint (jx_usage_estimate_tokens (long_text), ==, 100);

  jx_usage_init (&usage);
  usage.cached_input_tokens = 5;
  jx_usage_estimate (&usage, "abcdefgh", "Hello there!");
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
  g_assert_cmpint (usage.input_tokens, ==, 2);
  g_assert_cmpint (usage.output_tokens, ==, 3);
  g_assert_cmpint (usage.cached_input_tokens, ==, -1);
  g_assert_true (jx_usage_is_known (&usage));

  /* 2 × $1 + 3 × $2 per Mtok. */
  set_price (&price, 1, -1, -1, 2);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 8e-6, EPS);

  jx_usage_estimate (&usage, NULL, NULL);
  g_assert_cmpint (usage.input_tokens, ==, 0);
  g_assert_cmpint (usage.output_tokens, ==, 0);
}

static void
test_usage_openai (void)
{
  JxUsage usage;
  JxPrice price;

  /* prompt_tokens 1000 of which cached 400; completion 500 of which reasoning 200. */
  jx_usage_from_openai (&usage, 1000, 400, 500, 200);
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (usage.input_tokens, ==, 1000);
  g_assert_cmpint (usage.cached_input_tokens, ==, 400);
  g_assert_cmpint (usage.cache_write_tokens, ==, -1);
  g_assert_cmpint (usage.output_tokens, ==, 500);
  g_assert_cmpint (usage.reasoning_tokens, ==, 200);
  g_assert_true (jx_usage_is_known (&usage));

  /* $2.50 / $1.25 cached / $10: 600 × 2.5 + 400 × 1.25 + 500 × 10 = 7000 → $0.007 */
  set_price (&price, 2.50, 1.25, -1, 10);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.007, EPS);

  /* No cached price: cached tokens cost the input price, 1000 × 2.5 + 5000 = 7500. */
  set_price (&price, 2.50, -1, -1, 10);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.0075, EPS);

  /* The real 2025 capture: 10 prompt, 0 cached, 5 completion. At $0.50/$1.50:
   * 10 × 0.5 + 5 × 1.5 = 12.5 → $0.0000125 */
  jx_usage_from_openai (&usage, 10, 0, 5, 0);
  set_price (&price, 0.50, 0.25, -1, 1.50);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 12.5e-6, EPS);

  /* Usage chunk never arrived. */
  jx_usage_from_openai (&usage, -1, -1, -1, -1);
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_NONE);
  g_assert_false (jx_usage_is_known (&usage));
  g_assert_true (isnan (jx_price_cost (&price, &usage)));
}

/* xAI counts reasoning beside completion_tokens
 * (https://docs.x.ai/docs/guides/reasoning): completion 2, reasoning 340, total 354. */
static void
test_usage_openai_reasoning_outside (void)
{
  JxUsage usage;
  JxPrice price;

  jx_usage_from_openai_total (&usage, 12, -1, 2, 340, 354);
  g_assert_cmpint (usage.input_tokens, ==, 12);
  g_assert_cmpint (usage.output_tokens, ==, 342);
  g_assert_cmpint (usage.reasoning_tokens, ==, 340);
  /* $3 / $15 (grok-3-mini-like): 12 × 3 + 342 × 15 = 5166 → $0.005166, not 12 × 3 + 2 × 15. */
  set_price (&price, 3, -1, -1, 15);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.005166, EPS);

  /* No total: reasoning larger than completion cannot be inside it. */
  jx_usage_from_openai_total (&usage, 12, -1, 2, 340, -1);
  g_assert_cmpint (usage.output_tokens, ==, 342);

  /* OpenAI: reasoning inside completion, total = prompt + completion. Unchanged. */
  jx_usage_from_openai_total (&usage, 18, 0, 219, 205, 237);
  g_assert_cmpint (usage.output_tokens, ==, 219);
  g_assert_cmpint (usage.reasoning_tokens, ==, 205);
  jx_usage_from_openai_total (&usage, 18, 0, 219, 205, -1);
  g_assert_cmpint (usage.output_tokens, ==, 219);
}

/* Estimates count streamed reasoning text as output, and as reasoning. */
static void
test_usage_estimate_reasoning (void)
{
  JxUsage usage;

  /* 8 bytes → 2 tokens; 40 bytes → 10. */
  jx_usage_estimate_with_reasoning (&usage, "prompt..", "answer..", "thinking thinking thinking thinking.....");
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
  g_assert_cmpint (usage.input_tokens, ==, 2);
  g_assert_cmpint (usage.output_tokens, ==, 12);
  g_assert_cmpint (usage.reasoning_tokens, ==, 10);

  jx_usage_estimate_with_reasoning (&usage, "prompt..", "answer..", "");
  g_assert_cmpint (usage.output_tokens, ==, 2);
  g_assert_cmpint (usage.reasoning_tokens, ==, -1);
}

static void
test_usage_anthropic (void)
{
  JxUsage usage;
  JxPrice price;

  /* input_tokens excludes the cache: total = 100 + 2000 read + 500 written. */
  jx_usage_from_anthropic (&usage, 100, 2000, 500, 300);
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpint (usage.input_tokens, ==, 2600);
  g_assert_cmpint (usage.cached_input_tokens, ==, 2000);
  g_assert_cmpint (usage.cache_write_tokens, ==, 500);
  g_assert_cmpint (usage.output_tokens, ==, 300);

  /* Sonnet-style $3 / $0.30 read / $3.75 write / $15:
   * 100 × 3 + 2000 × 0.3 + 500 × 3.75 + 300 × 15 = 300 + 600 + 1875 + 4500 = 7275 */
  set_price (&price, 3, 0.30, 3.75, 15);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.007275, EPS);

  /* Unknown write price: writes at the input price, 500 × 3 = 1500 → 6900. */
  set_price (&price, 3, 0.30, -1, 15);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.0069, EPS);

  /* The recorded stream: 29 in, no cache, 5 out → 29 × 3 + 5 × 15 = 162. */
  jx_usage_from_anthropic (&usage, 29, 0, 0, 5);
  g_assert_cmpint (usage.input_tokens, ==, 29);
  set_price (&price, 3, 0.30, 3.75, 15);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 162e-6, EPS);

  /* Old responses without the cache fields. */
  jx_usage_from_anthropic (&usage, 29, -1, -1, 5);
  g_assert_cmpint (usage.input_tokens, ==, 29);
  g_assert_cmpint (usage.cached_input_tokens, ==, -1);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 162e-6, EPS);

  /* Cut off after message_start: input known, output not → no cost. */
  jx_usage_from_anthropic (&usage, 29, 0, 0, -1);
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_false (jx_usage_is_known (&usage));
  g_assert_true (isnan (jx_price_cost (&price, &usage)));
}

static void
test_usage_gemini (void)
{
  JxUsage usage;
  JxPrice price;

  /* cached ⊂ prompt; thoughts are not in candidates but are billed as output. */
  jx_usage_from_gemini (&usage, 1000, 200, 100, 400);
  g_assert_cmpint (usage.input_tokens, ==, 1000);
  g_assert_cmpint (usage.cached_input_tokens, ==, 200);
  g_assert_cmpint (usage.output_tokens, ==, 500);
  g_assert_cmpint (usage.reasoning_tokens, ==, 400);

  /* $0.30 / $0.03 cached / $2.50: 800 × 0.3 + 200 × 0.03 + 500 × 2.5 = 240 + 6 + 1250 */
  set_price (&price, 0.30, 0.03, -1, 2.50);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 1496e-6, EPS);

  /* A thinking chunk: prompt 2, thoughts 71, no candidates yet. */
  jx_usage_from_gemini (&usage, 2, -1, -1, 71);
  g_assert_cmpint (usage.input_tokens, ==, 2);
  g_assert_cmpint (usage.output_tokens, ==, 71);
  g_assert_cmpint (usage.reasoning_tokens, ==, 71);

  /* Plain: 8 prompt, 8 candidates → 8 × 0.3 + 8 × 2.5 = 22.4 */
  jx_usage_from_gemini (&usage, 8, -1, 8, -1);
  g_assert_cmpint (usage.output_tokens, ==, 8);
  g_assert_cmpint (usage.reasoning_tokens, ==, -1);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 22.4e-6, EPS);

  /* Vertex's intermediate chunks carry no counts at all. */
  jx_usage_from_gemini (&usage, -1, -1, -1, -1);
  g_assert_cmpint (usage.source, ==, JX_USAGE_SOURCE_NONE);
  g_assert_cmpint (usage.output_tokens, ==, -1);
}

/* Search grounding and other built-in tools: toolUsePromptTokenCount is billed as input,
 * outside promptTokenCount (https://ai.google.dev/api/generate-content#UsageMetadata). */
static void
test_usage_gemini_tool_use (void)
{
  JxUsage usage;
  JxPrice price;

  jx_usage_from_gemini_tools (&usage, 8, -1, 106, -1, 1200);
  g_assert_cmpint (usage.input_tokens, ==, 1208);
  g_assert_cmpint (usage.output_tokens, ==, 106);
  /* $1 / $2: 1208 + 212 = 1420 → $0.00142 */
  set_price (&price, 1, -1, -1, 2);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.00142, EPS);

  /* Absent: as before. */
  jx_usage_from_gemini_tools (&usage, 8, -1, 106, -1, -1);
  g_assert_cmpint (usage.input_tokens, ==, 8);
  /* No prompt count: still unknown, not the tool count alone. */
  jx_usage_from_gemini_tools (&usage, -1, -1, 106, -1, 1200);
  g_assert_cmpint (usage.input_tokens, ==, -1);
}

static void
test_usage_bedrock (void)
{
  JxUsage usage;
  JxPrice price;

  /* Like Anthropic: inputTokens 8 + cacheRead 1000 (no write reported). */
  jx_usage_from_bedrock (&usage, 8, 1000, -1, 39);
  g_assert_cmpint (usage.input_tokens, ==, 1008);
  g_assert_cmpint (usage.cached_input_tokens, ==, 1000);
  g_assert_cmpint (usage.cache_write_tokens, ==, -1);
  g_assert_cmpint (usage.output_tokens, ==, 39);

  /* $0.80 / $0.08 / $1.00 write / $4: 8 × 0.8 + 1000 × 0.08 + 39 × 4 = 6.4 + 80 + 156 */
  set_price (&price, 0.80, 0.08, 1.00, 4);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 242.4e-6, EPS);

  /* With a write: 8 + 0 + 300 → 8 × 0.8 + 300 × 1 + 39 × 4 = 462.4 */
  jx_usage_from_bedrock (&usage, 8, 0, 300, 39);
  g_assert_cmpint (usage.input_tokens, ==, 308);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 462.4e-6, EPS);
}

static void
test_usage_cohere (void)
{
  JxUsage usage;
  JxPrice price;

  /* The recorded message-end: tokens 506/4, billed 11/3, cached 448. */
  jx_usage_from_cohere (&usage, 506, 4, 11, 3, 448);
  g_assert_cmpint (usage.input_tokens, ==, 506);
  g_assert_cmpint (usage.output_tokens, ==, 4);
  g_assert_cmpint (usage.billed_input_tokens, ==, 11);
  g_assert_cmpint (usage.billed_output_tokens, ==, 3);
  g_assert_cmpint (usage.cached_input_tokens, ==, 448);

  /* Billed units drive the cost: 11 × 2.5 + 3 × 10 = 57.5 */
  set_price (&price, 2.50, -1, -1, 10);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 57.5e-6, EPS);

  /* Without billed_units we fall back to the raw counts: (506 × 2.5 + 4 × 10) */
  jx_usage_from_cohere (&usage, 506, 4, -1, -1, -1);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 1305e-6, EPS);
}

static void
test_usage_cost_edges (void)
{
  JxUsage usage;
  JxPrice price;

  jx_usage_from_openai (&usage, 1000, 0, 100, -1);

  /* Unknown price. */
  jx_price_init (&price);
  g_assert_true (isnan (jx_price_cost (&price, &usage)));
  set_price (&price, 1, -1, -1, -1);
  g_assert_true (isnan (jx_price_cost (&price, &usage)));

  /* Free (local) model. */
  set_price (&price, 0, -1, -1, 0);
  g_assert_cmpfloat (jx_price_cost (&price, &usage), ==, 0.0);

  /* Inconsistent figures (cached > prompt) never give a negative charge:
   * uncached clamps to 0, 50 × 0.5 cached + 100 × 2 = 225. */
  jx_usage_from_openai (&usage, 10, 50, 100, -1);
  set_price (&price, 1, 0.5, -1, 2);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 225e-6, EPS);
}

/* Long-context tiers pick the rates for the whole request from its input tokens; a
 * per-request fee is added to every request. */
static void
test_usage_cost_tiers (void)
{
  const JxPriceTier tier = { 200000, 2.5, 0.25, -1, 15 };
  const JxPriceTier higher = { 500000, 5, -1, -1, 20 };
  JxUsage usage;
  JxPrice price;
  JxPrice effective;
  gint64 above = 0;

  set_price (&price, 1.25, 0.125, -1, 10);
  g_assert_true (jx_price_add_tier (&price, &higher));
  g_assert_true (jx_price_add_tier (&price, &tier));
  g_assert_cmpint (price.tiers[0].above_input_tokens, ==, 200000);  /* kept sorted */

  /* At the threshold: base rates, 200,000 × 1.25 + 1000 × 10 = 0.26. */
  jx_usage_from_openai (&usage, 200000, 0, 1000, -1);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.26, EPS);
  effective = jx_price_for_input (&price, 200000, &above);
  g_assert_cmpint (above, ==, -1);
  g_assert_cmpfloat (effective.input_per_mtok, ==, 1.25);

  /* Above it, every token at the tier: 300,000 × 2.5 + 1000 × 15 = 0.765. */
  jx_usage_from_openai (&usage, 300000, 0, 1000, -1);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.765, EPS);
  /* Cached reads at the tier's cache price: 200,000 × 2.5 + 100,000 × 0.25 + 1000 × 15. */
  jx_usage_from_openai (&usage, 300000, 100000, 1000, -1);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.54, EPS);

  /* The highest tier passed wins; its unknown cache price falls back to its input price. */
  effective = jx_price_for_input (&price, 600000, &above);
  g_assert_cmpint (above, ==, 500000);
  g_assert_cmpfloat (effective.input_per_mtok, ==, 5);
  g_assert_cmpfloat (effective.cached_input_per_mtok, ==, 5);
  g_assert_cmpfloat (effective.output_per_mtok, ==, 20);

  /* A per-request fee. */
  price.per_request_usd = 0.01;
  jx_usage_from_openai (&usage, 1000, 0, 100, -1);
  g_assert_cmpfloat_with_epsilon (jx_price_cost (&price, &usage), 0.00225 + 0.01, EPS);

  /* No room for a fourth tier. */
  g_assert_true (jx_price_add_tier (&price, &tier));
  g_assert_false (jx_price_add_tier (&price, &tier));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/usage/init", test_usage_init);
  g_test_add_func ("/juxta/core/usage/estimate", test_usage_estimate);
  g_test_add_func ("/juxta/core/usage/openai", test_usage_openai);
  g_test_add_func ("/juxta/core/usage/anthropic", test_usage_anthropic);
  g_test_add_func ("/juxta/core/usage/gemini", test_usage_gemini);
  g_test_add_func ("/juxta/core/usage/bedrock", test_usage_bedrock);
  g_test_add_func ("/juxta/core/usage/cohere", test_usage_cohere);
  g_test_add_func ("/juxta/core/usage/cost-edges", test_usage_cost_edges);
  g_test_add_func ("/juxta/core/usage/cost-tiers", test_usage_cost_tiers);
  g_test_add_func ("/juxta/core/usage/openai-reasoning-outside", test_usage_openai_reasoning_outside);
  g_test_add_func ("/juxta/core/usage/estimate-reasoning", test_usage_estimate_reasoning);
  g_test_add_func ("/juxta/core/usage/gemini-tool-use", test_usage_gemini_tool_use);

  return g_test_run ();
}
