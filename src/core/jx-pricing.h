/* jx-pricing.h — user price overrides, LiteLLM import and the monthly cost planner
 *
 * Overrides live in $XDG_DATA_HOME/juxta/prices.json (g_get_user_data_dir ()), in the
 * providers-file format reduced to prices:
 *
 *   {"providers":[{"id":"openai","models":[{"id":"gpt-4o","input_per_mtok":2.5,
 *     "cached_input_per_mtok":1.25,"cache_write_per_mtok":null,"output_per_mtok":10,
 *     "batch_discount":0.5,"context_window":128000,"price_checked":"2026-11-25"}]}]}
 *
 * They are applied with jx_catalog_load_data (), so the models get price_overridden.
 * Entries naming a provider or model the catalog does not know are kept in the file but
 * skipped when applying. The first pricing call on a catalog snapshots every model's
 * price ("the catalog price": built-in plus providers file); jx_pricing_reset () restores
 * from that snapshot, or from a fresh built-in catalog for models loaded after it.
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
 *   monthly_usd = per_request × requests_per_month.
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

/* $XDG_DATA_HOME/juxta/prices.json (newly allocated). */
char     *jx_pricing_get_overrides_path (void);
/* Applies the overrides file; TRUE when it does not exist. */
gboolean  jx_pricing_load_overrides     (JxCatalog     *catalog,
                                         GError       **error);
/* Stores @price (negative members = unknown) for one catalog model, atomically rewriting
 * the overrides file, and applies it. price_checked becomes today's date. */
gboolean  jx_pricing_set_override       (JxCatalog     *catalog,
                                         const char    *provider_id,
                                         const char    *model_id,
                                         const JxPrice *price,
                                         GError       **error);
/* As above; batch_discount (0..1) and context_window (tokens) are left alone when negative. */
gboolean  jx_pricing_set_override_full  (JxCatalog     *catalog,
                                         const char    *provider_id,
                                         const char    *model_id,
                                         const JxPrice *price,
                                         double         batch_discount,
                                         gint64         context_window,
                                         GError       **error);
/* Removes the model's override from the file and restores the catalog price. */
gboolean  jx_pricing_reset              (JxCatalog     *catalog,
                                         const char    *provider_id,
                                         const char    *model_id,
                                         GError       **error);
/* Imports a prices file in the overrides format: models the catalog knows are stored as
 * overrides and applied. @n_imported (optional) receives how many. */
gboolean  jx_pricing_import_file        (JxCatalog     *catalog,
                                         const char    *path,
                                         guint         *n_imported,
                                         GError       **error);
/* Imports LiteLLM's model_prices_and_context_window.json: per-token costs × 1e6 (rounded
 * to 1e-6 $/1M), cache_read → cached, cache_creation → cache write, max_input_tokens →
 * context, 1 − input_cost_per_token_batches / input_cost_per_token → batch discount, for
 * catalog models whose id equals the key or the key without its "provider/" prefix and
 * whose provider matches litellm_provider. The first matching key wins. */
gboolean  jx_pricing_import_litellm     (JxCatalog     *catalog,
                                         const char    *path,
                                         guint         *n_imported,
                                         GError       **error);
/* Juxta provider id for a litellm_provider value, or NULL. */
const char *jx_pricing_map_litellm_provider (const char *litellm_provider);

/* (3 × input + output) / 4 per 1M tokens, NAN when unknown. */
double    jx_price_blended              (const JxPrice *price);

typedef struct
{
  double   requests_per_month;
  gint64   input_tokens;     /* per request */
  gint64   output_tokens;    /* per request */
  double   cached_share;     /* 0..1 of input_tokens read from the cache */
  gboolean batch;
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
} JxPlanItem;

void      jx_plan_item_init             (JxPlanItem    *item,
                                         const char    *provider_id,
                                         const char    *model_id);
void      jx_plan_item_clear            (JxPlanItem    *item);
/* One item per provider/model among the successful @responses (JxResponse*) that have
 * usage: the usage counts are the means over those responses (rounded to whole tokens),
 * TTFT and decode tokens/s are medians. Array of JxPlanItem with a clear func. */
GArray   *jx_plan_items_from_responses  (GPtrArray     *responses);

typedef struct
{
  char     *provider_id;
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
