/* jx-models.c — model lists from the providers' list endpoints
 *
 * The request is the adapter's (build_list_message: URL, page size, auth headers). Every
 * list shape in docs/protocols.md, "Model lists" is read by one tolerant parser:
 * {"data":[{"id"}]} (OpenAI and most), a bare array (Together), {"models":[{"name"}]}
 * (Gemini "models/…", Cohere, Ollama). Anything that goes wrong short of a rejected key
 * falls back to the catalog, so a model picker always has something to show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "jx-adapter.h"
#include "jx-credential-policy.h"
#include "jx-json.h"
#include "jx-models.h"

#define LIST_TIMEOUT_SECONDS    20
#define DETECT_TIMEOUT_MS       1000
#define DEFAULT_OLLAMA_URL      "http://127.0.0.1:11434"

typedef struct
{
  GPtrArray *ids;
  char      *fingerprint;
} CacheEntry;

typedef struct
{
  GPtrArray      *ids;
  JxModelsSource  source;
} ListResult;

typedef struct
{
  JxEngine     *engine;
  JxProvider   *provider;       /* NULL when detecting Ollama */
  char         *fingerprint;
  gboolean      sent_key;
  GCancellable *cancellable;    /* ours: cancelled by the caller's or by the timeout */
  GCancellable *caller;
  gulong        caller_id;
  GSource      *timeout;
  gboolean      timed_out;
} ListData;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_ptr_array_unref (entry->ids);
  g_free (entry->fingerprint);
  g_free (entry);
}

static void
list_result_free (gpointer data)
{
  ListResult *result = data;

  g_clear_pointer (&result->ids, g_ptr_array_unref);
  g_free (result);
}

static void
list_data_free (gpointer data)
{
  ListData *self = data;

  if (self->caller != NULL)
    g_cancellable_disconnect (self->caller, self->caller_id);
  g_clear_object (&self->caller);
  if (self->timeout != NULL)
    g_source_destroy (self->timeout);
  g_clear_pointer (&self->timeout, g_source_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->provider, jx_provider_unref);
  g_clear_object (&self->engine);
  g_free (self->fingerprint);
  g_free (self);
}

static GPtrArray *
copy_ids (GPtrArray *ids)
{
  GPtrArray *copy = g_ptr_array_new_full (ids->len, g_free);

  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (ids, i)));

  return copy;
}

static GPtrArray *
catalog_ids (JxProvider *provider)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; provider->models != NULL && i < provider->models->len; i++)
    {
      JxModel *model = g_ptr_array_index (provider->models, i);

      g_ptr_array_add (ids, g_strdup (model->id));
    }

  return ids;
}

static void
return_list (GTask          *task,
             GPtrArray      *ids,
             JxModelsSource  source)
{
  ListResult *result = g_new0 (ListResult, 1);

  result->ids = ids;
  result->source = source;
  g_task_return_pointer (task, result, list_result_free);
}

static const char *
provider_name (JxProvider *provider)
{
  return provider->name != NULL ? provider->name : provider->id;
}

/* NULL when the body is none of the known shapes. With ollama_only, only {"models":[…]}. */
static GPtrArray *
parse_model_list (GBytes   *body,
                  gboolean  ollama_only)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  JsonArray *items = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  if (data == NULL || (root = jx_json_parse (data, len)) == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (root) && !ollama_only)
    items = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      items = jx_json_get_array (object, "models");
      if (items == NULL && !ollama_only)
        items = jx_json_get_array (object, "data");
    }
  if (items == NULL)
    return NULL;

  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *id = NULL;

      if (JSON_NODE_HOLDS_OBJECT (item))
        {
          JsonObject *object = json_node_get_object (item);

          if ((id = jx_json_get_string (object, "id")) == NULL)
            id = jx_json_get_string (object, "name");
        }
      else if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        id = json_node_get_string (item);

      if (id == NULL)
        continue;
      /* Gemini names its models "models/gemini-2.5-flash"; requests use the bare id. */
      if (g_str_has_prefix (id, "models/"))
        id += strlen ("models/");
      if (*id != '\0')
        g_ptr_array_add (ids, g_strdup (id));
    }

  return g_steal_pointer (&ids);
}

static GHashTable *
get_cache (JxEngine *engine)
{
  return jx_engine_get_model_list_cache (engine, cache_entry_free);
}

/* A digest rather than the key itself: the cache must not keep secrets in memory. */
static char *
make_fingerprint (JxProvider *provider,
                  const char *url,
                  const char *credential)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) url, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) jx_auth_kind_to_string (provider->auth_kind), -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (credential != NULL)
    g_checksum_update (checksum, (const guchar *) credential, -1);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
cache_store (JxEngine   *engine,
             JxProvider *provider,
             const char *fingerprint,
             GPtrArray  *ids)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  entry->ids = copy_ids (ids);
  entry->fingerprint = g_strdup (fingerprint);
  g_hash_table_replace (get_cache (engine), g_strdup (provider->id), entry);
}

void
jx_models_forget (JxEngine   *engine,
                  const char *provider_id)
{
  g_return_if_fail (JX_IS_ENGINE (engine));

  if (provider_id == NULL)
    g_hash_table_remove_all (get_cache (engine));
  else
    g_hash_table_remove (get_cache (engine), provider_id);
}

static gboolean
body_blames_key (GBytes *body)
{
  gsize len;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *text = NULL;

  if (data == NULL || len == 0)
    return FALSE;
  text = g_strndup (data, MIN (len, 64 * 1024));
  return strstr (text, "API key") != NULL || strstr (text, "API_KEY") != NULL;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  ListData *self = user_data;

  g_cancellable_cancel (self->cancellable);
}

