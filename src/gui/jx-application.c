/* jx-application.c
 *
 * Copyright 2026 Juxta developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-keys.h"
#include "jx-models.h"
#include "jx-preferences-window.h"
#include "jx-window.h"

#define JX_RESOURCE_BASE_PATH "/io/github/juxta/Juxta"

struct _JxApplication
{
  AdwApplication   parent_instance;

  JxCatalog       *catalog;
  JxEngine        *engine;
  char           **initial_panes;
  GHashTable      *listed_models;   /* provider id → GStrv from its list endpoint */
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (JxApplication, jx_application, ADW_TYPE_APPLICATION)

enum {
  CATALOG_CHANGED,
  MODELS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static JxCatalog *
jx_application_load_catalog (GError **error)
{
  g_autoptr(JxCatalog) catalog = NULL;
  const char *extra;

  if (!(catalog = jx_catalog_new_builtin (error)))
    return NULL;

  if (!jx_catalog_load_user_file (catalog, error))
    return NULL;

  /* Tests and power users can add providers from another file. */
  extra = g_getenv ("JUXTA_PROVIDERS_FILE");
  if (extra != NULL && *extra != '\0' && !jx_catalog_load_file (catalog, extra, error))
    return NULL;

  return g_steal_pointer (&catalog);
}

static void
jx_application_ensure_catalog (JxApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->catalog != NULL)
    return;

  self->catalog = jx_application_load_catalog (&error);
  if (self->catalog == NULL)
    {
      g_warning ("Could not load the providers file, using the built-in catalog: %s",
                 error->message);
      self->catalog = jx_catalog_new_builtin (NULL);
    }
  self->engine = jx_engine_new (self->catalog);
}

typedef struct
{
  JxApplication *self;
  JxProvider    *provider;
} ListModels;

static void
list_models_free (ListModels *lm)
{
  g_object_unref (lm->self);
  jx_provider_unref (lm->provider);
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
      !g_cancellable_is_cancelled (lm->self->cancellable))
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
      g_cancellable_is_cancelled (lm->self->cancellable))
    {
      list_models_free (lm);
      return;
    }

  jx_models_list_async (lm->self->engine, lm->provider, key, lm->self->cancellable,
                        models_listed_cb, lm);
}

/* Offers each usable provider's own model list in the pickers, next to the catalog's. */
static void
jx_application_fetch_model_lists (JxApplication *self)
{
  GPtrArray *providers = jx_catalog_get_providers (self->catalog);

  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);
      ListModels *lm;

      if (jx_provider_is_simulated (provider))
        continue;

      lm = g_new0 (ListModels, 1);
      lm->self = g_object_ref (self);
      lm->provider = jx_provider_ref (provider);
      if (jx_keys_provider_needs_key (provider))
        jx_keys_lookup_async (provider, self->cancellable, key_for_listing_cb, lm);
      else
        jx_models_list_async (self->engine, provider, NULL, self->cancellable, models_listed_cb, lm);
    }
}

/**
 * jx_application_get_listed_models:
 * @self: a #JxApplication
 *
 * Returns: (transfer none): provider id → %NULL-terminated model ids reported by the
 *   provider's list endpoint, for the providers that answered so far
 */
GHashTable *
jx_application_get_listed_models (JxApplication *self)
{
  g_return_val_if_fail (JX_IS_APPLICATION (self), NULL);
  return self->listed_models;
}

/**
 * jx_application_get_catalog:
 * @self: a #JxApplication
 *
 * Returns: (transfer none): the provider catalog of the application
 */
JxCatalog *
jx_application_get_catalog (JxApplication *self)
{
  g_return_val_if_fail (JX_IS_APPLICATION (self), NULL);

  jx_application_ensure_catalog (self);
  return self->catalog;
}

/**
 * jx_application_get_engine:
 * @self: a #JxApplication
 *
 * Returns: (transfer none): the one #JxEngine every window sends requests with
 */
JxEngine *
jx_application_get_engine (JxApplication *self)
{
  g_return_val_if_fail (JX_IS_APPLICATION (self), NULL);

  jx_application_ensure_catalog (self);
  return self->engine;
}

/**
 * jx_application_reload_catalog:
 * @self: a #JxApplication
 * @error: return location for an error
 *
 * Reads the built-in catalog and the providers files again, for example after
 * the user added a custom endpoint. Running requests keep the old engine.
 *
 * Returns: %TRUE on success; on error the old catalog stays in use
 */
gboolean
jx_application_reload_catalog (JxApplication  *self,
                               GError        **error)
{
  g_autoptr(JxCatalog) catalog = NULL;

  g_return_val_if_fail (JX_IS_APPLICATION (self), FALSE);

  if (!(catalog = jx_application_load_catalog (error)))
    return FALSE;

  g_clear_object (&self->engine);
  g_set_object (&self->catalog, catalog);
  self->engine = jx_engine_new (self->catalog);

  g_signal_emit (self, signals[CATALOG_CHANGED], 0);

  return TRUE;
}

/**
 * jx_application_steal_initial_panes:
 * @self: a #JxApplication
 *
 * The first window opens with the panes given on the command line.
 *
 * Returns: (nullable) (transfer full): the "provider:model" pairs given with
 *   `--pane`, or %NULL if none were given or a window already took them
 */
