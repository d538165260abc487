/* test-history-view.c: a round is kept, found and shown again after a restart
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-history-view.h"
#include "jx-pane-private.h"
#include "jx-window.h"

static char *history_file;

typedef struct
{
  char *key;
  char *text;
  char *tokens;
  char *cost;
  char *ttft;
} PaneSeen;

static void
pane_seen_clear (PaneSeen *seen)
{
  g_free (seen->key);
  g_free (seen->text);
  g_free (seen->tokens);
  g_free (seen->cost);
  g_free (seen->ttft);
}

static const char *
metric (GtkWidget  *metrics,
        const char *name)
{
  GObject *label = gtk_widget_get_template_child (metrics, JX_TYPE_PANE_METRICS, name);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static gpointer
child_of (GtkWidget  *widget,
          GType       type,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
window_idle (gpointer data)
{
  return !jx_window_is_running (data);
}

static gboolean
list_shows (gpointer data)
{
  GtkWidget *view = data;
  const char *want = g_object_get_data (G_OBJECT (view), "want");
  GtkStack *list_stack = child_of (view, JX_TYPE_HISTORY_VIEW, "list_stack");
  GtkListBox *list = child_of (view, JX_TYPE_HISTORY_VIEW, "rounds_list");
  const char *shown = gtk_stack_get_visible_child_name (list_stack);

  if (g_str_equal (want, "rounds"))
    return g_strcmp0 (shown, "rounds") == 0 && gtk_list_box_get_row_at_index (list, 0) != NULL;
  return g_strcmp0 (shown, "empty") == 0 && gtk_list_box_get_row_at_index (list, 0) == NULL;
}

static void
wait_for_list (GtkWidget  *view,
               const char *want)
{
  g_object_set_data_full (G_OBJECT (view), "want", g_strdup (want), g_free);
  jx_test_wait_until (list_shows, view, 20);
}

static gboolean
detail_shown (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (child_of (data, JX_TYPE_HISTORY_VIEW, "stack")),
                    "detail") == 0;
}

static gboolean
stack_settled (gpointer data)
{
  return !gtk_stack_get_transition_running (data);
}

static gboolean
is_metrics (GtkWidget     *widget,
            gconstpointer  data)
{
  return JX_IS_PANE_METRICS (widget);
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A word of at least six letters from @text, not in @prompt. */
static char *
pick_word (const char *text,
           const char *prompt)
{
  g_auto(GStrv) words = g_regex_split_simple ("[^A-Za-z]+", text, 0, 0);

  for (guint i = 0; words[i] != NULL; i++)
    if (strlen (words[i]) >= 6 && strstr (prompt, words[i]) == NULL)
      return g_strdup (words[i]);
  g_assert_not_reached ();
}

