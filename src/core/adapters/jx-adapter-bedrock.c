/* jx-adapter-bedrock.c — Amazon Bedrock ConverseStream (binary eventstream frames)
 *
 * docs/protocols.md, "Bedrock ConverseStream" and "AWS Signature Version 4". The credential
 * is a Bedrock API key (sent as Bearer), either plain or as {"api_key":…,"region":…}, or
 * IAM keys as {"access_key_id","secret_access_key","session_token","region"} which sign
 * each request with SigV4.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-adapter-private.h"
#include "jx-sigv4.h"

typedef struct
{
  JsonNode   *root;           /* owns the strings below when the credential was JSON */
  const char *api_key;
  const char *access_key_id;
  const char *secret_access_key;
  const char *session_token;
  const char *region;
} Credentials;

static void
credentials_clear (Credentials *creds)
{
  g_clear_pointer (&creds->root, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Credentials, credentials_clear)

/* A JSON object of named parts, or else the whole string is a Bedrock API key. */
static gboolean
parse_credentials (const char   *credential,
                   Credentials  *creds,
                   GError      **error)
{
  JsonObject *parts;

  if (credential == NULL || *credential == '\0')
    return TRUE;

  if (credential[0] != '{')
    {
      creds->api_key = credential;
      return TRUE;
    }

  creds->root = jx_json_parse (credential, strlen (credential));
  if (creds->root == NULL || !JSON_NODE_HOLDS_OBJECT (creds->root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the stored AWS credentials are not valid JSON");
      return FALSE;
    }

  parts = json_node_get_object (creds->root);
  creds->api_key = jx_json_get_nonempty_string (parts, "api_key");
  creds->access_key_id = jx_json_get_nonempty_string (parts, "access_key_id");
  creds->secret_access_key = jx_json_get_nonempty_string (parts, "secret_access_key");
  creds->session_token = jx_json_get_nonempty_string (parts, "session_token");
  creds->region = jx_json_get_nonempty_string (parts, "region");

  if (creds->api_key == NULL && (creds->access_key_id == NULL || creds->secret_access_key == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the AWS credentials need an access key id and a secret access key, "
                   "or a Bedrock API key");
      return FALSE;
    }

  return TRUE;
}

/* The region ends up in a host name: accept only what AWS region names look like. */
static gboolean
region_is_valid (const char *region)
{
  for (const char *p = region; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static GBytes *
build_body (const JxPrompt *prompt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean has_max = prompt->max_tokens > 0;
  gboolean has_temperature = !isnan (prompt->temperature);
  gsize len;
  char *json;

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, prompt->user != NULL ? prompt->user : "");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  if (prompt->system != NULL && *prompt->system != '\0')
    {
      json_builder_set_member_name (builder, "system");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, prompt->system);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }

  if (has_max || has_temperature)
    {
      json_builder_set_member_name (builder, "inferenceConfig");
      json_builder_begin_object (builder);
      if (has_max)
        {
          json_builder_set_member_name (builder, "maxTokens");
          json_builder_add_int_value (builder, prompt->max_tokens);
        }
      if (has_temperature)
        {
          json_builder_set_member_name (builder, "temperature");
          json_builder_add_double_value (builder, prompt->temperature);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &len);

  return g_bytes_new_take (json, len);
}

static SoupMessage *
bedrock_build_message (JxProvider      *provider,
                       const char      *model,
                       const JxPrompt  *prompt,
                       const char      *credential,
                       GError         **error)
{
  g_auto(Credentials) creds = { 0 };
  g_autoptr(GString) base_url = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *escaped_model = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  const char *region;

  if (model == NULL || *model == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no model id given");
      return NULL;
    }

  if (!parse_credentials (credential, &creds, error))
    return NULL;

  region = creds.region != NULL ? creds.region : jx_provider_get_option (provider, "region");
  if (region != NULL && *region == '\0')
    region = NULL;
  if (region != NULL && !region_is_valid (region))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an AWS region name", region);
      return NULL;
    }

  base_url = g_string_new (provider->base_url != NULL ? provider->base_url : "");
  /* Both the host and a SigV4 signature need it; a bearer key to a fixed URL does not. */
  if (region == NULL && (strstr (base_url->str, "{region}") != NULL ||
                         (creds.api_key == NULL && creds.access_key_id != NULL)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "no AWS region: set AWS_REGION or the provider's region option");
      return NULL;
    }
  if (region != NULL)
    g_string_replace (base_url, "{region}", region, 0);

  /* Ids hold ':' (…-v1:0) and ARNs '/': the whole id is one path segment, as the SDKs
   * send it; SigV4 then encodes the wire path once more (docs/protocols.md, "AWS
   * Signature Version 4"). */
  escaped_model = g_uri_escape_string (model, NULL, FALSE);
  path = g_strdup_printf ("model/%s/converse-stream", escaped_model);
  url = jx_adapter_join_url (base_url->str, path);

  message = soup_message_new (SOUP_METHOD_POST, url);
  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a valid URL", url);
      return NULL;
    }

  /* Kept here rather than via jx_adapter_new_post: SigV4 hashes these exact bytes. */
  body = build_body (prompt);
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/vnd.amazon.eventstream");

  if (creds.api_key != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", creds.api_key);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  else if (creds.access_key_id != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      const char *service = jx_provider_get_option (provider, "signing_name");
      JxSigv4Params params;

      /* The host is bedrock-runtime.…, but the signing name is "bedrock". */
      jx_sigv4_params_init (&params, creds.access_key_id, creds.secret_access_key,
                            creds.session_token, region,
                            service != NULL && *service != '\0' ? service : "bedrock");
      if (!jx_sigv4_sign_message (message, body, &params, now, error))
        return NULL;
    }

  return g_steal_pointer (&message);
}

static void
take_metadata (JxStream   *stream,
               JsonObject *event)
{
  JsonObject *usage = jx_json_get_object (event, "usage");
  JsonObject *metrics = jx_json_get_object (event, "metrics");
  JsonNode *latency;

  if (usage != NULL)
    {
      JxUsage normalised;

      jx_usage_from_bedrock (&normalised,
                             jx_json_get_int (usage, "inputTokens", -1),
                             jx_json_get_int (usage, "cacheReadInputTokens", -1),
                             jx_json_get_int (usage, "cacheWriteInputTokens", -1),
                             jx_json_get_int (usage, "outputTokens", -1));
      if (jx_usage_is_known (&normalised))
        jx_stream_set_usage (stream, &normalised);
    }

  /* Bedrock's own time for the whole invocation, measured on its side. */
  if (metrics != NULL && json_object_has_member (metrics, "latencyMs") &&
      JSON_NODE_HOLDS_VALUE ((latency = json_object_get_member (metrics, "latencyMs"))))
    jx_stream_set_server_timing (stream, "latency", json_node_get_double (latency));
}

static void
take_delta (JxStream   *stream,
            JsonObject *event)
{
  JsonObject *delta = jx_json_get_object (event, "delta");
  JsonObject *reasoning = jx_json_get_object (delta, "reasoningContent");
  const char *text;

  if ((text = jx_json_get_string (delta, "text")) != NULL)
    jx_stream_add_content (stream, text, -1);
  /* Only the readable part: signature and redactedContent are not text. */
  if ((text = jx_json_get_string (reasoning, "text")) != NULL)
    jx_stream_add_reasoning (stream, text, -1);
}

/* An exception frame: ":exception-type" names it, the payload is {"message":…}. */
static void
take_exception (JxStream   *stream,
                GHashTable *frame_headers,
                const char *data,
                gsize       len)
{
  const char *type = g_hash_table_lookup (frame_headers, ":exception-type");
  g_autoptr(JsonNode) root = jx_json_parse (data, len);
  JsonObject *payload = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *text = jx_json_get_nonempty_string (payload, "message");
  g_autofree char *message = NULL;

  if (text == NULL)
    text = jx_json_get_nonempty_string (payload, "Message");
  if (type == NULL || *type == '\0')
    type = "exception";

  message = text != NULL ? g_strdup_printf ("%s: %s", type, text) : g_strdup (type);
  jx_stream_fail (stream, message);
}

static void
bedrock_handle_event (JxStream   *stream,
                      const char *event_type,
                      const char *data,
                      gsize       len,
                      GHashTable *frame_headers)
{
  const char *message_type = frame_headers != NULL ? g_hash_table_lookup (frame_headers, ":message-type") : NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *event;

  if (g_strcmp0 (message_type, "exception") == 0)
    {
      take_exception (stream, frame_headers, data, len);
      return;
    }

  /* Protocol-level errors carry everything in headers and have an empty payload. */
  if (g_strcmp0 (message_type, "error") == 0)
    {
      const char *code = g_hash_table_lookup (frame_headers, ":error-code");
      const char *text = g_hash_table_lookup (frame_headers, ":error-message");
      g_autofree char *message = g_strdup_printf ("%s: %s", code != NULL ? code : "error",
                                                  text != NULL ? text : "stream error");

      jx_stream_fail (stream, message);
      return;
    }

  if (event_type == NULL)
    return;

  root = jx_json_parse (data, len);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      jx_stream_fail_malformed (stream, "sent an event that is not valid JSON");
      return;
    }
  event = json_node_get_object (root);

  if (g_str_equal (event_type, "contentBlockDelta"))
    take_delta (stream, event);
  else if (g_str_equal (event_type, "messageStop"))
    /* metadata (usage) still follows; the engine reads on until EOF. */
    jx_stream_set_done (stream, jx_json_get_string (event, "stopReason"));
  else if (g_str_equal (event_type, "metadata"))
    take_metadata (stream, event);
  /* messageStart, contentBlockStart (tool use), contentBlockStop carry no text. */
}

