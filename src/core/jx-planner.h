/* jx-planner.h — the monthly cost planner: workloads, plan items and plan rows
 *
 * Planner arithmetic (all in USD, nothing rounded before the output):
 *   months have 30 days: requests_per_month = requests_per_day × 30 (JX_PRICING_DAYS_PER_MONTH);
 *   workload tokens:  cached   = input_tokens × cached_share
 *                     uncached = input_tokens × (1 − cached_share)
 *                     per_request = (uncached × input + cached × cached_input
 *                                    + output_tokens × output) / 1e6
 *                     (cached_input unknown → the input price);
 *   measured tokens:  per_request = jx_price_cost (price, measured usage) — the provider's own
 *                     semantics (cache reads/writes, Gemini thoughts as output, Cohere
 *                     billed units); cached_share is not applied on top;
 *   batch:            per_request × (1 − batch_discount) when batch is asked for and the
 *                     model has a discount; otherwise unchanged and the row says
 *                     batch_unavailable;
 *   long context:     the request's input tokens pick the model's price tier (JxPrice.tiers):
 *                     above a tier's threshold the whole request is charged at its rates;
 *   per-request fee:  + price.per_request_usd for every request;
 *   compute time:     + price.per_second_usd × seconds of one request (the item's measured
 *                     seconds, else the workload's seconds_per_request; unknown → no price);
 *   monthly_usd = per_request × requests_per_month.
 * Subscriptions (JxWorkload.subscriptions) are rows of their own:
 *   units        = requests_per_month, or requests_per_month × (input + output tokens)
 *                  when the plan counts tokens;
 *   monthly_usd  = monthly fee + max (units − included, 0) × overage per unit;
 *   per_request  = monthly_usd / requests_per_month.
 * Rows are sorted by monthly_usd (unknown prices last), then provider, then model; every
 * row whose monthly_usd equals the lowest is flagged cheapest.
 *
 * Blended price: (3 × input + 1 × output) / 4, labelled "3:1 blend".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jx-catalog.h"
#include "jx-response.h"

G_BEGIN_DECLS

#define JX_PRICING_DAYS_PER_MONTH 30
#define JX_PRICING_BLEND_LABEL    "3:1 blend"

/* (3 × input + output) / 4 per 1M tokens, NAN when unknown. */
double    jx_price_blended              (const JxPrice *price);

/* A purchase with an included quota: a monthly fee, @included units a month, then
 * @overage_usd per unit. Units are requests, or tokens (input + output) when @per_token. */
typedef struct
{
  char     *name;
  double    monthly_usd;
  double    included;
  double    overage_usd;
  gboolean  per_token;
} JxSubscription;

void      jx_subscription_clear         (JxSubscription *subscription);
/* "NAME:MONTHLY_USD:INCLUDED:OVERAGE_PER_UNIT[:requests|tokens]", e.g.
 * "team:20:1000:0.01" or "pro:200:50M:0.000004:tokens" (k/M suffixes allowed on INCLUDED). */
gboolean  jx_subscription_parse         (JxSubscription *subscription,
                                         const char     *text,
                                         GError        **error);

typedef struct
{
  double   requests_per_month;
  gint64   input_tokens;     /* per request */
  gint64   output_tokens;    /* per request */
  double   cached_share;     /* 0..1 of input_tokens read from the cache */
  gboolean batch;
  double   seconds_per_request; /* compute time of one request for per-second prices; NAN = unknown */
  const JxSubscription *subscriptions; /* borrowed; each becomes a row of its own */
  guint    n_subscriptions;
} JxWorkload;

void      jx_workload_init              (JxWorkload    *workload);
void      jx_workload_set_requests_per_day (JxWorkload *workload,
                                            double      requests_per_day);

typedef struct
{
  char     *provider_id;
  char     *model_id;
  gboolean  has_measured;    /* use @measured instead of the workload's tokens */
  JxUsage   measured;        /* tokens of one request as measured */
  double    ttft_ms;         /* measured median, NAN = unknown */
  double    tokens_per_s;    /* measured median decode rate, NAN = unknown */
  double    seconds;         /* measured median duration of one request, NAN = unknown */
} JxPlanItem;

void      jx_plan_item_init             (JxPlanItem    *item,
                                         const char    *provider_id,
                                         const char    *model_id);
void      jx_plan_item_clear            (JxPlanItem    *item);
/* One item per provider/model among the successful @responses (JxResponse*) that have
 * usage: the usage counts are the means over those responses (rounded to whole tokens),
 * TTFT, decode tokens/s and the request's duration are medians. Array of JxPlanItem with a clear func. */
GArray   *jx_plan_items_from_responses  (GPtrArray     *responses);

/* How a row is billed. */
typedef enum
{
  JX_PLAN_BILLING_TOKENS,        /* per token (with any per-request fee) */
  JX_PLAN_BILLING_PER_SECOND,    /* compute time (plus any token and per-request prices) */
  JX_PLAN_BILLING_SUBSCRIPTION,  /* monthly fee with an included quota plus overage */
} JxPlanBilling;

typedef struct
{
  char     *provider_id;         /* "subscription" for a subscription row */
  char     *provider_name;
  char     *model_id;
  char     *model_name;
  gboolean  price_known;
  double    per_request_usd;  /* NAN when the price is unknown */
  double    monthly_usd;
  gboolean  cheapest;
  gboolean  batch_applied;
  gboolean  batch_unavailable; /* batch asked for, the model has no discount */
  gboolean  measured;
  gboolean  measured_estimated; /* the round's usage was estimated, not reported */
  gint64    input_tokens;     /* per request, as priced (-1 unknown) */
  gint64    output_tokens;
  double    ttft_ms;
  double    tokens_per_s;
  JxPlanBilling billing;
  gint64    tier_above;       /* the long-context tier applied (its threshold), -1 = base price */
  double    seconds;          /* seconds of one request as priced, NAN when not per second */
  double    overage_units;    /* subscription: units above the included quota */
  char     *price_source;     /* where and when the price came from, NULL = unknown */
} JxPlanRow;

void      jx_plan_row_free              (JxPlanRow     *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxPlanRow, jx_plan_row_free)

/* Rows (JxPlanRow*, sorted as described above). With @items NULL or empty: every model with
 * a known price, simulated providers excluded. Unknown provider or model → error. */
GPtrArray *jx_pricing_plan              (JxCatalog        *catalog,
                                         const JxWorkload *workload,
                                         const JxPlanItem *items,
                                         guint             n_items,
                                         GError          **error);

G_END_DECLS
