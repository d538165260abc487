/* jx-pricing.c — user price overrides, LiteLLM import and the monthly cost planner
 *
 * See jx-pricing.h for the file format and the planner arithmetic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-adapter.h"
#include "jx-json.h"
#include "jx-pricing.h"

#define DEFAULTS_KEY "jx-pricing-defaults"

/* ------------------------------------------------------------------------------------ */
/* Catalog prices before any override                                                   */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  JxPrice   price;
  double    batch_discount;
  gint64    context_window;
  char     *price_checked;
  gboolean  price_overridden;
} Defaults;

static void
defaults_free (gpointer data)
{
  Defaults *defaults = data;

  g_free (defaults->price_checked);
  g_free (defaults);
}

static Defaults *
defaults_from_model (const JxModel *model)
{
  Defaults *defaults = g_new0 (Defaults, 1);

  defaults->price = model->price;
  defaults->batch_discount = model->batch_discount;
  defaults->context_window = model->context_window;
  defaults->price_checked = g_strdup (model->price_checked);
  defaults->price_overridden = model->price_overridden;
  return defaults;
}

static char *
model_key (const char *provider_id,
           const char *model_id)
{
  return g_strconcat (provider_id, "\n", model_id, NULL);
}

/* Records every model not seen before; models already recorded keep their first price, so
 * pricing's own overrides never become "the catalog price". */
static GHashTable *
ensure_defaults (JxCatalog *catalog)
{
  GHashTable *table = g_object_get_data (G_OBJECT (catalog), DEFAULTS_KEY);
  GPtrArray *providers = jx_catalog_get_providers (catalog);

  if (table == NULL)
    {
      table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, defaults_free);
      g_object_set_data_full (G_OBJECT (catalog), DEFAULTS_KEY, table,
                              (GDestroyNotify) g_hash_table_unref);
    }

  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);

      for (guint j = 0; j < provider->models->len; j++)
        {
          JxModel *model = g_ptr_array_index (provider->models, j);
          char *key = model_key (provider->id, model->id);

          if (g_hash_table_contains (table, key))
            g_free (key);
          else
            g_hash_table_insert (table, key, defaults_from_model (model));
        }
    }

  return table;
}

/* ------------------------------------------------------------------------------------ */
/* The overrides file                                                                   */
/* ------------------------------------------------------------------------------------ */

char *
jx_pricing_get_overrides_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "juxta", "prices.json", NULL);
}

static JsonNode *
parse_file (const char  *path,
            gboolean     missing_ok,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (missing_ok && (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
                         g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR)))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, contents, len, &local_error))
    {
      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE,
                   "%s: %s", path, local_error->message);
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* The "providers" array of a prices file, or NULL with @error set. */
static JsonArray *
get_providers_array (JsonNode    *root,
                     const char  *path,
                     GError     **error)
{
  JsonNode *node;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      node = json_object_get_member (json_node_get_object (root), "providers");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        return json_node_get_array (node);
    }

  g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID,
               "%s: expected an object with a “providers” array", path);
  return NULL;
}

/* The object with @id in @array (objects only), or NULL. */
static JsonObject *
array_find_id (JsonArray  *array,
               const char *id,
               guint      *index)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (jx_json_get_string (json_node_get_object (node), "id"), id) == 0)
        {
          if (index != NULL)
            *index = i;
          return json_node_get_object (node);
        }
    }

  return NULL;
}

static JsonArray *
object_get_array (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      json_object_set_array_member (object, member, json_array_new ());
      node = json_object_get_member (object, member);
    }

  return json_node_get_array (node);
}

static JsonNode *
load_or_new_overrides (const char  *path,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root = parse_file (path, TRUE, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (root == NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_array_member (object, "providers", json_array_new ());
      root = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
    }

  if (get_providers_array (root, path, error) == NULL)
    {
      json_node_unref (root);
      return NULL;
    }

  return root;
}

static gboolean
write_json (const char  *path,
            JsonNode    *root,
            GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize len;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  data = json_generator_to_data (generator, &len);

  /* g_file_set_contents writes a temporary file and renames it over the old one. */
  return g_file_set_contents (path, data, len, error);
}

/* One model's new figures: a JSON object of price members (possibly null). */
typedef struct
{
  char       *provider_id;
  char       *model_id;
  JsonObject *fields;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->provider_id);
  g_free (entry->model_id);
  json_object_unref (entry->fields);
  g_free (entry);
}

