/* jx-window.c
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
#include <json-glib/json-glib.h>
#include <math.h>

#include "jx-history-recorder.h"
#include "jx-history-view.h"
#include "jx-models.h"
#include "jx-planner-view.h"
#include "jx-price-view.h"
#include "jx-round.h"
#include "jx-summary-table.h"
#include "jx-window.h"

#define DEMO_PROMPT N_("Explain in three short paragraphs why the sky is blue.")

struct _JxWindow
{
  AdwApplicationWindow  parent_instance;

  JxContext            *context;
  GSettings            *settings;
  guint                 round;
  gboolean              restoring;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkMenuButton        *primary_menu_button;
  AdwViewStack         *view_stack;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  GtkBox               *extra_actions;
  GtkBox               *panes_box;
  GtkRevealer          *summary_revealer;
  JxSummaryTable       *summary_grid;
  GtkTextView          *system_view;
  GtkTextView          *prompt_view;
  GtkSpinButton        *temperature_spin;
  GtkSpinButton        *max_tokens_spin;
  GtkButton            *demo_button;
  GtkButton            *add_key_button;

  GtkWidget            *planner;
  GtkButton            *ollama_button;
  GStrv                 ollama_models;   /* installed models of a local Ollama, if one answered */
  GCancellable         *cancellable;
  JxHistoryRecorder    *recorder;        /* the round being stored, since the last Send */
};

G_DEFINE_FINAL_TYPE (JxWindow, jx_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  ROUND_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
jx_window_save_panes (JxWindow *self)
{
  g_autoptr(GPtrArray) panes = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keys = NULL;

  if (self->restoring)
    return;

  panes = jx_window_get_panes (self);
  for (guint i = 0; i < panes->len; i++)
    {
      g_autofree char *key = jx_pane_dup_key (g_ptr_array_index (panes, i));

      g_strv_builder_add (builder, key);
    }
  keys = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "panes", (const char * const *) keys);
}

static void
jx_window_update_state (JxWindow *self)
{
  gboolean has_panes = gtk_widget_get_first_child (GTK_WIDGET (self->panes_box)) != NULL;
  gboolean running = jx_window_is_running (self);

  gtk_stack_set_visible_child_name (self->content_stack, has_panes ? "panes" : "empty");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "send")),
                               has_panes);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "stop")),
                               running);
}

/**
 * jx_window_get_panes:
 * @self: a #JxWindow
 *
 * Returns: (transfer container) (element-type JxPane): the panes, left to right
 */
GPtrArray *
jx_window_get_panes (JxWindow *self)
{
  GPtrArray *panes = g_ptr_array_new ();

  g_return_val_if_fail (JX_IS_WINDOW (self), panes);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->panes_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (panes, child);

  return panes;
}

