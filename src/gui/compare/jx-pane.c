/* jx-pane.c: one model's answer, streamed, with its live figures
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
#include <math.h>

#include "jx-markdown.h"
#include "jx-model-picker.h"
#include "jx-pane-metrics.h"
#include "jx-pane-private.h"
#include "jx-round.h"

struct _JxPane
{
  GtkBox          parent_instance;

  JxCatalog      *catalog;
  GHashTable     *listed_models; /* provider id → model ids its list endpoint reported */
  char           *provider_id;
  char           *model;

  JxRequest      *request;
  GCancellable   *cancellable;
  JxResponse     *response;     /* of the last finished round */
  GString        *text;         /* everything shown so far */
  GString        *pending;      /* deltas not yet on screen */
  char           *status_text;
  guint           tick_id;
  gint64          retry_until;  /* monotonic µs, while retrying */
  gboolean        formatted;
  gboolean        dirty;        /* formatted view needs a re-render */
  JxMarkdownState markdown;     /* how much of the formatted view is rendered for good */
  guint           final_render; /* idle: the finished answer rendered as one document */
  gint64          next_render;  /* monotonic µs before which the Markdown is not re-rendered */
  gboolean        reasoning;    /* reasoning arrived, no answer yet */
  JxPaneBadges    badges;
  gboolean        running;      /* as last notified: request != NULL */

  /* Template widgets */
  JxModelPicker  *model_picker;
  GtkLabel       *simulated_label;
  GtkBox         *badge_box;
  GtkLabel       *badge_ttft;
  GtkLabel       *badge_tps;
  GtkLabel       *badge_cost;
  GtkScrolledWindow *scroller;
  GtkTextView    *text_view;
  GtkLabel       *status_label;
  GtkSpinner     *spinner;
  JxPaneMetrics  *metrics;
  GtkToggleButton *formatted_button;
  GtkToggleButton *raw_button;
};

G_DEFINE_FINAL_TYPE (JxPane, jx_pane, GTK_TYPE_BOX)

enum {
  FINISHED,
  REMOVE_REQUESTED,
  DUPLICATE_REQUESTED,
  RERUN_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_PROVIDER_ID,
  PROP_MODEL,
  PROP_FORMATTED,
  PROP_RUNNING,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void update_actions (JxPane *self);

/* Notifies JxPane:running when a request started or ended since the last call. */
static void
sync_running (JxPane *self)
{
  gboolean running = self->request != NULL;

  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * jx_pane_new:
 * @catalog: the providers to pick from
 * @provider_id: the provider id, e.g. "openai"
 * @model: the model id
 *
 * Creates a pane that compares @model of @provider_id. A model the catalog does
 * not list (a fine-tune, a local model) is added to the picker.
 *
 * Returns: (transfer floating): a new #JxPane
 */
JxPane *
jx_pane_new (JxCatalog  *catalog,
             const char *provider_id,
             const char *model)
{
  JxPane *self;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), NULL);

  self = g_object_new (JX_TYPE_PANE, NULL);
  self->provider_id = g_strdup (provider_id);
  self->model = g_strdup (model);
  jx_pane_set_catalog (self, catalog);

  return self;
}

static void
update_simulated (JxPane *self)
{
  JxProvider *provider = self->catalog != NULL ? jx_catalog_lookup (self->catalog, self->provider_id)
                                               : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->simulated_label),
                          provider != NULL && jx_provider_is_simulated (provider));
}

/**
 * jx_pane_set_listed_models:
 * @self: a #JxPane
 * @listed_models: (nullable): provider id → model ids from the provider's list endpoint
 *
 * Adds the models providers report to the picker, after the catalog's.
 */
void
jx_pane_set_listed_models (JxPane     *self,
                           GHashTable *listed_models)
{
  g_return_if_fail (JX_IS_PANE (self));

  if (listed_models != NULL)
    g_hash_table_ref (listed_models);
  g_clear_pointer (&self->listed_models, g_hash_table_unref);
  self->listed_models = listed_models;
  if (self->catalog != NULL)
    jx_pane_set_catalog (self, self->catalog);
}

