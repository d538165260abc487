/* jx-planner.c — the monthly cost planner
 *
 * See jx-planner.h for the arithmetic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-planner.h"
#include "jx-price-overrides-private.h"
#include "jx-stats.h"

double
jx_price_blended (const JxPrice *price)
{
  g_return_val_if_fail (price != NULL, NAN);

  if (!jx_price_is_known (price))
    return NAN;
  return (3 * price->input_per_mtok + price->output_per_mtok) / 4;
}

void
jx_workload_init (JxWorkload *workload)
{
  g_return_if_fail (workload != NULL);

  workload->requests_per_month = 0;
  workload->input_tokens = 0;
  workload->output_tokens = 0;
  workload->cached_share = 0;
  workload->batch = FALSE;
  workload->seconds_per_request = NAN;
  workload->subscriptions = NULL;
  workload->n_subscriptions = 0;
}

void
jx_subscription_clear (JxSubscription *subscription)
{
  g_return_if_fail (subscription != NULL);

  g_clear_pointer (&subscription->name, g_free);
}

/* A non-negative number with an optional k or M multiplier. */
static gboolean
parse_amount (const char *text,
              gboolean    allow_suffix,
              double     *value)
{
  char *end = NULL;
  double d;

  if (text == NULL || *text == '\0')
    return FALSE;
  d = g_ascii_strtod (text, &end);
  if (end == text)
    return FALSE;
  if (allow_suffix && (*end == 'k' || *end == 'K'))
    d *= 1e3, end++;
  else if (allow_suffix && *end == 'M')
    d *= 1e6, end++;
  if (*end != '\0' || !isfinite (d) || d < 0)
    return FALSE;
  *value = d;
  return TRUE;
}

gboolean
jx_subscription_parse (JxSubscription  *subscription,
                       const char      *text,
                       GError         **error)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  g_return_val_if_fail (subscription != NULL && text != NULL, FALSE);

  memset (subscription, 0, sizeof *subscription);
  parts = g_strsplit (text, ":", -1);
  n = g_strv_length (parts);
  if ((n != 4 && n != 5) || parts[0][0] == '\0' ||
      !parse_amount (parts[1], FALSE, &subscription->monthly_usd) ||
      !parse_amount (parts[2], TRUE, &subscription->included) ||
      !parse_amount (parts[3], FALSE, &subscription->overage_usd) ||
      (n == 5 && !g_str_equal (parts[4], "requests") && !g_str_equal (parts[4], "tokens")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not NAME:MONTHLY_USD:INCLUDED:OVERAGE_PER_UNIT[:requests|tokens]"),
                   text);
      return FALSE;
    }

  subscription->name = g_strdup (parts[0]);
  subscription->per_token = n == 5 && g_str_equal (parts[4], "tokens");
  return TRUE;
}

void
jx_workload_set_requests_per_day (JxWorkload *workload,
                                  double      requests_per_day)
{
  g_return_if_fail (workload != NULL);

  workload->requests_per_month = requests_per_day * JX_PRICING_DAYS_PER_MONTH;
}

void
jx_plan_item_init (JxPlanItem *item,
                   const char *provider_id,
                   const char *model_id)
{
  g_return_if_fail (item != NULL);

  memset (item, 0, sizeof *item);
  item->provider_id = g_strdup (provider_id);
  item->model_id = g_strdup (model_id);
  jx_usage_init (&item->measured);
  item->ttft_ms = NAN;
  item->tokens_per_s = NAN;
  item->seconds = NAN;
}

void
jx_plan_item_clear (JxPlanItem *item)
{
  g_return_if_fail (item != NULL);

  g_clear_pointer (&item->provider_id, g_free);
  g_clear_pointer (&item->model_id, g_free);
}

typedef struct
{
  char   *provider_id;
  char   *model_id;
  GArray *usages;  /* JxUsage */
  GArray *ttft;    /* double */
  GArray *tps;     /* double */
  GArray *seconds; /* double */
} Group;

static void
group_free (gpointer data)
{
  Group *group = data;

  g_free (group->provider_id);
  g_free (group->model_id);
  g_array_unref (group->usages);
  g_array_unref (group->ttft);
  g_array_unref (group->tps);
  g_array_unref (group->seconds);
  g_free (group);
}