/* AWS JSON errors say {"message":…} or, from the auth layer, {"Message":…}. */
static char *
bedrock_describe_error_body (const char *body,
                             gsize       len)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *message;

  if (body == NULL || len == 0 ||
      (root = jx_json_parse (body, len)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  if ((message = jx_json_get_nonempty_string (object, "message")) != NULL ||
      (message = jx_json_get_nonempty_string (object, "Message")) != NULL)
    return g_strdup (message);

  return NULL;
}

/* AWS answers 403 both for a key it does not accept and for one that may not do this. */
static gboolean
bedrock_classify_error (guint               status,
                        const char         *detail,
                        JxRequestErrorCode *code)
{
  if (status == 403 && detail != NULL &&
      (strstr (detail, "security token included in the request is invalid") != NULL ||
       strstr (detail, "signature we calculated does not match") != NULL ||
       strstr (detail, "API Key is valid") != NULL))
    {
      *code = JX_REQUEST_ERROR_AUTH;
      return TRUE;
    }

  return FALSE;
}

/* An access key pair (SigV4), or a Bedrock API key (alternative 1 wins when both are set),
 * each read from the AWS variables unless the entry names its own (options *_env).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html */
static const JxCredentialField bedrock_credential_fields[] = {
  { "access_key_id", N_("Access Key ID"), "AWS_ACCESS_KEY_ID", NULL, NULL, 2, JX_CREDENTIAL_FIELD_KEY_ENV },
  { "secret_access_key", N_("Secret Access Key"), "AWS_SECRET_ACCESS_KEY", "secret_key_env", NULL, 2,
    JX_CREDENTIAL_FIELD_SECRET },
  { "session_token", N_("Session Token (Optional)"), "AWS_SESSION_TOKEN", "session_token_env", NULL, 2,
    JX_CREDENTIAL_FIELD_SECRET | JX_CREDENTIAL_FIELD_OPTIONAL },
  { "api_key", N_("Or a Bedrock API Key"), "AWS_BEARER_TOKEN_BEDROCK", "bearer_token_env", NULL, 1,
    JX_CREDENTIAL_FIELD_SECRET },
  { "region", N_("Region, e.g. us-east-1"), "AWS_REGION", "region_env", "AWS_DEFAULT_REGION", 0,
    JX_CREDENTIAL_FIELD_OPTIONAL },
  { NULL },
};

static const char * const bedrock_litellm_providers[] = {
  "bedrock", "bedrock", "bedrock_converse", "bedrock", NULL
};

/* Listing foundation models needs SigV4 on another host: no model list. */
const JxAdapter jx_adapter_bedrock = {
  .protocol = "bedrock",
  .wire = JX_WIRE_EVENTSTREAM,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_AWS,
  .credential_fields = bedrock_credential_fields,
  .litellm_providers = bedrock_litellm_providers,
  .build_message = bedrock_build_message,
  .handle_event = bedrock_handle_event,
  .describe_error_body = bedrock_describe_error_body,
  .classify_error = bedrock_classify_error,
};

/* ---- Usage, normalised (declared in jx-usage.h) ---------------------------------------- */

/* Bedrock Converse counts like Anthropic: inputTokens excludes cache reads and writes. */
void
jx_usage_from_bedrock (JxUsage *usage,
                       gint64   input_tokens,
                       gint64   cache_read_input_tokens,
                       gint64   cache_write_input_tokens,
                       gint64   output_tokens)
{
  g_return_if_fail (usage != NULL);

  jx_usage_init (usage);
  usage->input_tokens = jx_usage_sum_known (input_tokens, cache_read_input_tokens,
                                            cache_write_input_tokens);
  usage->cached_input_tokens = cache_read_input_tokens;
  usage->cache_write_tokens = cache_write_input_tokens;
  usage->output_tokens = output_tokens;
  jx_usage_mark_reported (usage);
}