/**
 * jx_pane_set_catalog:
 * @self: a #JxPane
 * @catalog: the providers to pick from
 *
 * Fills the model picker from @catalog, keeping the selected model.
 */
void
jx_pane_set_catalog (JxPane    *self,
                     JxCatalog *catalog)
{
  g_return_if_fail (JX_IS_PANE (self));
  g_return_if_fail (JX_IS_CATALOG (catalog));

  g_set_object (&self->catalog, catalog);
  jx_model_picker_fill (self->model_picker, catalog, self->listed_models,
                        self->provider_id, self->model);
  update_simulated (self);
}

static void
picker_selected_choice_changed_cb (JxPane        *self,
                                   GParamSpec    *pspec,
                                   JxModelPicker *picker)
{
  JxModelChoice *choice = jx_model_picker_get_selected_choice (picker);
  const char *provider_id = jx_model_choice_get_provider_id (choice);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->provider_id, provider_id) != 0)
    {
      g_free (self->provider_id);
      self->provider_id = g_strdup (provider_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_ID]);
    }
  /* A model id means something only with its provider: a new pair is a new model. */
  g_free (self->model);
  self->model = g_strdup (jx_model_choice_get_model (choice));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);

  update_simulated (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * jx_pane_select:
 * @self: a #JxPane
 * @provider_id: a provider id
 * @model: a model id
 *
 * Selects @model of @provider_id in the picker.
 *
 * Returns: %TRUE if the picker lists that model
 */
gboolean
jx_pane_select (JxPane     *self,
                const char *provider_id,
                const char *model)
{
  g_return_val_if_fail (JX_IS_PANE (self), FALSE);

  return jx_model_picker_select (self->model_picker, provider_id, model);
}

const char *
jx_pane_get_provider_id (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return self->provider_id;
}

const char *
jx_pane_get_model (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return self->model;
}

/**
 * jx_pane_dup_key:
 * @self: a #JxPane
 *
 * Returns: (transfer full): "provider:model", as the settings store panes
 */
char *
jx_pane_dup_key (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return g_strdup_printf ("%s:%s", self->provider_id, self->model);
}

/**
 * jx_pane_dup_title:
 * @self: a #JxPane
 *
 * Returns: (transfer full): "Provider · model" for people
 */
char *
jx_pane_dup_title (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return jx_model_choice_format_title (self->catalog != NULL
                                         ? jx_catalog_lookup (self->catalog, self->provider_id) : NULL,
                                       self->provider_id, self->model);
}

/* GTK 4.8 re-queries the pointer for every tooltip set, even an unchanged one: at 60
 * frames a second over 8 panes that was a quarter of the main loop (bench-ui). */
static void
set_tooltip_if_changed (GtkWidget  *widget,
                        const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static void
set_status (JxPane     *self,
            const char *text,
            const char *css_class)
{
  static const char *classes[] = { "error", "success", "warning", "dim-label", NULL };

  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_text (self->status_label, text);
  set_tooltip_if_changed (GTK_WIDGET (self->status_label), text);
  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css_class);
}

static void
render (JxPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  gint64 started = g_get_monotonic_time ();

  if (self->formatted)
    jx_markdown_render_incremental (buffer, self->text->str, self->text->len, &self->markdown);
  else
    gtk_text_buffer_set_text (buffer, self->text->str, self->text->len);
  self->dirty = FALSE;

  /* Formatting re-renders the answer's last blocks (a long code block can be most of it):
   * keep it under a fifth of the time while streaming (the raw view appends instead). */
  self->next_render = g_get_monotonic_time () + 4 * (g_get_monotonic_time () - started);
}

static void
scroll_to_end (JxPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_insert (buffer), 0, FALSE, 0, 0);
}

static gboolean
is_scrolled_to_end (JxPane *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
         >= gtk_adjustment_get_upper (adj) - 24;
}

/* Moves what arrived since the last frame onto the screen; `force` also renders Markdown
 * that the throttle would hold back (end of stream, copy). */
/* Markdown re-renders of all panes share one budget per frame, so eight long answers
 * don't all re-render in the same frame (bench-ui). */
#define RENDER_BUDGET_US 6000

