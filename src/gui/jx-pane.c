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
#include "jx-pane.h"

struct _JxPane
{
  GtkBox          parent_instance;

  JxCatalog      *catalog;
  GtkStringList  *model_list;   /* "model · Provider" shown in the picker */
  GHashTable     *listed_models; /* provider id → model ids its list endpoint reported */
  GPtrArray      *keys;         /* "provider:model", parallel to model_list */
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
  gboolean        updating_selection;

  /* Template widgets */
  GtkDropDown    *model_dropdown;
  GtkLabel       *simulated_label;
  GtkBox         *badge_box;
  GtkLabel       *badge_ttft;
  GtkLabel       *badge_tps;
  GtkLabel       *badge_cost;
  GtkScrolledWindow *scroller;
  GtkTextView    *text_view;
  GtkLabel       *status_label;
  GtkSpinner     *spinner;
  GtkLabel       *ttft_value;
  GtkLabel       *tps_value;
  GtkLabel       *itl_value;
  GtkLabel       *tokens_value;
  GtkLabel       *cost_value;
  GtkToggleButton *formatted_button;
  GtkToggleButton *raw_button;
};

G_DEFINE_FINAL_TYPE (JxPane, jx_pane, GTK_TYPE_BOX)

enum {
  FINISHED,
  REMOVE_REQUESTED,
  DUPLICATE_REQUESTED,
  RERUN_REQUESTED,
  MODEL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void jx_pane_update_actions (JxPane *self);

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

static char *
format_title (JxProvider *provider,
              const char *provider_id,
              const char *model)
{
  /* Translators: a model and its provider, e.g. “gpt-4o · OpenAI”; the model comes first
   * because it is what differs between panes and a narrow picker cuts off the end. */
  return g_strdup_printf (_("%s · %s"), model,
                          provider != NULL && provider->name != NULL ? provider->name : provider_id);
}

static void
jx_pane_update_simulated (JxPane *self)
{
  JxProvider *provider = self->catalog != NULL ? jx_catalog_lookup (self->catalog, self->provider_id)
                                               : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->simulated_label),
                          provider != NULL && jx_provider_is_simulated (provider));
}

static void
add_choice (JxPane     *self,
            GPtrArray  *labels,
            JxProvider *provider,
            const char *model_id,
            guint      *selected)
{
  if (g_strcmp0 (provider->id, self->provider_id) == 0 && g_strcmp0 (model_id, self->model) == 0)
    *selected = self->keys->len;
  g_ptr_array_add (self->keys, g_strdup_printf ("%s:%s", provider->id, model_id));
  g_ptr_array_add (labels, format_title (provider, provider->id, model_id));
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
  g_autoptr(GPtrArray) labels = NULL;
  GPtrArray *providers;
  guint selected = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (JX_IS_PANE (self));
  g_return_if_fail (JX_IS_CATALOG (catalog));

  g_set_object (&self->catalog, catalog);

  labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (self->keys, 0);

  providers = jx_catalog_get_providers (catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);
      const char * const *listed = self->listed_models != NULL
                                   ? g_hash_table_lookup (self->listed_models, provider->id) : NULL;

      /* The catalog's models (with prices) first, then what the provider itself lists. */
      for (guint j = 0; j < provider->models->len; j++)
        add_choice (self, labels, provider, ((JxModel *) g_ptr_array_index (provider->models, j))->id,
                    &selected);
      for (guint j = 0; listed != NULL && listed[j] != NULL; j++)
        if (jx_provider_find_model (provider, listed[j]) == NULL)
          add_choice (self, labels, provider, listed[j], &selected);
    }

  if (selected == GTK_INVALID_LIST_POSITION && self->provider_id != NULL && self->model != NULL)
    {
      selected = self->keys->len;
      g_ptr_array_add (self->keys, g_strdup_printf ("%s:%s", self->provider_id, self->model));
      g_ptr_array_add (labels, format_title (jx_catalog_lookup (catalog, self->provider_id),
                                             self->provider_id, self->model));
    }
  g_ptr_array_add (labels, NULL);

  self->updating_selection = TRUE;
  gtk_string_list_splice (self->model_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->model_list)),
                          (const char * const *) labels->pdata);
  gtk_drop_down_set_selected (self->model_dropdown, selected);
  self->updating_selection = FALSE;

  jx_pane_update_simulated (self);
}

