/* jx-provider-key-row.c: one provider's credential in Preferences
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

#include "jx-adapter.h"
#include "jx-keys.h"
#include "jx-models.h"
#include "jx-provider-key-row.h"

struct _JxProviderKeyRow
{
  AdwExpanderRow  parent_instance;

  JxProvider     *provider;
  JxEngine       *engine;
  GCancellable   *cancellable;
  /* One widget per credential field (GtkEditable, or GtkTextView for MULTILINE), in the
   * order of the adapter's credential_fields. */
  GPtrArray      *inputs;
  const JxCredentialField *fields;
  GtkWidget      *remove_button;
  GtkWidget      *check_button;
};

G_DEFINE_FINAL_TYPE (JxProviderKeyRow, jx_provider_key_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TOAST,
  SIGNAL_KEYRING_UNAVAILABLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_state (JxProviderKeyRow *self,
           const char       *text,
           gboolean          has_key)
{
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), text);
  gtk_widget_set_sensitive (self->remove_button, has_key);
  gtk_widget_set_sensitive (self->check_button, has_key);
}

static void
keyring_unavailable (JxProviderKeyRow *self,
                     const GError     *error)
{
  g_debug ("Secret Service: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_KEYRING_UNAVAILABLE], 0);
}

static void
toast (JxProviderKeyRow *self,
       const char       *text)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

static void
lookup_state_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JxProviderKeyRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = jx_keys_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      set_state (self, _("Keyring unavailable"), FALSE);
      keyring_unavailable (self, error);
      return;
    }

  set_state (self, secret != NULL ? _("Key stored in the keyring") : _("No key"), secret != NULL);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

void
jx_provider_key_row_refresh (JxProviderKeyRow *self)
{
  g_autofree char *from_env = NULL;

  g_return_if_fail (JX_IS_PROVIDER_KEY_ROW (self));

  if ((from_env = jx_keys_lookup_env (self->provider)) != NULL)
    {
      g_autofree char *text = NULL;

      memset (from_env, 0, strlen (from_env));
      /* Translators: %s is the name of an environment variable, e.g. OPENAI_API_KEY */
      text = g_strdup_printf (_("From environment variable %s"), jx_keys_get_env_name (self->provider));
      set_state (self, text, FALSE);
      return;
    }

  jx_keys_lookup_async (self->provider, self->cancellable, lookup_state_cb, g_object_ref (self));
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JxProviderKeyRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JxModelsSource source = JX_MODELS_SOURCE_CATALOG;
  g_autofree char *text = NULL;

  models = jx_models_list_finish (result, &source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    /* Translators: %s is the provider's error message */
    text = g_strdup_printf (_("Key rejected: %s"), error->message);
  else if (source == JX_MODELS_SOURCE_PROVIDER)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Key checked: %u model available",
                                         "Key checked: %u models available", models->len),
                            models->len);
  else if (source == JX_MODELS_SOURCE_FALLBACK)
    text = g_strdup (_("Key stored; the provider could not be reached to check it"));
  else
    text = g_strdup (_("Key stored; this provider cannot check keys"));

  set_state (self, text, TRUE);
}

static void
check_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JxProviderKeyRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = jx_keys_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (secret == NULL)
    {
      if (error != NULL)
        keyring_unavailable (self, error);
      set_state (self, error != NULL ? _("Keyring unavailable") : _("No key"), FALSE);
      return;
    }

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Checking…"));
  jx_models_list_async (self->engine, self->provider, secret, self->cancellable, check_cb, g_object_ref (self));
  memset (secret, 0, strlen (secret));
}

static void
check_clicked_cb (JxProviderKeyRow *self)
{
  jx_keys_lookup_async (self->provider, self->cancellable, check_lookup_cb, g_object_ref (self));
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JxProviderKeyRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!jx_keys_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_state (self, _("Keyring unavailable: the key was not stored"), FALSE);
      keyring_unavailable (self, error);
      return;
    }

  set_state (self, _("Key stored in the keyring"), TRUE);
  toast (self, _("Key stored"));
  if (!g_cancellable_is_cancelled (self->cancellable))
    check_clicked_cb (self);
}

/* The text of one input, without the stray spaces pasted values often carry. */
static char *
input_text (GtkWidget *input)
{
  g_autofree char *text = NULL;

  if (GTK_IS_TEXT_VIEW (input))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (input));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  else
    text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (input)));

  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

