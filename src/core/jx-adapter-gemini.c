/* jx-adapter-gemini.c — Gemini streamGenerateContent SSE, on the Gemini API and on Vertex AI
 *
 * Gemini API (docs/protocols.md, "Gemini API"): key in x-goog-api-key. "Vertex AI": an OAuth access
 * token obtained from Google credentials, a project/location URL, and two publishers behind
 * one provider: Gemini models speak this file's protocol, Claude models speak Anthropic's
 * (streamRawPredict, "Claude on Vertex"), reusing the Anthropic adapter's body and event handler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-adapters-private.h"
#include "jx-engine.h"
#include "jx-google-auth.h"

#define DEFAULT_API_VERSION        "v1beta"
#define DEFAULT_VERTEX_LOCATION    "us-central1"
#define DEFAULT_VERTEX_GLOBAL_URL  "https://aiplatform.googleapis.com"
#define DEFAULT_VERTEX_ANTHROPIC   "vertex-2023-10-16"

static JsonObject *
first_object (JsonArray *array)
{
  JsonNode *node;

  if (array == NULL || json_array_get_length (array) == 0)
    return NULL;
  node = json_array_get_element (array, 0);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ---- request --------------------------------------------------------------------------- */

static void
add_text_parts (JsonBuilder *builder,
                const char  *text)
{
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

static JsonBuilder *
gemini_build_body (const JxPrompt *prompt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (prompt->system != NULL && *prompt->system != '\0')
    {
      json_builder_set_member_name (builder, "systemInstruction");
      json_builder_begin_object (builder);
      add_text_parts (builder, prompt->system);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  add_text_parts (builder, prompt->user != NULL ? prompt->user : "");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  if (!isnan (prompt->temperature) || prompt->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "generationConfig");
      json_builder_begin_object (builder);
      if (!isnan (prompt->temperature))
        {
          json_builder_set_member_name (builder, "temperature");
          json_builder_add_double_value (builder, prompt->temperature);
        }
      if (prompt->max_tokens > 0)
        {
          json_builder_set_member_name (builder, "maxOutputTokens");
          json_builder_add_int_value (builder, prompt->max_tokens);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return g_steal_pointer (&builder);
}

/* The model as a path segment. Gemini's model list names them "models/…": accept that too.
 * '@' stays literal, as in Vertex's documented Claude ids (claude-haiku-4-5@20251001). */
static char *
escape_model (const char *model)
{
  if (model == NULL)
    model = "";
  if (g_str_has_prefix (model, "models/"))
    model += strlen ("models/");

  return g_uri_escape_string (model, "@", FALSE);
}

static SoupMessage *
gemini_build_message (JxProvider      *provider,
                      const char      *model,
                      const JxPrompt  *prompt,
                      const char      *credential,
                      GError         **error)
{
  g_autoptr(JsonBuilder) body = gemini_build_body (prompt);
  g_autofree char *escaped = escape_model (model);
  const char *api_version = jx_provider_get_option (provider, "api_version");
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *message;

  /* Without alt=sse the server streams one big JSON array instead of SSE. */
  path = g_strdup_printf ("%s/models/%s:streamGenerateContent?alt=sse",
                          api_version != NULL && *api_version != '\0' ? api_version : DEFAULT_API_VERSION,
                          escaped);
  url = jx_adapter_join_url (provider->base_url, path);
  if ((message = jx_adapter_new_post (url, body, error)) == NULL)
    return NULL;

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  if (credential != NULL && *credential != '\0')
    {
      if (g_strcmp0 (provider->auth_kind, "bearer") == 0)
        {
          g_autofree char *value = g_strdup_printf ("Bearer %s", credential);

          soup_message_headers_replace (headers, "Authorization", value);
        }
      else
        soup_message_headers_replace (headers, "x-goog-api-key", credential);
    }

  return message;
}

/* ---- stream ---------------------------------------------------------------------------- */

static char *google_describe_error_body (const char *body,
                                         gsize       len);

static void
take_usage (JxStream   *stream,
            JsonObject *metadata)
{
  gint64 prompt = jx_json_get_int (metadata, "promptTokenCount", -1);
  gint64 cached = jx_json_get_int (metadata, "cachedContentTokenCount", -1);
  gint64 candidates = jx_json_get_int (metadata, "candidatesTokenCount", -1);
  gint64 thoughts = jx_json_get_int (metadata, "thoughtsTokenCount", -1);
  JxUsage usage;

  /* Vertex's interim chunks carry only {"trafficType":"ON_DEMAND"}: no figures to keep. */
  if (prompt < 0 && candidates < 0 && thoughts < 0)
    return;

  /* Thoughts are billed as output but not counted in candidatesTokenCount. */
  jx_usage_from_gemini (&usage, prompt, cached, candidates, thoughts);
  jx_stream_set_usage (stream, &usage);
}

static void
gemini_handle_event (JxStream   *stream,
                     const char *event_type,
                     const char *data,
                     gsize       len,
                     GHashTable *frame_headers)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *chunk;
  JsonObject *candidate;
  JsonObject *feedback;
  const char *finish_reason;

  root = jx_json_parse (data, len);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    chunk = first_object (json_node_get_array (root));
  else
    chunk = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (chunk == NULL)
    {
      jx_stream_fail_malformed (stream, "sent an event that is not valid JSON");
      return;
    }

  /* Mid-stream failure: a bare Google error object, then the connection closes. */
  if (json_object_has_member (chunk, "error"))
    {
      g_autofree char *message = google_describe_error_body (data, len);

      jx_stream_fail (stream, message != NULL ? message : "reported an error mid-stream");
      return;
    }

  candidate = first_object (jx_json_get_array (chunk, "candidates"));
  if (candidate != NULL)
    {
      JsonArray *parts = jx_json_get_array (jx_json_get_object (candidate, "content"), "parts");

      for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
        {
          JsonNode *part_node = json_array_get_element (parts, i);
          JsonObject *part = JSON_NODE_HOLDS_OBJECT (part_node) ? json_node_get_object (part_node) : NULL;
          const char *text = jx_json_get_string (part, "text");

          if (text == NULL)
            continue;
          /* Thought summaries are reasoning, not answer: they must not set TTFT. */
          if (jx_json_get_bool (part, "thought", FALSE))
            jx_stream_add_reasoning (stream, text, -1);
          else
            jx_stream_add_content (stream, text, -1);
        }

      if ((finish_reason = jx_json_get_string (candidate, "finishReason")) != NULL)
        jx_stream_set_done (stream, finish_reason);
    }
  else if ((feedback = jx_json_get_object (chunk, "promptFeedback")) != NULL &&
           jx_json_get_string (feedback, "blockReason") != NULL)
    {
      g_autofree char *message = g_strdup_printf ("blocked the prompt (%s)",
                                                  jx_json_get_string (feedback, "blockReason"));

      jx_stream_fail (stream, message);
      return;
    }

  /* Cumulative on (nearly) every chunk: the last one wins. */
  take_usage (stream, jx_json_get_object (chunk, "usageMetadata"));
}

/* ---- errors ---------------------------------------------------------------------------- */

/* RetryInfo.retryDelay is a Duration: "12s" or "12.345s" in JSON (an object in proto form). */
static double
retry_delay_seconds (JsonArray *details)
{
  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonNode *node = json_array_get_element (details, i);
      JsonObject *detail = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = jx_json_get_string (detail, "@type");
      const char *delay;

      if (type == NULL || !g_str_has_suffix (type, "google.rpc.RetryInfo"))
        continue;

      if ((delay = jx_json_get_string (detail, "retryDelay")) != NULL)
        {
          char *end = NULL;
          double seconds = g_ascii_strtod (delay, &end);

          if (end != delay && seconds >= 0)
            return seconds;
        }
      else if (jx_json_get_object (detail, "retryDelay") != NULL)
        return MAX (0, jx_json_get_int (jx_json_get_object (detail, "retryDelay"), "seconds", -1));
    }

  return -1;
}

/* Google's envelope {"error":{"code","message","status","details"}}, bare or in a one-element
 * array (Vertex). Messages may span lines; the result is one line, with RetryInfo's delay. */
static char *
google_describe_error_body (const char *body,
                            gsize       len)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = NULL;
  JsonObject *object;
  JsonObject *error;
  const char *message;
  double delay;

  if (body == NULL || len == 0 || (root = jx_json_parse (body, len)) == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    object = first_object (json_node_get_array (root));
  else
    object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  if ((error = jx_json_get_object (object, "error")) == NULL)
    return NULL;
  if ((message = jx_json_get_string (error, "message")) == NULL || *message == '\0')
    message = jx_json_get_string (error, "status");
  if (message == NULL)
    return NULL;

  text = g_string_sized_new (strlen (message) + 24);
  for (const char *p = message; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (text->len > 0 && text->str[text->len - 1] != ' ')
            g_string_append_c (text, ' ');
        }
      else
        g_string_append_c (text, *p);
    }
  while (text->len > 0 && text->str[text->len - 1] == ' ')
    g_string_truncate (text, text->len - 1);

  /* Google sends no Retry-After header; the body is the only place the wait is given. */
  delay = retry_delay_seconds (jx_json_get_array (error, "details"));
  if (delay >= 0 && g_strstr_len (text->str, -1, "retry in") == NULL)
    g_string_append_printf (text, " (retry in %.0f s)", ceil (delay));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The Gemini API answers 400 "API key not valid" to a bad key. */
static gboolean
gemini_classify_error (guint               status,
                       const char         *detail,
                       JxRequestErrorCode *code)
{
  if (status == 400 && detail != NULL &&
      (strstr (detail, "API key") != NULL || strstr (detail, "API_KEY") != NULL))
    {
      *code = JX_REQUEST_ERROR_AUTH;
      return TRUE;
    }

  /* Google's generic 429 ("Resource has been exhausted (e.g. check quota).") is a rate
   * limit that RetryInfo says when to retry, not a used-up quota. */
  if (status == 429 && detail != NULL && g_str_has_prefix (detail, "Resource has been exhausted"))
    {
      *code = JX_REQUEST_ERROR_RATE_LIMITED;
      return TRUE;
    }

  return FALSE;
}

const JxAdapter jx_adapter_gemini = {
  .protocol = "gemini",
  .wire = JX_WIRE_SSE,
  /* No sentinel: a clean EOF after the finishReason chunk is the end. */
  .has_end_marker = FALSE,
  .build_message = gemini_build_message,
  .handle_event = gemini_handle_event,
  .describe_error_body = google_describe_error_body,
  .classify_error = gemini_classify_error,
};

/* ---- Vertex AI ------------------------------------------------------------------------- */

#define VERTEX_AUTH_KEY_PREFIX "jx-vertex-auth-"

static gboolean
is_claude (const char *model)
{
  return model != NULL && g_str_has_prefix (model, "claude");
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = name != NULL ? g_getenv (name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Options first, then the environment, then what the credentials file names. */
static const char *
vertex_project (JxProvider   *provider,
                JxGoogleAuth *auth)
{
  const char *project = jx_provider_get_option (provider, "project");
  const char *project_env = jx_provider_get_option (provider, "project_env");

  if (project != NULL && *project != '\0')
    return project;
  if ((project = getenv_nonempty (project_env != NULL ? project_env : "GOOGLE_CLOUD_PROJECT")) != NULL)
    return project;

  return jx_google_auth_get_project_id (auth);
}

typedef struct
{
  char *project;
  char *quota_project;
} ResolveData;

static void
resolve_data_free (gpointer data)
{
  ResolveData *resolve = data;

  g_free (resolve->project);
  g_free (resolve->quota_project);
  g_free (resolve);
}

static void
vertex_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  ResolveData *resolve = g_task_get_task_data (task);
  char *token = jx_google_auth_get_token_finish (JX_GOOGLE_AUTH (object), result, &error);

  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "project");
  json_builder_add_string_value (builder, resolve->project);
  if (resolve->quota_project != NULL)
    {
      json_builder_set_member_name (builder, "quota_project");
      json_builder_add_string_value (builder, resolve->quota_project);
    }
  json_builder_end_object (builder);

  memset (token, 0, strlen (token));
  g_free (token);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  g_task_return_pointer (task, json_generator_to_data (generator, NULL), g_free);
}

/* The credential is the contents of a Google credentials JSON (or, typed into Preferences,
 * the path of one). It becomes {"token":…,"project":…[,"quota_project":…]} for build_message.
 * One JxGoogleAuth per distinct credentials is cached on the engine, so its access token is
 * shared by every request until shortly before it expires. */
static void
vertex_resolve_credential_async (GObject             *engine,
                                 JxProvider          *provider,
                                 const char          *credential,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *key = NULL;
  const char *json = credential;
  const char *project;
  JxGoogleAuth *auth;
  ResolveData *resolve;

  g_task_set_source_tag (task, vertex_resolve_credential_async);

  while (g_ascii_isspace (*json))
    json++;
  if (*json != '{')
    {
      if (!g_file_get_contents (json, &contents, NULL, &error))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   "the credential is neither Google credentials JSON nor a readable "
                                   "credentials file (%s)", error->message);
          return;
        }
      json = contents;
    }

  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  key = g_strconcat (VERTEX_AUTH_KEY_PREFIX, checksum, NULL);
  if ((auth = g_object_get_data (engine, key)) == NULL &&
      (auth = jx_google_auth_new (json, &error)) != NULL)
    g_object_set_data_full (engine, key, auth, g_object_unref);

  /* The file holds a private key or refresh token: don't leave a copy in freed memory. */
  if (contents != NULL)
    memset (contents, 0, strlen (contents));
  if (auth == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Without a project there is no URL: say so before asking for a token. */
  if ((project = vertex_project (provider, auth)) == NULL)
    {
      const char *project_env = jx_provider_get_option (provider, "project_env");

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "no Google Cloud project: set %s or the provider’s “project” option",
                               project_env != NULL ? project_env : "GOOGLE_CLOUD_PROJECT");
      return;
    }

  resolve = g_new0 (ResolveData, 1);
  resolve->project = g_strdup (project);
  resolve->quota_project = g_strdup (jx_google_auth_get_quota_project_id (auth));
  g_task_set_task_data (task, resolve, resolve_data_free);

  jx_google_auth_get_token_async (auth, jx_engine_get_session (JX_ENGINE (engine)), cancellable,
                                  vertex_token_cb, g_steal_pointer (&task));
}