static gint64 budget_frame = -1;
static gint64 budget_spent_us;

static gboolean
render_budget_allows (gint64 frame)
{
  if (frame != budget_frame)
    {
      budget_frame = frame;
      budget_spent_us = 0;
    }
  return budget_spent_us < RENDER_BUDGET_US;
}

static void
flush_full (JxPane   *self,
            gboolean  force,
            gint64    frame)
{
  gboolean follow;

  if (self->pending->len == 0 && !self->dirty)
    return;

  follow = is_scrolled_to_end (self);

  if (self->pending->len > 0)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

      g_string_append_len (self->text, self->pending->str, self->pending->len);
      if (!self->formatted)
        {
          GtkTextIter end;

          gtk_text_buffer_get_end_iter (buffer, &end);
          gtk_text_buffer_insert (buffer, &end, self->pending->str, self->pending->len);
        }
      else
        self->dirty = TRUE;
      g_string_truncate (self->pending, 0);
    }

  if (self->dirty &&
      (force || (g_get_monotonic_time () >= self->next_render && render_budget_allows (frame))))
    {
      gint64 started = g_get_monotonic_time ();

      render (self);
      budget_spent_us += g_get_monotonic_time () - started;
    }

  if (follow)
    scroll_to_end (self);
}

static void
flush (JxPane *self)
{
  flush_full (self, TRUE, -1);
}

static void
update_live_status (JxPane *self)
{
  if (self->request == NULL)
    return;

  switch (jx_request_get_state (self->request))
    {
    case JX_REQUEST_STATE_IDLE:
    case JX_REQUEST_STATE_WAITING:
      set_status (self, self->reasoning ? _("Thinking…") : _("Waiting…"), "dim-label");
      break;

    case JX_REQUEST_STATE_STREAMING:
      set_status (self, self->reasoning && self->text->len == 0 ? _("Thinking…") : _("Streaming…"),
                  NULL);
      break;

    case JX_REQUEST_STATE_RETRYING:
      {
        gint64 left_us = MAX (0, self->retry_until - g_get_monotonic_time ());
        guint left_s = (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
        g_autofree char *text = NULL;

        /* Translators: the provider is busy or failed; %u is a number of seconds */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Retrying in %u s",
                                             "Retrying in %u s", left_s), left_s);
        set_status (self, text, "warning");
      }
      break;

    case JX_REQUEST_STATE_DONE:
    case JX_REQUEST_STATE_FAILED:
    case JX_REQUEST_STATE_CANCELLED:
    default:
      break;
    }
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  JxPane *self = JX_PANE (widget);

  flush_full (self, self->request == NULL, gdk_frame_clock_get_frame_counter (frame_clock));

  if (self->request != NULL)
    {
      update_live_status (self);
      jx_pane_metrics_update (self->metrics, jx_request_get_response (self->request));
      return G_SOURCE_CONTINUE;
    }

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
request_delta_cb (JxRequest  *request,
                  const char *text,
                  gboolean    is_reasoning,
                  JxPane     *self)
{
  if (request != self->request)
    return;

  if (is_reasoning)
    self->reasoning = TRUE;
  else
    g_string_append (self->pending, text);
}

