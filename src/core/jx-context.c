/* jx-context.c — the loaded state every front end shares: catalog, price overrides, engine
 *
 * The window, `juxta compare`, `juxta plan` and `juxta demo` all build their catalog here,
 * so a file read by one is read by all of them, in the same order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-context.h"
#include "jx-keys.h"
#include "jx-models.h"
#include "jx-price-overrides.h"

struct _JxContext
{
  GObject       parent_instance;

  char         *providers_file;  /* as given; NULL = $JUXTA_PROVIDERS_FILE */
  JxCatalog    *catalog;
  JxEngine     *engine;
  JxHistory    *history;         /* opened on first use */
  GHashTable   *listed_models;   /* provider id → GStrv from its list endpoint */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (JxContext, jx_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROVIDERS_FILE,
  PROP_CATALOG,
  PROP_ENGINE,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MODELS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

JxCatalog *
jx_context_get_builtin_catalog (JxContext *self)
{
  g_return_val_if_fail (self == NULL || JX_IS_CONTEXT (self), NULL);

  return jx_catalog_get_builtin ();
}

static const char *
extra_providers_file (JxContext *self)
{
  const char *extra = self->providers_file;

  /* Tests and power users can add providers from another file. */
  if (extra == NULL)
    extra = g_getenv ("JUXTA_PROVIDERS_FILE");
  return extra != NULL && *extra != '\0' ? extra : NULL;
}

static JxCatalog *
load_providers (JxContext  *self,
                GError    **error)
{
  g_autoptr(JxCatalog) catalog = NULL;
  const char *extra = extra_providers_file (self);

  if ((catalog = jx_catalog_new_builtin (error)) == NULL ||
      !jx_catalog_load_user_file (catalog, error) ||
      (extra != NULL && !jx_catalog_load_file (catalog, extra, error)))
    return NULL;

  return g_steal_pointer (&catalog);
}

/* Every step, in order; the catalog is left unset on failure. */
static gboolean
load (JxContext       *self,
      gboolean         lenient,
      JxContextStage  *stage,
      GError         **error)
{
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(GError) local_error = NULL;

  if ((catalog = load_providers (self, &local_error)) == NULL)
    {
      if (stage != NULL)
        *stage = JX_CONTEXT_STAGE_PROVIDERS;
      if (!lenient)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_warning ("Could not load the providers file, using the built-in catalog: %s",
                 local_error->message);
      g_clear_error (&local_error);
      catalog = jx_catalog_new_builtin (NULL);
    }

  if (!jx_pricing_load_overrides (catalog, &local_error))
    {
      if (stage != NULL)
        *stage = JX_CONTEXT_STAGE_PRICES;
      if (!lenient)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_warning ("Could not apply the price overrides: %s", local_error->message);
    }

  /* The engine follows on first use: `juxta plan` never needs one. */
  g_clear_object (&self->engine);
  g_set_object (&self->catalog, catalog);

  return TRUE;
}

JxContext *
jx_context_new (const char      *providers_file,
                JxContextStage  *stage,
                GError         **error)
{
  g_autoptr(JxContext) self = g_object_new (JX_TYPE_CONTEXT, "providers-file", providers_file, NULL);

  if (!load (self, FALSE, stage, error))
    return NULL;

  return g_steal_pointer (&self);
}

JxContext *
jx_context_new_lenient (const char *providers_file)
{
  JxContext *self = g_object_new (JX_TYPE_CONTEXT, "providers-file", providers_file, NULL);

  load (self, TRUE, NULL, NULL);
  return self;
}

const char *
jx_context_get_providers_file (JxContext *self)
{
  g_return_val_if_fail (JX_IS_CONTEXT (self), NULL);
  return self->providers_file;
}

/**
 * jx_context_get_catalog:
 * @self: a #JxContext
 *
 * Returns: (transfer none): the catalog with every user file and price override applied
 */
JxCatalog *
jx_context_get_catalog (JxContext *self)
{
  g_return_val_if_fail (JX_IS_CONTEXT (self), NULL);
  return self->catalog;
}

/**
 * jx_context_get_engine:
 * @self: a #JxContext
 *
 * Returns: (transfer none): the engine every request of this context runs on
 */
JxEngine *
jx_context_get_engine (JxContext *self)
{
  g_return_val_if_fail (JX_IS_CONTEXT (self), NULL);

  if (self->engine == NULL)
    self->engine = jx_engine_new (self->catalog);
  return self->engine;
}

/**
 * jx_context_get_history:
 * @self: a #JxContext
 *
 * Returns: (transfer none): the history store every round of this context is kept in
 */
JxHistory *
jx_context_get_history (JxContext *self)
{
  g_return_val_if_fail (JX_IS_CONTEXT (self), NULL);

  if (self->history == NULL)
    {
      const char *path = g_getenv ("JUXTA_HISTORY_FILE");

      /* Tests and power users keep their history in a file of their own. */
      self->history = jx_history_new (path != NULL && *path != '\0' ? path : NULL);
    }
  return self->history;
}

gboolean
jx_context_reload (JxContext  *self,
                   GError    **error)
{
  g_return_val_if_fail (JX_IS_CONTEXT (self), FALSE);

  if (!load (self, FALSE, NULL, error))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATALOG]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
  return TRUE;
}

