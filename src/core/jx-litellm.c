/* jx-litellm.c — importing prices from LiteLLM's model_prices_and_context_window.json
 *
 * The imported prices go through the overrides file like any other override, so they
 * survive a restart and can be reset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-adapter.h"
#include "jx-json.h"
#include "jx-litellm.h"
#include "jx-price-overrides-private.h"

/* ------------------------------------------------------------------------------------ */
/* LiteLLM                                                                              */
/* ------------------------------------------------------------------------------------ */

const char *
jx_pricing_map_litellm_provider (const char *litellm_provider)
{
  return jx_adapter_provider_for_litellm (litellm_provider);
}

static gboolean
get_cost (JsonObject *object,
          const char *member,
          double     *value)
{
  /* NAN for absent or non-numeric members fails the check below. */
  *value = jx_json_get_double (object, member, NAN);
  return isfinite (*value) && *value >= 0;
}

/* Per-token USD → per-1M USD, rounded to 1e-6 so 2.5e-06 becomes exactly 2.5. */
static double
per_mtok (double per_token)
{
  return round (per_token * 1e12) / 1e6;
}

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static JxModel *
find_litellm_model (JxCatalog  *catalog,
                    const char *provider_id,
                    const char *key,
                    JxProvider **out_provider)
{
  GPtrArray *providers = jx_catalog_get_providers (catalog);
  const char *slash = strchr (key, '/');

  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);
      JxModel *model;

      if (g_strcmp0 (provider->id, provider_id) != 0 &&
          g_strcmp0 (provider->builtin_id, provider_id) != 0)
        continue;

      model = jx_provider_find_model (provider, key);
      if (model == NULL && slash != NULL)
        model = jx_provider_find_model (provider, slash + 1);
      if (model != NULL)
        {
          *out_provider = provider;
          return model;
        }
    }

  return NULL;
}

/* The model id for a LiteLLM key: without the first "prefix/" when that prefix names the
 * same provider (gemini/gemini-2.5-pro, replicate/meta/llama-3-8b-instruct). */
static char *
model_id_for_key (const char *key,
                  const char *provider_id)
{
  const char *slash = strchr (key, '/');
  g_autofree char *prefix = NULL;

  if (slash == NULL)
    return g_strdup (key);
  prefix = g_strndup (key, slash - key);
  if (g_strcmp0 (jx_pricing_map_litellm_provider (prefix), provider_id) == 0 ||
      g_strcmp0 (prefix, provider_id) == 0)
    return g_strdup (slash + 1);
  return g_strdup (key);
}

/* TRUE when some catalog model of @provider has a "/" in its id (Together, OpenRouter,
 * Replicate): there a slashed id is a model, elsewhere it is a region or route variant
 * (bedrock/us-east-1/…, azure/eu/…) that the catalog's model already stands for. */
static gboolean
provider_has_slashed_ids (JxProvider *provider)
{
  for (guint i = 0; i < provider->models->len; i++)
    if (strchr (((JxModel *) g_ptr_array_index (provider->models, i))->id, '/') != NULL)
      return TRUE;
  return FALSE;
}

/* The first catalog provider with @provider_id as id or built-in id. */
static JxProvider *
find_provider (JxCatalog  *catalog,
               const char *provider_id)
{
  GPtrArray *providers = jx_catalog_get_providers (catalog);

  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);

      if (g_strcmp0 (provider->id, provider_id) == 0 ||
          g_strcmp0 (provider->builtin_id, provider_id) == 0)
        return provider;
    }

  return NULL;
}

/* "input_cost_per_token_above_200k_tokens" and its output, cache-read and cache-write
 * siblings → one tier object per threshold, sorted by threshold. */
static JsonArray *
tiers_from_spec (JsonObject *spec)
{
  static const struct { const char *prefix; const char *member; } fields[] = {
    { "input_cost_per_token_above_", "input_per_mtok" },
    { "output_cost_per_token_above_", "output_per_mtok" },
    { "cache_read_input_token_cost_above_", "cached_input_per_mtok" },
    { "cache_creation_input_token_cost_above_", "cache_write_per_mtok" },
  };
  g_autoptr(GList) members = json_object_get_members (spec);
  g_autoptr(GHashTable) by_threshold = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              g_free,
                                                              (GDestroyNotify) json_object_unref);
  g_autoptr(GList) keys = NULL;
  JsonArray *array = json_array_new ();

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          const char *rest;
          char *end = NULL;
          guint64 thousands;
          double value;
          JsonObject *tier;
          gint64 threshold;

          if (!g_str_has_prefix (name, fields[i].prefix))
            continue;
          rest = name + strlen (fields[i].prefix);
          thousands = g_ascii_strtoull (rest, &end, 10);
          if (end == rest || !g_str_equal (end, "k_tokens") || thousands == 0 ||
              thousands > G_MAXINT32)
            continue;
          if (!get_cost (spec, name, &value))
            continue;
          threshold = (gint64) thousands * 1000;
          tier = g_hash_table_lookup (by_threshold, &threshold);
          if (tier == NULL)
            {
              tier = json_object_new ();
              json_object_set_int_member (tier, "above_input_tokens", threshold);
              g_hash_table_insert (by_threshold, g_memdup2 (&threshold, sizeof threshold), tier);
            }
          json_object_set_double_member (tier, fields[i].member, per_mtok (value));
        }
    }

  keys = g_hash_table_get_keys (by_threshold);
  keys = g_list_sort (keys, compare_int64);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonObject *tier = g_hash_table_lookup (by_threshold, l->data);

      /* A tier needs both rates (the providers-file format checks this too). */
      if (json_object_has_member (tier, "input_per_mtok") &&
          json_object_has_member (tier, "output_per_mtok") &&
          json_array_get_length (array) < JX_PRICE_MAX_TIERS)
        json_array_add_object_element (array, json_object_ref (tier));
    }

  return array;
}

