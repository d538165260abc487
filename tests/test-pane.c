/* test-pane.c — a pane's observable state: provider-id, model, formatted, running
 *
 * Needs a display (run under Xvfb). The simulated provider answers offline.
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

/* How often each property was notified. */
typedef struct
{
  guint provider_id;
  guint model;
  guint formatted;
  guint running;
} Notified;

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 Notified   *notified)
{
  if (g_str_equal (pspec->name, "provider-id"))
    notified->provider_id++;
  else if (g_str_equal (pspec->name, "model"))
    notified->model++;
  else if (g_str_equal (pspec->name, "formatted"))
    notified->formatted++;
  else if (g_str_equal (pspec->name, "running"))
    notified->running++;
}

/* A pane on the built-in catalog, in a window of its own. */
typedef struct
{
  JxCatalog *catalog;
  GtkWidget *window;
  JxPane    *pane;
  Notified   notified;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->catalog = jx_catalog_new_builtin (&error);
  g_assert_no_error (error);
  f->pane = jx_pane_new (f->catalog, "simulated", "sim-fast");
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->pane));
  gtk_window_present (GTK_WINDOW (f->window));
  g_signal_connect (f->pane, "notify", G_CALLBACK (count_notify_cb), &f->notified);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->pane, &f->notified);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->catalog);
}

/* Picking another model notifies model (and provider-id when that changes too); refilling
 * the picker or picking what it doesn't list notifies nothing. */
static void
test_model (Fixture       *f,
            gconstpointer  data)
{
  JxProvider *openai = jx_catalog_lookup (f->catalog, "openai");
  const char *openai_model;
  g_autofree char *provider_id = NULL;
  g_autofree char *model = NULL;

  g_assert_nonnull (openai);
  g_assert_cmpuint (openai->models->len, >, 0);
  openai_model = ((JxModel *) g_ptr_array_index (openai->models, 0))->id;

  g_assert_true (jx_pane_select (f->pane, "simulated", "sim-large"));
  g_assert_cmpuint (f->notified.model, ==, 1);
  g_assert_cmpuint (f->notified.provider_id, ==, 0);
  g_object_get (f->pane, "provider-id", &provider_id, "model", &model, NULL);
  g_assert_cmpstr (provider_id, ==, "simulated");
  g_assert_cmpstr (model, ==, "sim-large");

  g_assert_true (jx_pane_select (f->pane, "openai", openai_model));
  g_assert_cmpuint (f->notified.model, ==, 2);
  g_assert_cmpuint (f->notified.provider_id, ==, 1);
  g_assert_cmpstr (jx_pane_get_provider_id (f->pane), ==, "openai");
  g_assert_cmpstr (jx_pane_get_model (f->pane), ==, openai_model);

  jx_pane_set_catalog (f->pane, f->catalog);
  g_assert_false (jx_pane_select (f->pane, "simulated", "no-such-model"));
  g_assert_cmpuint (f->notified.model, ==, 2);
  g_assert_cmpuint (f->notified.provider_id, ==, 1);
  g_assert_cmpstr (jx_pane_get_model (f->pane), ==, openai_model);
}

/* A model the catalog doesn't list (a fine-tune, a local model) is added to the picker. */
static void
test_unlisted_model (Fixture       *f,
                     gconstpointer  data)
{
  JxPane *pane = jx_pane_new (f->catalog, "openai", "ft:my-fine-tune");
  g_autofree char *title = NULL;

  g_object_ref_sink (pane);
  g_assert_cmpstr (jx_pane_get_model (pane), ==, "ft:my-fine-tune");
  g_assert_true (jx_pane_select (pane, "openai", "ft:my-fine-tune"));
  title = jx_pane_dup_title (pane);
  g_assert_cmpstr (title, ==, "ft:my-fine-tune · OpenAI");
  g_object_unref (pane);
}

static void
test_formatted (Fixture       *f,
                gconstpointer  data)
{
  gboolean formatted = FALSE;

  g_object_get (f->pane, "formatted", &formatted, NULL);
  g_assert_true (formatted);

  g_object_set (f->pane, "formatted", FALSE, NULL);
  g_object_get (f->pane, "formatted", &formatted, NULL);
  g_assert_false (formatted);
  g_assert_cmpuint (f->notified.formatted, ==, 1);

  /* No change, no notification. */
  jx_pane_set_formatted (f->pane, FALSE);
  g_assert_cmpuint (f->notified.formatted, ==, 1);

  jx_pane_set_formatted (f->pane, TRUE);
  g_assert_cmpuint (f->notified.formatted, ==, 2);
}

static void
finished_cb (JxPane   *pane,
             gboolean *finished)
{
  *finished = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* running is TRUE from the run to the end of the answer, notified at both ends. */
static void
test_running (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JxEngine) engine = jx_engine_new (f->catalog);
  gboolean finished = FALSE;
  gboolean running = FALSE;
  JxPrompt prompt;

  jx_prompt_init (&prompt);
  prompt.user = (char *) "Say hi";
  prompt.max_tokens = 64;

  g_signal_connect (f->pane, "finished", G_CALLBACK (finished_cb), &finished);
  jx_pane_run (f->pane, engine, &prompt, 1);
  g_object_get (f->pane, "running", &running, NULL);
  g_assert_true (running);
  g_assert_cmpuint (f->notified.running, ==, 1);

  jx_test_wait_until (is_true, &finished, 30);
  g_object_get (f->pane, "running", &running, NULL);
  g_assert_false (running);
  g_assert_false (jx_pane_is_running (f->pane));
  g_assert_cmpuint (f->notified.running, ==, 2);
  g_assert_cmpuint (strlen (jx_pane_get_text (f->pane)), >, 0);
  g_signal_handlers_disconnect_by_data (f->pane, &finished);
}

/* The window saves its panes when one of them gets another model (notify::model). */
static void
test_window_saves_model (void)
{
  g_autoptr(JxApplication) app = jx_application_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) panes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) saved = NULL;
  const char *keys[] = { "simulated:sim-fast", "simulated:sim-balanced", NULL };
  const char *expected[] = { "simulated:sim-fast", "simulated:sim-reasoning", NULL };
  JxWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = jx_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  jx_window_set_panes (window, keys);
  saved = g_settings_get_strv (settings, "panes");
  g_assert_cmpstrv (saved, keys);
  g_clear_pointer (&saved, g_strfreev);

  panes = jx_window_get_panes (window);
  g_assert_cmpuint (panes->len, ==, 2);
  g_assert_true (jx_pane_select (g_ptr_array_index (panes, 1), "simulated", "sim-reasoning"));
  saved = g_settings_get_strv (settings, "panes");
  g_assert_cmpstrv (saved, expected);

  jx_test_destroy_all_windows ();
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("LANGUAGE");
  /* No model-list fetches in the background. */
  g_setenv ("JUXTA_NO_MODEL_LISTS", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define add_test(name, func) \
  g_test_add ("/juxta/gui/pane/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  add_test ("model", test_model);
  add_test ("unlisted-model", test_unlisted_model);
  add_test ("formatted", test_formatted);
  add_test ("running", test_running);
#undef add_test
  g_test_add_func ("/juxta/gui/pane/window-saves-model", test_window_saves_model);

  return g_test_run ();
}
