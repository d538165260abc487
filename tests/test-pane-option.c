/* test-pane-option.c: `juxta --pane PROVIDER:MODEL …` opens exactly those panes
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-pane.h"
#include "jx-window.h"

static char *tmp_root;

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

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Own XDG directories, set before GLib caches them; a subprocess gets its own below. */
  tmp_root = jx_test_isolate_xdg_dirs ("JX_PANE_OPTION_TMP");
  g_unsetenv ("LANGUAGE");
  /* No model-list fetches in the background. */
  g_setenv ("JUXTA_NO_MODEL_LISTS", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/gui/application/pane-option", test_pane_option);

  ret = g_test_run ();

  jx_test_destroy_all_windows ();
  if (!g_test_subprocess ())
    jx_test_rm_rf (tmp_root);
  g_free (tmp_root);

  return ret;
}