static JxWindow *
new_window (JxApplication *app)
{
  JxWindow *window = jx_application_new_window (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 720);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static JxApplication *
new_app (const char *id_suffix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strconcat (APP_ID, id_suffix, NULL);
  JxApplication *app = jx_application_new ();

  /* Only one object per application id can be exported on the bus. */
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

static void
test_round_after_restart (void)
{
  const char *keys[] = { "simulated:sim-fast", "simulated:sim-balanced", NULL };
  const char *prompt = "Why is the sky blue?";
  PaneSeen seen[2] = { { 0 } };
  g_autofree char *word = NULL;
  g_autofree char *list_shot = NULL;
  g_autofree char *detail_shot = NULL;
  JxApplication *app = new_app ("");
  JxWindow *window = new_window (app);
  GtkWidget *view;
  GtkListBox *list;
  GtkBox *cards;
  guint n_cards = 0;

  /* A round in the Compare view, as a user sends it. */
  {
    g_autoptr(GPtrArray) panes = NULL;

    jx_window_set_panes (window, keys);
    jx_window_set_prompt (window, "Be brief.", prompt);
    gtk_spin_button_set_value (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "max_tokens_spin"), 60);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
    jx_test_wait_until (window_idle, window, 30);

    panes = jx_window_get_panes (window);
    g_assert_cmpuint (panes->len, ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JxPane *pane = g_ptr_array_index (panes, i);
        GtkWidget *metrics = GTK_WIDGET (jx_pane_get_metrics (pane));

        seen[i].key = jx_pane_dup_key (pane);
        seen[i].text = g_strdup (jx_pane_get_text (pane));
        seen[i].tokens = g_strdup (metric (metrics, "tokens_value"));
        seen[i].cost = g_strdup (metric (metrics, "cost_value"));
        seen[i].ttft = g_strdup (metric (metrics, "ttft_value"));
        g_assert_cmpuint (strlen (seen[i].text), >, 20);
      }
    word = pick_word (seen[1].text, prompt);
  }

  /* Quit: close the window, let the application go, its history closes the file. */
  gtk_window_close (GTK_WINDOW (window));
  jx_test_destroy_all_windows ();
  {
    g_autoptr(GError) error = NULL;

    /* GtkApplication keeps itself alive in this process, so the next "start" is a second
     * application with a context and a store of its own, reading the same file. Everything
     * the first one queued is on disk first. */
    g_assert_true (jx_history_flush (jx_context_get_history (jx_application_get_context (app)), &error));
    g_assert_no_error (error);
    g_object_unref (app);
  }
  g_assert_true (g_file_test (history_file, G_FILE_TEST_IS_REGULAR));

  /* Start again on the same file. */
  app = new_app (".Restarted");
  window = new_window (app);
  adw_view_stack_set_visible_child_name (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "view_stack"),
                                         "history");
  view = adw_view_stack_get_child_by_name (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "view_stack"),
                                           "history");
  g_assert_true (JX_IS_HISTORY_VIEW (view));
  list = child_of (view, JX_TYPE_HISTORY_VIEW, "rounds_list");

  wait_for_list (view, "rounds");
  {
    AdwActionRow *row = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 0));

    g_assert_null (gtk_list_box_get_row_at_index (list, 1));
    g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), prompt));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "simulated/sim-fast"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "simulated/sim-balanced"));
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  list_shot = jx_test_save_screenshot (GTK_WIDGET (window), "history-list.png");

  /* Full-text search: a word nowhere finds nothing, a word of the second answer finds it. */
  gtk_editable_set_text (child_of (view, JX_TYPE_HISTORY_VIEW, "search_entry"), "zyxwvutsrq");
  wait_for_list (view, "empty");
  gtk_editable_set_text (child_of (view, JX_TYPE_HISTORY_VIEW, "search_entry"), word);
  wait_for_list (view, "rounds");
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));

  /* Filters: a provider the round did not use finds nothing; the right one finds it. */
  {
    GtkDropDown *outcome = child_of (view, JX_TYPE_HISTORY_VIEW, "outcome_dropdown");

    gtk_drop_down_set_selected (outcome, 2);  /* Some Failed */
    wait_for_list (view, "empty");
    gtk_drop_down_set_selected (outcome, 1);  /* All Succeeded */
    wait_for_list (view, "rounds");
  }

  /* Open it: the panes with their answers and figures. */
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  jx_test_wait_until (detail_shown, view, 20);
  cards = child_of (view, JX_TYPE_HISTORY_VIEW, "detail_panes");
  for (GtkWidget *card = gtk_widget_get_first_child (GTK_WIDGET (cards));
       card != NULL;
       card = gtk_widget_get_next_sibling (card), n_cards++)
    {
      GtkWidget *answer = jx_test_find_widget (card, jx_test_widget_has_name, "answer");
      GtkWidget *metrics = jx_test_find_widget (card, is_metrics, NULL);
      GtkWidget *status = jx_test_find_widget (card, jx_test_widget_has_name, "status");
      g_autofree char *shown = NULL;
      g_auto(GStrv) words = NULL;

      g_assert_cmpuint (n_cards, <, 2);
      g_assert_nonnull (answer);
      g_assert_nonnull (metrics);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Done");
      shown = buffer_text (GTK_TEXT_VIEW (answer));
      /* Rendered from Markdown: every word of the answer is there. */
      words = g_regex_split_simple ("[^A-Za-z]+", seen[n_cards].text, 0, 0);
      for (guint w = 0; words[w] != NULL; w++)
        if (words[w][0] != '\0')
          g_assert_nonnull (strstr (shown, words[w]));
      g_assert_cmpstr (metric (metrics, "tokens_value"), ==, seen[n_cards].tokens);
      g_assert_cmpstr (metric (metrics, "cost_value"), ==, seen[n_cards].cost);
      g_assert_cmpstr (metric (metrics, "ttft_value"), ==, seen[n_cards].ttft);
    }
  g_assert_cmpuint (n_cards, ==, 2);
  g_assert_nonnull (strstr (gtk_label_get_text (child_of (view, JX_TYPE_HISTORY_VIEW, "detail_prompt")), prompt));
  jx_test_wait_until (stack_settled, child_of (view, JX_TYPE_HISTORY_VIEW, "stack"), 10);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  detail_shot = jx_test_save_screenshot (GTK_WIDGET (window), "history-round.png");
  g_test_message ("Screenshots: %s %s", list_shot, detail_shot);

  /* Run Again: the Compare view gets the prompt and the panes, ready to send. */
  jx_window_set_panes (window, NULL);
  jx_window_set_prompt (window, NULL, NULL);
  g_signal_emit_by_name (child_of (view, JX_TYPE_HISTORY_VIEW, "run_again_button"), "clicked");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "view_stack")),
                   ==, "compare");
  {
    g_autoptr(GPtrArray) panes = jx_window_get_panes (window);
    g_autofree char *typed = jx_window_dup_prompt (window);

    g_assert_cmpuint (panes->len, ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *key = jx_pane_dup_key (g_ptr_array_index (panes, i));

        g_assert_cmpstr (key, ==, seen[i].key);
      }
    g_assert_cmpstr (typed, ==, prompt);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW,
                                                                 "max_tokens_spin")), ==, 60);
  }

  /* Delete it: the list is empty. */
  adw_view_stack_set_visible_child_name (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "view_stack"),
                                         "history");
  g_signal_emit_by_name (child_of (view, JX_TYPE_HISTORY_VIEW, "delete_button"), "clicked");
  gtk_editable_set_text (child_of (view, JX_TYPE_HISTORY_VIEW, "search_entry"), "");
  gtk_drop_down_set_selected (child_of (view, JX_TYPE_HISTORY_VIEW, "outcome_dropdown"), 0);
  wait_for_list (view, "empty");

  jx_test_destroy_all_windows ();
  g_object_unref (app);
  for (guint i = 0; i < 2; i++)
    pane_seen_clear (&seen[i]);
}

