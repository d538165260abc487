/* jx-preferences-window.c: API keys and custom endpoints
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

#include "jx-keys.h"
#include "jx-preferences-window.h"
#include "jx-provider-key-row.h"
#include "jx-providers-file-writer.h"

struct _JxPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  JxContext            *context;
  GCancellable         *cancellable;
  GPtrArray            *rows;        /* JxProviderKeyRow* in keys_group (unowned) */

  /* Template widgets */
  AdwPreferencesGroup  *keyring_group;
  AdwPreferencesGroup  *keys_group;
  AdwEntryRow          *custom_name_row;
  AdwEntryRow          *custom_url_row;
  AdwEntryRow          *custom_models_row;
  GtkSpinButton        *custom_input_price;
  GtkSpinButton        *custom_output_price;
  AdwPasswordEntryRow  *custom_key_row;
  GtkSwitch            *history_keep_switch;
  GtkSpinButton        *history_days_spin;
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (JxPreferencesWindow, jx_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (JxPreferencesWindow *self,
       const char          *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
keyring_unavailable (JxPreferencesWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keys_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->custom_key_row), FALSE);
}

static void
jx_preferences_window_fill (JxPreferencesWindow *self)
{
  GPtrArray *providers = jx_catalog_get_providers (jx_context_get_catalog (self->context));
  JxEngine *engine = jx_context_get_engine (self->context);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->keys_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);
      JxProviderKeyRow *row;

      if (!jx_keys_provider_needs_key (provider))
        continue;

      row = jx_provider_key_row_new (provider, engine);
      g_signal_connect_object (row, "toast", G_CALLBACK (toast), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "keyring-unavailable", G_CALLBACK (keyring_unavailable), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->keys_group, GTK_WIDGET (row));
      g_ptr_array_add (self->rows, row);
    }
}

/**
 * jx_preferences_window_get_provider_row:
 * @self: a #JxPreferencesWindow
 * @provider_id: a provider id
 *
 * Returns: (nullable) (transfer none): the row of @provider_id
 */
AdwExpanderRow *
jx_preferences_window_get_provider_row (JxPreferencesWindow *self,
                                        const char          *provider_id)
{
  g_autofree char *name = g_strdup_printf ("provider-%s", provider_id);

  g_return_val_if_fail (JX_IS_PREFERENCES_WINDOW (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    if (g_str_equal (gtk_widget_get_name (g_ptr_array_index (self->rows, i)), name))
      return g_ptr_array_index (self->rows, i);

  return NULL;
}

static void
custom_store_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JxPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!jx_keys_store_finish (result, &error))
    {
      g_debug ("Secret Service: %s", error->message);
      toast (self, _("The keyring is not available: the key was not stored"));
      keyring_unavailable (self);
      return;
    }
  jx_preferences_window_fill (self);
}

/* Adds or replaces the endpoint in the user's providers file. The key never goes into
 * that file, only into the keyring. */
static void
on_custom_add_clicked (JxPreferencesWindow *self,
                       GtkButton           *button)
{
  /* Pasted values often carry stray spaces; a key with them would be sent as is. */
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_name_row))));
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_url_row))));
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_key_row))));
  g_auto(GStrv) models = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->custom_models_row)), ",", -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  JxProvider *added;

  for (guint i = 0; models[i] != NULL; i++)
    g_strstrip (models[i]);

  id = jx_providers_file_add_custom (NULL, name, url, (const char * const *) models,
                                     gtk_spin_button_get_value (self->custom_input_price),
                                     gtk_spin_button_get_value (self->custom_output_price),
                                     *key != '\0', &error);
  if (id == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    {
      toast (self, error->message);
      return;
    }
  if (id == NULL || !jx_context_reload (self->context, &error))
    {
      /* Translators: %s is an error message */
      g_autofree char *text = g_strdup_printf (_("Could not add the endpoint: %s"), error->message);

      toast (self, text);
      return;
    }

  added = jx_catalog_lookup (jx_context_get_catalog (self->context), id);
  if (*key != '\0' && added != NULL)
    {
      jx_keys_store_async (added, key, self->cancellable, custom_store_cb, g_object_ref (self));
      gtk_editable_set_text (GTK_EDITABLE (self->custom_key_row), "");
    }
  else
    jx_preferences_window_fill (self);

  toast (self, _("Endpoint added"));
}

/**
 * jx_preferences_window_new:
 * @context: the context whose catalog and keys to edit
 *
 * Returns: (transfer none): a new preferences window
 */
JxPreferencesWindow *
jx_preferences_window_new (JxContext *context)
{
  JxPreferencesWindow *self;

  g_return_val_if_fail (JX_IS_CONTEXT (context), NULL);

  self = g_object_new (JX_TYPE_PREFERENCES_WINDOW, NULL);
  self->context = g_object_ref (context);
  jx_preferences_window_fill (self);

  return self;
}

static void
jx_preferences_window_dispose (GObject *object)
{
  JxPreferencesWindow *self = JX_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_ptr_array_set_size (self->rows, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (jx_preferences_window_parent_class)->dispose (object);
}

static void
jx_preferences_window_finalize (GObject *object)
{
  JxPreferencesWindow *self = JX_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (jx_preferences_window_parent_class)->finalize (object);
}

static void
jx_preferences_window_class_init (JxPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_preferences_window_dispose;
  object_class->finalize = jx_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, keyring_group);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, keys_group);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, custom_name_row);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, custom_url_row);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, custom_models_row);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, custom_input_price);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, custom_output_price);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, custom_key_row);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, history_keep_switch);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, history_days_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_add_clicked);
}

static void
jx_preferences_window_init (JxPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The history's privacy settings; the application applies them to the store. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "history-keep-texts", self->history_keep_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-forget-days", self->history_days_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
}