static void
request_state_changed_cb (JxRequest  *request,
                          GParamSpec *pspec,
                          JxPane     *self)
{
  if (request != self->request)
    return;

  if (jx_request_get_state (request) == JX_REQUEST_STATE_RETRYING)
    self->retry_until = g_get_monotonic_time ()
                        + (gint64) jx_request_get_retry_delay_ms (request) * G_TIME_SPAN_MILLISECOND;

  /* The tick callback shows it; without a frame clock (unmapped) do it now. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_live_status (self);
}

/* When any pane last did its final render: panes that finish together take turns, one a
 * frame, instead of all rendering in one main-loop turn (bench-ui). */
static gint64 final_render_last;

#define FINAL_RENDER_SPACING_MS 16

static gboolean
final_render_cb (gpointer user_data)
{
  JxPane *self = user_data;
  gboolean follow = is_scrolled_to_end (self);
  gint64 now = g_get_monotonic_time ();

  self->final_render = 0;
  if (now - final_render_last < FINAL_RENDER_SPACING_MS * G_TIME_SPAN_MILLISECOND)
    {
      self->final_render = g_timeout_add_full (G_PRIORITY_LOW, FINAL_RENDER_SPACING_MS,
                                               final_render_cb, self, NULL);
      return G_SOURCE_REMOVE;
    }

  final_render_last = now;
  if (self->formatted)
    {
      jx_markdown_render (gtk_text_view_get_buffer (self->text_view), self->text->str, self->text->len);
      memset (&self->markdown, 0, sizeof self->markdown);
      self->markdown.whole_only = TRUE;
      if (follow)
        scroll_to_end (self);
    }

  return G_SOURCE_REMOVE;
}

static void
finish (JxPane     *self,
        JxResponse *response)
{
  g_autofree char *message = NULL;

  flush (self);

  /* The stream is the source of truth: keep everything it received. */
  if (response != NULL && response->text->len > self->text->len &&
      g_str_has_prefix (response->text->str, self->text->str))
    {
      g_string_append (self->pending, response->text->str + self->text->len);
      flush (self);
    }

  /* Once, at the end, the whole answer as one document: exact even where rendering only
   * the tail while streaming took a shortcut. In an idle of its own, so panes that finish
   * together don't all render in one frame. */
  g_clear_handle_id (&self->final_render, g_source_remove);
  if (self->formatted)
    self->final_render = g_idle_add_full (G_PRIORITY_LOW, final_render_cb, self, NULL);

  g_clear_pointer (&self->response, jx_response_unref);
  self->response = response != NULL ? jx_response_ref (response) : NULL;

  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);

  if (response == NULL)
    set_status (self, _("Failed"), "error");
  else if (response->status == JX_RESPONSE_OK)
    set_status (self, _("Done"), "success");
  else if (response->status == JX_RESPONSE_CANCELLED)
    set_status (self, _("Stopped"), "warning");
  else
    {
      /* Translators: %s is the error message, which names the provider */
      message = g_strdup_printf (_("Failed: %s"),
                                 response->error != NULL ? response->error->message : _("unknown error"));
      set_status (self, message, "error");
    }

  jx_pane_metrics_update (self->metrics, response);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(JxPane) self = user_data;
  JxRequest *request = JX_REQUEST (object);
  g_autoptr(JxResponse) response = jx_request_run_finish (request, result, NULL);

  if (request != self->request)
    return;

  finish (self, response);

  g_signal_handlers_disconnect_by_data (self->request, self);
  g_clear_object (&self->request);
  g_clear_object (&self->cancellable);

  update_actions (self);
  sync_running (self);
  g_signal_emit (self, signals[FINISHED], 0);
}

/**
 * jx_pane_run:
 * @self: a #JxPane
 * @engine: the engine to send with
 * @prompt: what to send
 * @run: 1-based round number
 *
 * Sends @prompt to the pane's model and streams the answer in. A running
 * request is stopped first. #JxPane::finished is emitted at the end.
 */
void
jx_pane_run (JxPane         *self,
             JxEngine       *engine,
             const JxPrompt *prompt,
             guint           run)
{
  JxProvider *provider;

  g_return_if_fail (JX_IS_PANE (self));
  g_return_if_fail (JX_IS_ENGINE (engine));
  g_return_if_fail (prompt != NULL);

  jx_pane_stop (self);
  if (self->request != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->request, self);
      g_clear_object (&self->request);
    }

  g_string_truncate (self->text, 0);
  g_string_truncate (self->pending, 0);
  memset (&self->markdown, 0, sizeof self->markdown);
  g_clear_handle_id (&self->final_render, g_source_remove);
  g_clear_pointer (&self->response, jx_response_unref);
  self->reasoning = FALSE;
  self->dirty = FALSE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  jx_pane_set_badges (self, JX_PANE_BADGE_NONE);
  jx_pane_metrics_update (self->metrics, NULL);

  provider = jx_catalog_lookup (jx_engine_get_catalog (engine), self->provider_id);
  if (provider == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a provider id */
      message = g_strdup_printf (_("Failed: no provider “%s” is configured"), self->provider_id);
      set_status (self, message, "error");
      sync_running (self);
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }

  self->request = jx_request_new (engine, provider, self->model, prompt);
  jx_request_set_run (self->request, run);
  g_signal_connect (self->request, "delta", G_CALLBACK (request_delta_cb), self);
  g_signal_connect (self->request, "notify::state", G_CALLBACK (request_state_changed_cb), self);
  self->cancellable = g_cancellable_new ();

  set_status (self, _("Waiting…"), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);

  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);

  jx_request_run_async (self->request, self->cancellable, run_cb, g_object_ref (self));
  update_actions (self);
  sync_running (self);
}

