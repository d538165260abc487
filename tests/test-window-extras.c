/* test-window-extras.c: custom endpoints from Preferences, `--pane`, and no Secret Service
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-fake-server.h"
#include "jx-pane.h"
#include "jx-preferences-window.h"
#include "jx-window.h"

#define CUSTOM_NAME    "Extras Local LLM"
#define CUSTOM_ID      "extras-local-llm"
#define CUSTOM_KEY     "test-extras-7f3c9a1e5b2d4c6f8a0b-juxta"
#define NOKEYRING_KEY  "test-nokeyring-0a1b2c3d4e5f-juxta"
#define NO_SUCH_BUS    "org.example.NoSuchSecrets"

static JxFakeServer *server;
static char *tmp_root;

/* Helpers */

static GtkWidget *
find_widget (GtkWidget *widget,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_name (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

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
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (pane), JX_TYPE_PANE, name);

  g_assert_nonnull (child);
  return gtk_label_get_text (GTK_LABEL (child));
}

/* Every file below dir (recursively) whose contents hold needle, or a directory named
 * "keyrings" (libsecret's file backend), is appended to found. */
static void
collect_suspects (const char *dir,
                  const char *needle,
                  GPtrArray  *found)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (g_str_equal (name, "keyrings"))
            g_ptr_array_add (found, g_strdup (path));
          collect_suspects (path, needle, found);
        }
      else if (g_file_get_contents (path, &contents, &len, NULL) &&
               g_strstr_len (contents, len, needle) != NULL)
        g_ptr_array_add (found, g_strdup (path));
    }
}

static void
assert_no_file_holds (const char *dir,
                      const char *needle)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  collect_suspects (dir, needle, found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("Found: %s", (char *) g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR) &&
      (d = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        rm_rf (child);
      }
  g_remove (path);
}

/* What `secret-tool lookup provider ID` prints, stripped; NULL when it finds nothing. */
static char *
keyring_lookup (const char *provider_id)
{
  g_autofree char *command = g_strdup_printf ("secret-tool lookup provider %s", provider_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL) || out == NULL || *g_strstrip (out) == '\0')
    return NULL;
  return g_steal_pointer (&out);
}

static void
keyring_clear (const char *provider_id)
{
  g_autofree char *command = g_strdup_printf ("secret-tool clear provider %s", provider_id);

  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
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

/* 1. A custom OpenAI-compatible endpoint added in Preferences */

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

static void
test_custom_endpoint (void)
{
  g_autoptr(JxApplication) app = new_registered_app ();
  g_autofree char *base_url = g_strdup_printf ("%s/extras/v1", jx_fake_server_get_url (server));
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "juxta", "providers.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *auth = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) panes = NULL;
  g_autoptr(GError) error = NULL;
  const char *keys[] = { CUSTOM_ID ":extras-large", NULL };
  JxPreferencesWindow *prefs;
  JsonObject *entry;
  JsonArray *models;
  JxProvider *provider;
  JxModel *model;
  JxResponse *response;
  JxWindow *window;
  JxPane *pane;
  GtkWidget *add;
  RowWait wait;

  keyring_clear (CUSTOM_ID);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (jx_catalog_lookup (jx_application_get_catalog (app), CUSTOM_ID));

  prefs = jx_preferences_window_new (app);
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));

  add = find_widget (GTK_WIDGET (prefs), is_button_labelled, "_Add Endpoint");
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

  /* providers.json holds the endpoint, not the key. */
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
  assert_no_file_holds (g_get_user_config_dir (), CUSTOM_KEY);
  assert_no_file_holds (g_get_user_data_dir (), CUSTOM_KEY);

  /* The key is in gnome-keyring under the endpoint's id. */
  stored = keyring_lookup (CUSTOM_ID);
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

  gtk_window_destroy (GTK_WINDOW (prefs));

  /* A pane for it streams from the fake server with the stored key. */
  window = jx_window_new (app);
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
  jx_test_destroy_all_windows ();
  keyring_clear (CUSTOM_ID);
}