gboolean
jx_pricing_import_litellm (JxCatalog   *catalog,
                           const char  *path,
                           guint       *n_imported,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (_jx_price_entry_free);
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) members = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  /* Stored in the overrides file, so not translated (like "catalog 2026-07"). */
  g_autofree char *source = g_strdup_printf ("LiteLLM %s", today);
  JsonObject *object;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;

  if ((root = _jx_price_overrides_parse_file (path, FALSE, error)) == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID,
                   "%s: expected an object of models (LiteLLM model_prices_and_context_window.json)",
                   path);
      return FALSE;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);
      JsonObject *spec;
      const char *provider_id;
      JxProvider *provider = NULL;
      JxModel *model;
      Entry *entry;
      g_autofree char *model_id = NULL;
      g_autoptr(JsonArray) tiers = NULL;
      const char *mode, *deprecation;
      double input, output, value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      spec = json_node_get_object (node);
      provider_id = jx_pricing_map_litellm_provider (
          json_object_get_string_member_with_default (spec, "litellm_provider", NULL));
      if (provider_id == NULL)
        continue;
      if (!get_cost (spec, "input_cost_per_token", &input) ||
          !get_cost (spec, "output_cost_per_token", &output))
        continue;
      if ((model = find_litellm_model (catalog, provider_id, key, &provider)) != NULL)
        model_id = g_strdup (model->id);
      else
        {
          /* Only models marked "mode": "chat" are added: embeddings, images and audio have
           * no place in a chat comparison, and an entry without a mode is not known to chat. */
          mode = json_object_get_string_member_with_default (spec, "mode", NULL);
          if (g_strcmp0 (mode, "chat") != 0 ||
              (provider = find_provider (catalog, provider_id)) == NULL)
            continue;
          model_id = model_id_for_key (key, provider_id);
          if (strchr (model_id, '/') != NULL && !provider_has_slashed_ids (provider))
            continue;
        }
      if (!g_hash_table_add (done, g_strconcat (provider->id, "\n", model_id, NULL)))
        continue;

      entry = _jx_price_entry_new (provider->id, model_id);
      g_ptr_array_add (entries, entry);
      if (model == NULL)
        {
          json_object_set_boolean_member (entry->fields, "imported", TRUE);
          json_object_set_string_member (entry->fields, "name", model_id);
        }
      json_object_set_double_member (entry->fields, "input_per_mtok", per_mtok (input));
      json_object_set_double_member (entry->fields, "output_per_mtok", per_mtok (output));
      if (get_cost (spec, "cache_read_input_token_cost", &value))
        json_object_set_double_member (entry->fields, "cached_input_per_mtok", per_mtok (value));
      if (get_cost (spec, "cache_creation_input_token_cost", &value))
        json_object_set_double_member (entry->fields, "cache_write_per_mtok", per_mtok (value));
      if (get_cost (spec, "input_cost_per_token_batches", &value) && input > 0 && value <= input)
        json_object_set_double_member (entry->fields, "batch_discount",
                                       round ((1 - value / input) * 1e6) / 1e6);
      if (get_cost (spec, "max_input_tokens", &value) && value == floor (value))
        json_object_set_int_member (entry->fields, "context_window", (gint64) value);
      if (get_cost (spec, "input_cost_per_second", &value) && value > 0)
        json_object_set_double_member (entry->fields, "per_second_usd", value);
      tiers = tiers_from_spec (spec);
      json_object_set_array_member (entry->fields, "tiers", json_array_ref (tiers));
      deprecation = json_object_get_string_member_with_default (spec, "deprecation_date", NULL);
      if (deprecation != NULL)
        json_object_set_string_member (entry->fields, "deprecated", deprecation);
      json_object_set_string_member (entry->fields, "price_checked", today);
      json_object_set_string_member (entry->fields, "price_source", source);
    }

  if (entries->len == 0)
    return TRUE;

  return _jx_price_overrides_store (catalog, entries, n_imported, error);
}
