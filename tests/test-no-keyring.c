/* test-no-keyring.c: without a Secret Service, keys can't be stored and go nowhere else
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

#define NOKEYRING_KEY  "test-nokeyring-0a1b2c3d4e5f-juxta"
#define NO_SUCH_BUS    "org.example.NoSuchSecrets"

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

/* No Secret Service */

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
  prefs = jx_preferences_window_new (jx_application_get_context (app));
  gtk_window_present (GTK_WINDOW (prefs));

  /* The lookups fail and the window says why. */
  jx_test_wait_until (widget_visible, prefs_child (prefs, "keyring_group"), 20);
  g_assert_false (gtk_widget_is_sensitive (prefs_child (prefs, "keys_group")));
  g_assert_false (gtk_widget_is_sensitive (prefs_child (prefs, "custom_key_row")));

  row = jx_preferences_window_get_provider_row (prefs, "openai");
  g_assert_nonnull (row);
  entry = jx_test_find_widget (GTK_WIDGET (row), jx_test_widget_has_name, "key-entry");
  save = jx_test_find_widget (GTK_WIDGET (row), jx_test_widget_has_name, "save-button");
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
  jx_test_assert_no_file_holds (tmp_root, NOKEYRING_KEY);
  /* And it did not reach the real keyring of this session either. */
  stored = jx_test_keyring_lookup ("openai");
  g_assert_cmpstr (stored, !=, NOKEYRING_KEY);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Own XDG directories, set before GLib caches them; the subprocess gets its own below,
   * and the parent searches all of them for the key. */
  tmp_root = jx_test_isolate_xdg_dirs ("JX_NO_KEYRING_TMP");
  g_unsetenv ("LANGUAGE");
  /* No model-list fetches in the background. */
  g_setenv ("JUXTA_NO_MODEL_LISTS", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/gui/preferences/no-secret-service", test_no_secret_service);

  ret = g_test_run ();

  jx_test_destroy_all_windows ();
  if (!g_test_subprocess ())
    jx_test_rm_rf (tmp_root);
  g_free (tmp_root);

  return ret;
}