/* Mean of the known values of one counter, rounded; -1 when none is known. */
static gint64
mean_count (GArray *usages,
            gsize   offset)
{
  double sum = 0;
  guint n = 0;

  for (guint i = 0; i < usages->len; i++)
    {
      const JxUsage *usage = &g_array_index (usages, JxUsage, i);
      gint64 value = G_STRUCT_MEMBER (gint64, usage, offset);

      if (value >= 0)
        {
          sum += (double) value;
          n++;
        }
    }

  return n > 0 ? (gint64) round (sum / n) : -1;
}

GArray *
jx_plan_items_from_responses (GPtrArray *responses)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (group_free);
  GArray *items = g_array_new (FALSE, TRUE, sizeof (JxPlanItem));

  g_array_set_clear_func (items, (GDestroyNotify) jx_plan_item_clear);

  if (responses == NULL)
    return items;

  for (guint i = 0; i < responses->len; i++)
    {
      JxResponse *response = g_ptr_array_index (responses, i);
      Group *group = NULL;
      double value;

      if (response->status != JX_RESPONSE_OK || !jx_usage_is_known (&response->usage) ||
          response->provider_id == NULL || response->model == NULL)
        continue;

      for (guint j = 0; j < groups->len && group == NULL; j++)
        {
          Group *g = g_ptr_array_index (groups, j);

          if (g_str_equal (g->provider_id, response->provider_id) &&
              g_str_equal (g->model_id, response->model))
            group = g;
        }
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->provider_id = g_strdup (response->provider_id);
          group->model_id = g_strdup (response->model);
          group->usages = g_array_new (FALSE, FALSE, sizeof (JxUsage));
          group->ttft = g_array_new (FALSE, FALSE, sizeof (double));
          group->tps = g_array_new (FALSE, FALSE, sizeof (double));
          group->seconds = g_array_new (FALSE, FALSE, sizeof (double));
          g_ptr_array_add (groups, group);
        }

      g_array_append_val (group->usages, response->usage);
      value = jx_timing_ttft_ms (&response->timing);
      if (!isnan (value))
        g_array_append_val (group->ttft, value);
      value = jx_timing_decode_tps (&response->timing, response->usage.output_tokens);
      if (!isnan (value))
        g_array_append_val (group->tps, value);
      value = jx_timing_e2e_ms (&response->timing) / 1000;
      if (!isnan (value))
        g_array_append_val (group->seconds, value);
    }

  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);
      JxPlanItem item;
      JxUsage *usage = &item.measured;

      jx_plan_item_init (&item, group->provider_id, group->model_id);
      item.has_measured = TRUE;
      usage->input_tokens = mean_count (group->usages, G_STRUCT_OFFSET (JxUsage, input_tokens));
      usage->cached_input_tokens = mean_count (group->usages, G_STRUCT_OFFSET (JxUsage, cached_input_tokens));
      usage->cache_write_tokens = mean_count (group->usages, G_STRUCT_OFFSET (JxUsage, cache_write_tokens));
      usage->output_tokens = mean_count (group->usages, G_STRUCT_OFFSET (JxUsage, output_tokens));
      usage->reasoning_tokens = mean_count (group->usages, G_STRUCT_OFFSET (JxUsage, reasoning_tokens));
      usage->billed_input_tokens = mean_count (group->usages, G_STRUCT_OFFSET (JxUsage, billed_input_tokens));
      usage->billed_output_tokens = mean_count (group->usages, G_STRUCT_OFFSET (JxUsage, billed_output_tokens));
      /* One estimated run makes the mean an estimate. */
      usage->source = JX_USAGE_SOURCE_PROVIDER;
      for (guint j = 0; j < group->usages->len; j++)
        if (g_array_index (group->usages, JxUsage, j).source != JX_USAGE_SOURCE_PROVIDER)
          usage->source = JX_USAGE_SOURCE_ESTIMATE;
      item.ttft_ms = jx_stats_percentile ((double *) (gpointer) group->ttft->data, group->ttft->len, 50);
      item.tokens_per_s = jx_stats_percentile ((double *) (gpointer) group->tps->data, group->tps->len, 50);
      item.seconds = jx_stats_percentile ((double *) (gpointer) group->seconds->data, group->seconds->len, 50);
      g_array_append_val (items, item);
    }

  return items;
}

