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

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "jx-keys.h"
#include "jx-models.h"
#include "jx-preferences-window.h"

struct _JxPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  JxContext            *context;
  GCancellable         *cancellable;
  GPtrArray            *rows;        /* AdwExpanderRow* in keys_group */

  /* Template widgets */
  AdwPreferencesGroup  *keyring_group;
  AdwPreferencesGroup  *keys_group;
  AdwEntryRow          *custom_name_row;
  AdwEntryRow          *custom_url_row;
  AdwEntryRow          *custom_models_row;
  GtkSpinButton        *custom_input_price;
  GtkSpinButton        *custom_output_price;
  AdwPasswordEntryRow  *custom_key_row;
};

G_DEFINE_FINAL_TYPE (JxPreferencesWindow, jx_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The widgets of one provider's row. */
typedef struct
{
  JxPreferencesWindow *self;     /* unowned; NULL once the window is gone */
  JxProvider          *provider;
  AdwExpanderRow      *row;
  GtkEditable         *key;
  GtkEditable         *endpoint;
  GtkEditable         *access_key_id;
  GtkEditable         *secret_access_key;
  GtkEditable         *session_token;
  GtkEditable         *region;
  GtkEditable         *project;
  GtkEditable         *location;
  GtkTextView         *credentials;
  GtkWidget           *remove_button;
  GtkWidget           *check_button;
} ProviderRow;

static void
provider_row_free (gpointer data)
{
  ProviderRow *pr = data;

  g_clear_pointer (&pr->provider, jx_provider_unref);
  g_free (pr);
}

static void
toast (JxPreferencesWindow *self,
       const char          *text)
{
  if (self != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
set_state (ProviderRow *pr,
           const char  *text,
           gboolean     has_key)
{
  adw_expander_row_set_subtitle (pr->row, text);
  gtk_widget_set_sensitive (pr->remove_button, has_key);
  gtk_widget_set_sensitive (pr->check_button, has_key);
}

static const char *
env_name (JxProvider *provider)
{
  if (g_strcmp0 (provider->protocol, "bedrock") == 0)
    return g_getenv ("AWS_BEARER_TOKEN_BEDROCK") != NULL ? "AWS_BEARER_TOKEN_BEDROCK" : "AWS_ACCESS_KEY_ID";
  if (g_strcmp0 (provider->protocol, "vertex") == 0 && provider->api_key_env == NULL)
    return "GOOGLE_APPLICATION_CREDENTIALS";
  return provider->api_key_env;
}

static void
keyring_unavailable (JxPreferencesWindow *self,
                     const GError        *error)
{
  if (self == NULL)
    return;

  g_debug ("Secret Service: %s", error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keys_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->custom_key_row), FALSE);
}

static void
lookup_state_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = jx_keys_lookup_finish (result, &error);

  if (pr == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      set_state (pr, _("Keyring unavailable"), FALSE);
      keyring_unavailable (pr->self, error);
      return;
    }

  set_state (pr, secret != NULL ? _("Key stored in the keyring") : _("No key"), secret != NULL);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

static void
refresh_state (ProviderRow *pr)
{
  g_autofree char *from_env = jx_keys_lookup_env (pr->provider);

  if (from_env != NULL)
    {
      g_autofree char *text = NULL;

      memset (from_env, 0, strlen (from_env));
      /* Translators: %s is the name of an environment variable, e.g. OPENAI_API_KEY */
      text = g_strdup_printf (_("From environment variable %s"), env_name (pr->provider));
      set_state (pr, text, FALSE);
      return;
    }

  jx_keys_lookup_async (pr->provider, pr->self->cancellable, lookup_state_cb, g_object_ref (pr->row));
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JxModelsSource source = JX_MODELS_SOURCE_CATALOG;
  g_autofree char *text = NULL;

  models = jx_models_list_finish (result, &source, &error);
  if (pr == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
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

  set_state (pr, text, TRUE);
}

static void
check_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = jx_keys_lookup_finish (result, &error);

  if (pr == NULL || pr->self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (secret == NULL)
    {
      if (error != NULL)
        keyring_unavailable (pr->self, error);
      set_state (pr, error != NULL ? _("Keyring unavailable") : _("No key"), FALSE);
      return;
    }

  adw_expander_row_set_subtitle (pr->row, _("Checking…"));
  jx_models_list_async (jx_context_get_engine (pr->self->context), pr->provider, secret,
                        pr->self->cancellable, check_cb, g_object_ref (row));
  memset (secret, 0, strlen (secret));
}

static void
on_check_clicked (GtkButton      *button,
                  AdwExpanderRow *row)
{
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");

  jx_keys_lookup_async (pr->provider, pr->self->cancellable, check_lookup_cb, g_object_ref (row));
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");
  g_autoptr(GError) error = NULL;

  if (!jx_keys_store_finish (result, &error))
    {
      if (pr == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_state (pr, _("Keyring unavailable: the key was not stored"), FALSE);
      keyring_unavailable (pr->self, error);
      return;
    }

  if (pr == NULL)
    return;

  set_state (pr, _("Key stored in the keyring"), TRUE);
  toast (pr->self, _("Key stored"));
  if (pr->self != NULL)
    on_check_clicked (NULL, row);
}

static void
clear_editable (GtkEditable *editable)
{
  if (editable != NULL)
    gtk_editable_set_text (editable, "");
}

static const char *
text_of (GtkEditable *editable)
{
  const char *text = editable != NULL ? gtk_editable_get_text (editable) : NULL;

  return text != NULL && *text != '\0' ? text : NULL;
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, g_strstrip (g_strdup (value)));
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Puts the fields together the way jx-keys.c composes them from the environment. */
static char *
compose_secret (ProviderRow  *pr,
                GError      **error)
{
  const char *protocol = pr->provider->protocol != NULL ? pr->provider->protocol : "";
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (g_str_equal (protocol, "azure-openai"))
    {
      if (text_of (pr->key) == NULL || text_of (pr->endpoint) == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Enter both the endpoint and the key"));
          return NULL;
        }
      json_builder_begin_object (builder);
      add_member (builder, "api_key", text_of (pr->key));
      add_member (builder, "endpoint", text_of (pr->endpoint));
      json_builder_end_object (builder);
      return builder_to_string (builder);
    }

  if (g_str_equal (protocol, "bedrock"))
    {
      json_builder_begin_object (builder);
      if (text_of (pr->key) != NULL)
        add_member (builder, "api_key", text_of (pr->key));
      else if (text_of (pr->access_key_id) != NULL && text_of (pr->secret_access_key) != NULL)
        {
          add_member (builder, "access_key_id", text_of (pr->access_key_id));
          add_member (builder, "secret_access_key", text_of (pr->secret_access_key));
          add_member (builder, "session_token", text_of (pr->session_token));
        }
      else
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Enter an access key ID and secret access key, or a Bedrock API key"));
          return NULL;
        }
      add_member (builder, "region", text_of (pr->region));
      json_builder_end_object (builder);
      return builder_to_string (builder);
    }

  if (g_str_equal (protocol, "vertex"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (pr->credentials);
      g_autofree char *json = NULL;
      GtkTextIter start, end;
      JsonNode *root;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      json = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      if (!json_parser_load_from_data (parser, json, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Paste the service account or authorized-user credentials JSON"));
          return NULL;
        }
      if (text_of (pr->project) != NULL)
        json_object_set_string_member (json_node_get_object (root), "project", text_of (pr->project));
      if (text_of (pr->location) != NULL)
        json_object_set_string_member (json_node_get_object (root), "location", text_of (pr->location));
      json_generator_set_root (generator, root);
      return json_generator_to_data (generator, NULL);
    }

  if (text_of (pr->key) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter a key"));
      return NULL;
    }
  return g_strstrip (g_strdup (text_of (pr->key)));
}

static void
on_save_clicked (GtkButton      *button,
                 AdwExpanderRow *row)
{
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = compose_secret (pr, &error);

  if (secret == NULL)
    {
      toast (pr->self, error->message);
      return;
    }

  adw_expander_row_set_subtitle (pr->row, _("Storing…"));
  jx_keys_store_async (pr->provider, secret, pr->self->cancellable, store_cb, g_object_ref (row));
  memset (secret, 0, strlen (secret));

  /* Never show a stored key again. */
  clear_editable (pr->key);
  clear_editable (pr->secret_access_key);
  clear_editable (pr->session_token);
  if (pr->credentials != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (pr->credentials), "", 0);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");
  g_autoptr(GError) error = NULL;

  if (!jx_keys_clear_finish (result, &error))
    {
      if (pr != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        keyring_unavailable (pr->self, error);
      return;
    }

  if (pr != NULL)
    {
      toast (pr->self, _("Key removed"));
      refresh_state (pr);
    }
}

static void
on_remove_clicked (GtkButton      *button,
                   AdwExpanderRow *row)
{
  ProviderRow *pr = g_object_get_data (G_OBJECT (row), "jx-provider-row");

  jx_keys_clear_async (pr->provider, pr->self->cancellable, clear_cb, g_object_ref (row));
}

static GtkEditable *
add_entry (ProviderRow *pr,
           const char  *name,
           const char  *title,
           gboolean     password)
{
  GtkWidget *entry = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  gtk_widget_set_name (entry, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  adw_expander_row_add_row (pr->row, entry);

  return GTK_EDITABLE (entry);
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

static void
add_provider_row (JxPreferencesWindow *self,
                  JxProvider          *provider)
{
  const char *protocol = provider->protocol != NULL ? provider->protocol : "";
  ProviderRow *pr = g_new0 (ProviderRow, 1);
  g_autofree char *row_name = g_strdup_printf ("provider-%s", provider->id);
  GtkWidget *buttons_row;
  GtkWidget *box;
  GtkWidget *save;

  pr->self = self;
  pr->provider = jx_provider_ref (provider);
  pr->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  gtk_widget_set_name (GTK_WIDGET (pr->row), row_name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pr->row),
                                 provider->name != NULL ? provider->name : provider->id);
  adw_expander_row_set_subtitle (pr->row, _("Looking for a key…"));
  g_object_set_data_full (G_OBJECT (pr->row), "jx-provider-row", pr, provider_row_free);

  if (g_str_equal (protocol, "azure-openai"))
    {
      pr->endpoint = add_entry (pr, "endpoint-entry", _("Endpoint, e.g. https://NAME.openai.azure.com"), FALSE);
      pr->key = add_entry (pr, "key-entry", _("API Key"), TRUE);
    }
  else if (g_str_equal (protocol, "bedrock"))
    {
      pr->access_key_id = add_entry (pr, "access-key-id-entry", _("Access Key ID"), FALSE);
      pr->secret_access_key = add_entry (pr, "secret-access-key-entry", _("Secret Access Key"), TRUE);
      pr->session_token = add_entry (pr, "session-token-entry", _("Session Token (Optional)"), TRUE);
      pr->key = add_entry (pr, "key-entry", _("Or a Bedrock API Key"), TRUE);
      pr->region = add_entry (pr, "region-entry", _("Region, e.g. us-east-1"), FALSE);
    }
  else if (g_str_equal (protocol, "vertex"))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *scroller = gtk_scrolled_window_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Credentials JSON"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("A service account key or the output of “gcloud auth application-default login”"));
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 96);
      gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), 240);
      gtk_widget_set_margin_top (scroller, 6);
      gtk_widget_set_margin_bottom (scroller, 6);
      gtk_widget_add_css_class (scroller, "card");
      pr->credentials = GTK_TEXT_VIEW (gtk_text_view_new ());
      gtk_widget_set_name (GTK_WIDGET (pr->credentials), "credentials-view");
      gtk_text_view_set_monospace (pr->credentials, TRUE);
      gtk_text_view_set_wrap_mode (pr->credentials, GTK_WRAP_CHAR);
      gtk_accessible_update_property (GTK_ACCESSIBLE (pr->credentials),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Credentials JSON"), -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (pr->credentials));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), scroller);
      adw_expander_row_add_row (pr->row, row);
      pr->project = add_entry (pr, "project-entry", _("Project ID"), FALSE);
      pr->location = add_entry (pr, "location-entry", _("Location, e.g. us-central1"), FALSE);
    }
  else
    {
      g_autofree char *title = NULL;

      if (provider->key_hint != NULL)
        /* Translators: %s describes the key, e.g. “starts with sk-” */
        title = g_strdup_printf (_("API Key (%s)"), provider->key_hint);
      pr->key = add_entry (pr, "key-entry", title != NULL ? title : _("API Key"), TRUE);
    }

  buttons_row = adw_action_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  pr->remove_button = add_button (box, "remove-button", _("_Remove Key"), "destructive-action");
  pr->check_button = add_button (box, "check-button", _("_Check Key"), NULL);
  save = add_button (box, "save-button", _("_Store Key"), "suggested-action");
  adw_action_row_add_suffix (ADW_ACTION_ROW (buttons_row), box);
  adw_expander_row_add_row (pr->row, buttons_row);

  g_signal_connect_object (save, "clicked", G_CALLBACK (on_save_clicked), pr->row, 0);
  g_signal_connect_object (pr->check_button, "clicked", G_CALLBACK (on_check_clicked), pr->row, 0);
  g_signal_connect_object (pr->remove_button, "clicked", G_CALLBACK (on_remove_clicked), pr->row, 0);

  adw_preferences_group_add (self->keys_group, GTK_WIDGET (pr->row));
  g_ptr_array_add (self->rows, pr->row);

  refresh_state (pr);
}

static void
jx_preferences_window_fill (JxPreferencesWindow *self)
{
  GPtrArray *providers = jx_catalog_get_providers (jx_context_get_catalog (self->context));

  for (guint i = 0; i < self->rows->len; i++)
    {
      ProviderRow *pr = g_object_get_data (g_ptr_array_index (self->rows, i), "jx-provider-row");

      pr->self = NULL;
      adw_preferences_group_remove (self->keys_group, g_ptr_array_index (self->rows, i));
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);

      if (jx_keys_provider_needs_key (provider))
        add_provider_row (self, provider);
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

static char *
slugify (const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);
  GString *slug = g_string_new (NULL);

  for (const char *p = lower; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, *p);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);

  return g_string_free (slug, FALSE);
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
      toast (self, _("The keyring is not available: the key was not stored"));
      keyring_unavailable (self, error);
      return;
    }
  jx_preferences_window_fill (self);
}

/* Adds or replaces the endpoint in $XDG_CONFIG_HOME/juxta/providers.json. The
 * key never goes into that file, only into the keyring. */
static void
on_custom_add_clicked (JxPreferencesWindow *self,
                       GtkButton           *button)
{
  /* Pasted values often carry stray spaces; a key with them would be sent as is. */
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_name_row))));
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_url_row))));
  const char *models_text = gtk_editable_get_text (GTK_EDITABLE (self->custom_models_row));
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_key_row))));
  g_autofree char *id = slugify (name);
  g_autoptr(JxCatalog) scratch = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "juxta", NULL);
  g_autofree char *path = g_build_filename (dir, "providers.json", NULL);
  g_autofree char *data = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = NULL;
  JsonObject *root_object;
  JsonArray *providers;
  JsonObject *provider;
  JsonArray *model_array;
  JxProvider *added;
  guint n_models = 0;

  models = g_strsplit (models_text, ",", -1);
  for (guint i = 0; models[i] != NULL; i++)
    if (*g_strstrip (models[i]) != '\0')
      n_models++;

  if (*id == '\0' || !(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")) ||
      n_models == 0)
    {
      toast (self, _("Enter a name, an http or https base URL and at least one model"));
      return;
    }

  if (g_file_get_contents (path, &data, NULL, NULL) && json_parser_load_from_data (parser, data, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_copy (json_parser_get_root (parser));
  else
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
    }
  root_object = json_node_get_object (root);
  if (!json_object_has_member (root_object, "providers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root_object, "providers")))
    json_object_set_array_member (root_object, "providers", json_array_new ());
  providers = json_object_get_array_member (root_object, "providers");

  for (guint i = json_array_get_length (providers); i > 0; i--)
    {
      JsonNode *node = json_array_get_element (providers, i - 1);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL), id) == 0)
        json_array_remove_element (providers, i - 1);
    }

  provider = json_object_new ();
  json_object_set_string_member (provider, "id", id);
  json_object_set_string_member (provider, "name", name);
  json_object_set_string_member (provider, "protocol", "openai");
  json_object_set_string_member (provider, "base_url", url);
  json_object_set_string_member (provider, "auth_kind", *key != '\0' ? "bearer" : "none");
  json_object_set_string_member (provider, "models_path", "models");
  model_array = json_array_new ();
  for (guint i = 0; models[i] != NULL; i++)
    {
      JsonObject *model;

      if (*models[i] == '\0')
        continue;
      model = json_object_new ();
      json_object_set_string_member (model, "id", models[i]);
      json_object_set_double_member (model, "input_per_mtok", gtk_spin_button_get_value (self->custom_input_price));
      json_object_set_double_member (model, "output_per_mtok", gtk_spin_button_get_value (self->custom_output_price));
      json_array_add_object_element (model_array, model);
    }
  json_object_set_array_member (provider, "models", model_array);
  json_array_add_object_element (providers, provider);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  g_clear_pointer (&data, g_free);
  data = json_generator_to_data (generator, NULL);

  /* Check the new file in a scratch catalog first: a bad entry must never reach the
   * user's providers file, or every later start would fall back to the built-ins. */
  scratch = jx_catalog_new_builtin (&error);
  if (scratch == NULL || !jx_catalog_load_data (scratch, data, -1, path, &error) ||
      g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error) ||
      !jx_context_reload (self->context, &error))
    {
      /* Translators: %s is an error message */
      g_autofree char *text = g_strdup_printf (_("Could not add the endpoint: %s"),
                                               error != NULL ? error->message : g_strerror (errno));
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
  for (guint i = 0; i < self->rows->len; i++)
    {
      ProviderRow *pr = g_object_get_data (g_ptr_array_index (self->rows, i), "jx-provider-row");

      if (pr != NULL)
        pr->self = NULL;
    }
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
  gtk_widget_class_bind_template_callback (widget_class, on_custom_add_clicked);
}

static void
jx_preferences_window_init (JxPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
