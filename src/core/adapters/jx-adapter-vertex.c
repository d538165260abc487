/* jx-adapter-vertex.c — Gemini and Claude on Vertex AI
 *
 * An OAuth access token obtained from Google credentials, a project/location URL, and two
 * publishers behind one provider: Gemini models speak jx-adapter-gemini.c's protocol, Claude
 * models speak Anthropic's (streamRawPredict), reusing the Anthropic adapter's body and event
 * handler. https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jx-adapter-private.h"
#include "jx-engine.h"
#include "jx-google-auth.h"

#define DEFAULT_VERTEX_LOCATION    "us-central1"
#define DEFAULT_VERTEX_GLOBAL_URL  "https://aiplatform.googleapis.com"
#define DEFAULT_VERTEX_ANTHROPIC   "vertex-2023-10-16"

#define VERTEX_AUTH_KEY_PREFIX "vertex-auth-"

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

/* The engine's JxGoogleAuth for these credentials (contents of the credentials JSON, or
 * the path of one); created when `create` is set. NULL with error when unreadable. */
static JxGoogleAuth *
lookup_auth (JxEngine    *engine,
             const char  *credential,
             gboolean     create,
             GError     **error)
{
  GHashTable *cache = jx_engine_get_credential_cache (engine);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *key = NULL;
  const char *json = credential;
  JxGoogleAuth *auth;

  while (g_ascii_isspace (*json))
    json++;
  if (*json != '{')
    {
      if (!g_file_get_contents (json, &contents, NULL, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "the credential is neither Google credentials JSON nor a readable "
                       "credentials file (%s)", local_error->message);
          return NULL;
        }
      json = contents;
    }

  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  key = g_strconcat (VERTEX_AUTH_KEY_PREFIX, checksum, NULL);
  if ((auth = g_hash_table_lookup (cache, key)) == NULL && create &&
      (auth = jx_google_auth_new (json, error)) != NULL)
    g_hash_table_insert (cache, g_steal_pointer (&key), auth);

  /* The file holds a private key or refresh token: don't leave a copy in freed memory. */
  if (contents != NULL)
    memset (contents, 0, strlen (contents));

  return auth;
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
vertex_resolve_credential_async (JxEngine            *engine,
                                 JxProvider          *provider,
                                 const char          *credential,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  const char *project;
  JxGoogleAuth *auth;
  ResolveData *resolve;

  g_task_set_source_tag (task, vertex_resolve_credential_async);

  if ((auth = lookup_auth (engine, credential, TRUE, &error)) == NULL)
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

  jx_google_auth_get_token_async (auth, jx_engine_get_session (engine), cancellable,
                                  vertex_token_cb, g_steal_pointer (&task));
}

static void
vertex_credential_rejected (JxEngine   *engine,
                            const char *credential)
{
  JxGoogleAuth *auth = lookup_auth (engine, credential, FALSE, NULL);

  if (auth != NULL)
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
  g_autofree char *escaped_model = jx_adapter_gemini_escape_model (model);
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
      body = jx_adapter_gemini_build_body (prompt);
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
    jx_adapter_gemini_handle_event (stream, event_type, data, len, frame_headers);
}

/* The credentials JSON (a service account key or gcloud's application-default credentials);
 * project and location typed into Preferences are merged into it. */
static const JxCredentialField vertex_credential_fields[] = {
  { NULL, N_("Credentials JSON"), "GOOGLE_APPLICATION_CREDENTIALS", NULL, NULL, 0,
    JX_CREDENTIAL_FIELD_SECRET | JX_CREDENTIAL_FIELD_MULTILINE | JX_CREDENTIAL_FIELD_FILE_CONTENTS |
    JX_CREDENTIAL_FIELD_KEY_ENV,
    N_("A service account key or the output of “gcloud auth application-default login”") },
  { "project", N_("Project ID"), NULL, NULL, NULL, 0, JX_CREDENTIAL_FIELD_OPTIONAL },
  { "location", N_("Location, e.g. us-central1"), NULL, NULL, NULL, 0, JX_CREDENTIAL_FIELD_OPTIONAL },
  { NULL },
};

static const char * const vertex_litellm_providers[] = { "vertex_ai", "vertex", NULL };

/* The model list needs an OAuth token and a project: none, the catalog lists the models. */
const JxAdapter jx_adapter_vertex = {
  .protocol = "vertex",
  .wire = JX_WIRE_SSE,
  /* Gemini has no sentinel. The flag is per adapter, so Claude's message_stop is not
   * required here either; a drop mid-stream is still a transport error. */
  .has_end_marker = FALSE,
  .default_auth = JX_AUTH_GOOGLE_OAUTH,
  .credential_fields = vertex_credential_fields,
  .litellm_providers = vertex_litellm_providers,
  .build_message = vertex_build_message,
  .handle_event = vertex_handle_event,
  /* Google's envelope, array-wrapped or not; Claude's Anthropic envelope has error.message too. */
  .describe_error_body = jx_adapter_google_describe_error_body,
  .classify_error = jx_adapter_google_classify_error,
  .resolve_credential_async = vertex_resolve_credential_async,
  .resolve_credential_finish = vertex_resolve_credential_finish,
  .credential_rejected = vertex_credential_rejected,
};
