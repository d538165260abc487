/* jx-history-recorder.c — writes one round of the window into the history as it happens
 *
 * The round is begun on the history's worker thread; its id comes back asynchronously, so a
 * response that ends first (a fast local model, an immediate error) waits here until it does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-history-recorder.h"

typedef struct
{
  guint       pane_index;
  JxResponse *response;
  char       *price_source;
} Pending;

struct _JxHistoryRecorder
{
  GObject       parent_instance;

  JxHistory    *history;
  JxCatalog    *catalog;
  GPtrArray    *pane_keys;   /* gconstpointer, never dereferenced */
  gint64        round_id;
  gboolean      failed;
  GArray       *pending;     /* Pending, until round_id is known */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (JxHistoryRecorder, jx_history_recorder, G_TYPE_OBJECT)

static void
pending_clear (Pending *p)
{
  g_clear_pointer (&p->response, jx_response_unref);
  g_clear_pointer (&p->price_source, g_free);
}

/* Where the cost of @response comes from, as the history records it; NULL = unknown. */
static char *
price_source (JxHistoryRecorder *self,
              JxResponse        *response)
{
  JxProvider *provider;
  JxModel *model;

  if (isnan (response->cost_usd))
    return NULL;
  if (response->cost_from_provider)
    return g_strdup ("provider");

  provider = jx_catalog_lookup (self->catalog, response->provider_id);
  model = provider != NULL ? jx_provider_find_model (provider, response->model) : NULL;
  return g_strdup (model != NULL && model->price_overridden ? "override" : "catalog");
}

static void
round_begun_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JxHistoryRecorder) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = jx_history_begin_round_finish (JX_HISTORY (object), result, &error);

  if (id <= 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not store the round in the history: %s", error->message);
      self->failed = TRUE;
      g_array_set_size (self->pending, 0);
      return;
    }

  self->round_id = id;
  for (guint i = 0; i < self->pending->len; i++)
    {
      Pending *p = &g_array_index (self->pending, Pending, i);

      jx_history_add_response (self->history, id, p->pane_index, p->response, p->price_source);
    }
  g_array_set_size (self->pending, 0);
}

/**
 * jx_history_recorder_new:
 * @history: the store
 * @catalog: the catalog the round runs on (for the price source of each cost)
 * @prompt: the prompt and panes
 * @pane_keys: (element-type gpointer): one key per pane of @prompt
 *
 * Returns: (transfer full): a recorder whose round is being stored
 */
JxHistoryRecorder *
jx_history_recorder_new (JxHistory       *history,
                         JxCatalog       *catalog,
                         JxHistoryPrompt *prompt,
                         GPtrArray       *pane_keys)
{
  JxHistoryRecorder *self;

  g_return_val_if_fail (JX_IS_HISTORY (history), NULL);
  g_return_val_if_fail (prompt != NULL && pane_keys != NULL, NULL);
  g_return_val_if_fail (prompt->panes->len == pane_keys->len, NULL);

  self = g_object_new (JX_TYPE_HISTORY_RECORDER, NULL);
  self->history = g_object_ref (history);
  self->catalog = g_object_ref (catalog);
  self->pane_keys = g_ptr_array_copy (pane_keys, NULL, NULL);
  jx_history_begin_round_async (history, prompt, self->cancellable, round_begun_cb,
                                g_object_ref (self));
  return self;
}

void
jx_history_recorder_add (JxHistoryRecorder *self,
                         gconstpointer      pane_key,
                         JxResponse        *response)
{
  guint index;

  g_return_if_fail (JX_IS_HISTORY_RECORDER (self));

  if (response == NULL || self->failed ||
      !g_ptr_array_find (self->pane_keys, pane_key, &index))
    return;

  if (self->round_id > 0)
    {
      g_autofree char *source = price_source (self, response);

      jx_history_add_response (self->history, self->round_id, index, response, source);
    }
  else
    {
      Pending p = { index, jx_response_ref (response), price_source (self, response) };

      g_array_append_val (self->pending, p);
    }
}

gboolean
jx_history_recorder_is_settled (JxHistoryRecorder *self)
{
  g_return_val_if_fail (JX_IS_HISTORY_RECORDER (self), TRUE);
  return self->round_id > 0 || self->failed;
}

gint64
jx_history_recorder_get_round_id (JxHistoryRecorder *self)
{
  g_return_val_if_fail (JX_IS_HISTORY_RECORDER (self), 0);
  return self->round_id;
}

static void
jx_history_recorder_finalize (GObject *object)
{
  JxHistoryRecorder *self = JX_HISTORY_RECORDER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->pane_keys, g_ptr_array_unref);
  g_clear_object (&self->catalog);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (jx_history_recorder_parent_class)->finalize (object);
}

static void
jx_history_recorder_class_init (JxHistoryRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jx_history_recorder_finalize;
}

static void
jx_history_recorder_init (JxHistoryRecorder *self)
{
  self->pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (self->pending, (GDestroyNotify) pending_clear);
  self->cancellable = g_cancellable_new ();
}
