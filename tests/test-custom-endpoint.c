/* test-custom-endpoint.c: an OpenAI-compatible endpoint added in Preferences, then used
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-fake-server.h"
#include "jx-pane-private.h"
#include "jx-preferences-window.h"
#include "jx-window.h"

#define CUSTOM_NAME    "Extras Local LLM"
#define CUSTOM_ID      "extras-local-llm"
#define CUSTOM_KEY     "test-extras-7f3c9a1e5b2d4c6f8a0b-juxta"

static JxFakeServer *server;
static char *tmp_root;

/* Helpers */

static gpointer
prefs_child (JxPreferencesWindow *prefs,
             const char          *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (prefs), JX_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static const char *
pane_label (JxPane     *pane,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (jx_pane_get_metrics (pane)),
                                                  JX_TYPE_PANE_METRICS, name);

  g_assert_nonnull (child);
  return gtk_label_get_text (GTK_LABEL (child));
}

static JxApplication *
new_registered_app (void)
{
  JxApplication *app = jx_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

/* Types text into a spin button and presses Enter, as a user would. */
static void
type_into_spin (GtkSpinButton *spin,
                const char    *text)
{
  GtkWidget *entry;

  for (entry = gtk_widget_get_first_child (GTK_WIDGET (spin)); entry != NULL;
       entry = gtk_widget_get_next_sibling (entry))
    if (GTK_IS_TEXT (entry))
      break;
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  /* What Enter does (GtkText has no activate_signal for gtk_widget_activate()). */
  g_signal_emit_by_name (entry, "activate");
}

/* An OpenAI-compatible endpoint added in Preferences */

typedef struct
{
  JxPreferencesWindow *prefs;
  const char          *provider_id;
} RowWait;

static gboolean
row_has_stored_key (gpointer data)
{
  RowWait *w = data;
  AdwExpanderRow *row = jx_preferences_window_get_provider_row (w->prefs, w->provider_id);

  return row != NULL && g_strcmp0 (adw_expander_row_get_subtitle (row), "Key stored in the keyring") == 0;
}

static gboolean
window_idle (gpointer data)
{
  return !jx_window_is_running (data);
}

/* Fills the "Add Endpoint" form (after one refused attempt) and adds the endpoint. */
static void
add_endpoint (JxApplication       *app,
              JxPreferencesWindow *prefs,
              const char          *base_url,
              const char          *path)
{
  GtkWidget *add = jx_test_find_widget (GTK_WIDGET (prefs), jx_test_is_button_labelled, "_Add Endpoint");
  RowWait wait;

  g_assert_nonnull (add);

  /* A URL without a host is refused before anything is written. */
  gtk_editable_set_text (prefs_child (prefs, "custom_name_row"), CUSTOM_NAME);
  gtk_editable_set_text (prefs_child (prefs, "custom_url_row"), "http://");
  gtk_editable_set_text (prefs_child (prefs, "custom_models_row"), "extras-small");
  g_signal_emit_by_name (add, "clicked");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (jx_catalog_lookup (jx_application_get_catalog (app), CUSTOM_ID));

  gtk_editable_set_text (prefs_child (prefs, "custom_name_row"), CUSTOM_NAME);
  gtk_editable_set_text (prefs_child (prefs, "custom_url_row"), base_url);
  gtk_editable_set_text (prefs_child (prefs, "custom_models_row"), "extras-small, extras-large");
  type_into_spin (prefs_child (prefs, "custom_input_price"), "1.5");
  type_into_spin (prefs_child (prefs, "custom_output_price"), "4");
  g_assert_cmpfloat (gtk_spin_button_get_value (prefs_child (prefs, "custom_input_price")), ==, 1.5);
  g_assert_cmpfloat (gtk_spin_button_get_value (prefs_child (prefs, "custom_output_price")), ==, 4.0);
  /* Pasted with stray spaces: stored and sent without them. */
  gtk_editable_set_text (prefs_child (prefs, "custom_key_row"), "  " CUSTOM_KEY " ");

  g_assert_true (gtk_widget_is_sensitive (add));
  g_signal_emit_by_name (add, "clicked");
  /* The key is never shown again. */
  g_assert_cmpstr (gtk_editable_get_text (prefs_child (prefs, "custom_key_row")), ==, "");

  /* The endpoint gets a key row once the key is in the keyring. */
  wait.prefs = prefs;
  wait.provider_id = CUSTOM_ID;
  jx_test_wait_until (row_has_stored_key, &wait, 20);
}

/* providers.json holds the endpoint, not the key. */
static void
assert_providers_file (const char *path,
                       const char *base_url)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *entry;
  JsonArray *models;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s:\n%s", path, contents);
  g_assert_null (strstr (contents, CUSTOM_KEY));
  g_assert_null (strstr (contents, "test-extras"));
  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                      "providers"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, CUSTOM_ID);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, CUSTOM_NAME);
  g_assert_cmpstr (json_object_get_string_member (entry, "protocol"), ==, "openai");
  g_assert_cmpstr (json_object_get_string_member (entry, "base_url"), ==, base_url);
  g_assert_cmpstr (json_object_get_string_member (entry, "auth_kind"), ==, "bearer");
  models = json_object_get_array_member (entry, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (models, 0), "id"), ==, "extras-small");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (models, 1), "id"), ==, "extras-large");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (models, 1), "input_per_mtok"), ==, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (models, 1), "output_per_mtok"), ==, 4.0);
  jx_test_assert_no_file_holds (g_get_user_config_dir (), CUSTOM_KEY);
  jx_test_assert_no_file_holds (g_get_user_data_dir (), CUSTOM_KEY);
}