static Entry *
entry_new (const char *provider_id,
           const char *model_id)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->provider_id = g_strdup (provider_id);
  entry->model_id = g_strdup (model_id);
  entry->fields = json_object_new ();
  return entry;
}

static void
set_price_member (JsonObject *object,
                  const char *name,
                  double      value)
{
  if (value < 0 || !isfinite (value))
    json_object_set_null_member (object, name);
  else
    json_object_set_double_member (object, name, value);
}

static void
copy_members (JsonObject *dest,
              JsonObject *src)
{
  g_autoptr(GList) members = json_object_get_members (src);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (dest, l->data,
                            json_node_copy (json_object_get_member (src, l->data)));
}

/* A providers document holding only @entries whose provider and model the catalog knows. */
static JsonNode *
build_document (JxCatalog *catalog,
                GPtrArray *entries,
                guint     *n_known)
{
  JsonObject *root_object = json_object_new ();
  JsonArray *providers = json_array_new ();
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      JxProvider *provider = jx_catalog_lookup (catalog, entry->provider_id);
      JsonObject *provider_object;
      JsonObject *model_object;

      if (provider == NULL || jx_provider_find_model (provider, entry->model_id) == NULL)
        {
          g_debug ("Price for unknown model %s:%s skipped", entry->provider_id, entry->model_id);
          continue;
        }

      provider_object = array_find_id (providers, entry->provider_id, NULL);
      if (provider_object == NULL)
        {
          provider_object = json_object_new ();
          json_object_set_string_member (provider_object, "id", entry->provider_id);
          json_object_set_array_member (provider_object, "models", json_array_new ());
          json_array_add_object_element (providers, provider_object);
        }

      model_object = array_find_id (object_get_array (provider_object, "models"),
                                    entry->model_id, NULL);
      if (model_object == NULL)
        {
          model_object = json_object_new ();
          json_object_set_string_member (model_object, "id", entry->model_id);
          json_array_add_object_element (object_get_array (provider_object, "models"),
                                         model_object);
        }
      copy_members (model_object, entry->fields);
      n++;
    }

  json_object_set_array_member (root_object, "providers", providers);
  if (n_known != NULL)
    *n_known = n;

  return json_node_init_object (json_node_alloc (), root_object);
}

static gboolean
apply_document (JxCatalog   *catalog,
                JsonNode    *document,
                const char  *source_name,
                GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *data = NULL;
  gsize len;

  json_generator_set_root (generator, document);
  data = json_generator_to_data (generator, &len);
  return jx_catalog_load_data (catalog, data, len, source_name, error);
}

/* Reads every model entry of a prices document as an Entry. */
static GPtrArray *
entries_from_document (JsonNode    *root,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  JsonArray *providers = get_providers_array (root, path, error);

  if (providers == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (providers); i++)
    {
      JsonNode *pnode = json_array_get_element (providers, i);
      JsonObject *pobject;
      JsonNode *models;
      const char *provider_id;

      if (!JSON_NODE_HOLDS_OBJECT (pnode))
        continue;
      pobject = json_node_get_object (pnode);
      provider_id = jx_json_get_string (pobject, "id");
      models = json_object_get_member (pobject, "models");
      if (provider_id == NULL || models == NULL || !JSON_NODE_HOLDS_ARRAY (models))
        continue;

      for (guint j = 0; j < json_array_get_length (json_node_get_array (models)); j++)
        {
          JsonNode *mnode = json_array_get_element (json_node_get_array (models), j);
          JsonObject *mobject;
          const char *model_id;
          Entry *entry;
          g_autoptr(GList) members = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (mnode))
            continue;
          mobject = json_node_get_object (mnode);
          if ((model_id = jx_json_get_string (mobject, "id")) == NULL)
            continue;

          entry = entry_new (provider_id, model_id);
          members = json_object_get_members (mobject);
          for (GList *l = members; l != NULL; l = l->next)
            {
              static const char * const allowed[] = {
                "input_per_mtok", "cached_input_per_mtok", "cache_write_per_mtok",
                "output_per_mtok", "batch_discount", "context_window", "price_checked", NULL
              };

              if (g_strv_contains (allowed, l->data))
                json_object_set_member (entry->fields, l->data,
                                        json_node_copy (json_object_get_member (mobject, l->data)));
            }
          g_ptr_array_add (entries, entry);
        }
    }

  return g_steal_pointer (&entries);
}