typedef struct
{
  JxProviderKeyRow *self;
  GPtrArray        *texts;   /* wiped and freed at the end */
} Compose;

static const char *
input_value_cb (const JxCredentialField *field,
                gpointer                 user_data)
{
  Compose *compose = user_data;
  char *text = input_text (g_ptr_array_index (compose->self->inputs, field - compose->self->fields));

  if (text != NULL)
    g_ptr_array_add (compose->texts, text);
  return text;
}

static void
wipe_free (gpointer data)
{
  char *text = data;

  memset (text, 0, strlen (text));
  g_free (text);
}

static void
save_clicked_cb (JxProviderKeyRow *self)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (wipe_free);
  Compose compose = { self, texts };
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  secret = jx_adapter_compose_credential (jx_adapter_for_provider (self->provider),
                                          input_value_cb, &compose, &error);
  if (secret == NULL)
    {
      toast (self, error->message);
      return;
    }

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Storing…"));
  jx_keys_store_async (self->provider, secret, self->cancellable, store_cb, g_object_ref (self));
  memset (secret, 0, strlen (secret));

  /* Never show a stored key again. */
  for (guint i = 0; i < self->inputs->len; i++)
    {
      GtkWidget *input = g_ptr_array_index (self->inputs, i);

      if (!(self->fields[i].flags & JX_CREDENTIAL_FIELD_SECRET))
        continue;
      if (GTK_IS_TEXT_VIEW (input))
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), "", 0);
      else
        gtk_editable_set_text (GTK_EDITABLE (input), "");
    }
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JxProviderKeyRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!jx_keys_clear_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        keyring_unavailable (self, error);
      return;
    }

  toast (self, _("Key removed"));
  jx_provider_key_row_refresh (self);
}

static void
remove_clicked_cb (JxProviderKeyRow *self)
{
  jx_keys_clear_async (self->provider, self->cancellable, clear_cb, g_object_ref (self));
}

/* "key-entry" for the key itself, "<member>-entry" for the other parts
 * (access_key_id → access-key-id-entry). */
static char *
input_name (const JxCredentialField *field)
{
  g_autofree char *member = NULL;

  if (field->member == NULL || g_str_equal (field->member, "api_key"))
    return g_strdup ("key-entry");

  member = g_strdup (field->member);
  g_strdelimit (member, "_", '-');
  return g_strconcat (member, "-entry", NULL);
}

static GtkWidget *
add_text_view (JxProviderKeyRow        *self,
               const JxCredentialField *field)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->label));
  if (field->description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(field->description));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 96);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_widget_set_margin_top (scroller, 6);
  gtk_widget_set_margin_bottom (scroller, 6);
  gtk_widget_add_css_class (scroller, "card");
  gtk_widget_set_name (view, "credentials-view");
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _(field->label), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), scroller);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);

  return view;
}

static GtkWidget *
add_entry (JxProviderKeyRow        *self,
           const JxCredentialField *field)
{
  GtkWidget *entry = (field->flags & JX_CREDENTIAL_FIELD_SECRET) ? adw_password_entry_row_new ()
                                                                 : adw_entry_row_new ();
  g_autofree char *name = input_name (field);
  g_autofree char *title = NULL;

  if (field->member == NULL && self->provider->key_hint != NULL)
    /* Translators: %s describes the key, e.g. “starts with sk-” */
    title = g_strdup_printf (_("API Key (%s)"), self->provider->key_hint);

  gtk_widget_set_name (entry, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title != NULL ? title : _(field->label));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), entry);

  return entry;
}

static GtkWidget *
add_button (GtkWidget  *box,
            const char *name,
            const char *label,
            const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  gtk_box_append (GTK_BOX (box), button);

  return button;
}

