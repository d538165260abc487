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
#include "jx-history-privacy.h"
#include "jx-preferences-window.h"

#define JX_RESOURCE_BASE_PATH "/io/github/juxta/Juxta"

struct _JxApplication
{
  AdwApplication   parent_instance;

  JxContext       *context;
  char           **initial_panes;
};

G_DEFINE_FINAL_TYPE (JxApplication, jx_application, ADW_TYPE_APPLICATION)

/**
 * jx_application_get_context:
 * @self: a #JxApplication
 *
 * The context is loaded on first use: the built-in catalog, the user's providers files
 * and price overrides. A broken file is reported on the terminal and skipped.
 *
 * Returns: (transfer none): the #JxContext every window and dialog of the application uses
 */
JxContext *
jx_application_get_context (JxApplication *self)
{
  g_return_val_if_fail (JX_IS_APPLICATION (self), NULL);

  if (self->context == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      self->context = jx_context_new_lenient (NULL);
      /* Every round is kept as it happens; the privacy settings apply from the start. */
      jx_history_privacy_watch (jx_context_get_history (self->context), settings);
    }
  return self->context;
}

/**
 * jx_application_get_catalog:
 * @self: a #JxApplication
 *
 * Returns: (transfer none): the provider catalog of the application's context
 */
JxCatalog *
jx_application_get_catalog (JxApplication *self)
{
  g_return_val_if_fail (JX_IS_APPLICATION (self), NULL);
  return jx_context_get_catalog (jx_application_get_context (self));
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
  return jx_context_get_engine (jx_application_get_context (self));
}

/**
 * jx_application_new_window:
 * @self: a #JxApplication
 *
 * Creates a main window on the application's context. The first window opens with the
 * panes given with `--pane`.
 *
 * Returns: (transfer none): a new #JxWindow, owned by GTK
 */
JxWindow *
jx_application_new_window (JxApplication *self)
{
  g_auto(GStrv) initial = NULL;

  g_return_val_if_fail (JX_IS_APPLICATION (self), NULL);

  initial = g_steal_pointer (&self->initial_panes);
  return jx_window_new (GTK_APPLICATION (self), jx_application_get_context (self),
                        (const char * const *) initial);
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
  prefs = jx_preferences_window_new (jx_application_get_context (self));
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
      JxContext *context = jx_application_get_context (JX_APPLICATION (app));

      window = GTK_WINDOW (jx_application_new_window (JX_APPLICATION (app)));
      if (g_hash_table_size (jx_context_get_listed_models (context)) == 0 &&
          g_getenv ("JUXTA_NO_MODEL_LISTS") == NULL)
        jx_context_fetch_model_lists (context);
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

  g_clear_object (&self->context);
  g_clear_pointer (&self->initial_panes, g_strfreev);

  G_OBJECT_CLASS (jx_application_parent_class)->finalize (object);
}

static void
jx_application_shutdown (GApplication *app)
{
  JxApplication *self = JX_APPLICATION (app);

  if (self->context != NULL)
    jx_context_cancel (self->context);

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
}

static void
jx_application_init (JxApplication *self)
{
  static const GOptionEntry entries[] = {
    { "pane", 'p', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL,
      N_("Compare this model; repeat for more panes"), N_("PROVIDER:MODEL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
