/* test-preferences.c: storing a key through the preferences window
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-preferences-window.h"

#define SECRET "test-secret-0123456789abcdef-juxta"

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
file_contains (const char *dir,
               const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (file_contains (path, needle))
            return TRUE;
        }
      else if (g_file_get_contents (path, &contents, &len, NULL) &&
               g_strstr_len (contents, len, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_store_key (void)
{
  g_autoptr(JxApplication) app = jx_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JxPreferencesWindow *prefs;
  AdwExpanderRow *row;
  GtkWidget *entry;
  GtkWidget *save;
  gint64 deadline;
  int status = 0;
  const char *argv[] = { "secret-tool", "lookup", "provider", "openai", NULL };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_unsetenv ("OPENAI_API_KEY");

  prefs = jx_preferences_window_new (jx_application_get_context (app));
  gtk_window_present (GTK_WINDOW (prefs));
  row = jx_preferences_window_get_provider_row (prefs, "openai");
  g_assert_nonnull (row);
  g_assert_nonnull (jx_preferences_window_get_provider_row (prefs, "azure-openai"));
  g_assert_null (jx_preferences_window_get_provider_row (prefs, "simulated"));

  /* Rows are built from each adapter's credential fields. */
  {
    static const char * const bedrock_entries[] = {
      "access-key-id-entry", "secret-access-key-entry", "session-token-entry", "key-entry", "region-entry",
    };
    GtkWidget *bedrock = GTK_WIDGET (jx_preferences_window_get_provider_row (prefs, "bedrock"));
    GtkWidget *vertex = GTK_WIDGET (jx_preferences_window_get_provider_row (prefs, "vertex"));
    GtkWidget *azure = GTK_WIDGET (jx_preferences_window_get_provider_row (prefs, "azure-openai"));

    for (guint i = 0; i < G_N_ELEMENTS (bedrock_entries); i++)
      g_assert_nonnull (find_named (bedrock, bedrock_entries[i]));
    g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (find_named (bedrock, "secret-access-key-entry")));
    g_assert_false (ADW_IS_PASSWORD_ENTRY_ROW (find_named (bedrock, "access-key-id-entry")));
    g_assert_true (GTK_IS_TEXT_VIEW (find_named (vertex, "credentials-view")));
    g_assert_nonnull (find_named (vertex, "project-entry"));
    g_assert_nonnull (find_named (vertex, "location-entry"));
    g_assert_nonnull (find_named (azure, "endpoint-entry"));
    g_assert_nonnull (find_named (azure, "key-entry"));
    g_assert_null (find_named (GTK_WIDGET (row), "endpoint-entry"));
  }

  entry = find_named (GTK_WIDGET (row), "key-entry");
  save = find_named (GTK_WIDGET (row), "save-button");
  g_assert_nonnull (entry);
  g_assert_nonnull (save);
  gtk_editable_set_text (GTK_EDITABLE (entry), SECRET);
  g_signal_emit_by_name (save, "clicked");
  /* The key is never shown again. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  /* Stored, then checked (rejected here: there is no network) or keyring trouble. */
  while (!g_str_has_prefix (adw_expander_row_get_subtitle (row), "Key") &&
         !g_str_has_prefix (adw_expander_row_get_subtitle (row), "Keyring"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("State: %s", adw_expander_row_get_subtitle (row));
  g_assert_false (g_str_has_prefix (adw_expander_row_get_subtitle (row), "Keyring unavailable"));

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (out), ==, SECRET);

  g_assert_false (file_contains (g_get_user_config_dir (), SECRET));
  g_assert_false (file_contains (g_get_user_data_dir (), SECRET));

  adw_expander_row_set_expanded (row, TRUE);
  g_free (jx_test_save_screenshot (GTK_WIDGET (prefs), "preferences.png"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/juxta/gui/preferences/store-key", test_store_key);
  return g_test_run ();
}