gboolean
jx_window_is_running (JxWindow *self)
{
  g_return_val_if_fail (JX_IS_WINDOW (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->panes_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (jx_pane_is_running (JX_PANE (child)))
      return TRUE;

  return FALSE;
}

static void
clear_summary (JxWindow *self)
{
  jx_summary_table_clear (self->summary_grid);
  gtk_revealer_set_reveal_child (self->summary_revealer, FALSE);
}

/* Marks the best figures of the round and lists every pane on one line. */
static void
jx_window_finish_round (JxWindow *self)
{
  g_autoptr(GPtrArray) panes = jx_window_get_panes (self);
  g_autoptr(GPtrArray) responses = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  JxRoundWinners winners;

  for (guint i = 0; i < panes->len; i++)
    {
      JxPane *pane = g_ptr_array_index (panes, i);
      g_autofree char *key = jx_pane_dup_key (pane);

      g_ptr_array_add (responses, jx_pane_get_response (pane));
      g_strv_builder_add (builder, key);
    }
  labels = g_strv_builder_end (builder);

  jx_round_find_winners (responses, &winners);
  for (guint i = 0; i < panes->len; i++)
    {
      JxPaneBadges badges = JX_PANE_BADGE_NONE;

      if ((int) i == winners.fastest_ttft)
        badges |= JX_PANE_BADGE_FASTEST_TTFT;
      if ((int) i == winners.fastest_decode)
        badges |= JX_PANE_BADGE_FASTEST_TPS;
      if ((int) i == winners.cheapest)
        badges |= JX_PANE_BADGE_CHEAPEST;
      jx_pane_set_badges (g_ptr_array_index (panes, i), badges);
    }

  jx_summary_table_set_round (self->summary_grid, (const char * const *) labels, responses, &winners);
  gtk_revealer_set_reveal_child (self->summary_revealer, panes->len > 0);

  /* The planner projects monthly cost from these measured token counts. */
  if (self->planner != NULL)
    {
      g_autoptr(GPtrArray) ok = g_ptr_array_new ();

      for (guint i = 0; i < responses->len; i++)
        {
          JxResponse *response = g_ptr_array_index (responses, i);

          if (response != NULL && response->status == JX_RESPONSE_OK)
            g_ptr_array_add (ok, response);
        }
      jx_planner_view_set_measured (JX_PLANNER_VIEW (self->planner), ok);
    }
  jx_window_update_state (self);
  g_signal_emit (self, signals[ROUND_FINISHED], 0);
}

static void
on_pane_finished (JxWindow *self,
                  JxPane   *pane)
{
  if (self->recorder != NULL)
    jx_history_recorder_add (self->recorder, pane, jx_pane_get_response (pane));
  if (!jx_window_is_running (self))
    jx_window_finish_round (self);
  else
    jx_window_update_state (self);
}

static char *
get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
fill_prompt (JxWindow *self,
             JxPrompt *prompt)
{
  jx_prompt_init (prompt);
  prompt->system = get_text (self->system_view);
  prompt->user = get_text (self->prompt_view);
  prompt->temperature = gtk_spin_button_get_value (self->temperature_spin);
  prompt->max_tokens = gtk_spin_button_get_value_as_int (self->max_tokens_spin);
}

static void
run_pane (JxWindow *self,
          JxPane   *pane)
{
  JxPrompt prompt;

  fill_prompt (self, &prompt);
  jx_pane_run (pane, jx_context_get_engine (self->context), &prompt, self->round);
  jx_prompt_clear (&prompt);
}

static void
on_pane_rerun (JxWindow *self,
               JxPane   *pane)
{
  clear_summary (self);
  run_pane (self, pane);
  jx_window_update_state (self);
}

static void
on_pane_remove (JxWindow *self,
                JxPane   *pane)
{
  jx_pane_stop (pane);
  gtk_box_remove (self->panes_box, GTK_WIDGET (pane));
  jx_window_save_panes (self);
  clear_summary (self);
  jx_window_update_state (self);
}

static void
on_pane_duplicate (JxWindow *self,
                   JxPane   *pane)
{
  JxPane *copy = jx_window_add_pane (self, jx_pane_get_provider_id (pane), jx_pane_get_model (pane));

  gtk_box_reorder_child_after (self->panes_box, GTK_WIDGET (copy), GTK_WIDGET (pane));
  jx_window_save_panes (self);
}

static void
on_pane_model_changed (JxWindow *self,
                       JxPane   *pane)
{
  jx_window_save_panes (self);
}

/**
 * jx_window_add_pane:
 * @self: a #JxWindow
 * @provider_id: a provider id from the catalog
 * @model: a model id
 *
 * Adds a pane at the end of the row.
 *
 * Returns: (transfer none): the new pane
 */
JxPane *
jx_window_add_pane (JxWindow   *self,
                    const char *provider_id,
                    const char *model)
{
  JxPane *pane;

  g_return_val_if_fail (JX_IS_WINDOW (self), NULL);

  pane = jx_pane_new (jx_context_get_catalog (self->context), provider_id, model);
  jx_pane_set_listed_models (pane, jx_context_get_listed_models (self->context));
  g_signal_connect_object (pane, "finished", G_CALLBACK (on_pane_finished), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "rerun-requested", G_CALLBACK (on_pane_rerun), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "remove-requested", G_CALLBACK (on_pane_remove), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "duplicate-requested", G_CALLBACK (on_pane_duplicate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::model", G_CALLBACK (on_pane_model_changed), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->panes_box, GTK_WIDGET (pane));

  jx_window_save_panes (self);
  jx_window_update_state (self);

  return pane;
}

/**
 * jx_window_set_panes:
 * @self: a #JxWindow
 * @keys: "provider:model" strings
 *
 * Replaces all panes.
 */
void
jx_window_set_panes (JxWindow           *self,
                     const char * const *keys)
{
  GtkWidget *child;

  g_return_if_fail (JX_IS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->panes_box))) != NULL)
    {
      jx_pane_stop (JX_PANE (child));
      gtk_box_remove (self->panes_box, child);
    }
  clear_summary (self);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const char *colon = strchr (keys[i], ':');
      g_autofree char *provider_id = NULL;

      if (colon == NULL || colon == keys[i] || colon[1] == '\0')
        continue;
      provider_id = g_strndup (keys[i], colon - keys[i]);
      jx_window_add_pane (self, provider_id, colon + 1);
    }

  jx_window_save_panes (self);
  jx_window_update_state (self);
}