/* Merges @entries into the overrides file (member by member), writes it and applies the
 * entries the catalog knows. */
static gboolean
store_entries (JxCatalog  *catalog,
               GPtrArray  *entries,
               guint      *n_applied,
               GError    **error)
{
  g_autofree char *path = jx_pricing_get_overrides_path ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) document = NULL;
  JsonArray *providers;

  ensure_defaults (catalog);

  document = build_document (catalog, entries, n_applied);

  if ((root = load_or_new_overrides (path, error)) == NULL)
    return FALSE;
  providers = get_providers_array (root, path, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      JsonObject *pobject = array_find_id (providers, entry->provider_id, NULL);
      JsonObject *mobject;
      JsonArray *models;

      if (pobject == NULL)
        {
          pobject = json_object_new ();
          json_object_set_string_member (pobject, "id", entry->provider_id);
          json_array_add_object_element (providers, pobject);
        }
      models = object_get_array (pobject, "models");
      mobject = array_find_id (models, entry->model_id, NULL);
      if (mobject == NULL)
        {
          mobject = json_object_new ();
          json_object_set_string_member (mobject, "id", entry->model_id);
          json_array_add_object_element (models, mobject);
        }
      copy_members (mobject, entry->fields);
    }

  /* Apply first: jx_catalog_load_data validates everything and changes nothing on error,
   * so the file only ever receives values the catalog accepted. */
  if (!apply_document (catalog, document, path, error))
    return FALSE;

  return write_json (path, root, error);
}

gboolean
jx_pricing_load_overrides (JxCatalog  *catalog,
                           GError    **error)
{
  g_autofree char *path = jx_pricing_get_overrides_path ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);

  ensure_defaults (catalog);

  root = parse_file (path, TRUE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (root == NULL)
    return TRUE;

  if ((entries = entries_from_document (root, path, error)) == NULL)
    return FALSE;

  document = build_document (catalog, entries, NULL);
  return apply_document (catalog, document, path, error);
}

static gboolean
check_model (JxCatalog   *catalog,
             const char  *provider_id,
             const char  *model_id,
             GError     **error)
{
  JxProvider *provider = jx_catalog_lookup (catalog, provider_id);

  if (provider == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Unknown provider “%s”"), provider_id);
      return FALSE;
    }
  if (jx_provider_find_model (provider, model_id) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Provider “%s” has no model “%s”"), provider_id, model_id);
      return FALSE;
    }

  return TRUE;
}

gboolean
jx_pricing_set_override_full (JxCatalog     *catalog,
                              const char    *provider_id,
                              const char    *model_id,
                              const JxPrice *price,
                              double         batch_discount,
                              gint64         context_window,
                              GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  Entry *entry;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL && price != NULL, FALSE);

  if (!check_model (catalog, provider_id, model_id, error))
    return FALSE;

  entry = entry_new (provider_id, model_id);
  g_ptr_array_add (entries, entry);
  set_price_member (entry->fields, "input_per_mtok", price->input_per_mtok);
  set_price_member (entry->fields, "cached_input_per_mtok", price->cached_input_per_mtok);
  set_price_member (entry->fields, "cache_write_per_mtok", price->cache_write_per_mtok);
  set_price_member (entry->fields, "output_per_mtok", price->output_per_mtok);
  if (batch_discount >= 0)
    json_object_set_double_member (entry->fields, "batch_discount", batch_discount);
  if (context_window >= 0)
    json_object_set_int_member (entry->fields, "context_window", context_window);
  json_object_set_string_member (entry->fields, "price_checked", today);

  return store_entries (catalog, entries, NULL, error);
}

gboolean
jx_pricing_set_override (JxCatalog     *catalog,
                         const char    *provider_id,
                         const char    *model_id,
                         const JxPrice *price,
                         GError       **error)
{
  return jx_pricing_set_override_full (catalog, provider_id, model_id, price, -1, -1, error);
}