void
jx_plan_row_free (JxPlanRow *row)
{
  if (row == NULL)
    return;

  g_free (row->provider_id);
  g_free (row->provider_name);
  g_free (row->model_id);
  g_free (row->model_name);
  g_free (row->price_source);
  g_free (row);
}

static JxPlanRow *
plan_row (JxProvider       *provider,
          JxModel          *model,
          const JxWorkload *workload,
          const JxPlanItem *item)
{
  JxPlanRow *row = g_new0 (JxPlanRow, 1);
  JxPrice tiered;
  const JxPrice *price = &tiered;
  gboolean tokens_known = jx_price_is_known (&model->price);
  double per_request;

  row->provider_id = g_strdup (provider->id);
  row->provider_name = g_strdup (provider->name != NULL ? provider->name : provider->id);
  row->model_id = g_strdup (model->id);
  row->model_name = g_strdup (model->name != NULL ? model->name : model->id);
  row->ttft_ms = item != NULL ? item->ttft_ms : NAN;
  row->tokens_per_s = item != NULL ? item->tokens_per_s : NAN;
  row->price_source = g_strdup (model->price_source);
  row->billing = model->price.per_second_usd > 0 ? JX_PLAN_BILLING_PER_SECOND
                                                 : JX_PLAN_BILLING_TOKENS;
  row->seconds = NAN;
  row->tier_above = -1;

  if (item != NULL && item->has_measured)
    {
      row->measured = TRUE;
      row->measured_estimated = item->measured.source == JX_USAGE_SOURCE_ESTIMATE;
      row->input_tokens = item->measured.billed_input_tokens >= 0
                          ? item->measured.billed_input_tokens : item->measured.input_tokens;
      row->output_tokens = item->measured.billed_output_tokens >= 0
                           ? item->measured.billed_output_tokens : item->measured.output_tokens;
      tiered = jx_price_for_input (&model->price, row->input_tokens, &row->tier_above);
      /* jx_price_cost picks the tier and adds the per-request fee itself. */
      per_request = tokens_known ? jx_price_cost (&model->price, &item->measured) : NAN;
    }
  else
    {
      double share = CLAMP (workload->cached_share, 0.0, 1.0);
      double input = (double) MAX (workload->input_tokens, 0);
      double cached_price;

      tiered = jx_price_for_input (&model->price, MAX (workload->input_tokens, 0), &row->tier_above);
      cached_price = price->cached_input_per_mtok >= 0 ? price->cached_input_per_mtok
                                                       : price->input_per_mtok;

      row->input_tokens = MAX (workload->input_tokens, 0);
      row->output_tokens = MAX (workload->output_tokens, 0);
      if (tokens_known)
        per_request = (input * (1 - share) * price->input_per_mtok
                       + input * share * cached_price
                       + (double) row->output_tokens * price->output_per_mtok) / 1e6
                      + MAX (price->per_request_usd, 0);
      else
        per_request = NAN;
    }

  if (row->billing == JX_PLAN_BILLING_PER_SECOND)
    {
      double seconds = item != NULL && !isnan (item->seconds) ? item->seconds
                                                              : workload->seconds_per_request;

      row->seconds = seconds;
      /* A model billed only by time has no token price: its tokens cost nothing extra. */
      if (!tokens_known)
        per_request = MAX (model->price.per_request_usd, 0);
      if (isnan (seconds) || seconds < 0)
        per_request = NAN;
      else
        per_request += seconds * model->price.per_second_usd;
    }

  if (workload->batch)
    {
      if (model->batch_discount > 0)
        {
          per_request *= 1 - model->batch_discount;
          row->batch_applied = TRUE;
        }
      else
        row->batch_unavailable = TRUE;
    }

  row->price_known = !isnan (per_request);
  row->per_request_usd = per_request;
  row->monthly_usd = per_request * workload->requests_per_month;

  return row;
}