/**
 * jx_pane_stop:
 * @self: a #JxPane
 *
 * Stops a running request. The text received so far stays.
 */
void
jx_pane_stop (JxPane *self)
{
  g_return_if_fail (JX_IS_PANE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
jx_pane_is_running (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), FALSE);
  return self->request != NULL;
}

/**
 * jx_pane_get_response:
 * @self: a #JxPane
 *
 * Returns: (nullable) (transfer none): the response of the last finished round
 */
JxResponse *
jx_pane_get_response (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return self->response;
}

/**
 * jx_pane_get_text:
 * @self: a #JxPane
 *
 * Returns: the answer text shown so far, as the model wrote it
 */
const char *
jx_pane_get_text (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return self->text->str;
}

/* For the tests (jx-pane-private.h). */
const char *
jx_pane_get_status_text (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return self->status_text;
}

/* For the tests (jx-pane-private.h): the figures' labels are its template children. */
JxPaneMetrics *
jx_pane_get_metrics (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return self->metrics;
}

double
jx_pane_get_ttft_ms (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NAN);
  if (self->response == NULL || self->response->status != JX_RESPONSE_OK)
    return NAN;
  return jx_timing_ttft_ms (&self->response->timing);
}

double
jx_pane_get_tokens_per_s (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NAN);
  if (self->response == NULL || self->response->status != JX_RESPONSE_OK)
    return NAN;
  return jx_round_decode_tps (self->response);
}

gint64
jx_pane_get_output_tokens (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), 0);
  if (self->response == NULL)
    return 0;
  return jx_pane_metrics_output_tokens (self->response);
}

/**
 * jx_pane_set_formatted:
 * @self: a #JxPane
 * @formatted: %TRUE to render Markdown, %FALSE for the raw text
 */
void
jx_pane_set_formatted (JxPane   *self,
                       gboolean  formatted)
{
  g_return_if_fail (JX_IS_PANE (self));

  formatted = !!formatted;
  if (self->formatted == formatted)
    return;

  self->formatted = formatted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMATTED]);
  g_clear_handle_id (&self->final_render, g_source_remove);
  gtk_toggle_button_set_active (formatted ? self->formatted_button : self->raw_button, TRUE);
  /* The buffer holds the other view: render the formatted one from the start (as one
   * document unless the answer is still growing). */
  memset (&self->markdown, 0, sizeof self->markdown);
  self->markdown.whole_only = self->request == NULL;
  render (self);
}

static void
format_button_toggled_cb (JxPane          *self,
                          GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    jx_pane_set_formatted (self, button == self->formatted_button);
}

/**
 * jx_pane_set_badges:
 * @self: a #JxPane
 * @badges: which of the round's best figures this pane has
 */
void
jx_pane_set_badges (JxPane       *self,
                    JxPaneBadges  badges)
{
  g_return_if_fail (JX_IS_PANE (self));

  self->badges = badges;
  gtk_widget_set_visible (GTK_WIDGET (self->badge_ttft), (badges & JX_PANE_BADGE_FASTEST_TTFT) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_tps), (badges & JX_PANE_BADGE_FASTEST_TPS) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_cost), (badges & JX_PANE_BADGE_CHEAPEST) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_box), badges != JX_PANE_BADGE_NONE);
  if (badges != JX_PANE_BADGE_NONE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "jx-winner");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "jx-winner");
}

JxPaneBadges
jx_pane_get_badges (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), JX_PANE_BADGE_NONE);
  return self->badges;
}

