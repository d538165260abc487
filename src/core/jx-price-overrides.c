/* jx-price-overrides.c — the user's price overrides (prices.json)
 *
 * See jx-price-overrides.h for the file format. The catalog price each override replaces
 * is kept by the catalog (jx_catalog_get_catalog_price).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-json.h"
#include "jx-price-overrides-private.h"

/* ------------------------------------------------------------------------------------ */
/* The overrides file                                                                   */
/* ------------------------------------------------------------------------------------ */

char *
jx_pricing_get_overrides_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "juxta", "prices.json", NULL);
}

JsonNode *
_jx_price_overrides_parse_file (const char  *path,
                                gboolean     missing_ok,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!jx_json_read_file (path, JX_JSON_MAX_FILE_SIZE, &contents, &len, &local_error))
    {
      if (missing_ok && (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
                         g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR)))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!jx_json_check_depth (contents, len, &local_error) ||
      !json_parser_load_from_data (parser, contents, len, &local_error))
    {
      /* json-glib may quote the offending bytes, which need not be UTF-8. */
      g_autofree char *valid = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE,
                   "%s: %s", path, valid);
      return NULL;
    }

  /* An empty file parses without error but has no root (an empty overrides file is as
   * good as none). */
  if (json_parser_get_root (parser) == NULL && !missing_ok)
    {
      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE, "%s: empty file", path);
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
  JsonNode *root = _jx_price_overrides_parse_file (path, TRUE, &local_error);

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

void
_jx_price_entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->provider_id);
  g_free (entry->model_id);
  json_object_unref (entry->fields);
  g_free (entry);
}

Entry *
_jx_price_entry_new (const char *provider_id,
                     const char *model_id)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->provider_id = g_strdup (provider_id);
  entry->model_id = g_strdup (model_id);
  entry->fields = json_object_new ();
  return entry;
}

void
_jx_price_set_member (JsonObject *object,
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

      if (provider == NULL ||
          (jx_provider_find_model (provider, entry->model_id) == NULL &&
           !json_object_get_boolean_member_with_default (entry->fields, "imported", FALSE)))
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
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (_jx_price_entry_free);
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

          entry = _jx_price_entry_new (provider_id, model_id);
          members = json_object_get_members (mobject);
          for (GList *l = members; l != NULL; l = l->next)
            {
              static const char * const allowed[] = {
                "input_per_mtok", "cached_input_per_mtok", "cache_write_per_mtok",
                "output_per_mtok", "batch_discount", "context_window", "price_checked",
                "tiers", "per_request_usd", "per_second_usd", "price_source", "imported",
                "retired", "deprecated", NULL
              };
              /* Only a model added by an import takes its name from the prices file. */
              gboolean imported = json_object_get_boolean_member_with_default (mobject, "imported",
                                                                              FALSE);

              if (g_strv_contains (allowed, l->data) ||
                  (imported && g_str_equal (l->data, "name")))
                json_object_set_member (entry->fields, l->data,
                                        json_node_copy (json_object_get_member (mobject, l->data)));
            }
          g_ptr_array_add (entries, entry);
        }
    }

  return g_steal_pointer (&entries);
}

gboolean
_jx_price_overrides_store (JxCatalog  *catalog,
                           GPtrArray  *entries,
                           guint      *n_applied,
                           GError    **error)
{
  g_autofree char *path = jx_pricing_get_overrides_path ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) document = NULL;
  JsonArray *providers;

  jx_catalog_snapshot_prices (catalog);

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

  jx_catalog_snapshot_prices (catalog);

  root = _jx_price_overrides_parse_file (path, TRUE, &local_error);
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

