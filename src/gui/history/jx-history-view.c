/* jx-history-view.c — the window's History page: stored rounds, search, filters, detail
 *
 * The list is read again whenever the page is shown, the search or a filter changes, or a
 * round is deleted; every read runs on the history's worker thread and the newest one wins
 * (the previous read is cancelled). Opening a round shows each pane's last answer with the
 * same strip of figures the Compare view shows, read-only; "Run Again" hands the round to
 * the window (the "run-again" signal).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "jx-history-view.h"
#include "jx-markdown.h"
#include "jx-pane-metrics.h"

struct _JxHistoryView
{
  GtkBox          parent_instance;

  JxContext      *context;
  JxHistory      *history;
  GPtrArray      *provider_ids;   /* char *, parallel to provider_dropdown; [0] = NULL (all) */
  JxHistoryRound *shown;          /* the round in the detail page */
  GCancellable   *list_cancellable;
  GCancellable   *cancellable;    /* everything else; cancelled on dispose */
  gboolean        has_warning;

  /* Template widgets */
  GtkRevealer    *warning_revealer;
  GtkLabel       *warning_label;
  GtkButton      *warning_close;
  GtkStack       *stack;
  GtkSearchEntry *search_entry;
  GtkDropDown    *provider_dropdown;
  GtkEntry       *model_entry;
  GtkDropDown    *outcome_dropdown;
  GtkDropDown    *date_dropdown;
  GtkButton      *delete_all_button;
  GtkStack       *list_stack;
  AdwStatusPage  *empty_page;
  GtkListBox     *rounds_list;
  GtkButton      *back_button;
  GtkLabel       *detail_title;
  GtkButton      *delete_button;
  GtkButton      *run_again_button;
  GtkLabel       *detail_prompt;
  GtkBox         *detail_panes;
};

G_DEFINE_FINAL_TYPE (JxHistoryView, jx_history_view, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_HAS_WARNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RUN_AGAIN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of outcome_dropdown. */
static const JxHistoryOutcome outcomes[] = {
  JX_HISTORY_OUTCOME_ANY,
  JX_HISTORY_OUTCOME_ALL_OK,
  JX_HISTORY_OUTCOME_SOME_ERROR,
  JX_HISTORY_OUTCOME_SOME_CANCELLED,
};

/* In the order of date_dropdown; 0 = all time. */
static const int period_days[] = { 0, 1, 7, 30 };

/* ---- formatting ----------------------------------------------------------------------- */

static char *
format_date (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso != NULL ? iso : "");
  local = g_date_time_to_local (utc);
  /* TRANSLATORS: date and time of a stored round, see g_date_time_format() */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static char *
format_cost (double usd)
{
  return g_strdup_printf (usd < 0.01 ? "$%.6f" : "$%.4f", usd);
}

static const char *
model_of (JxHistoryRound *round,
          gint            pane)
{
  if (pane < 0 || round->prompt == NULL || (guint) pane >= round->prompt->panes->len)
    return "";
  return ((JxHistoryPane *) g_ptr_array_index (round->prompt->panes, pane))->model;
}

/* ---- the list ------------------------------------------------------------------------- */

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JxHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (jx_history_delete_finish (JX_HISTORY (object), result, &error) < 0 ||
      error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not delete from the history: %s", error->message);
      return;
    }
  jx_history_view_refresh (self);
}

static void
on_row_delete (GtkButton     *button,
               JxHistoryView *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "round-id"));

  jx_history_delete_round_async (self->history, id, self->cancellable,
                                 delete_done_cb, g_object_ref (self));
}

