/* jx-adapter-replicate.c — Replicate: create a prediction, then stream its SSE URL
 *
 * Two steps (docs/protocols.md, "Replicate"): POST the prediction (a complete JSON body
 * with urls.stream and urls.get), then GET urls.stream as named SSE events whose `output`
 * payloads are raw text, not JSON. Usage is not in the stream: an epilogue GET of urls.get
 * reads metrics.
 * Timing counts from the POST, since that is when the user's wait begins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-adapter-private.h"
#include "jx-net.h"

typedef struct
{
  char *get_url;
} ReplicateData;

static void
replicate_data_free (gpointer data)
{
  ReplicateData *self = data;

  g_free (self->get_url);
  g_free (self);
}

static void
add_auth (SoupMessage *message,
          const char  *credential)
{
  g_autofree char *value = NULL;

  if (credential == NULL || *credential == '\0')
    return;
  value = g_strdup_printf ("Bearer %s", credential);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
}

static gboolean
host_in_domain (const char *host,
                const char *domain)
{
  gsize host_len = strlen (host);
  gsize domain_len = strlen (domain);

  if (g_ascii_strcasecmp (host, domain) == 0)
    return TRUE;
  return host_len > domain_len + 1 && host[host_len - domain_len - 1] == '.' &&
         g_ascii_strcasecmp (host + host_len - domain_len, domain) == 0;
}

/* The key goes only to the provider's own hosts: the API host itself, or replicate.com and
 * replicate.delivery (and their subdomains) over HTTPS. The URLs come from a response body,
 * so a compromised or misconfigured endpoint must not be able to collect the key. */
static gboolean
may_send_key (JxProvider *provider,
              GUri       *uri)
{
  g_autoptr(GUri) api = NULL;
  const char *host = g_uri_get_host (uri);
  const char *scheme = g_uri_get_scheme (uri);
  gboolean encrypted = g_strcmp0 (scheme, "https") == 0;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (provider->base_url != NULL &&
      (api = g_uri_parse (provider->base_url, G_URI_FLAGS_NONE, NULL)) != NULL &&
      g_uri_get_host (api) != NULL &&
      g_ascii_strcasecmp (g_uri_get_host (api), host) == 0 &&
      (encrypted || jx_host_is_local (host)))
    return TRUE;

  return encrypted && (host_in_domain (host, "replicate.com") || host_in_domain (host, "replicate.delivery"));
}

static char *
escape_segment (const char *segment,
                gssize      len)
{
  g_autofree char *copy = g_strndup (segment, len < 0 ? strlen (segment) : (gsize) len);

  return g_uri_escape_string (copy, NULL, FALSE);
}

static gboolean
is_version_id (const char *text)
{
  gsize len = 0;

  for (; text[len] != '\0'; len++)
    if (!g_ascii_isxdigit (text[len]))
      return FALSE;
  return len == 64;
}