/* g_task_attach_source() passes the task, not our data. */
static gboolean
timeout_cb (gpointer user_data)
{
  ListData *self = g_task_get_task_data (G_TASK (user_data));

  self->timed_out = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->timeout, g_source_unref);

  return G_SOURCE_REMOVE;
}

static ListData *
list_data_new (GTask        *task,
               JxEngine     *engine,
               JxProvider   *provider,
               GCancellable *caller,
               guint         timeout_ms)
{
  ListData *self = g_new0 (ListData, 1);

  self->engine = g_object_ref (engine);
  self->provider = provider != NULL ? jx_provider_ref (provider) : NULL;
  self->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, self, list_data_free);

  if (caller != NULL)
    {
      self->caller = g_object_ref (caller);
      self->caller_id = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled_cb), self, NULL);
    }

  self->timeout = g_timeout_source_new (timeout_ms);
  g_task_attach_source (task, self->timeout, timeout_cb);

  return self;
}

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *self = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  JxProvider *provider = self->provider;
  GPtrArray *ids;
  guint status;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (body == NULL)
    {
      /* Offline, refused, DNS, TLS, our timeout: the catalog still knows some models. */
      g_debug ("listing %s models failed: %s", provider->id, error->message);
      return_list (task, catalog_ids (provider), JX_MODELS_SOURCE_FALLBACK);
      return;
    }

  status = soup_message_get_status (message);
  if (self->sent_key && (status == 401 || status == 403 || (status == 400 && body_blames_key (body))))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               status == 403 ? "access denied by %s (%u)" : "key rejected by %s (%u)",
                               provider_name (provider), status);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || (ids = parse_model_list (body, FALSE)) == NULL)
    {
      g_debug ("listing %s models failed: HTTP %u", provider->id, status);
      return_list (task, catalog_ids (provider), JX_MODELS_SOURCE_FALLBACK);
      return;
    }

  cache_store (self->engine, provider, self->fingerprint, ids);
  return_list (task, ids, JX_MODELS_SOURCE_PROVIDER);
}

void
jx_models_list_async (JxEngine            *engine,
                      JxProvider          *provider,
                      const char          *credential,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fingerprint = NULL;
  const JxAdapter *adapter;
  gboolean sent_key = FALSE;
  g_autoptr(GError) error = NULL;
  CacheEntry *entry;
  ListData *self;
  GUri *uri;

  g_return_if_fail (JX_IS_ENGINE (engine));
  g_return_if_fail (provider != NULL);

  task = g_task_new (engine, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_models_list_async);

  adapter = jx_adapter_for_provider (provider);
  if (adapter == NULL || adapter->build_list_message == NULL ||
      (message = adapter->build_list_message (adapter, provider, credential, &sent_key)) == NULL)
    {
      return_list (task, catalog_ids (provider), JX_MODELS_SOURCE_CATALOG);
      return;
    }

  uri = soup_message_get_uri (message);
  url = g_uri_to_string (uri);
  fingerprint = make_fingerprint (provider, url, credential);
  entry = g_hash_table_lookup (get_cache (engine), provider->id);
  if (entry != NULL && g_str_equal (entry->fingerprint, fingerprint))
    {
      return_list (task, copy_ids (entry->ids), JX_MODELS_SOURCE_PROVIDER);
      return;
    }

  self = list_data_new (task, engine, provider, cancellable, LIST_TIMEOUT_SECONDS * 1000);
  self->fingerprint = g_steal_pointer (&fingerprint);
  self->sent_key = sent_key;

  /* The same key-host rule as requests: the credential was looked up for this provider. */
  if (self->sent_key &&
      !jx_credential_policy_check (provider, uri, JX_CREDENTIAL_SOURCE_LOOKUP, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A redirect could carry the key to another host. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  soup_session_send_and_read_async (jx_engine_get_session (engine), message, G_PRIORITY_DEFAULT,
                                    self->cancellable, list_done_cb, g_steal_pointer (&task));
}

GPtrArray *
jx_models_list_finish (GAsyncResult    *result,
                       JxModelsSource  *source,
                       GError         **error)
{
  ListResult *list;
  GPtrArray *ids;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == jx_models_list_async, NULL);

  if ((list = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return NULL;

  ids = g_steal_pointer (&list->ids);
  if (source != NULL)
    *source = list->source;
  list_result_free (list);

  return ids;
}

/* ---- Ollama detection ------------------------------------------------------------------ */

static void
detect_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Nothing listening, too slow, or something that is not Ollama: no Ollama. */
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_return_pointer (task, parse_model_list (body, TRUE), (GDestroyNotify) g_ptr_array_unref);
}

void
jx_models_detect_ollama_async (JxEngine            *engine,
                               const char          *base_url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  ListData *self;

  g_return_if_fail (JX_IS_ENGINE (engine));

  task = g_task_new (engine, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_models_detect_ollama_async);

  url = jx_adapter_join_url (base_url != NULL && *base_url != '\0' ? base_url : DEFAULT_OLLAMA_URL, "api/tags");
  if ((message = soup_message_new (SOUP_METHOD_GET, url)) == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  self = list_data_new (task, engine, NULL, cancellable, DETECT_TIMEOUT_MS);
  soup_session_send_and_read_async (jx_engine_get_session (engine), message, G_PRIORITY_DEFAULT,
                                    self->cancellable, detect_done_cb, g_steal_pointer (&task));
}

GPtrArray *
jx_models_detect_ollama_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == jx_models_detect_ollama_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