static gboolean
warning_shown (gpointer data)
{
  return gtk_revealer_get_reveal_child (child_of (data, JX_TYPE_HISTORY_VIEW, "warning_revealer"));
}

/* A damaged file is moved aside: the History page says so and the switcher marks it. */
static void
test_damaged_file (void)
{
  g_autofree char *dir = g_path_get_dirname (history_file);
  g_autofree char *damaged = g_build_filename (dir, "damaged", "history.db", NULL);
  g_autofree char *damaged_dir = g_path_get_dirname (damaged);
  g_autofree char *shot = NULL;
  JxApplication *app;
  JxWindow *window;
  AdwViewStack *stack;
  GtkWidget *view;
  const char *text;

  g_assert_cmpint (g_mkdir_with_parents (damaged_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (damaged, "not an SQLite database, bytes left by a bad disk\n", -1, NULL));
  g_setenv ("JUXTA_HISTORY_FILE", damaged, TRUE);

  app = new_app (".Damaged");
  window = new_window (app);
  stack = child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "view_stack");
  view = adw_view_stack_get_child_by_name (stack, "history");
  jx_test_wait_until (warning_shown, view, 20);

  text = gtk_label_get_text (child_of (view, JX_TYPE_HISTORY_VIEW, "warning_label"));
  g_assert_nonnull (strstr (text, "damaged"));
  g_assert_nonnull (strstr (text, "history.db.corrupt-"));
  g_assert_true (adw_view_stack_page_get_needs_attention (adw_view_stack_get_page (stack, view)));

  /* A fresh file was started: empty, and usable. */
  adw_view_stack_set_visible_child (stack, view);
  wait_for_list (view, "empty");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  shot = jx_test_save_screenshot (GTK_WIDGET (window), "history-damaged.png");
  g_test_message ("Screenshot: %s", shot);

  g_signal_emit_by_name (child_of (view, JX_TYPE_HISTORY_VIEW, "warning_close"), "clicked");
  g_assert_false (gtk_revealer_get_reveal_child (child_of (view, JX_TYPE_HISTORY_VIEW, "warning_revealer")));
  g_assert_false (adw_view_stack_page_get_needs_attention (adw_view_stack_get_page (stack, view)));

  jx_test_destroy_all_windows ();
  g_object_unref (app);
  g_setenv ("JUXTA_HISTORY_FILE", history_file, TRUE);
}