JxProviderKeyRow *
jx_provider_key_row_new (JxProvider *provider,
                         JxEngine   *engine)
{
  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (JX_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (jx_adapter_for_provider (provider) != NULL, NULL);

  return g_object_new (JX_TYPE_PROVIDER_KEY_ROW,
                       "provider", provider,
                       "engine", engine,
                       NULL);
}

static void
jx_provider_key_row_constructed (GObject *object)
{
  JxProviderKeyRow *self = JX_PROVIDER_KEY_ROW (object);
  JxProvider *provider = self->provider;
  g_autofree char *row_name = NULL;
  GtkWidget *buttons_row;
  GtkWidget *box;
  GtkWidget *save;

  G_OBJECT_CLASS (jx_provider_key_row_parent_class)->constructed (object);

  g_assert (provider != NULL && self->engine != NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), provider->name != NULL ? provider->name : provider->id);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Looking for a key…"));
  row_name = g_strdup_printf ("provider-%s", provider->id);
  gtk_widget_set_name (GTK_WIDGET (self), row_name);

  self->fields = jx_adapter_get_credential_fields (jx_adapter_for_provider (provider));
  for (guint i = 0; self->fields[i].label != NULL; i++)
    g_ptr_array_add (self->inputs, (self->fields[i].flags & JX_CREDENTIAL_FIELD_MULTILINE)
                                   ? add_text_view (self, &self->fields[i])
                                   : add_entry (self, &self->fields[i]));

  buttons_row = adw_action_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->remove_button = add_button (box, "remove-button", _("_Remove Key"), "destructive-action");
  self->check_button = add_button (box, "check-button", _("_Check Key"), NULL);
  save = add_button (box, "save-button", _("_Store Key"), "suggested-action");
  adw_action_row_add_suffix (ADW_ACTION_ROW (buttons_row), box);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), buttons_row);

  g_signal_connect_object (save, "clicked", G_CALLBACK (save_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check_button, "clicked", G_CALLBACK (check_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->remove_button, "clicked", G_CALLBACK (remove_clicked_cb), self, G_CONNECT_SWAPPED);

  jx_provider_key_row_refresh (self);
}

JxProvider *
jx_provider_key_row_get_provider (JxProviderKeyRow *self)
{
  g_return_val_if_fail (JX_IS_PROVIDER_KEY_ROW (self), NULL);

  return self->provider;
}

static void
jx_provider_key_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  JxProviderKeyRow *self = JX_PROVIDER_KEY_ROW (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_boxed (value, self->provider);
      break;

    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_provider_key_row_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  JxProviderKeyRow *self = JX_PROVIDER_KEY_ROW (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_boxed (value);
      break;

    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Removed from the window (or the window closed): nothing in flight may report back. */
static void
jx_provider_key_row_unroot (GtkWidget *widget)
{
  JxProviderKeyRow *self = JX_PROVIDER_KEY_ROW (widget);

  g_cancellable_cancel (self->cancellable);

  GTK_WIDGET_CLASS (jx_provider_key_row_parent_class)->unroot (widget);
}

static void
jx_provider_key_row_dispose (GObject *object)
{
  JxProviderKeyRow *self = JX_PROVIDER_KEY_ROW (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (jx_provider_key_row_parent_class)->dispose (object);
}

static void
jx_provider_key_row_finalize (GObject *object)
{
  JxProviderKeyRow *self = JX_PROVIDER_KEY_ROW (object);

  g_clear_pointer (&self->provider, jx_provider_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);

  G_OBJECT_CLASS (jx_provider_key_row_parent_class)->finalize (object);
}

static void
jx_provider_key_row_class_init (JxProviderKeyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jx_provider_key_row_constructed;
  object_class->get_property = jx_provider_key_row_get_property;
  object_class->set_property = jx_provider_key_row_set_property;
  object_class->dispose = jx_provider_key_row_dispose;
  object_class->finalize = jx_provider_key_row_finalize;
  widget_class->unroot = jx_provider_key_row_unroot;

  /**
   * JxProviderKeyRow:provider:
   *
   * The provider whose credential the row edits; its adapter gives the entries.
   */
  properties[PROP_PROVIDER] =
    g_param_spec_boxed ("provider", NULL, NULL, JX_TYPE_PROVIDER,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * JxProviderKeyRow:engine:
   *
   * The engine whose session checks the key (by listing the provider's models).
   */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, JX_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JxProviderKeyRow::toast:
   * @text: a short message for the window to show
   */
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * JxProviderKeyRow::keyring-unavailable:
   *
   * The Secret Service could not be reached; keys cannot be stored.
   */
  signals[SIGNAL_KEYRING_UNAVAILABLE] =
    g_signal_new ("keyring-unavailable", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
jx_provider_key_row_init (JxProviderKeyRow *self)
{
  self->cancellable = g_cancellable_new ();
  self->inputs = g_ptr_array_new ();
}