static void
on_selected_changed (JxPane     *self,
                     GParamSpec *pspec,
                     GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  const char *key;
  const char *colon;

  if (self->updating_selection || selected >= self->keys->len)
    return;

  key = g_ptr_array_index (self->keys, selected);
  colon = strchr (key, ':');
  g_free (self->provider_id);
  g_free (self->model);
  self->provider_id = g_strndup (key, colon - key);
  self->model = g_strdup (colon + 1);

  jx_pane_update_simulated (self);
  g_signal_emit (self, signals[MODEL_CHANGED], 0);
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
  g_autofree char *key = g_strdup_printf ("%s:%s", provider_id, model);

  g_return_val_if_fail (JX_IS_PANE (self), FALSE);

  for (guint i = 0; i < self->keys->len; i++)
    if (g_str_equal (g_ptr_array_index (self->keys, i), key))
      {
        gtk_drop_down_set_selected (self->model_dropdown, i);
        return TRUE;
      }

  return FALSE;
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
  return format_title (self->catalog != NULL ? jx_catalog_lookup (self->catalog, self->provider_id) : NULL,
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

static gboolean
is_estimate (const JxResponse *response)
{
  return response->usage.source != JX_USAGE_SOURCE_PROVIDER;
}

static gint64
output_tokens (const JxResponse *response)
{
  if (response->usage.source != JX_USAGE_SOURCE_NONE)
    return response->usage.output_tokens;
  return jx_usage_estimate_tokens (response->text->str);
}

static char *
format_ms (double ms)
{
  if (!isfinite (ms) || ms < 0)
    return g_strdup ("—");
  if (ms >= 1000)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%.2f s"), ms / 1000.0);
  /* Translators: a duration in milliseconds */
  return g_strdup_printf (_("%.0f ms"), ms);
}

/* What the compact figures hide: cached and reasoning tokens, and where they come from. */
static void
jx_pane_update_breakdown (JxPane     *self,
                          JxResponse *response)
{
  const JxUsage *usage = &response->usage;
  g_autoptr(GString) tokens = g_string_new (NULL);
  char count[32];
  const char *source;

  if (usage->source == JX_USAGE_SOURCE_NONE)
    {
      set_tooltip_if_changed (GTK_WIDGET (self->tokens_value), NULL);
      set_tooltip_if_changed (GTK_WIDGET (self->cost_value), NULL);
      return;
    }

  source = usage->source == JX_USAGE_SOURCE_PROVIDER ? _("reported by the provider")
                                                      : _("estimated by Juxta");
#define COUNT(n) (g_snprintf (count, sizeof count, "%" G_GINT64_FORMAT, (gint64) (n)), count)
  /* Translators: the lines of a tooltip that break down an answer's token counts */
  g_string_append_printf (tokens, _("Input: %s tokens"), COUNT (usage->input_tokens));
  if (usage->cached_input_tokens > 0)
    g_string_append_printf (tokens, _(", %s of them cached"), COUNT (usage->cached_input_tokens));
  if (usage->cache_write_tokens > 0)
    g_string_append_printf (tokens, _(", %s written to the cache"), COUNT (usage->cache_write_tokens));
  g_string_append_c (tokens, '\n');
  g_string_append_printf (tokens, _("Output: %s tokens"), COUNT (usage->output_tokens));
  if (usage->reasoning_tokens > 0)
    g_string_append_printf (tokens, _(", %s of them reasoning"), COUNT (usage->reasoning_tokens));
#undef COUNT
  g_string_append_printf (tokens, "\n%s", source);
  set_tooltip_if_changed (GTK_WIDGET (self->tokens_value), tokens->str);

  if (response->cost_from_provider)
    set_tooltip_if_changed (GTK_WIDGET (self->cost_value), _("Charged amount reported by the provider"));
  else if (isfinite (response->cost_usd))
    set_tooltip_if_changed (GTK_WIDGET (self->cost_value),
                            usage->source == JX_USAGE_SOURCE_PROVIDER
                                 ? _("Reported tokens × the catalog’s list prices")
                                 : _("Estimate: estimated tokens × the catalog’s list prices"));
}

static void
jx_pane_update_metrics (JxPane     *self,
                        JxResponse *response)
{
  g_autofree char *ttft = NULL;
  g_autofree char *tps = NULL;
  g_autofree char *itl = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *cost = NULL;
  const char *approx;
  gint64 out;
  double rate;

  if (response == NULL)
    {
      gtk_label_set_text (self->ttft_value, "—");
      gtk_label_set_text (self->tps_value, "—");
      gtk_label_set_text (self->itl_value, "—");
      gtk_label_set_text (self->tokens_value, "—");
      gtk_label_set_text (self->cost_value, "—");
      return;
    }

  approx = is_estimate (response) ? "~" : "";
  out = output_tokens (response);

  ttft = format_ms (jx_timing_ttft_ms (&response->timing));
  rate = jx_timing_decode_tps (&response->timing, out);
  tps = isfinite (rate) ? g_strdup_printf ("%.1f", rate) : g_strdup ("—");
  itl = format_ms (jx_timing_itl_mean_ms (&response->timing, out));

  if (response->usage.source == JX_USAGE_SOURCE_NONE)
    tokens = g_strdup_printf ("— → ~%" G_GINT64_FORMAT, out);
  else
    tokens = g_strdup_printf ("%s%" G_GINT64_FORMAT " → %s%" G_GINT64_FORMAT,
                              approx, response->usage.input_tokens, approx, out);

  if (!isfinite (response->cost_usd))
    cost = g_strdup ("—");
  else
    cost = g_strdup_printf ("%s$%.6f", response->cost_from_provider ? "" : approx, response->cost_usd);

  gtk_label_set_text (self->ttft_value, ttft);
  gtk_label_set_text (self->tps_value, tps);
  gtk_label_set_text (self->itl_value, itl);
  gtk_label_set_text (self->tokens_value, tokens);
  gtk_label_set_text (self->cost_value, cost);
  jx_pane_update_breakdown (self, response);
}

static void
jx_pane_render (JxPane *self)
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
jx_pane_flush_full (JxPane   *self,
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

      jx_pane_render (self);
      budget_spent_us += g_get_monotonic_time () - started;
    }

  if (follow)
    scroll_to_end (self);
}

static void
jx_pane_flush (JxPane *self)
{
  jx_pane_flush_full (self, TRUE, -1);
}

static void
jx_pane_update_live_status (JxPane *self)
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
jx_pane_tick (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  JxPane *self = JX_PANE (widget);

  jx_pane_flush_full (self, self->request == NULL, gdk_frame_clock_get_frame_counter (frame_clock));

  if (self->request != NULL)
    {
      jx_pane_update_live_status (self);
      jx_pane_update_metrics (self, jx_request_get_response (self->request));
      return G_SOURCE_CONTINUE;
    }

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_delta (JxRequest  *request,
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
on_state_changed (JxRequest *request,
                  JxPane    *self)
{
  if (request != self->request)
    return;

  if (jx_request_get_state (request) == JX_REQUEST_STATE_RETRYING)
    self->retry_until = g_get_monotonic_time ()
                        + (gint64) jx_request_get_retry_delay_ms (request) * 1000;

  /* The tick callback shows it; without a frame clock (unmapped) do it now. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    jx_pane_update_live_status (self);
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
  if (now - final_render_last < FINAL_RENDER_SPACING_MS * 1000)
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
jx_pane_finish (JxPane     *self,
                JxResponse *response)
{
  g_autofree char *message = NULL;

  jx_pane_flush (self);

  /* The stream is the source of truth: keep everything it received. */
  if (response != NULL && response->text->len > self->text->len &&
      g_str_has_prefix (response->text->str, self->text->str))
    {
      g_string_append (self->pending, response->text->str + self->text->len);
      jx_pane_flush (self);
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
                                 response->error != NULL ? response->error : _("unknown error"));
      set_status (self, message, "error");
    }

  jx_pane_update_metrics (self, response);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(JxPane) self = user_data;
  JxRequest *request = JX_REQUEST (object);
  g_autoptr(JxResponse) response = jx_request_run_finish (request, result);

  if (request != self->request)
    return;

  jx_pane_finish (self, response);

  g_signal_handlers_disconnect_by_data (self->request, self);
  g_clear_object (&self->request);
  g_clear_object (&self->cancellable);

  jx_pane_update_actions (self);
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
  jx_pane_update_metrics (self, NULL);

  provider = jx_catalog_lookup (jx_engine_get_catalog (engine), self->provider_id);
  if (provider == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a provider id */
      message = g_strdup_printf (_("Failed: no provider “%s” is configured"), self->provider_id);
      set_status (self, message, "error");
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }

  self->request = jx_request_new (engine, provider, self->model, prompt);
  jx_request_set_run (self->request, run);
  g_signal_connect (self->request, "delta", G_CALLBACK (on_delta), self);
  g_signal_connect (self->request, "state-changed", G_CALLBACK (on_state_changed), self);
  self->cancellable = g_cancellable_new ();

  set_status (self, _("Waiting…"), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);

  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), jx_pane_tick, NULL, NULL);

  jx_request_run_async (self->request, self->cancellable, run_cb, g_object_ref (self));
  jx_pane_update_actions (self);
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

const char *
jx_pane_get_status_text (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), NULL);
  return self->status_text;
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
  return jx_timing_decode_tps (&self->response->timing, output_tokens (self->response));
}