static void
vertex_credential_rejected (GObject    *engine,
                            const char *credential)
{
  g_autofree char *contents = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *key = NULL;
  const char *json = credential;
  JxGoogleAuth *auth;

  while (g_ascii_isspace (*json))
    json++;
  if (*json != '{')
    {
      if (!g_file_get_contents (json, &contents, NULL, NULL))
        return;
      json = contents;
    }

  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  key = g_strconcat (VERTEX_AUTH_KEY_PREFIX, checksum, NULL);
  if (contents != NULL)
    memset (contents, 0, strlen (contents));
  if ((auth = g_object_get_data (engine, key)) != NULL)
    jx_google_auth_invalidate (auth);
}

static char *
vertex_resolve_credential_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* https://{location}-aiplatform.googleapis.com, or the global host for location "global". */
static char *
vertex_base_url (JxProvider *provider,
                 const char *location)
{
  g_autoptr(GString) url = NULL;

  if (g_str_equal (location, "global"))
    {
      const char *global = jx_provider_get_option (provider, "global_base_url");

      return g_strdup (global != NULL && *global != '\0' ? global : DEFAULT_VERTEX_GLOBAL_URL);
    }

  url = g_string_new (provider->base_url);
  g_string_replace (url, "{location}", location, 0);

  return g_string_free (g_steal_pointer (&url), FALSE);
}