/* "Keep answer texts" off: a round keeps its figures, not its answers. */
static void
test_keep_texts_off (void)
{
  const char *keys[] = { "simulated:sim-fast", NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_path_get_dirname (history_file);
  g_autofree char *file = g_build_filename (dir, "private.db", NULL);
  g_autofree char *tokens = NULL;
  JxApplication *app;
  JxWindow *window;
  AdwViewStack *stack;
  GtkWidget *view;
  GtkWidget *card;
  GtkListBox *list;
  g_autofree char *shown = NULL;

  g_setenv ("JUXTA_HISTORY_FILE", file, TRUE);
  g_settings_set_boolean (settings, "history-keep-texts", FALSE);

  app = new_app (".Private");
  window = new_window (app);
  g_assert_false (jx_history_get_keep_texts (jx_context_get_history (jx_application_get_context (app))));
  jx_window_set_panes (window, keys);
  jx_window_set_prompt (window, NULL, "Say something private.");
  gtk_spin_button_set_value (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "max_tokens_spin"), 20);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  jx_test_wait_until (window_idle, window, 30);
  {
    g_autoptr(GPtrArray) panes = jx_window_get_panes (window);

    g_assert_cmpuint (strlen (jx_pane_get_text (g_ptr_array_index (panes, 0))), >, 0);
    tokens = g_strdup (metric (GTK_WIDGET (jx_pane_get_metrics (g_ptr_array_index (panes, 0))), "tokens_value"));
  }

  stack = child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "view_stack");
  view = adw_view_stack_get_child_by_name (stack, "history");
  adw_view_stack_set_visible_child (stack, view);
  wait_for_list (view, "rounds");
  list = child_of (view, JX_TYPE_HISTORY_VIEW, "rounds_list");
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  jx_test_wait_until (detail_shown, view, 20);

  card = gtk_widget_get_first_child (child_of (view, JX_TYPE_HISTORY_VIEW, "detail_panes"));
  g_assert_nonnull (card);
  shown = buffer_text (GTK_TEXT_VIEW (jx_test_find_widget (card, jx_test_widget_has_name, "answer")));
  g_assert_cmpstr (shown, ==, "The answer's text was not kept.");
  g_assert_cmpstr (metric (jx_test_find_widget (card, is_metrics, NULL), "tokens_value"), ==, tokens);

  jx_test_destroy_all_windows ();
  g_object_unref (app);
  g_settings_reset (settings, "history-keep-texts");
  g_setenv ("JUXTA_HISTORY_FILE", history_file, TRUE);
}

static gboolean
pane_has_text (gpointer data)
{
  return strlen (jx_pane_get_text (data)) > 40;
}

/* Closing the window mid-answer keeps what was received. */
static void
test_close_mid_round (void)
{
  const char *keys[] = { "simulated:sim-balanced", NULL };
  g_autofree char *partial = NULL;
  g_autofree char *shown = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GError) error = NULL;
  JxApplication *app = new_app (".Closed");
  JxWindow *window = new_window (app);
  AdwViewStack *stack;
  GtkListBox *list;
  GtkWidget *view;
  GtkWidget *card;

  jx_window_set_panes (window, keys);
  jx_window_set_prompt (window, NULL, "Tell me a long story.");
  gtk_spin_button_set_value (child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "max_tokens_spin"), 2000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  {
    g_autoptr(GPtrArray) panes = jx_window_get_panes (window);

    jx_test_wait_until (pane_has_text, g_ptr_array_index (panes, 0), 20);
    g_assert_true (jx_window_is_running (window));
    partial = g_strdup (jx_pane_get_text (g_ptr_array_index (panes, 0)));
  }
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (jx_history_flush (jx_context_get_history (jx_application_get_context (app)), &error));
  g_assert_no_error (error);
  jx_test_destroy_all_windows ();
  g_object_unref (app);

  app = new_app (".ClosedAgain");
  window = new_window (app);
  stack = child_of (GTK_WIDGET (window), JX_TYPE_WINDOW, "view_stack");
  view = adw_view_stack_get_child_by_name (stack, "history");
  adw_view_stack_set_visible_child (stack, view);
  list = child_of (view, JX_TYPE_HISTORY_VIEW, "rounds_list");
  /* Only this test's round: the search finds its prompt. */
  gtk_editable_set_text (child_of (view, JX_TYPE_HISTORY_VIEW, "search_entry"), "long story");
  wait_for_list (view, "rounds");
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  jx_test_wait_until (detail_shown, view, 20);

  card = gtk_widget_get_first_child (child_of (view, JX_TYPE_HISTORY_VIEW, "detail_panes"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (jx_test_find_widget (card, jx_test_widget_has_name, "status"))),
                   ==, "Stopped");
  shown = buffer_text (GTK_TEXT_VIEW (jx_test_find_widget (card, jx_test_widget_has_name, "answer")));
  words = g_regex_split_simple ("[^A-Za-z]+", partial, 0, 0);
  for (guint w = 0; words[w] != NULL; w++)
    if (words[w][0] != '\0')
      g_assert_nonnull (strstr (shown, words[w]));

  jx_test_destroy_all_windows ();
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = jx_test_isolate_xdg_dirs ("JX_TEST_HISTORY_VIEW_ROOT");
  int ret;

  history_file = g_build_filename (dir, "history.db", NULL);
  g_setenv ("JUXTA_HISTORY_FILE", history_file, TRUE);

  g_unsetenv ("LANGUAGE");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/juxta/gui/history-view/round-after-restart", test_round_after_restart);
  g_test_add_func ("/juxta/gui/history-view/close-mid-round", test_close_mid_round);
  g_test_add_func ("/juxta/gui/history-view/damaged-file", test_damaged_file);
  g_test_add_func ("/juxta/gui/history-view/keep-texts-off", test_keep_texts_off);

  ret = g_test_run ();

  jx_test_rm_rf (dir);
  g_free (history_file);
  return ret;
}