char **
jx_application_steal_initial_panes (JxApplication *self)
{
  g_return_val_if_fail (JX_IS_APPLICATION (self), NULL);

  return g_steal_pointer (&self->initial_panes);
}

/**
 * jx_application_show_preferences:
 * @self: a #JxApplication
 *
 * Presents the preferences window for the active window.
 */
void
jx_application_show_preferences (JxApplication *self)
{
  GtkWindow *parent;
  JxPreferencesWindow *prefs;

  g_return_if_fail (JX_IS_APPLICATION (self));

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  prefs = jx_preferences_window_new (self);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_set_modal (GTK_WINDOW (prefs), parent != NULL);
  gtk_window_present (GTK_WINDOW (prefs));
}

static int
jx_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  JxApplication *self = JX_APPLICATION (app);
  g_auto(GStrv) panes = NULL;

  if (g_variant_dict_lookup (options, "pane", "^as", &panes))
    {
      for (guint i = 0; panes[i] != NULL; i++)
        if (strchr (panes[i], ':') == NULL)
          {
            g_printerr (_("“%s” is not of the form PROVIDER:MODEL\n"), panes[i]);
            return 1;
          }
      g_strfreev (self->initial_panes);
      self->initial_panes = g_steal_pointer (&panes);
    }

  return -1;
}

/**
 * jx_application_new:
 *
 * Creates the application object. style.css and the icons under
 * `icons/` are picked up from the resource base path automatically.
 *
 * Returns: (transfer full): a new #JxApplication
 */
JxApplication *
jx_application_new (void)
{
  return g_object_new (JX_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", JX_RESOURCE_BASE_PATH,
                       NULL);
}

static void
jx_application_activate (GApplication *app)
{
  GtkWindow *window;

  g_assert (JX_IS_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      window = GTK_WINDOW (jx_window_new (JX_APPLICATION (app)));
      if (g_hash_table_size (JX_APPLICATION (app)->listed_models) == 0 &&
          g_getenv ("JUXTA_NO_MODEL_LISTS") == NULL)
        jx_application_fetch_model_lists (JX_APPLICATION (app));
    }

  gtk_window_present (window);
}

static void
jx_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  JxApplication *self = user_data;
  static const char *developers[] = {
    "Juxta developers https://github.com/juxta/Juxta",
    NULL
  };
  GtkWindow *parent;
  AdwAboutWindow *about;

  g_assert (JX_IS_APPLICATION (self));

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "application-icon", APP_ID,
                        "application-name", _("Juxta"),
                        "developer-name", _("Juxta developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_WEBSITE "/issues",
                        "comments", _("Send one prompt to several language models at once and "
                                      "compare their answers, speed and cost side by side."),
                        "copyright", "© 2026 Juxta developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: Put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
jx_application_shortcuts_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  JxApplication *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  g_assert (JX_IS_APPLICATION (self));

  builder = gtk_builder_new_from_resource (JX_RESOURCE_BASE_PATH "/ui/jx-shortcuts.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts,
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (shortcuts);
}

static void
jx_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  JxApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  g_assert (JX_IS_APPLICATION (self));

  /* Close instead of destroying, so every window saves its state. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
jx_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  jx_application_show_preferences (JX_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", jx_application_about_action },
  { "preferences", jx_application_preferences_action },
  { "quit", jx_application_quit_action },
  { "shortcuts", jx_application_shortcuts_action },
};

static void
jx_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "app.shortcuts", { "<Control>question", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.send", { "<Control>Return", "<Control>KP_Enter" } },
    { "win.stop", { "Escape", NULL } },
    { "win.add-pane", { "<Control>n", NULL } },
  };

  G_APPLICATION_CLASS (jx_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   app);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           accels[i].action,
                                           accels[i].accels);
}

static void
jx_application_finalize (GObject *object)
{
  JxApplication *self = JX_APPLICATION (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->initial_panes, g_strfreev);
  g_clear_pointer (&self->listed_models, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (jx_application_parent_class)->finalize (object);
}

static void
jx_application_shutdown (GApplication *app)
{
  g_cancellable_cancel (JX_APPLICATION (app)->cancellable);

  G_APPLICATION_CLASS (jx_application_parent_class)->shutdown (app);
}

static void
jx_application_class_init (JxApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = jx_application_finalize;

  app_class->activate = jx_application_activate;
  app_class->startup = jx_application_startup;
  app_class->shutdown = jx_application_shutdown;
  app_class->handle_local_options = jx_application_handle_local_options;

  /**
   * JxApplication::catalog-changed:
   *
   * Emitted after jx_application_reload_catalog() replaced the catalog.
   */
  signals[CATALOG_CHANGED] = g_signal_new ("catalog-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  /**
   * JxApplication::models-changed:
   *
   * A provider's list endpoint answered; see jx_application_get_listed_models().
   */
  signals[MODELS_CHANGED] = g_signal_new ("models-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
jx_application_init (JxApplication *self)
{
  self->listed_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  self->cancellable = g_cancellable_new ();

  static const GOptionEntry entries[] = {
    { "pane", 'p', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL,
      N_("Compare this model; repeat for more panes"), N_("PROVIDER:MODEL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