static GtkWidget *
figure_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  /* Long model ids must not widen the window. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static GtkWidget *
round_row_new (JxHistoryView  *self,
               JxHistoryRound *round)
{
  g_autofree char *date = format_date (round->started_at);
  g_autofree char *models = round->models != NULL ? g_strjoinv (", ", round->models) : g_strdup ("");
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", date, models);
  g_autofree char *title = g_markup_escape_text (round->excerpt != NULL ? round->excerpt : "", -1);
  g_autofree char *subtitle_markup = g_markup_escape_text (subtitle, -1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *figures = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *delete;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle_markup);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "round", jx_history_round_ref (round),
                          (GDestroyNotify) jx_history_round_unref);

  gtk_widget_set_valign (figures, GTK_ALIGN_CENTER);
  if (round->fastest_pane >= 0 && isfinite (round->fastest_ttft_ms))
    {
      /* TRANSLATORS: fastest time to first token of a round: model, milliseconds */
      g_autofree char *text = g_strdup_printf (_("Fastest: %s, %.0f ms"),
                                               model_of (round, round->fastest_pane),
                                               round->fastest_ttft_ms);

      gtk_box_append (GTK_BOX (figures), figure_label (text));
    }
  if (round->cheapest_pane >= 0 && isfinite (round->cheapest_cost_usd))
    {
      g_autofree char *cost = format_cost (round->cheapest_cost_usd);
      /* TRANSLATORS: cheapest answer of a round: model, cost */
      g_autofree char *text = g_strdup_printf (_("Cheapest: %s, %s"),
                                               model_of (round, round->cheapest_pane), cost);

      gtk_box_append (GTK_BOX (figures), figure_label (text));
    }
  if (round->n_errors > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u failed", "%u failed", round->n_errors),
                                               round->n_errors);
      GtkWidget *label = figure_label (text);

      gtk_widget_add_css_class (label, "error");
      gtk_box_append (GTK_BOX (figures), label);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), figures);

  delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete, "flat");
  gtk_widget_set_tooltip_text (delete, _("Delete this round"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete"), -1);
  g_object_set_data (G_OBJECT (delete), "round-id", GSIZE_TO_POINTER ((gsize) round->id));
  g_signal_connect (delete, "clicked", G_CALLBACK (on_row_delete), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), delete);

  return row;
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JxHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  gboolean searching = gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0';
  GtkWidget *child;

  if (searching)
    rounds = jx_history_search_finish (JX_HISTORY (object), result, &error);
  else
    rounds = jx_history_list_rounds_finish (JX_HISTORY (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rounds_list))) != NULL)
    gtk_list_box_remove (self->rounds_list, child);

  if (rounds == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("History Unavailable"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      return;
    }

  for (guint i = 0; i < rounds->len; i++)
    gtk_list_box_append (self->rounds_list, round_row_new (self, g_ptr_array_index (rounds, i)));

  if (rounds->len == 0)
    {
      gboolean filtered = searching ||
                          gtk_drop_down_get_selected (self->provider_dropdown) > 0 ||
                          gtk_editable_get_text (GTK_EDITABLE (self->model_entry))[0] != '\0' ||
                          gtk_drop_down_get_selected (self->outcome_dropdown) > 0 ||
                          gtk_drop_down_get_selected (self->date_dropdown) > 0;

      adw_status_page_set_title (self->empty_page, filtered ? _("No Matching Rounds") : _("No Rounds Yet"));
      adw_status_page_set_description (self->empty_page,
                                       filtered ? _("Try other words or filters.")
                                                : _("Every round you send is kept here, with its answers and figures."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, rounds->len > 0 ? "rounds" : "empty");
}

void
jx_history_view_refresh (JxHistoryView *self)
{
  const char *text;
  const char *model;
  guint provider;
  guint period;
  g_autoptr(GDateTime) since = NULL;
  JxHistoryQuery query = { 0 };

  g_return_if_fail (JX_IS_HISTORY_VIEW (self));

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();

  provider = gtk_drop_down_get_selected (self->provider_dropdown);
  if (provider != GTK_INVALID_LIST_POSITION && provider < self->provider_ids->len)
    query.provider_id = g_ptr_array_index (self->provider_ids, provider);
  model = gtk_editable_get_text (GTK_EDITABLE (self->model_entry));
  if (model[0] != '\0')
    query.model = model;
  query.outcome = outcomes[MIN (gtk_drop_down_get_selected (self->outcome_dropdown),
                                G_N_ELEMENTS (outcomes) - 1)];
  period = MIN (gtk_drop_down_get_selected (self->date_dropdown), G_N_ELEMENTS (period_days) - 1);
  if (period_days[period] > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      since = g_date_time_add_days (now, -period_days[period]);
      query.since = since;
    }

  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (text[0] != '\0')
    jx_history_search_async (self->history, text, &query, self->list_cancellable,
                             listed_cb, g_object_ref (self));
  else
    jx_history_list_rounds_async (self->history, &query, self->list_cancellable,
                                  listed_cb, g_object_ref (self));
}

/* ---- the detail page ------------------------------------------------------------------ */

static const char *
status_text (JxResponse *response)
{
  if (response == NULL)
    return _("No answer");
  switch (response->status)
    {
    case JX_RESPONSE_OK:
      return _("Done");
    case JX_RESPONSE_CANCELLED:
      return _("Stopped");
    case JX_RESPONSE_ERROR:
    default:
      return response->error != NULL ? response->error->message : _("Failed");
    }
}

static GtkWidget *
badge_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "accent");
  return label;
}