/* 2. `juxta --pane PROVIDER:MODEL …` */

typedef struct
{
  char  **keys;       /* the panes of the first window, as "provider:model" */
  guint   n_windows;
} RunResult;

static gboolean
inspect_and_quit (gpointer data)
{
  GApplication *app = g_application_get_default ();
  RunResult *result = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  result->n_windows = g_list_length (windows);
  if (windows != NULL && JX_IS_WINDOW (windows->data))
    {
      g_autoptr(GPtrArray) panes = jx_window_get_panes (windows->data);

      for (guint i = 0; i < panes->len; i++)
        {
          g_autofree char *key = jx_pane_dup_key (g_ptr_array_index (panes, i));

          g_strv_builder_add (builder, key);
        }
    }
  result->keys = g_strv_builder_end (builder);

  jx_test_destroy_all_windows ();
  g_application_quit (app);

  return G_SOURCE_REMOVE;
}

static void
on_activate_after (GApplication *app,
                   RunResult    *result)
{
  g_idle_add (inspect_and_quit, result);
}

/* Runs a fresh application with argv as `juxta` would, and reports what the window showed. */
static int
run_app (const char * const *argv,
         RunResult          *result)
{
  g_autoptr(JxApplication) app = jx_application_new ();
  g_auto(GStrv) args = g_strdupv ((char **) argv);
  int status;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_after), result);
  status = g_application_run (G_APPLICATION (app), g_strv_length (args), args);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return status;
}

static void
pane_option_child (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *saved[] = { "simulated:sim-reasoning", "simulated:sim-balanced", NULL };
  const char *with_panes[] = { "juxta", "--pane", "simulated:sim-fast", "-p", "simulated:sim-large", NULL };
  const char *without[] = { "juxta", NULL };
  const char *bad[] = { "juxta", "--pane", "simulated:sim-fast", "--pane", "simulated", NULL };
  RunResult result = { 0 };

  g_assert_true (g_settings_set_strv (settings, "panes", saved));

  /* Without --pane the saved panes come back: the case below is not vacuous. */
  g_assert_cmpint (run_app (without, &result), ==, 0);
  g_assert_cmpuint (result.n_windows, ==, 1);
  g_assert_cmpstrv (result.keys, saved);
  g_clear_pointer (&result.keys, g_strfreev);

  /* With --pane: exactly those panes, in order, and none of the saved ones. */
  g_assert_true (g_settings_set_strv (settings, "panes", saved));
  memset (&result, 0, sizeof result);
  g_assert_cmpint (run_app (with_panes, &result), ==, 0);
  g_assert_cmpuint (result.n_windows, ==, 1);
  g_assert_nonnull (result.keys);
  g_assert_cmpuint (g_strv_length (result.keys), ==, 2);
  g_assert_cmpstr (result.keys[0], ==, "simulated:sim-fast");
  g_assert_cmpstr (result.keys[1], ==, "simulated:sim-large");
  g_clear_pointer (&result.keys, g_strfreev);

  /* A pane without a model is refused before any window opens. */
  memset (&result, 0, sizeof result);
  g_assert_cmpint (run_app (bad, &result), ==, 1);
  g_assert_null (result.keys);
  g_assert_cmpuint (result.n_windows, ==, 0);
}

/* In a process of its own: an application registered by g_application_register() (as the
 * other tests do) stays exported on the bus for good, and a second one could not register. */
static void
test_pane_option (void)
{
  if (g_test_subprocess ())
    {
      pane_option_child ();
      return;
    }

  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, 0);
  /* First, so that a failing child's stderr is shown. */
  g_test_trap_assert_stderr ("*“simulated” is not of the form PROVIDER:MODEL*");
  g_test_trap_assert_passed ();
}

/* 3. No Secret Service */

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
row_subtitle_is (gpointer data)
{
  AdwExpanderRow *row = data;

  return g_str_has_prefix (adw_expander_row_get_subtitle (row), "Keyring unavailable: the key was not stored");
}