/* The catalog's own figures for a model: the snapshot, else a fresh built-in catalog. */
static Defaults *
lookup_defaults (JxCatalog  *catalog,
                 const char *provider_id,
                 const char *model_id)
{
  GHashTable *table = ensure_defaults (catalog);
  g_autofree char *key = model_key (provider_id, model_id);
  Defaults *defaults = g_hash_table_lookup (table, key);
  g_autoptr(JxCatalog) builtin = NULL;
  JxProvider *provider;
  JxModel *model;

  if (defaults != NULL)
    return defaults;

  builtin = jx_catalog_new_builtin (NULL);
  provider = builtin != NULL ? jx_catalog_lookup (builtin, provider_id) : NULL;
  model = provider != NULL ? jx_provider_find_model (provider, model_id) : NULL;
  if (model == NULL)
    return NULL;

  defaults = defaults_from_model (model);
  g_hash_table_insert (table, g_steal_pointer (&key), defaults);
  return defaults;
}

gboolean
jx_pricing_reset (JxCatalog   *catalog,
                  const char  *provider_id,
                  const char  *model_id,
                  GError     **error)
{
  g_autofree char *path = jx_pricing_get_overrides_path ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(JsonNode) document = NULL;
  Defaults *defaults;
  JxProvider *provider;
  JxModel *model;
  Entry *entry;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, FALSE);

  /* Remove from the file, even for a model the catalog no longer has. */
  root = parse_file (path, TRUE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (root != NULL)
    {
      JsonArray *providers = get_providers_array (root, path, error);
      JsonObject *pobject;
      guint pindex, mindex;

      if (providers == NULL)
        return FALSE;
      pobject = array_find_id (providers, provider_id, &pindex);
      if (pobject != NULL)
        {
          JsonArray *models = object_get_array (pobject, "models");

          if (array_find_id (models, model_id, &mindex) != NULL)
            json_array_remove_element (models, mindex);
          if (json_array_get_length (models) == 0)
            json_array_remove_element (providers, pindex);
          if (!write_json (path, root, error))
            return FALSE;
        }
    }

  if (!check_model (catalog, provider_id, model_id, error))
    return FALSE;

  if ((defaults = lookup_defaults (catalog, provider_id, model_id)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No catalog price is known for %s:%s"), provider_id, model_id);
      return FALSE;
    }

  entry = entry_new (provider_id, model_id);
  g_ptr_array_add (entries, entry);
  set_price_member (entry->fields, "input_per_mtok", defaults->price.input_per_mtok);
  set_price_member (entry->fields, "cached_input_per_mtok", defaults->price.cached_input_per_mtok);
  set_price_member (entry->fields, "cache_write_per_mtok", defaults->price.cache_write_per_mtok);
  set_price_member (entry->fields, "output_per_mtok", defaults->price.output_per_mtok);
  json_object_set_double_member (entry->fields, "batch_discount", defaults->batch_discount);
  json_object_set_int_member (entry->fields, "context_window", defaults->context_window);
  if (defaults->price_checked != NULL)
    json_object_set_string_member (entry->fields, "price_checked", defaults->price_checked);
  else
    json_object_set_null_member (entry->fields, "price_checked");

  document = build_document (catalog, entries, NULL);
  if (!apply_document (catalog, document, "catalog", error))
    return FALSE;

  /* Loading always marks a changed price as overridden; this one is the catalog's. */
  provider = jx_catalog_lookup (catalog, provider_id);
  model = jx_provider_find_model (provider, model_id);
  model->price_overridden = defaults->price_overridden;

  return TRUE;
}

gboolean
jx_pricing_import_file (JxCatalog   *catalog,
                        const char  *path,
                        guint       *n_imported,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (entry_free);

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;

  if ((root = parse_file (path, FALSE, error)) == NULL)
    return FALSE;
  if ((entries = entries_from_document (root, path, error)) == NULL)
    return FALSE;

  /* Only models the catalog knows go into the overrides file. */
  while (entries->len > 0)
    {
      Entry *entry = g_ptr_array_steal_index (entries, 0);
      JxProvider *provider = jx_catalog_lookup (catalog, entry->provider_id);

      if (provider != NULL && jx_provider_find_model (provider, entry->model_id) != NULL)
        g_ptr_array_add (known, entry);
      else
        entry_free (entry);
    }

  if (known->len == 0)
    return TRUE;

  return store_entries (catalog, known, n_imported, error);
}

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

gboolean
jx_pricing_import_litellm (JxCatalog   *catalog,
                           const char  *path,
                           guint       *n_imported,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;

  if ((root = parse_file (path, FALSE, error)) == NULL)
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
      double input, output, value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      spec = json_node_get_object (node);
      provider_id = jx_pricing_map_litellm_provider (
          json_object_get_string_member_with_default (spec, "litellm_provider", NULL));
      if (provider_id == NULL)
        continue;
      if ((model = find_litellm_model (catalog, provider_id, key, &provider)) == NULL)
        continue;
      if (!get_cost (spec, "input_cost_per_token", &input) ||
          !get_cost (spec, "output_cost_per_token", &output))
        continue;
      if (!g_hash_table_add (done, model_key (provider->id, model->id)))
        continue;

      entry = entry_new (provider->id, model->id);
      g_ptr_array_add (entries, entry);
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
      json_object_set_string_member (entry->fields, "price_checked", "LiteLLM import");
    }

  if (entries->len == 0)
    return TRUE;

  return store_entries (catalog, entries, n_imported, error);
}