static GtkWidget *
pane_card_new (JxHistoryRound *round,
               guint           pane_index,
               JxResponse     *response)
{
  JxHistoryPane *pane = g_ptr_array_index (round->prompt->panes, pane_index);
  g_autofree char *title = g_strdup_printf ("%s · %s",
                                            pane->provider_name != NULL ? pane->provider_name
                                                                        : pane->provider_id,
                                            pane->model);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *status = gtk_label_new (status_text (response));
  GtkWidget *metrics = g_object_new (JX_TYPE_PANE_METRICS, NULL);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "jx-history-pane");
  gtk_widget_set_size_request (card, 260, -1);
  gtk_widget_set_name (card, "history-pane");

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 10);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (header), label);
  if ((gint) pane_index == round->fastest_pane)
    gtk_box_append (GTK_BOX (header), badge_new (_("Fastest")));
  if ((gint) pane_index == round->cheapest_pane)
    gtk_box_append (GTK_BOX (header), badge_new (_("Cheapest")));
  gtk_box_append (GTK_BOX (card), header);

  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_widget_set_margin_start (status, 12);
  gtk_widget_set_margin_end (status, 12);
  gtk_widget_add_css_class (status, "caption");
  gtk_widget_add_css_class (status, response != NULL && response->status == JX_RESPONSE_ERROR
                                    ? "error" : "dim-label");
  gtk_widget_set_name (status, "status");
  gtk_box_append (GTK_BOX (card), status);

  gtk_widget_set_margin_start (metrics, 12);
  gtk_widget_set_margin_end (metrics, 12);
  jx_pane_metrics_update (JX_PANE_METRICS (metrics), response);
  gtk_box_append (GTK_BOX (card), metrics);

  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_widget_add_css_class (view, "jx-history-answer");
  gtk_widget_set_name (view, "answer");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Answer"), -1);
  jx_markdown_ensure_tags (buffer);
  if (response != NULL && response->text != NULL && response->text->len > 0)
    jx_markdown_render (buffer, response->text->str, response->text->len);
  else if (response != NULL && response->status == JX_RESPONSE_OK)
    /* Stored without its text (privacy setting): the figures are all there is. */
    gtk_text_buffer_set_text (buffer, _("The answer's text was not kept."), -1);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_box_append (GTK_BOX (card), scroller);

  return card;
}

static void
show_round (JxHistoryView  *self,
            JxHistoryRound *round)
{
  g_autofree char *date = format_date (round->started_at);
  g_autoptr(GString) prompt = g_string_new (NULL);
  GtkWidget *child;

  g_clear_pointer (&self->shown, jx_history_round_unref);
  self->shown = jx_history_round_ref (round);

  gtk_label_set_text (self->detail_title, date);
  if (round->prompt->system_prompt != NULL && round->prompt->system_prompt[0] != '\0')
    g_string_append_printf (prompt, "%s\n\n", round->prompt->system_prompt);
  g_string_append (prompt, round->prompt->user_prompt != NULL ? round->prompt->user_prompt : "");
  gtk_label_set_text (self->detail_prompt, prompt->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_panes))) != NULL)
    gtk_box_remove (self->detail_panes, child);

  for (guint p = 0; p < round->prompt->panes->len; p++)
    {
      JxResponse *last = NULL;

      /* A pane run again within the round has several answers: show the last. */
      for (guint i = 0; round->responses != NULL && i < round->responses->len; i++)
        if (g_array_index (round->pane_indices, guint, i) == p)
          last = g_ptr_array_index (round->responses, i);
      gtk_box_append (self->detail_panes, pane_card_new (round, p, last));
    }

  gtk_stack_set_visible_child_name (self->stack, "detail");
}

