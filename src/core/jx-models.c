/* jx-models.c — model lists from the providers' list endpoints
 *
 * Every list shape in providers.md's "Models" paragraphs is read by one tolerant parser:
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

#define CACHE_DATA_KEY          "jx-models-cache"
#define LIST_TIMEOUT_SECONDS    20
#define DETECT_TIMEOUT_MS       1000
#define DEFAULT_OLLAMA_URL      "http://127.0.0.1:11434"
#define DEFAULT_ANTHROPIC_VERSION "2023-06-01"

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
  GHashTable *cache = g_object_get_data (G_OBJECT (engine), CACHE_DATA_KEY);

  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
      g_object_set_data_full (G_OBJECT (engine), CACHE_DATA_KEY, cache,
                              (GDestroyNotify) g_hash_table_unref);
    }

  return cache;
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
  g_checksum_update (checksum, (const guchar *) (provider->auth_kind != NULL ? provider->auth_kind : ""), -1);
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

/* Providers whose list endpoint needs more than a key (OAuth, SigV4, a deployment), or that
 * have none Juxta can use: their catalog list is all there is. */
static gboolean
has_list_endpoint (JxProvider *provider)
{
  static const char * const without[] = { "replicate", "azure-openai", "bedrock", "vertex", "simulated" };
  const char *auth = provider->auth_kind != NULL ? provider->auth_kind : "bearer";

  if (provider->models_path == NULL || *provider->models_path == '\0' ||
      provider->base_url == NULL || *provider->base_url == '\0' ||
      strchr (provider->base_url, '{') != NULL ||
      g_str_equal (auth, "google-oauth") || g_str_equal (auth, "aws"))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (without); i++)
    if (g_strcmp0 (provider->protocol, without[i]) == 0)
      return FALSE;

  return TRUE;
}

static char *
build_list_url (JxProvider *provider)
{
  g_autofree char *url = jx_adapter_join_url (provider->base_url, provider->models_path);
  const char *query = NULL;

  /* One big page instead of following cursors: the defaults are 20 (Anthropic, Cohere)
   * or 50 (Gemini), which would hide most models. */
  if (g_strcmp0 (provider->protocol, "anthropic") == 0)
    query = "limit=1000";
  else if (g_strcmp0 (provider->protocol, "gemini") == 0)
    query = "pageSize=1000";
  else if (g_strcmp0 (provider->protocol, "cohere") == 0)
    query = "endpoint=chat&page_size=1000";

  if (query == NULL || strchr (url, '?') != NULL)
    return g_steal_pointer (&url);
  return g_strconcat (url, "?", query, NULL);
}

/* The same headers the provider's adapter authenticates with. */
static gboolean
add_auth (SoupMessage *message,
          JxProvider  *provider,
          const char  *credential)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  const char *kind = provider->auth_kind != NULL ? provider->auth_kind : "bearer";

  if (g_str_equal (kind, "x-api-key"))
    {
      const char *version = jx_provider_get_option (provider, "anthropic_version");

      /* Anthropic wants its version header even on the list call. */
      soup_message_headers_replace (headers, "anthropic-version",
                                    version != NULL ? version : DEFAULT_ANTHROPIC_VERSION);
    }

  if (credential == NULL || *credential == '\0' || g_str_equal (kind, "none"))
    return FALSE;

  if (g_str_equal (kind, "x-api-key"))
    soup_message_headers_replace (headers, "x-api-key", credential);
  else if (g_str_equal (kind, "x-goog-api-key"))
    soup_message_headers_replace (headers, "x-goog-api-key", credential);
  else if (g_str_equal (kind, "api-key"))
    soup_message_headers_replace (headers, "api-key", credential);
  else if (g_str_equal (kind, "portkey"))
    soup_message_headers_replace (headers, "x-portkey-api-key", credential);
  else
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", credential);

      soup_message_headers_replace (headers, "Authorization", value);
    }

  return TRUE;
}

static void
add_extra_headers (SoupMessage *message,
                   JxProvider  *provider)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  JsonObject *extra;

  if (provider->options == NULL || !json_object_has_member (provider->options, "headers") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (provider->options, "headers")))
    return;

  extra = json_object_get_object_member (provider->options, "headers");
  for (GList *l = json_object_get_members (extra); l != NULL; l = g_list_delete_link (l, l))
    {
      JsonNode *value = json_object_get_member (extra, l->data);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        soup_message_headers_replace (headers, l->data, json_node_get_string (value));
    }
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
  g_autoptr(GError) error = NULL;
  CacheEntry *entry;
  ListData *self;
  GUri *uri;

  g_return_if_fail (JX_IS_ENGINE (engine));
  g_return_if_fail (provider != NULL);

  task = g_task_new (engine, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_models_list_async);

  if (!has_list_endpoint (provider))
    {
      return_list (task, catalog_ids (provider), JX_MODELS_SOURCE_CATALOG);
      return;
    }

  url = build_list_url (provider);
  fingerprint = make_fingerprint (provider, url, credential);
  entry = g_hash_table_lookup (get_cache (engine), provider->id);
  if (entry != NULL && g_str_equal (entry->fingerprint, fingerprint))
    {
      return_list (task, copy_ids (entry->ids), JX_MODELS_SOURCE_PROVIDER);
      return;
    }

  if ((message = soup_message_new (SOUP_METHOD_GET, url)) == NULL)
    {
      return_list (task, catalog_ids (provider), JX_MODELS_SOURCE_FALLBACK);
      return;
    }
  uri = soup_message_get_uri (message);

  self = list_data_new (task, engine, provider, cancellable, LIST_TIMEOUT_SECONDS * 1000);
  self->fingerprint = g_steal_pointer (&fingerprint);
  self->sent_key = add_auth (message, provider, credential);

  /* The same key-host rule as requests: the credential was looked up for this provider. */
  if (self->sent_key &&
      !jx_credential_policy_check (provider, uri, JX_CREDENTIAL_SOURCE_LOOKUP, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  add_extra_headers (message, provider);
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