static void
no_keyring_child (void)
{
  g_autoptr(JxApplication) app = NULL;
  JxPreferencesWindow *prefs;
  AdwExpanderRow *row;
  GtkWidget *entry;
  GtkWidget *save;

  /* Set before anything in this process touches libsecret (main() does not). */
  g_setenv ("SECRET_SERVICE_BUS_NAME", NO_SUCH_BUS, TRUE);
  g_unsetenv ("SECRET_BACKEND");
  g_unsetenv ("OPENAI_API_KEY");

  app = new_registered_app ();
  prefs = jx_preferences_window_new (app);
  gtk_window_present (GTK_WINDOW (prefs));

  /* The lookups fail and the window says why. */
  jx_test_wait_until (widget_visible, prefs_child (prefs, "keyring_group"), 20);
  g_assert_false (gtk_widget_is_sensitive (prefs_child (prefs, "keys_group")));
  g_assert_false (gtk_widget_is_sensitive (prefs_child (prefs, "custom_key_row")));

  row = jx_preferences_window_get_provider_row (prefs, "openai");
  g_assert_nonnull (row);
  entry = find_widget (GTK_WIDGET (row), has_name, "key-entry");
  save = find_widget (GTK_WIDGET (row), has_name, "save-button");
  g_assert_nonnull (entry);
  g_assert_nonnull (save);
  /* A user can neither type a key nor press Store. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (row)));
  g_assert_false (gtk_widget_is_sensitive (entry));
  g_assert_false (gtk_widget_is_sensitive (save));

  /* Even forced (a key typed just before the lookup failed), it goes nowhere but the
   * Secret Service, which refuses: no file fallback. */
  gtk_editable_set_text (GTK_EDITABLE (entry), NOKEYRING_KEY);
  g_signal_emit_by_name (save, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  jx_test_wait_until (row_subtitle_is, row, 20);
  g_assert_true (gtk_widget_get_visible (prefs_child (prefs, "keyring_group")));

  gtk_window_destroy (GTK_WINDOW (prefs));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_no_secret_service (void)
{
  g_autofree char *stored = NULL;

  if (g_test_subprocess ())
    {
      no_keyring_child ();
      return;
    }

  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  /* Nothing of the key in any XDG directory of the child (or of this process), and no
   * file keyring (libsecret's file backend writes $XDG_DATA_HOME/keyrings). */
  assert_no_file_holds (tmp_root, NOKEYRING_KEY);
  /* And it did not reach the real keyring of this session either. */
  stored = keyring_lookup ("openai");
  g_assert_cmpstr (stored, !=, NOKEYRING_KEY);
}

static void
set_xdg_dirs (const char *root)
{
  static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (root, vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Own XDG directories, set before GLib caches them: providers.json written here must not
   * leak into the other UI tests. A subprocess gets the parent's root and its own subdir. */
  if (g_getenv ("JX_EXTRAS_TMP") == NULL)
    {
      tmp_root = g_dir_make_tmp ("juxta-extras-XXXXXX", NULL);
      g_assert_nonnull (tmp_root);
      g_setenv ("JX_EXTRAS_TMP", tmp_root, TRUE);
      set_xdg_dirs (tmp_root);
    }
  else
    {
      g_autofree char *sub = NULL;

      /* A child of g_test_trap_subprocess(): directories of its own below the same root. */
      tmp_root = g_strdup (g_getenv ("JX_EXTRAS_TMP"));
      sub = g_strdup_printf ("%s/child-%d", tmp_root, (int) getpid ());
      set_xdg_dirs (sub);
    }

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

  g_test_add_func ("/Jx/WindowExtras/custom-endpoint", test_custom_endpoint);
  g_test_add_func ("/Jx/WindowExtras/pane-option", test_pane_option);
  g_test_add_func ("/Jx/WindowExtras/no-secret-service", test_no_secret_service);

  ret = g_test_run ();

  jx_test_destroy_all_windows ();
  jx_fake_server_free (server);
  if (!g_test_subprocess ())
    rm_rf (tmp_root);
  g_free (tmp_root);

  return ret;
}