/* The key is in the keyring and the running application knows the endpoint. */
static void
assert_endpoint_known (JxApplication *app,
                       const char    *base_url)
{
  g_autofree char *stored = NULL;
  JxProvider *provider;
  JxModel *model;

  /* The key is in gnome-keyring under the endpoint's id. */
  stored = jx_test_keyring_lookup (CUSTOM_ID);
  g_assert_cmpstr (stored, ==, CUSTOM_KEY);

  /* The running application knows the endpoint. */
  provider = jx_catalog_lookup (jx_application_get_catalog (app), CUSTOM_ID);
  g_assert_nonnull (provider);
  g_assert_cmpstr (provider->name, ==, CUSTOM_NAME);
  g_assert_cmpstr (provider->base_url, ==, base_url);
  g_assert_cmpstr (jx_auth_kind_to_string (provider->auth_kind), ==, "bearer");
  g_assert_cmpuint (provider->models->len, ==, 2);
  model = jx_provider_find_model (provider, "extras-large");
  g_assert_nonnull (model);
  g_assert_cmpfloat (model->price.input_per_mtok, ==, 1.5);
  g_assert_cmpfloat (model->price.output_per_mtok, ==, 4.0);
}

/* A pane for it streams from the fake server with the stored key. */
static void
assert_pane_uses_endpoint (JxApplication *app)
{
  g_autoptr(GPtrArray) panes = NULL;
  g_autofree char *auth = NULL;
  const char *keys[] = { CUSTOM_ID ":extras-large", NULL };
  JxResponse *response;
  JxWindow *window;
  JxPane *pane;

  window = jx_application_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  jx_window_set_panes (window, keys);
  panes = jx_window_get_panes (window);
  g_assert_cmpuint (panes->len, ==, 1);
  pane = g_ptr_array_index (panes, 0);
  g_assert_cmpstr (jx_pane_get_provider_id (pane), ==, CUSTOM_ID);
  g_assert_cmpstr (jx_pane_get_model (pane), ==, "extras-large");

  jx_window_set_prompt (window, "Be brief.", "Say hi");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  jx_test_wait_until (window_idle, window, 30);

  g_test_message ("Status: %s", jx_pane_get_status_text (pane));
  g_assert_cmpstr (jx_pane_get_status_text (pane), ==, "Done");
  g_assert_cmpstr (jx_pane_get_text (pane), ==, "Hi there!");
  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/extras/v1/chat/completions"), ==, 1);
  auth = jx_fake_server_get_last_header (server, "/extras/v1/chat/completions", "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer " CUSTOM_KEY);

  /* 10 input tokens × $1.50 + 5 output tokens × $4.00 per million. */
  response = jx_pane_get_response (pane);
  g_assert_nonnull (response);
  g_assert_cmpint (response->usage.input_tokens, ==, 10);
  g_assert_cmpint (response->usage.output_tokens, ==, 5);
  g_assert_cmpfloat_with_epsilon (response->cost_usd, 35e-6, 1e-12);
  g_assert_cmpstr (pane_label (pane, "cost_value"), ==, "$0.000035");

  jx_window_set_panes (window, NULL);
}

static void
test_add_and_use (void)
{
  g_autoptr(JxApplication) app = new_registered_app ();
  g_autofree char *base_url = g_strdup_printf ("%s/extras/v1", jx_fake_server_get_url (server));
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "juxta", "providers.json", NULL);
  JxPreferencesWindow *prefs;

  jx_test_keyring_clear (CUSTOM_ID);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (jx_catalog_lookup (jx_application_get_catalog (app), CUSTOM_ID));

  prefs = jx_preferences_window_new (jx_application_get_context (app));
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));

  add_endpoint (app, prefs, base_url, path);
  assert_providers_file (path, base_url);
  assert_endpoint_known (app, base_url);
  gtk_window_destroy (GTK_WINDOW (prefs));

  assert_pane_uses_endpoint (app);
  jx_test_destroy_all_windows ();
  jx_test_keyring_clear (CUSTOM_ID);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Own XDG directories: the providers.json written here must not leak into other tests. */
  tmp_root = jx_test_isolate_xdg_dirs ("JX_CUSTOM_ENDPOINT_TMP");
  g_unsetenv ("LANGUAGE");
  /* No model-list fetches in the background: only the requests a test makes. */
  g_setenv ("JUXTA_NO_MODEL_LISTS", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  server = jx_fake_server_new ();
  {
    JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");

    jx_fake_response_add_file (r, 0, 5, "openai-basic.sse");
    jx_fake_server_add (server, "POST", "/extras/v1/chat/completions", r);
  }

  g_test_add_func ("/juxta/gui/custom-endpoint/add-and-use", test_add_and_use);

  ret = g_test_run ();

  jx_test_destroy_all_windows ();
  jx_fake_server_free (server);
  jx_test_rm_rf (tmp_root);
  g_free (tmp_root);

  return ret;
}