gint64
jx_pane_get_output_tokens (JxPane *self)
{
  g_return_val_if_fail (JX_IS_PANE (self), 0);
  if (self->response == NULL)
    return 0;
  return output_tokens (self->response);
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
  g_clear_handle_id (&self->final_render, g_source_remove);
  gtk_toggle_button_set_active (formatted ? self->formatted_button : self->raw_button, TRUE);
  /* The buffer holds the other view: render the formatted one from the start (as one
   * document unless the answer is still growing). */
  memset (&self->markdown, 0, sizeof self->markdown);
  self->markdown.whole_only = self->request == NULL;
  jx_pane_render (self);
}

static void
on_format_toggled (JxPane          *self,
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
jx_pane_update_actions (JxPane *self)
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

  jx_pane_flush (self);
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
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

static GtkListItemFactory *
label_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label), NULL);

  return factory;
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
  g_clear_object (&self->model_list);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->response, jx_response_unref);
  g_string_free (self->text, TRUE);
  g_string_free (self->pending, TRUE);
  g_free (self->status_text);
  g_free (self->provider_id);
  g_free (self->model);

  G_OBJECT_CLASS (jx_pane_parent_class)->finalize (object);
}

static void
jx_pane_class_init (JxPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_pane_dispose;
  object_class->finalize = jx_pane_finalize;

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
  signals[MODEL_CHANGED] = g_signal_new ("model-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPane, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxPane, simulated_label);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_box);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_ttft);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_tps);
  gtk_widget_class_bind_template_child (widget_class, JxPane, badge_cost);
  gtk_widget_class_bind_template_child (widget_class, JxPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, JxPane, text_view);
  gtk_widget_class_bind_template_child (widget_class, JxPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, JxPane, spinner);
  gtk_widget_class_bind_template_child (widget_class, JxPane, ttft_value);
  gtk_widget_class_bind_template_child (widget_class, JxPane, tps_value);
  gtk_widget_class_bind_template_child (widget_class, JxPane, itl_value);
  gtk_widget_class_bind_template_child (widget_class, JxPane, tokens_value);
  gtk_widget_class_bind_template_child (widget_class, JxPane, cost_value);
  gtk_widget_class_bind_template_child (widget_class, JxPane, formatted_button);
  gtk_widget_class_bind_template_child (widget_class, JxPane, raw_button);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_format_toggled);

  gtk_widget_class_install_action (widget_class, "pane.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "pane.rerun", NULL, rerun_action);
  gtk_widget_class_install_action (widget_class, "pane.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "pane.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "pane.remove", NULL, remove_action);
}

static void
jx_pane_init (JxPane *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkListItemFactory) list_factory = NULL;

  self->model_list = gtk_string_list_new (NULL);
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->text = g_string_new (NULL);
  self->pending = g_string_new (NULL);
  self->formatted = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = label_factory (TRUE);
  list_factory = label_factory (FALSE);
  gtk_drop_down_set_factory (self->model_dropdown, factory);
  gtk_drop_down_set_list_factory (self->model_dropdown, list_factory);
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (self->model_list));

  jx_markdown_ensure_tags (gtk_text_view_get_buffer (self->text_view));
  set_status (self, _("Ready"), "dim-label");
  jx_pane_update_metrics (self, NULL);
  jx_pane_update_actions (self);
}