gboolean
_jx_price_check_model (JxCatalog   *catalog,
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
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (_jx_price_entry_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *source = NULL;
  Entry *entry;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL && price != NULL, FALSE);

  if (!_jx_price_check_model (catalog, provider_id, model_id, error))
    return FALSE;

  entry = _jx_price_entry_new (provider_id, model_id);
  g_ptr_array_add (entries, entry);
  _jx_price_set_member (entry->fields, "input_per_mtok", price->input_per_mtok);
  _jx_price_set_member (entry->fields, "cached_input_per_mtok", price->cached_input_per_mtok);
  _jx_price_set_member (entry->fields, "cache_write_per_mtok", price->cache_write_per_mtok);
  _jx_price_set_member (entry->fields, "output_per_mtok", price->output_per_mtok);
  if (batch_discount >= 0)
    json_object_set_double_member (entry->fields, "batch_discount", batch_discount);
  if (context_window >= 0)
    json_object_set_int_member (entry->fields, "context_window", context_window);
  json_object_set_string_member (entry->fields, "price_checked", today);
  /* Stored in the overrides file, so not translated (like "catalog 2026-07"). */
  source = g_strdup_printf ("your override %s", today);
  json_object_set_string_member (entry->fields, "price_source", source);

  return _jx_price_overrides_store (catalog, entries, NULL, error);
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

static JsonArray *
tiers_to_json (const JxPrice *price)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < MIN (price->n_tiers, JX_PRICE_MAX_TIERS); i++)
    {
      const JxPriceTier *tier = &price->tiers[i];
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "above_input_tokens", tier->above_input_tokens);
      _jx_price_set_member (object, "input_per_mtok", tier->input_per_mtok);
      _jx_price_set_member (object, "cached_input_per_mtok", tier->cached_input_per_mtok);
      _jx_price_set_member (object, "cache_write_per_mtok", tier->cache_write_per_mtok);
      _jx_price_set_member (object, "output_per_mtok", tier->output_per_mtok);
      json_array_add_object_element (array, object);
    }

  return array;
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
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (_jx_price_entry_free);
  g_autoptr(JsonNode) document = NULL;
  const JxModel *defaults;
  JxProvider *provider;
  JxModel *model;
  Entry *entry;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, FALSE);

  /* Remove from the file, even for a model the catalog no longer has. */
  root = _jx_price_overrides_parse_file (path, TRUE, &local_error);
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

  if (!_jx_price_check_model (catalog, provider_id, model_id, error))
    return FALSE;

  if ((defaults = jx_catalog_get_catalog_price (catalog, provider_id, model_id)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No catalog price is known for %s:%s"), provider_id, model_id);
      return FALSE;
    }

  entry = _jx_price_entry_new (provider_id, model_id);
  g_ptr_array_add (entries, entry);
  _jx_price_set_member (entry->fields, "input_per_mtok", defaults->price.input_per_mtok);
  _jx_price_set_member (entry->fields, "cached_input_per_mtok", defaults->price.cached_input_per_mtok);
  _jx_price_set_member (entry->fields, "cache_write_per_mtok", defaults->price.cache_write_per_mtok);
  _jx_price_set_member (entry->fields, "output_per_mtok", defaults->price.output_per_mtok);
  json_object_set_double_member (entry->fields, "batch_discount", defaults->batch_discount);
  json_object_set_int_member (entry->fields, "context_window", defaults->context_window);
  if (defaults->price_checked != NULL)
    json_object_set_string_member (entry->fields, "price_checked", defaults->price_checked);
  else
    json_object_set_null_member (entry->fields, "price_checked");
  json_object_set_array_member (entry->fields, "tiers", tiers_to_json (&defaults->price));
  json_object_set_double_member (entry->fields, "per_request_usd", defaults->price.per_request_usd);
  json_object_set_double_member (entry->fields, "per_second_usd", defaults->price.per_second_usd);
  if (defaults->price_source != NULL)
    json_object_set_string_member (entry->fields, "price_source", defaults->price_source);
  else
    json_object_set_null_member (entry->fields, "price_source");

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
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (_jx_price_entry_free);

  g_return_val_if_fail (JX_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;

  if ((root = _jx_price_overrides_parse_file (path, FALSE, error)) == NULL)
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
        _jx_price_entry_free (entry);
    }

  if (known->len == 0)
    return TRUE;

  return _jx_price_overrides_store (catalog, known, n_imported, error);
}