static void
got_round_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JxHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JxHistoryRound) round = jx_history_get_round_finish (JX_HISTORY (object), result, &error);

  if (round == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the round from the history: %s", error->message);
      return;
    }
  show_round (self, round);
}

void
jx_history_view_open_round (JxHistoryView *self,
                            gint64         round_id)
{
  g_return_if_fail (JX_IS_HISTORY_VIEW (self));

  jx_history_get_round_async (self->history, round_id, self->cancellable,
                              got_round_cb, g_object_ref (self));
}

/**
 * jx_history_view_get_shown_round:
 * @self: a #JxHistoryView
 *
 * Returns: (transfer none) (nullable): the round of the detail page
 */
JxHistoryRound *
jx_history_view_get_shown_round (JxHistoryView *self)
{
  g_return_val_if_fail (JX_IS_HISTORY_VIEW (self), NULL);
  return self->shown;
}

/* ---- handlers ------------------------------------------------------------------------- */

static void
on_row_activated (JxHistoryView *self,
                  GtkListBoxRow *row)
{
  JxHistoryRound *round = g_object_get_data (G_OBJECT (row), "round");

  if (round != NULL)
    jx_history_view_open_round (self, round->id);
}

static void
on_back (JxHistoryView *self)
{
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
on_delete_shown (JxHistoryView *self)
{
  if (self->shown == NULL)
    return;
  jx_history_delete_round_async (self->history, self->shown->id, self->cancellable,
                                 delete_done_cb, g_object_ref (self));
  g_clear_pointer (&self->shown, jx_history_round_unref);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
on_run_again (JxHistoryView *self)
{
  if (self->shown != NULL)
    g_signal_emit (self, signals[RUN_AGAIN], 0, self->shown);
}

static void
delete_all_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        JxHistoryView    *self)
{
  if (g_strcmp0 (response, "delete") != 0)
    return;
  jx_history_delete_all_async (self->history, self->cancellable, delete_done_cb, g_object_ref (self));
}

static void
on_delete_all (JxHistoryView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Delete All History?"),
                                              _("Every stored round is deleted, with its answers and figures. This cannot be undone."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete All"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_all_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_warning (JxHistoryView *self)
{
  g_autofree char *warning = jx_history_dup_warning (self->history);
  gboolean has_warning = warning != NULL;

  if (warning != NULL)
    gtk_label_set_text (self->warning_label, warning);
  gtk_revealer_set_reveal_child (self->warning_revealer, has_warning);
  if (has_warning != self->has_warning)
    {
      self->has_warning = has_warning;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_WARNING]);
    }
  /* The file was replaced: what was listed is gone. */
  if (has_warning && gtk_widget_get_mapped (GTK_WIDGET (self)))
    jx_history_view_refresh (self);
}

static void
on_warning_close (JxHistoryView *self)
{
  gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);
  self->has_warning = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_WARNING]);
}

/* ---- construction --------------------------------------------------------------------- */

static void
fill_dropdowns (JxHistoryView *self)
{
  g_autoptr(GtkStringList) providers = gtk_string_list_new (NULL);
  const char *outcome_names[] = { _("Any Outcome"), _("All Succeeded"), _("Some Failed"),
                                  _("Some Stopped"), NULL };
  const char *period_names[] = { _("All Time"), _("Last Day"), _("Last Week"), _("Last Month"), NULL };
  g_autoptr(GtkStringList) outcome_list = gtk_string_list_new (outcome_names);
  g_autoptr(GtkStringList) period_list = gtk_string_list_new (period_names);
  GPtrArray *catalog = jx_catalog_get_providers (jx_context_get_catalog (self->context));

  gtk_string_list_append (providers, _("All Providers"));
  g_ptr_array_add (self->provider_ids, NULL);
  for (guint i = 0; i < catalog->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (catalog, i);

      gtk_string_list_append (providers, provider->name != NULL ? provider->name : provider->id);
      g_ptr_array_add (self->provider_ids, g_strdup (provider->id));
    }

  gtk_drop_down_set_model (self->provider_dropdown, G_LIST_MODEL (providers));
  gtk_drop_down_set_enable_search (self->provider_dropdown, TRUE);
  gtk_drop_down_set_model (self->outcome_dropdown, G_LIST_MODEL (outcome_list));
  gtk_drop_down_set_model (self->date_dropdown, G_LIST_MODEL (period_list));
  {
    /* Searching a GtkStringList needs an expression for its items' text. */
    GtkExpression *expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    gtk_drop_down_set_expression (self->provider_dropdown, expression);
    gtk_expression_unref (expression);
  }
}