/**
 * jx_window_set_prompt:
 * @self: a #JxWindow
 * @system_prompt: (nullable): the system prompt
 * @user_prompt: (nullable): the prompt
 */
void
jx_window_set_prompt (JxWindow   *self,
                      const char *system_prompt,
                      const char *user_prompt)
{
  g_return_if_fail (JX_IS_WINDOW (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->system_view),
                            system_prompt != NULL ? system_prompt : "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view),
                            user_prompt != NULL ? user_prompt : "", -1);
}

/**
 * jx_window_dup_prompt:
 * @self: a #JxWindow
 *
 * Returns: (transfer full): the prompt as typed
 */
char *
jx_window_dup_prompt (JxWindow *self)
{
  g_return_val_if_fail (JX_IS_WINDOW (self), NULL);
  return get_text (self->prompt_view);
}

/**
 * jx_window_add_view:
 * @self: a #JxWindow
 * @child: the view
 * @name: a unique page name
 * @title: the title for the view switcher
 * @icon_name: the icon for the view switcher
 *
 * Adds a top-level view next to "Compare" (pricing and planning views plug in
 * here) and shows the view switcher.
 *
 * Returns: (transfer none): the page
 */
AdwViewStackPage *
jx_window_add_view (JxWindow   *self,
                    GtkWidget  *child,
                    const char *name,
                    const char *title,
                    const char *icon_name)
{
  AdwViewStackPage *page;

  g_return_val_if_fail (JX_IS_WINDOW (self), NULL);

  page = adw_view_stack_add_titled (self->view_stack, child, name, title);
  adw_view_stack_page_set_icon_name (page, icon_name);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, TRUE);

  return page;
}