static JxPlanRow *
subscription_row (const JxSubscription *subscription,
                  const JxWorkload     *workload)
{
  JxPlanRow *row = g_new0 (JxPlanRow, 1);
  double units = workload->requests_per_month;

  row->provider_id = g_strdup ("subscription");
  row->provider_name = g_strdup (_("Subscription"));
  row->model_id = g_strdup (subscription->name);
  row->model_name = g_strdup (subscription->name);
  row->billing = JX_PLAN_BILLING_SUBSCRIPTION;
  row->tier_above = -1;
  row->seconds = NAN;
  row->ttft_ms = NAN;
  row->tokens_per_s = NAN;
  row->input_tokens = MAX (workload->input_tokens, 0);
  row->output_tokens = MAX (workload->output_tokens, 0);
  if (subscription->per_token)
    units *= (double) (row->input_tokens + row->output_tokens);

  row->overage_units = MAX (units - subscription->included, 0);
  row->monthly_usd = subscription->monthly_usd + row->overage_units * subscription->overage_usd;
  row->per_request_usd = workload->requests_per_month > 0
                         ? row->monthly_usd / workload->requests_per_month : NAN;
  row->price_known = TRUE;
  /* Translators: the source of a subscription's price in the planner */
  row->price_source = g_strdup (_("your plan"));
  if (workload->batch)
    row->batch_unavailable = TRUE;

  return row;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const JxPlanRow *ra = *(const JxPlanRow * const *) a;
  const JxPlanRow *rb = *(const JxPlanRow * const *) b;
  int cmp;

  if (ra->price_known != rb->price_known)
    return ra->price_known ? -1 : 1;
  if (ra->price_known && ra->monthly_usd != rb->monthly_usd)
    return ra->monthly_usd < rb->monthly_usd ? -1 : 1;
  if ((cmp = g_strcmp0 (ra->provider_id, rb->provider_id)) != 0)
    return cmp;
  return g_strcmp0 (ra->model_id, rb->model_id);
}

GPtrArray *
jx_pricing_plan (JxCatalog         *catalog,
                 const JxWorkload  *workload,
                 const JxPlanItem  *items,
                 guint              n_items,
                 GError           **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_plan_row_free);

  g_return_val_if_fail (JX_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (workload != NULL, NULL);

  if (items == NULL || n_items == 0)
    {
      GPtrArray *providers = jx_catalog_get_providers (catalog);

      for (guint i = 0; i < providers->len; i++)
        {
          JxProvider *provider = g_ptr_array_index (providers, i);

          if (jx_provider_is_simulated (provider))
            continue;
          for (guint j = 0; j < provider->models->len; j++)
            {
              JxModel *model = g_ptr_array_index (provider->models, j);

              if ((jx_price_is_known (&model->price) || model->price.per_second_usd > 0) &&
                  !jx_model_is_retired (model))
                g_ptr_array_add (rows, plan_row (provider, model, workload, NULL));
            }
        }
    }
  else
    {
      for (guint i = 0; i < n_items; i++)
        {
          JxProvider *provider;
          JxModel *model;

          if (!_jx_price_check_model (catalog, items[i].provider_id, items[i].model_id, error))
            return NULL;
          provider = jx_catalog_lookup (catalog, items[i].provider_id);
          model = jx_provider_find_model (provider, items[i].model_id);
          g_ptr_array_add (rows, plan_row (provider, model, workload, &items[i]));
        }
    }

  for (guint i = 0; i < workload->n_subscriptions; i++)
    g_ptr_array_add (rows, subscription_row (&workload->subscriptions[i], workload));

  g_ptr_array_sort (rows, compare_rows);

  if (rows->len > 0)
    {
      JxPlanRow *first = g_ptr_array_index (rows, 0);

      for (guint i = 0; i < rows->len && first->price_known; i++)
        {
          JxPlanRow *row = g_ptr_array_index (rows, i);

          if (row->price_known && row->monthly_usd <= first->monthly_usd)
            row->cheapest = TRUE;
        }
    }

  return g_steal_pointer (&rows);
}
