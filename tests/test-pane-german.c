/* test-pane-german.c — a failed pane tells the failure in the user's language
 *
 * Needs a display (run under Xvfb). With LANGUAGE=de, a pane whose provider refuses the
 * connection shows the whole status line in German: the pane's own "Fehlgeschlagen: " and the
 * engine's message (JX_REQUEST_ERROR_NETWORK), not an English sentence inside a German frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "jx-fake-server.h"
#include "jx-pane-private.h"
#include "jx-pane.h"
#include "jx-test-ui.h"
#include "jx-test-util.h"

/* A keyless OpenAI-compatible endpoint, so the pane needs no key to try. */
#define LOCAL_JSON \
  "{\"providers\":[{\"id\":\"local-llm\",\"name\":\"Local LLM\",\"protocol\":\"openai\"," \
  "\"base_url\":\"@URL@/v1\",\"auth_kind\":\"none\"," \
  "\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":2}]}]}"

static gboolean
pane_finished (gpointer data)
{
  return !jx_pane_is_running (JX_PANE (data));
}

static void
test_refused_in_german (void)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autofree char *url = g_strdup (jx_fake_server_get_url (server));
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  JxPrompt prompt;
  GtkWidget *window;
  JxPane *pane;
  const char *status;

  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Nothing listens on the port once the server is gone. */
  g_clear_pointer (&server, jx_fake_server_free);
  catalog = jx_test_catalog (url, LOCAL_JSON);
  engine = jx_engine_new (catalog);

  pane = jx_pane_new (catalog, "local-llm", "m");
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (pane));
  gtk_window_present (GTK_WINDOW (window));

  jx_prompt_init (&prompt);
  prompt.user = g_strdup ("Sag etwas.");
  jx_pane_run (pane, engine, &prompt, 1);
  jx_test_wait_until (pane_finished, pane, 30);
  jx_prompt_clear (&prompt);

  status = jx_pane_get_status_text (pane);
  g_test_message ("status: %s", status);
  g_assert_nonnull (jx_pane_get_response (pane));
  g_assert_error (jx_pane_get_response (pane)->error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (status, "Fehlgeschlagen: "));
  g_assert_nonnull (strstr (status, "Keine Verbindung zu Local LLM unter 127.0.0.1 möglich"));
  g_assert_null (strstr (status, "could not connect"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("JUXTA_NO_MODEL_LISTS", "1", TRUE);
  /* glibc ignores LANGUAGE in the plain "C" locale; build-aux/test makes en_US.UTF-8. */
  g_setenv ("LC_ALL", "en_US.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juxta/gui/pane/refused-in-german", test_refused_in_german);

  return g_test_run ();
}