/* Stores the round in the history as it starts; each pane's answer follows as it ends. */
static void
record_round (JxWindow  *self,
              GPtrArray *panes)
{
  g_autofree char *system_prompt = get_text (self->system_view);
  g_autofree char *user_prompt = get_text (self->prompt_view);
  g_autoptr(JxHistoryPrompt) prompt = jx_history_prompt_new (system_prompt[0] != '\0' ? system_prompt : NULL,
                                                              user_prompt);
  JxCatalog *catalog = jx_context_get_catalog (self->context);
  char temperature[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON numbers: a dot whatever the locale. */
  g_ascii_formatd (temperature, sizeof temperature, "%.2f", gtk_spin_button_get_value (self->temperature_spin));
  prompt->parameters_json = g_strdup_printf ("{\"temperature\":%s,\"max_tokens\":%d}", temperature,
                                             gtk_spin_button_get_value_as_int (self->max_tokens_spin));
  for (guint i = 0; i < panes->len; i++)
    {
      JxPane *pane = g_ptr_array_index (panes, i);
      JxProvider *provider = jx_catalog_lookup (catalog, jx_pane_get_provider_id (pane));

      jx_history_prompt_add_pane (prompt, jx_pane_get_provider_id (pane),
                                  provider != NULL ? provider->name : NULL, jx_pane_get_model (pane));
    }
  g_clear_object (&self->recorder);
  self->recorder = jx_history_recorder_new (jx_context_get_history (self->context), catalog,
                                            prompt, panes);
}

/**
 * jx_window_load_round:
 * @self: a #JxWindow
 * @round: a stored round
 *
 * Puts the round's prompt, parameters and panes into the Compare view, ready to send.
 */
void
jx_window_load_round (JxWindow       *self,
                      JxHistoryRound *round)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (JX_IS_WINDOW (self));
  g_return_if_fail (round != NULL && round->prompt != NULL);

  for (guint i = 0; i < round->prompt->panes->len; i++)
    {
      JxHistoryPane *pane = g_ptr_array_index (round->prompt->panes, i);

      g_autofree char *key = g_strdup_printf ("%s:%s", pane->provider_id, pane->model);

      g_strv_builder_add (builder, key);
    }
  keys = g_strv_builder_end (builder);
  jx_window_set_panes (self, (const char * const *) keys);
  jx_window_set_prompt (self, round->prompt->system_prompt, round->prompt->user_prompt);

  if (round->prompt->parameters_json != NULL &&
      json_parser_load_from_data (parser, round->prompt->parameters_json, -1, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *parameters = json_node_get_object (root);

      if (json_object_has_member (parameters, "temperature"))
        gtk_spin_button_set_value (self->temperature_spin,
                                   json_object_get_double_member (parameters, "temperature"));
      if (json_object_has_member (parameters, "max_tokens"))
        gtk_spin_button_set_value (self->max_tokens_spin,
                                   json_object_get_int_member (parameters, "max_tokens"));
    }

  adw_view_stack_set_visible_child_name (self->view_stack, "compare");
  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

static void
send_action (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  GtkWidget *widget = user_data;
  JxWindow *self = JX_WINDOW (widget);
  g_autoptr(GPtrArray) panes = jx_window_get_panes (self);
  g_autofree char *text = get_text (self->prompt_view);

  if (panes->len == 0)
    return;

  if (g_strstrip (text)[0] == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
      gtk_widget_error_bell (widget);
      return;
    }

  self->round++;
  record_round (self, panes);
  clear_summary (self);
  for (guint i = 0; i < panes->len; i++)
    run_pane (self, g_ptr_array_index (panes, i));
  jx_window_update_state (self);
}

static void
stop_action (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  GtkWidget *widget = user_data;
  JxWindow *self = JX_WINDOW (widget);
  g_autoptr(GPtrArray) panes = jx_window_get_panes (self);

  for (guint i = 0; i < panes->len; i++)
    jx_pane_stop (g_ptr_array_index (panes, i));
}

static void
add_pane_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWidget *widget = user_data;
  JxWindow *self = JX_WINDOW (widget);
  GtkWidget *last = gtk_widget_get_last_child (GTK_WIDGET (self->panes_box));
  JxPane *pane;

  if (last != NULL)
    pane = jx_window_add_pane (self, jx_pane_get_provider_id (JX_PANE (last)),
                               jx_pane_get_model (JX_PANE (last)));
  else
    pane = jx_window_add_pane (self, "simulated", "sim-fast");

  gtk_widget_grab_focus (GTK_WIDGET (pane));
}

static void
demo_action (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  GtkWidget *widget = user_data;
  static const char *models[] = { "sim-fast", "sim-balanced", "sim-large", "sim-reasoning" };
  JxWindow *self = JX_WINDOW (widget);
  g_autofree char *text = get_text (self->prompt_view);

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    jx_window_add_pane (self, "simulated", models[i]);

  /* Start right away with a sample question, unless the user typed one. */
  if (g_strstrip (text)[0] == '\0')
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view), _(DEMO_PROMPT), -1);
      g_action_group_activate_action (G_ACTION_GROUP (self), "send", NULL);
    }
}

static void
ollama_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  JxWindow *self = JX_WINDOW (user_data);

  /* Two installed models side by side is the useful first comparison. */
  for (guint i = 0; self->ollama_models != NULL && self->ollama_models[i] != NULL && i < 2; i++)
    jx_window_add_pane (self, "ollama", self->ollama_models[i]);
}