static SoupMessage *
replicate_build_message (JxProvider      *provider,
                         const char      *model,
                         const JxPrompt  *prompt,
                         const char      *credential,
                         GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = NULL;
  const char *max_field = jx_provider_get_option (provider, "max_tokens_field");
  const char *colon = model != NULL ? strchr (model, ':') : NULL;
  const char *slash = model != NULL ? strchr (model, '/') : NULL;
  const char *version = NULL;
  SoupMessage *message;

  if (max_field == NULL)
    max_field = "max_tokens";

  /* "owner/name" runs the official model; "owner/name:version" or a bare 64-hex version id
   * pins one version through /v1/predictions. */
  if (model != NULL && colon == NULL && slash == NULL && is_version_id (model))
    version = model;
  else if (colon != NULL && colon[1] != '\0')
    version = colon + 1;
  else if (model == NULL || colon != NULL || slash == NULL || slash == model ||
           slash[1] == '\0' || strchr (slash + 1, '/') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a Replicate model: use owner/name or owner/name:version",
                   model != NULL ? model : "");
      return NULL;
    }

  json_builder_begin_object (builder);
  if (version != NULL)
    {
      url = jx_adapter_join_url (provider->base_url, "v1/predictions");
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, version);
    }
  else
    {
      g_autofree char *owner = escape_segment (model, slash - model);
      g_autofree char *name = escape_segment (slash + 1, -1);
      g_autofree char *path = g_strdup_printf ("v1/models/%s/%s/predictions", owner, name);

      url = jx_adapter_join_url (provider->base_url, path);
    }

  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, prompt->user != NULL ? prompt->user : "");
  if (prompt->system != NULL && *prompt->system != '\0')
    {
      json_builder_set_member_name (builder, "system_prompt");
      json_builder_add_string_value (builder, prompt->system);
    }
  if (prompt->max_tokens > 0)
    {
      json_builder_set_member_name (builder, max_field);
      json_builder_add_int_value (builder, prompt->max_tokens);
    }
  if (!isnan (prompt->temperature))
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, prompt->temperature);
    }
  json_builder_end_object (builder);
  /* Legacy (streamable models always get urls.stream), but harmless and still documented. */
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);

  if ((message = jx_adapter_new_post (url, builder, error)) == NULL)
    return NULL;

  /* No "Prefer: wait": we want the stream URL at once, not the finished prediction. */
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  add_auth (message, credential);

  return message;
}

static SoupMessage *
replicate_follow_up (JxStream    *stream,
                     GBytes      *first_body,
                     const char  *credential,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GUri) stream_uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  JsonObject *prediction;
  JsonObject *urls;
  const char *stream_url;
  const char *status;
  const char *failure;
  const char *scheme;
  ReplicateData *data;
  gsize len;
  const char *body = g_bytes_get_data (first_body, &len);

  root = body != NULL ? jx_json_parse (body, len) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the prediction it created is not valid JSON");
      return NULL;
    }
  prediction = json_node_get_object (root);

  status = jx_json_get_string (prediction, "status");
  failure = jx_json_get_string (prediction, "error");
  if (g_strcmp0 (status, "failed") == 0 || g_strcmp0 (status, "canceled") == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the prediction %s%s%s",
                   g_str_equal (status, "failed") ? "failed" : "was canceled",
                   failure != NULL ? ": " : "", failure != NULL ? failure : "");
      return NULL;
    }

  urls = jx_json_get_object (prediction, "urls");
  stream_url = jx_json_get_string (urls, "stream");
  if (stream_url == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "the prediction has no stream URL (this model cannot stream)");
      return NULL;
    }

  stream_uri = g_uri_parse (stream_url, G_URI_FLAGS_NONE, NULL);
  scheme = stream_uri != NULL ? g_uri_get_scheme (stream_uri) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      (message = soup_message_new_from_uri (SOUP_METHOD_GET, stream_uri)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the prediction's stream URL “%s” is not valid", stream_url);
      return NULL;
    }

  data = g_new0 (ReplicateData, 1);
  data->get_url = g_strdup (jx_json_get_string (urls, "get"));
  jx_stream_set_adapter_data (stream, data, replicate_data_free);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "text/event-stream");
  /* A cached stream would replay old output with made-up timing. */
  soup_message_headers_replace (soup_message_get_request_headers (message), "Cache-Control", "no-store");
  if (may_send_key (jx_stream_get_provider (stream), stream_uri))
    add_auth (message, credential);

  return g_steal_pointer (&message);
}