/* ---- model lists ---------------------------------------------------------------------- */

typedef struct
{
  JxContext    *self;
  JxProvider   *provider;
  JxEngine     *engine;
  GCancellable *cancellable;
} ListModels;

static void
list_models_free (ListModels *lm)
{
  g_object_unref (lm->self);
  jx_provider_unref (lm->provider);
  g_object_unref (lm->engine);
  g_object_unref (lm->cancellable);
  g_free (lm);
}

static void
models_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ListModels *lm = user_data;
  JxModelsSource source = JX_MODELS_SOURCE_CATALOG;
  g_autoptr(GPtrArray) models = jx_models_list_finish (result, &source, NULL);

  if (models != NULL && source == JX_MODELS_SOURCE_PROVIDER && models->len > 0 &&
      !g_cancellable_is_cancelled (lm->cancellable))
    {
      g_ptr_array_add (models, NULL);
      g_hash_table_replace (lm->self->listed_models, g_strdup (lm->provider->id),
                            g_strdupv ((char **) models->pdata));
      g_signal_emit (lm->self, signals[MODELS_CHANGED], 0);
    }
  list_models_free (lm);
}

static void
key_for_listing_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ListModels *lm = user_data;
  g_autofree char *key = jx_keys_lookup_finish (result, NULL);

  /* Only providers the user can use: with a key, or local without one. */
  if ((key == NULL && !jx_provider_is_local (lm->provider)) ||
      g_cancellable_is_cancelled (lm->cancellable))
    {
      list_models_free (lm);
      return;
    }

  jx_models_list_async (lm->engine, lm->provider, key, lm->cancellable, models_listed_cb, lm);
}

void
jx_context_fetch_model_lists (JxContext *self)
{
  GPtrArray *providers;

  g_return_if_fail (JX_IS_CONTEXT (self));

  providers = jx_catalog_get_providers (self->catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);
      ListModels *lm;

      if (jx_provider_is_simulated (provider))
        continue;

      lm = g_new0 (ListModels, 1);
      lm->self = g_object_ref (self);
      lm->provider = jx_provider_ref (provider);
      lm->engine = g_object_ref (jx_context_get_engine (self));
      lm->cancellable = g_object_ref (self->cancellable);
      if (jx_keys_provider_needs_key (provider))
        jx_keys_lookup_async (provider, lm->cancellable, key_for_listing_cb, lm);
      else
        jx_models_list_async (lm->engine, provider, NULL, lm->cancellable, models_listed_cb, lm);
    }
}

/**
 * jx_context_get_listed_models:
 * @self: a #JxContext
 *
 * Returns: (transfer none): provider id → %NULL-terminated model ids reported by the
 *   provider's list endpoint, for the providers that answered so far
 */
GHashTable *
jx_context_get_listed_models (JxContext *self)
{
  g_return_val_if_fail (JX_IS_CONTEXT (self), NULL);
  return self->listed_models;
}

void
jx_context_cancel (JxContext *self)
{
  g_return_if_fail (JX_IS_CONTEXT (self));
  g_cancellable_cancel (self->cancellable);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
jx_context_finalize (GObject *object)
{
  JxContext *self = JX_CONTEXT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->history);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->listed_models, g_hash_table_unref);
  g_clear_pointer (&self->providers_file, g_free);

  G_OBJECT_CLASS (jx_context_parent_class)->finalize (object);
}

static void
jx_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JxContext *self = JX_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_PROVIDERS_FILE:
      g_value_set_string (value, self->providers_file);
      break;
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, jx_context_get_engine (self));
      break;
    case PROP_HISTORY:
      g_value_set_object (value, jx_context_get_history (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JxContext *self = JX_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_PROVIDERS_FILE:
      g_free (self->providers_file);
      self->providers_file = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_context_class_init (JxContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_context_finalize;
  object_class->get_property = jx_context_get_property;
  object_class->set_property = jx_context_set_property;

  /**
   * JxContext:providers-file:
   *
   * The extra providers file read after the user's own, or %NULL for
   * `$JUXTA_PROVIDERS_FILE`.
   */
  properties[PROP_PROVIDERS_FILE] =
    g_param_spec_string ("providers-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * JxContext:catalog:
   *
   * The catalog; replaced (and notified) by jx_context_reload().
   */
  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, JX_TYPE_CATALOG,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JxContext:engine:
   *
   * The engine built on #JxContext:catalog (on first use); replaced with it.
   */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, JX_TYPE_ENGINE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JxContext:history:
   *
   * The history store (opened on first use); see jx_context_get_history().
   */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, JX_TYPE_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JxContext::models-changed:
   *
   * A provider's list endpoint answered; see jx_context_get_listed_models().
   */
  signals[MODELS_CHANGED] = g_signal_new ("models-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
jx_context_init (JxContext *self)
{
  self->listed_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_strfreev);
  self->cancellable = g_cancellable_new ();
}