/* ------------------------------------------------------------------------------------ */
/* Planner                                                                              */
/* ------------------------------------------------------------------------------------ */

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
          g_ptr_array_add (groups, group);
        }

      g_array_append_val (group->usages, response->usage);
      value = jx_timing_ttft_ms (&response->timing);
      if (!isnan (value))
        g_array_append_val (group->ttft, value);
      value = jx_timing_decode_tps (&response->timing, response->usage.output_tokens);
      if (!isnan (value))
        g_array_append_val (group->tps, value);
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
  g_free (row);
}

static JxPlanRow *
plan_row (JxProvider       *provider,
          JxModel          *model,
          const JxWorkload *workload,
          const JxPlanItem *item)
{
  JxPlanRow *row = g_new0 (JxPlanRow, 1);
  const JxPrice *price = &model->price;
  double per_request;

  row->provider_id = g_strdup (provider->id);
  row->provider_name = g_strdup (provider->name != NULL ? provider->name : provider->id);
  row->model_id = g_strdup (model->id);
  row->model_name = g_strdup (model->name != NULL ? model->name : model->id);
  row->ttft_ms = item != NULL ? item->ttft_ms : NAN;
  row->tokens_per_s = item != NULL ? item->tokens_per_s : NAN;

  if (item != NULL && item->has_measured)
    {
      row->measured = TRUE;
      row->measured_estimated = item->measured.source == JX_USAGE_SOURCE_ESTIMATE;
      row->input_tokens = item->measured.billed_input_tokens >= 0
                          ? item->measured.billed_input_tokens : item->measured.input_tokens;
      row->output_tokens = item->measured.billed_output_tokens >= 0
                           ? item->measured.billed_output_tokens : item->measured.output_tokens;
      per_request = jx_price_cost (price, &item->measured);
    }
  else
    {
      double share = CLAMP (workload->cached_share, 0.0, 1.0);
      double input = (double) MAX (workload->input_tokens, 0);
      double cached_price = price->cached_input_per_mtok >= 0 ? price->cached_input_per_mtok
                                                              : price->input_per_mtok;

      row->input_tokens = MAX (workload->input_tokens, 0);
      row->output_tokens = MAX (workload->output_tokens, 0);
      if (jx_price_is_known (price))
        per_request = (input * (1 - share) * price->input_per_mtok
                       + input * share * cached_price
                       + (double) row->output_tokens * price->output_per_mtok) / 1e6;
      else
        per_request = NAN;
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

              if (jx_price_is_known (&model->price))
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

          if (!check_model (catalog, items[i].provider_id, items[i].model_id, error))
            return NULL;
          provider = jx_catalog_lookup (catalog, items[i].provider_id);
          model = jx_provider_find_model (provider, items[i].model_id);
          g_ptr_array_add (rows, plan_row (provider, model, workload, &items[i]));
        }
    }

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