static void
ollama_detected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(JxWindow) self = user_data;
  g_autoptr(GPtrArray) models = jx_models_detect_ollama_finish (result, NULL);

  if (models == NULL || models->len == 0 || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_ptr_array_add (models, NULL);
  g_clear_pointer (&self->ollama_models, g_strfreev);
  self->ollama_models = g_strdupv ((char **) models->pdata);

  self->ollama_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Use _Local Ollama")));
  gtk_widget_add_css_class (GTK_WIDGET (self->ollama_button), "pill");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->ollama_button),
                               _("Compare the models installed in the Ollama running on this computer"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->ollama_button), "win.ollama");
  gtk_box_append (self->extra_actions, GTK_WIDGET (self->ollama_button));
}

static void
jx_window_restore_prompt (JxWindow *self)
{
  g_autofree char *system_prompt = g_settings_get_string (self->settings, "system-prompt");
  g_autofree char *user_prompt = g_settings_get_string (self->settings, "user-prompt");

  jx_window_set_prompt (self, system_prompt, user_prompt);
  gtk_spin_button_set_value (self->temperature_spin,
                             g_settings_get_double (self->settings, "temperature"));
  gtk_spin_button_set_value (self->max_tokens_spin,
                             g_settings_get_int (self->settings, "max-tokens"));
}

static void
jx_window_save_prompt (JxWindow *self)
{
  g_autofree char *system_prompt = get_text (self->system_view);
  g_autofree char *user_prompt = get_text (self->prompt_view);

  g_settings_set_string (self->settings, "system-prompt", system_prompt);
  g_settings_set_string (self->settings, "user-prompt", user_prompt);
  g_settings_set_double (self->settings, "temperature",
                         gtk_spin_button_get_value (self->temperature_spin));
  g_settings_set_int (self->settings, "max-tokens",
                      gtk_spin_button_get_value_as_int (self->max_tokens_spin));
}

static void
on_models_changed (JxWindow  *self,
                   JxContext *context)
{
  g_autoptr(GPtrArray) panes = jx_window_get_panes (self);

  for (guint i = 0; i < panes->len; i++)
    jx_pane_set_listed_models (g_ptr_array_index (panes, i), jx_context_get_listed_models (context));
}

static void
on_catalog_changed (JxWindow   *self,
                    GParamSpec *pspec,
                    JxContext  *context)
{
  g_autoptr(GPtrArray) panes = jx_window_get_panes (self);

  for (guint i = 0; i < panes->len; i++)
    jx_pane_set_catalog (g_ptr_array_index (panes, i), jx_context_get_catalog (context));
}

/* An import can add models: the pickers list them, and the planner prices anew. */
static void
on_prices_changed (JxWindow *self)
{
  on_catalog_changed (self, NULL, self->context);
  jx_planner_view_refresh (JX_PLANNER_VIEW (self->planner));
}

/**
 * jx_window_new:
 * @application: the application the window belongs to
 * @context: the catalog, engine and model lists the window works with
 * @initial_panes: (nullable): "provider:model" keys given on the command line
 *
 * Creates a main window. Its size and maximized state, the panes and the
 * prompt come from GSettings; @initial_panes win over saved ones.
 *
 * Returns: (transfer none): a new #JxWindow, owned by GTK
 */