static void
replicate_handle_event (JxStream   *stream,
                        const char *event_type,
                        const char *data,
                        gsize       len,
                        GHashTable *frame_headers)
{
  /* Unnamed events and `logs` carry nothing we measure. */
  if (event_type == NULL)
    return;

  if (g_str_equal (event_type, "output"))
    {
      /* Raw text: the SSE parser already stripped one space and joined data lines with \n. */
      jx_stream_add_content (stream, data, len);
      return;
    }

  if (g_str_equal (event_type, "error"))
    {
      g_autofree char *message = jx_adapter_describe_error_body (data, len);

      jx_stream_fail (stream, message != NULL ? message : "reported an error mid-stream");
      return;
    }

  if (g_str_equal (event_type, "done"))
    {
      g_autoptr(JsonNode) root = jx_json_parse (data, len);
      const char *reason = NULL;

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        reason = jx_json_get_string (json_node_get_object (root), "reason");

      /* `done` also ends a prediction that did not finish; that is no complete answer. */
      if (g_strcmp0 (reason, "canceled") == 0)
        jx_stream_fail (stream, "the prediction was canceled");
      else if (g_strcmp0 (reason, "error") == 0)
        jx_stream_fail (stream, "the prediction failed");
      else
        jx_stream_set_done (stream, reason);
    }
}

static SoupMessage *
replicate_epilogue (JxStream   *stream,
                    const char *credential)
{
  ReplicateData *data = jx_stream_get_adapter_data (stream);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;

  if (data == NULL || data->get_url == NULL ||
      (uri = g_uri_parse (data->get_url, G_URI_FLAGS_NONE, NULL)) == NULL)
    return NULL;

  /* The engine sends the epilogue without its own plain-HTTP check: may_send_key does it,
   * and without the key the GET would only be refused. */
  if (!may_send_key (jx_stream_get_provider (stream), uri))
    return NULL;

  if ((message = soup_message_new_from_uri (SOUP_METHOD_GET, uri)) == NULL)
    return NULL;
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  add_auth (message, credential);

  return g_steal_pointer (&message);
}

static gboolean
replicate_finish_epilogue (JxStream *stream,
                           GBytes   *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *metrics;
  const char *status;
  double input, output, value;
  gsize len;
  const char *text = g_bytes_get_data (body, &len);

  if (text == NULL || (root = jx_json_parse (text, len)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  /* The stream can end a moment before the prediction is marked done; its metrics (token
   * counts included) are only complete once it is. */
  status = jx_json_get_string (json_node_get_object (root), "status");
  if (g_strcmp0 (status, "starting") == 0 || g_strcmp0 (status, "processing") == 0)
    return TRUE;

  if ((metrics = jx_json_get_object (json_node_get_object (root), "metrics")) == NULL)
    return FALSE;

  /* Token counts exist for official language models only; others bill predict_time. */
  input = jx_json_get_double (metrics, "input_token_count", NAN);
  output = jx_json_get_double (metrics, "output_token_count", NAN);
  if (!isnan (input) || !isnan (output))
    {
      JxUsage usage;

      jx_usage_from_openai (&usage, isnan (input) ? -1 : (gint64) input, -1,
                            isnan (output) ? -1 : (gint64) output, -1);
      jx_stream_set_usage (stream, &usage);
    }

  /* Seconds on the wire, milliseconds in Juxta. */
  if (!isnan (value = jx_json_get_double (metrics, "predict_time", NAN)))
    jx_stream_set_server_timing (stream, "predict", value * 1000.0);
  if (!isnan (value = jx_json_get_double (metrics, "time_to_first_token", NAN)))
    jx_stream_set_server_timing (stream, "time_to_first_token", value * 1000.0);
  if (!isnan (value = jx_json_get_double (metrics, "total_time", NAN)))
    jx_stream_set_server_timing (stream, "total", value * 1000.0);

  return FALSE;
}

static const char * const replicate_litellm_providers[] = { "replicate", "replicate", NULL };

/* The collection list names models in a shape the chat endpoint does not take: no model
 * list, the catalog lists the models. */
const JxAdapter jx_adapter_replicate = {
  .protocol = "replicate",
  .wire = JX_WIRE_SSE,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_BEARER,
  .litellm_providers = replicate_litellm_providers,
  .build_message = replicate_build_message,
  .handle_event = replicate_handle_event,
  .follow_up = replicate_follow_up,
  .epilogue = replicate_epilogue,
  .finish_epilogue = replicate_finish_epilogue,
};