static void
update_actions (JxPane *self)
{
  gboolean running = self->request != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.rerun", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.copy", self->text->len > 0 || running);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  jx_pane_stop (JX_PANE (widget));
}

static void
rerun_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[RERUN_REQUESTED], 0);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JxPane *self = JX_PANE (widget);

  flush (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->text->str);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[DUPLICATE_REQUESTED], 0);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE_REQUESTED], 0);
}

static void
jx_pane_dispose (GObject *object)
{
  JxPane *self = JX_PANE (object);

  g_clear_handle_id (&self->final_render, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->request != NULL)
    g_signal_handlers_disconnect_by_data (self->request, self);
  g_clear_object (&self->request);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_PANE);

  G_OBJECT_CLASS (jx_pane_parent_class)->dispose (object);
}

static void
jx_pane_finalize (GObject *object)
{
  JxPane *self = JX_PANE (object);

  g_clear_object (&self->catalog);
  g_clear_pointer (&self->listed_models, g_hash_table_unref);
  g_clear_pointer (&self->response, jx_response_unref);
  g_string_free (self->text, TRUE);
  g_string_free (self->pending, TRUE);
  g_free (self->status_text);
  g_free (self->provider_id);
  g_free (self->model);

  G_OBJECT_CLASS (jx_pane_parent_class)->finalize (object);
}

static void
jx_pane_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  JxPane *self = JX_PANE (object);

  switch (prop_id)
    {
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_FORMATTED:
      g_value_set_boolean (value, self->formatted);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, jx_pane_is_running (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_pane_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  JxPane *self = JX_PANE (object);

  switch (prop_id)
    {
    case PROP_FORMATTED:
      jx_pane_set_formatted (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_pane_class_init (JxPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_pane_dispose;
  object_class->finalize = jx_pane_finalize;
  object_class->get_property = jx_pane_get_property;
  object_class->set_property = jx_pane_set_property;

  /**
   * JxPane::finished:
   *
   * The request of this pane ended: done, failed or stopped.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE_REQUESTED] = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
  signals[DUPLICATE_REQUESTED] = g_signal_new ("duplicate-requested", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 0);
  signals[RERUN_REQUESTED] = g_signal_new ("rerun-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  /**
   * JxPane:provider-id:
   *
   * The id of the provider of the pane's model.
   */
  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * JxPane:model:
   *
   * The id of the pane's model, notified whenever another model is picked (also one of the
   * same id at another provider), so that the window can save the panes.
   */
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * JxPane:formatted:
   *
   * Whether the answer is rendered as Markdown (else shown as the model wrote it).
   */
  properties[PROP_FORMATTED] =
    g_param_spec_boolean ("formatted", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * JxPane:running:
   *
   * Whether a request is under way.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JX_TYPE_MODEL_PICKER);
  g_type_ensure (JX_TYPE_PANE_METRICS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPane, model_picker);
  gtk_widget_class_bind_template_child (widget_class, JxPane, simulated_label);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_box);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_ttft);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_tps);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_cost);
  gtk_widget_class_bind_template_child (widget_class, JxPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, JxPane, text_view);
  gtk_widget_class_bind_template_child (widget_class, JxPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, JxPane, spinner);
  gtk_widget_class_bind_template_child (widget_class, JxPane, metrics);
  gtk_widget_class_bind_template_child (widget_class, JxPane, formatted_button);
  gtk_widget_class_bind_template_child (widget_class, JxPane, raw_button);
  gtk_widget_class_bind_template_callback (widget_class, picker_selected_choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_button_toggled_cb);

  gtk_widget_class_install_action (widget_class, "pane.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "pane.rerun", NULL, rerun_action);
  gtk_widget_class_install_action (widget_class, "pane.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "pane.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "pane.remove", NULL, remove_action);
}

static void
jx_pane_init (JxPane *self)
{
  self->text = g_string_new (NULL);
  self->pending = g_string_new (NULL);
  self->formatted = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  jx_markdown_ensure_tags (gtk_text_view_get_buffer (self->text_view));
  set_status (self, _("Ready"), "dim-label");
  update_actions (self);
}