JxWindow *
jx_window_new (GtkApplication     *application,
               JxContext          *context,
               const char * const *initial_panes)
{
  g_auto(GStrv) saved = NULL;
  GtkWidget *history;
  GtkWidget *prices;
  JxWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (JX_IS_CONTEXT (context), NULL);

  self = g_object_new (JX_TYPE_WINDOW,
                       "application", application,
                       NULL);
  self->context = g_object_ref (context);

  /* The panes pick up a reloaded catalog (a custom endpoint was added) and the model lists
   * as each provider answers. */
  g_signal_connect_object (context, "notify::catalog",
                           G_CALLBACK (on_catalog_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "models-changed",
                           G_CALLBACK (on_models_changed), self, G_CONNECT_SWAPPED);

  jx_window_restore_prompt (self);

  /* A running local Ollama is free to compare against: offer it in the empty state. */
  jx_models_detect_ollama_async (jx_context_get_engine (context), NULL, self->cancellable,
                                 ollama_detected_cb, g_object_ref (self));

  self->planner = jx_planner_view_new (jx_context_get_catalog (context));
  jx_window_add_view (self, self->planner, "planner", _("Planner"), "accessories-calculator-symbolic");
  prices = jx_price_view_new (jx_context_get_catalog (context));
  g_signal_connect_object (prices, "prices-changed", G_CALLBACK (on_prices_changed), self,
                           G_CONNECT_SWAPPED);
  jx_window_add_view (self, prices, "prices", _("Prices"), "view-list-symbolic");
  history = jx_history_view_new (context);
  g_signal_connect_object (history, "run-again", G_CALLBACK (jx_window_load_round), self, G_CONNECT_SWAPPED);
  /* A damaged history file was replaced: the switcher points at the page that says so. */
  g_object_bind_property (history, "has-warning",
                          jx_window_add_view (self, history, "history", _("History"), "document-open-recent-symbolic"),
                          "needs-attention", G_BINDING_SYNC_CREATE);

  saved = g_settings_get_strv (self->settings, "panes");
  self->restoring = initial_panes == NULL;
  jx_window_set_panes (self, initial_panes != NULL ? initial_panes : (const char * const *) saved);
  self->restoring = FALSE;

  return self;
}

static void
jx_window_restore_state (JxWindow *self)
{
  int width;
  int height;

  g_assert (JX_IS_WINDOW (self));

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
jx_window_save_state (JxWindow *self)
{
  int width = 0;
  int height = 0;

  g_assert (JX_IS_WINDOW (self));

  /* GtkWindow keeps the unmaximized size as its default size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  jx_window_save_prompt (self);
  g_settings_apply (self->settings);
  jx_window_save_panes (self);
}

/* Stopped panes hand back their partial answers, and the history its round id, on the main
 * loop: let them (for two seconds at most) so a closed window or a quit keeps them. */
static void
wait_for_stopped_panes (JxWindow *self)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while ((jx_window_is_running (self) ||
          (self->recorder != NULL && !jx_history_recorder_is_settled (self->recorder))) &&
         g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gboolean
jx_window_close_request (GtkWindow *window)
{
  JxWindow *self = JX_WINDOW (window);

  jx_window_save_state (self);
  stop_action (NULL, NULL, (gpointer) self);
  wait_for_stopped_panes (self);

  return GTK_WINDOW_CLASS (jx_window_parent_class)->close_request (window);
}

static void
jx_window_dispose (GObject *object)
{
  JxWindow *self = JX_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_WINDOW);

  G_OBJECT_CLASS (jx_window_parent_class)->dispose (object);
}

static void
jx_window_finalize (GObject *object)
{
  JxWindow *self = JX_WINDOW (object);

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->ollama_models, g_strfreev);

  G_OBJECT_CLASS (jx_window_parent_class)->finalize (object);
}

static void
jx_window_class_init (JxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = jx_window_dispose;
  object_class->finalize = jx_window_finalize;

  window_class->close_request = jx_window_close_request;

  /**
   * JxWindow::round-finished:
   *
   * Every pane's request of the round has ended; badges and summary are set.
   */
  signals[ROUND_FINISHED] = g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  g_type_ensure (JX_TYPE_SUMMARY_TABLE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JxWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, extra_actions);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, panes_box);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, summary_revealer);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, summary_grid);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, system_view);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, max_tokens_spin);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, add_key_button);

}

static const GActionEntry win_actions[] = {
  { "send", send_action },
  { "stop", stop_action },
  { "add-pane", add_pane_action },
  { "demo", demo_action },
  { "ollama", ollama_action },
};

static void
jx_window_init (JxWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The .ui names the stable id; a development build (io.github.juxta.Juxta.Devel) has its own icon. */
  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);
  adw_status_page_set_icon_name (self->empty_page, APP_ID);
  self->cancellable = g_cancellable_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  /* Ctrl+Return must reach win.send before the prompt's text view turns it
   * into a newline, so these shortcuts run in the capture phase. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return|<Control>KP_Enter"),
                                                          gtk_named_action_new ("win.send")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->settings = g_settings_new (APP_ID);
  jx_window_restore_state (self);
  jx_window_update_state (self);
}
