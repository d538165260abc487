/* jx-catalog.c — the providers Juxta knows: the built-in catalog plus the user's files
 *
 * The built-in catalog (catalog.json in the GResource) and the user's providers file share
 * one format, read by jx-providers-file.c. A load validates the whole file first, so it
 * either applies everything or nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "jx-catalog.h"
#include "jx-json.h"
#include "jx-providers-file.h"

#define BUILTIN_RESOURCE_PATH "/io/github/juxta/Juxta/catalog.json"
#define BUILTIN_SOURCE_NAME   "catalog.json"

struct _JxCatalog
{
  GObject     parent_instance;

  GPtrArray  *providers;   /* JxProvider* (owned), catalog order */
  GHashTable *by_id;       /* id → JxProvider* (borrowed from providers) */
  GHashTable *catalog_prices; /* "provider\nmodel" → JxModel* copy: the price before overrides */
};

G_DEFINE_FINAL_TYPE (JxCatalog, jx_catalog, G_TYPE_OBJECT)


static gboolean
jx_catalog_load_internal (JxCatalog   *self,
                          const char  *data,
                          gssize       len,
                          const char  *source_name,
                          gboolean     builtin,
                          GError     **error)
{
  g_autoptr(GPtrArray) staged = NULL;

  if ((staged = jx_providers_file_parse (data, len, source_name, builtin, self->by_id, error)) == NULL)
    return FALSE;

  /* Pass 2: commit. */
  for (guint i = 0; i < staged->len; i++)
    {
      JxProvider *provider = jx_provider_ref (g_ptr_array_index (staged, i));
      JxProvider *old = g_hash_table_lookup (self->by_id, provider->id);
      guint pos;

      if (old != NULL && g_ptr_array_find (self->providers, old, &pos))
        {
          g_hash_table_replace (self->by_id, provider->id, provider);
          g_ptr_array_index (self->providers, pos) = provider;
          jx_provider_unref (old);
        }
      else
        {
          g_ptr_array_add (self->providers, provider);
          g_hash_table_replace (self->by_id, provider->id, provider);
        }
    }

  return TRUE;
}

static void
jx_catalog_finalize (GObject *object)
{
  JxCatalog *self = (JxCatalog *) object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_pointer (&self->catalog_prices, g_hash_table_unref);

  G_OBJECT_CLASS (jx_catalog_parent_class)->finalize (object);
}

static void
jx_catalog_class_init (JxCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_catalog_finalize;
}

static void
jx_catalog_init (JxCatalog *self)
{
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_provider_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->catalog_prices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) jx_model_free);
}

JxCatalog *
jx_catalog_get_builtin (void)
{
  static gsize builtin;

  if (g_once_init_enter (&builtin))
    {
      g_autoptr(GError) error = NULL;
      JxCatalog *catalog = jx_catalog_new_builtin (&error);

      /* The catalog is compiled into the binary: failing to parse it is a build bug. */
      if (catalog == NULL)
        g_error ("The built-in catalog does not load: %s", error->message);
      g_once_init_leave (&builtin, (gsize) catalog);
    }

  return (JxCatalog *) builtin;
}

static char *
price_key (const char *provider_id,
           const char *model_id)
{
  return g_strconcat (provider_id, "\n", model_id, NULL);
}

void
jx_catalog_snapshot_prices (JxCatalog *self)
{
  g_return_if_fail (JX_IS_CATALOG (self));

  for (guint i = 0; i < self->providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (self->providers, i);

      for (guint j = 0; j < provider->models->len; j++)
        {
          JxModel *model = g_ptr_array_index (provider->models, j);
          char *key = price_key (provider->id, model->id);

          if (g_hash_table_contains (self->catalog_prices, key))
            g_free (key);
          else
            g_hash_table_insert (self->catalog_prices, key, jx_model_copy (model));
        }
    }
}

const JxModel *
jx_catalog_get_catalog_price (JxCatalog  *self,
                              const char *provider_id,
                              const char *model_id)
{
  g_autofree char *key = NULL;
  JxModel *model;
  JxProvider *provider;
  JxCatalog *builtin;

  g_return_val_if_fail (JX_IS_CATALOG (self), NULL);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, NULL);

  jx_catalog_snapshot_prices (self);
  key = price_key (provider_id, model_id);
  if ((model = g_hash_table_lookup (self->catalog_prices, key)) != NULL)
    return model;

  builtin = jx_catalog_get_builtin ();
  provider = jx_catalog_lookup (builtin, provider_id);
  model = provider != NULL ? jx_provider_find_model (provider, model_id) : NULL;
  if (model == NULL)
    return NULL;

  model = jx_model_copy (model);
  g_hash_table_insert (self->catalog_prices, g_steal_pointer (&key), model);
  return model;
}

JxCatalog *
jx_catalog_new_builtin (GError **error)
{
  g_autoptr(JxCatalog) self = g_object_new (JX_TYPE_CATALOG, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;
  const char *data;

  bytes = g_resources_lookup_data (BUILTIN_RESOURCE_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (!jx_catalog_load_internal (self, data, size, BUILTIN_SOURCE_NAME, TRUE, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
jx_catalog_load_data (JxCatalog   *self,
                      const char  *data,
                      gssize       len,
                      const char  *source_name,
                      GError     **error)
{
  g_return_val_if_fail (JX_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return jx_catalog_load_internal (self, data, len,
                                   source_name != NULL ? source_name : "providers.json",
                                   FALSE, error);
}

gboolean
jx_catalog_load_file (JxCatalog   *self,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  gsize length = 0;

  g_return_val_if_fail (JX_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!jx_json_read_file (path, JX_JSON_MAX_FILE_SIZE, &contents, &length, error))
    return FALSE;

  display = g_filename_display_name (path);
  return jx_catalog_load_internal (self, contents, length, display, FALSE, error);
}

gboolean
jx_catalog_load_user_file (JxCatalog  *self,
                           GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (JX_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = jx_providers_file_get_user_path ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  return jx_catalog_load_file (self, path, error);
}

/* Returns the provider (transfer none) or NULL. */
JxProvider *
jx_catalog_lookup (JxCatalog  *self,
                   const char *provider_id)
{
  g_return_val_if_fail (JX_IS_CATALOG (self), NULL);

  if (provider_id == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_id, provider_id);
}

GPtrArray *
jx_catalog_get_providers (JxCatalog *self)
{
  g_return_val_if_fail (JX_IS_CATALOG (self), NULL);

  return self->providers;
}