static SoupMessage *
vertex_build_message (JxProvider      *provider,
                      const char      *model,
                      const JxPrompt  *prompt,
                      const char      *credential,
                      GError         **error)
{
  g_autoptr(JsonNode) parts = NULL;
  g_autoptr(JsonBuilder) body = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *escaped_project = NULL;
  g_autofree char *escaped_location = NULL;
  g_autofree char *escaped_model = escape_model (model);
  g_autofree char *authorization = NULL;
  const char *location = jx_provider_get_option (provider, "location");
  const char *token = NULL;
  const char *project = NULL;
  const char *quota_project = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *message;

  if (credential != NULL &&
      (parts = jx_json_parse (credential, strlen (credential))) != NULL &&
      JSON_NODE_HOLDS_OBJECT (parts))
    {
      token = jx_json_get_string (json_node_get_object (parts), "token");
      project = jx_json_get_string (json_node_get_object (parts), "project");
      quota_project = jx_json_get_string (json_node_get_object (parts), "quota_project");
    }
  if (token == NULL || project == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "no Google access token (the credentials were not resolved)");
      return NULL;
    }

  if (location == NULL || *location == '\0')
    location = DEFAULT_VERTEX_LOCATION;
  base_url = vertex_base_url (provider, location);
  escaped_project = g_uri_escape_string (project, NULL, FALSE);
  escaped_location = g_uri_escape_string (location, NULL, FALSE);

  if (is_claude (model))
    {
      const char *version = jx_provider_get_option (provider, "anthropic_version");

      /* Anthropic's body without "model" (it is in the URL), its version in the body. */
      body = jx_adapter_anthropic_build_body (NULL, version != NULL ? version : DEFAULT_VERTEX_ANTHROPIC, prompt);
      path = g_strdup_printf ("v1/projects/%s/locations/%s/publishers/anthropic/models/%s:streamRawPredict",
                              escaped_project, escaped_location, escaped_model);
    }
  else
    {
      body = gemini_build_body (prompt);
      path = g_strdup_printf ("v1/projects/%s/locations/%s/publishers/google/models/%s"
                              ":streamGenerateContent?alt=sse",
                              escaped_project, escaped_location, escaped_model);
    }

  url = jx_adapter_join_url (base_url, path);
  if ((message = jx_adapter_new_post (url, body, error)) == NULL)
    return NULL;

  headers = soup_message_get_request_headers (message);
  authorization = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  /* gcloud user credentials bill API usage to their quota project. */
  if (quota_project != NULL)
    soup_message_headers_replace (headers, "x-goog-user-project", quota_project);
  memset (authorization, 0, strlen (authorization));

  return message;
}

static void
vertex_handle_event (JxStream   *stream,
                     const char *event_type,
                     const char *data,
                     gsize       len,
                     GHashTable *frame_headers)
{
  if (is_claude (jx_stream_get_model (stream)))
    jx_adapter_anthropic_handle_event (stream, event_type, data, len, frame_headers);
  else
    gemini_handle_event (stream, event_type, data, len, frame_headers);
}

const JxAdapter jx_adapter_vertex = {
  .protocol = "vertex",
  .wire = JX_WIRE_SSE,
  /* Gemini has no sentinel. The flag is per adapter, so Claude's message_stop is not
   * required here either; a drop mid-stream is still a transport error. */
  .has_end_marker = FALSE,
  .build_message = vertex_build_message,
  .handle_event = vertex_handle_event,
  /* Google's envelope, array-wrapped or not; Claude's Anthropic envelope has error.message too. */
  .describe_error_body = google_describe_error_body,
  .classify_error = gemini_classify_error,
  .resolve_credential_async = vertex_resolve_credential_async,
  .resolve_credential_finish = vertex_resolve_credential_finish,
  .credential_rejected = vertex_credential_rejected,
};