/**
 * jx_history_view_new:
 * @context: the context whose history and catalog the view shows
 *
 * Returns: (transfer floating): a new #JxHistoryView
 */
GtkWidget *
jx_history_view_new (JxContext *context)
{
  JxHistoryView *self;

  g_return_val_if_fail (JX_IS_CONTEXT (context), NULL);

  self = g_object_new (JX_TYPE_HISTORY_VIEW, NULL);
  self->context = g_object_ref (context);
  self->history = g_object_ref (jx_context_get_history (context));
  fill_dropdowns (self);

  g_signal_connect_object (self->history, "notify::warning",
                           G_CALLBACK (update_warning), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->provider_dropdown, "notify::selected",
                           G_CALLBACK (jx_history_view_refresh), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_dropdown, "notify::selected",
                           G_CALLBACK (jx_history_view_refresh), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->date_dropdown, "notify::selected",
                           G_CALLBACK (jx_history_view_refresh), self, G_CONNECT_SWAPPED);
  update_warning (self);

  return GTK_WIDGET (self);
}

static void
jx_history_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (jx_history_view_parent_class)->map (widget);

  /* Rounds were added while another view was shown. */
  jx_history_view_refresh (JX_HISTORY_VIEW (widget));
}

static void
jx_history_view_dispose (GObject *object)
{
  JxHistoryView *self = JX_HISTORY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_HISTORY_VIEW);

  G_OBJECT_CLASS (jx_history_view_parent_class)->dispose (object);
}

static void
jx_history_view_finalize (GObject *object)
{
  JxHistoryView *self = JX_HISTORY_VIEW (object);

  g_clear_pointer (&self->shown, jx_history_round_unref);
  g_clear_pointer (&self->provider_ids, g_ptr_array_unref);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->history);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (jx_history_view_parent_class)->finalize (object);
}

static void
jx_history_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JxHistoryView *self = JX_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HAS_WARNING:
      g_value_set_boolean (value, self->has_warning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_history_view_class_init (JxHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_history_view_dispose;
  object_class->finalize = jx_history_view_finalize;
  object_class->get_property = jx_history_view_get_property;
  widget_class->map = jx_history_view_map;

  /**
   * JxHistoryView:has-warning:
   *
   * The history file was damaged and replaced; the view shows why until dismissed.
   */
  properties[PROP_HAS_WARNING] =
    g_param_spec_boolean ("has-warning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JxHistoryView::run-again:
   * @round: the round shown, with its prompt and panes
   *
   * The user asked to load this round into the Compare view.
   */
  signals[RUN_AGAIN] = g_signal_new ("run-again", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, JX_TYPE_HISTORY_ROUND);

  g_type_ensure (JX_TYPE_PANE_METRICS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, warning_revealer);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, warning_label);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, warning_close);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, provider_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, model_entry);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, delete_all_button);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, rounds_list);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, back_button);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, detail_title);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, delete_button);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, run_again_button);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, detail_prompt);
  gtk_widget_class_bind_template_child (widget_class, JxHistoryView, detail_panes);
}

static void
jx_history_view_init (JxHistoryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->provider_ids = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->list_cancellable = g_cancellable_new ();

  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (jx_history_view_refresh), self);
  g_signal_connect_swapped (self->model_entry, "activate",
                            G_CALLBACK (jx_history_view_refresh), self);
  g_signal_connect_swapped (self->rounds_list, "row-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back), self);
  g_signal_connect_swapped (self->delete_button, "clicked", G_CALLBACK (on_delete_shown), self);
  g_signal_connect_swapped (self->run_again_button, "clicked", G_CALLBACK (on_run_again), self);
  g_signal_connect_swapped (self->delete_all_button, "clicked", G_CALLBACK (on_delete_all), self);
  g_signal_connect_swapped (self->warning_close, "clicked", G_CALLBACK (on_warning_close), self);
}
