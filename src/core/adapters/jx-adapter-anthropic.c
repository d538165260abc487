/* jx-adapter-anthropic.c — Anthropic Messages SSE (docs/protocols.md, "Anthropic Messages")
 *
 * Also the event handler and body builder for Claude on Vertex (same page, "Claude on
 * Vertex"), whose stream is byte-compatible; jx-adapter-gemini.c reaches them through the
 * two functions declared below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-adapter-private.h"

/* The Messages API version sent in anthropic-version
 * (https://docs.anthropic.com/en/api/versioning). */
#define ANTHROPIC_VERSION "2023-06-01"

/* Anthropic requires max_tokens; this is what we ask for when the prompt sets none. */
#define DEFAULT_MAX_TOKENS 1024

/* Per-request state: message_start carries the input-side counts, and older streams'
 * message_delta only repeats output_tokens, so the last value of each field is kept. */
typedef struct
{
  gint64  input_tokens;
  gint64  cache_read_tokens;
  gint64  cache_creation_tokens;
  gint64  output_tokens;
  gint64  thinking_tokens;
  char   *stop_reason;
} AnthropicState;

static void
anthropic_state_free (gpointer data)
{
  AnthropicState *state = data;

  g_free (state->stop_reason);
  g_free (state);
}

static AnthropicState *
get_state (JxStream *stream)
{
  AnthropicState *state = jx_stream_get_adapter_data (stream);

  if (state == NULL)
    {
      state = g_new0 (AnthropicState, 1);
      state->input_tokens = -1;
      state->cache_read_tokens = -1;
      state->cache_creation_tokens = -1;
      state->output_tokens = -1;
      state->thinking_tokens = -1;
      jx_stream_set_adapter_data (stream, state, anthropic_state_free);
    }

  return state;
}

/* Absent or null leaves @field alone: a field being null must not erase an earlier count. */
static void
update_count (gint64     *field,
              JsonObject *usage,
              const char *member)
{
  gint64 value = jx_json_get_int (usage, member, -1);

  if (value >= 0)
    *field = value;
}

static void
take_usage (JxStream   *stream,
            JsonObject *usage)
{
  AnthropicState *state = get_state (stream);
  JxUsage normalised;

  if (usage == NULL)
    return;

  update_count (&state->input_tokens, usage, "input_tokens");
  update_count (&state->cache_read_tokens, usage, "cache_read_input_tokens");
  update_count (&state->cache_creation_tokens, usage, "cache_creation_input_tokens");
  update_count (&state->output_tokens, usage, "output_tokens");
  update_count (&state->thinking_tokens, jx_json_get_object (usage, "output_tokens_details"),
                "thinking_tokens");

  /* Anthropic's input_tokens excludes cache reads and writes; this adds them back. */
  jx_usage_from_anthropic (&normalised, state->input_tokens, state->cache_read_tokens,
                           state->cache_creation_tokens, state->output_tokens);
  if (state->thinking_tokens >= 0)
    normalised.reasoning_tokens = state->thinking_tokens;
  if (normalised.source != JX_USAGE_SOURCE_NONE)
    jx_stream_set_usage (stream, &normalised);
}

static void
take_delta (JxStream   *stream,
            JsonObject *delta)
{
  const char *type = jx_json_get_string (delta, "type");
  const char *text;

  if (g_strcmp0 (type, "text_delta") == 0 && (text = jx_json_get_string (delta, "text")) != NULL)
    jx_stream_add_content (stream, text, -1);
  else if (g_strcmp0 (type, "thinking_delta") == 0 && (text = jx_json_get_string (delta, "thinking")) != NULL)
    jx_stream_add_reasoning (stream, text, -1);
  /* signature_delta, input_json_delta, citations_delta: not text. */
}

void
jx_adapter_anthropic_handle_event (JxStream   *stream,
                                   const char *event_type,
                                   const char *data,
                                   gsize       len,
                                   GHashTable *frame_headers)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *event;
  const char *type;

  root = jx_json_parse (data, len);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      jx_stream_fail_malformed (stream, "sent an event that is not valid JSON");
      return;
    }
  event = json_node_get_object (root);

  /* The payload's type is authoritative; the event: line only repeats it. */
  type = jx_json_get_string (event, "type");
  if (type == NULL)
    type = event_type;
  if (type == NULL)
    return;

  if (g_str_equal (type, "error") || g_strcmp0 (event_type, "error") == 0)
    {
      JsonObject *error = jx_json_get_object (event, "error");
      const char *message = jx_json_get_string (error, "message");

      if (message == NULL || *message == '\0')
        message = jx_json_get_string (error, "type");
      jx_stream_fail (stream, message != NULL ? message : "reported an error mid-stream");
      return;
    }

  if (g_str_equal (type, "message_start"))
    {
      /* Also on Vertex, whose Gemini streams have no end marker: Claude's do. */
      jx_stream_expect_end_marker (stream);
      take_usage (stream, jx_json_get_object (jx_json_get_object (event, "message"), "usage"));
    }
  else if (g_str_equal (type, "content_block_start"))
    {
      JsonObject *block = jx_json_get_object (event, "content_block");
      const char *block_type = jx_json_get_string (block, "type");
      const char *text;

      /* The opening block is normally empty, but it is allowed to carry text. */
      if (g_strcmp0 (block_type, "text") == 0 && (text = jx_json_get_string (block, "text")) != NULL)
        jx_stream_add_content (stream, text, -1);
      else if (g_strcmp0 (block_type, "thinking") == 0 &&
               (text = jx_json_get_string (block, "thinking")) != NULL)
        jx_stream_add_reasoning (stream, text, -1);
    }
  else if (g_str_equal (type, "content_block_delta"))
    take_delta (stream, jx_json_get_object (event, "delta"));
  else if (g_str_equal (type, "message_delta"))
    {
      const char *stop_reason = jx_json_get_string (jx_json_get_object (event, "delta"), "stop_reason");
      AnthropicState *state = get_state (stream);

      if (stop_reason != NULL)
        {
          g_free (state->stop_reason);
          state->stop_reason = g_strdup (stop_reason);
          /* Kept even if message_stop never comes: the stream is then cut, but the model
           * had said how its answer ended. */
          jx_stream_set_finish (stream, jx_finish_reason_from_raw (stop_reason), stop_reason);
        }
      /* Cumulative: the last one is the final count. */
      take_usage (stream, jx_json_get_object (event, "usage"));
    }
  else if (g_str_equal (type, "message_stop"))
    jx_stream_set_done (stream, get_state (stream)->stop_reason);
  /* ping, content_block_stop and future event types carry nothing we measure. */
}

JsonBuilder *
jx_adapter_anthropic_build_body (const char     *model,
                                 const char     *anthropic_version,
                                 const JxPrompt *prompt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (anthropic_version != NULL)
    {
      json_builder_set_member_name (builder, "anthropic_version");
      json_builder_add_string_value (builder, anthropic_version);
    }
  if (model != NULL)
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, model);
    }
  if (prompt->system != NULL && *prompt->system != '\0')
    {
      json_builder_set_member_name (builder, "system");
      json_builder_add_string_value (builder, prompt->system);
    }
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, prompt->user != NULL ? prompt->user : "");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "max_tokens");
  json_builder_add_int_value (builder, prompt->max_tokens > 0 ? prompt->max_tokens : DEFAULT_MAX_TOKENS);
  if (!isnan (prompt->temperature))
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, prompt->temperature);
    }
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);

  return g_steal_pointer (&builder);
}

static SoupMessage *
anthropic_build_message (JxProvider      *provider,
                         const char      *model,
                         const JxPrompt  *prompt,
                         const char      *credential,
                         GError         **error)
{
  g_autoptr(JsonBuilder) body = jx_adapter_anthropic_build_body (model, NULL, prompt);
  g_autofree char *url = jx_adapter_join_url (provider->base_url, "v1/messages");
  const char *version = jx_provider_get_option (provider, "anthropic_version");
  SoupMessageHeaders *headers;
  SoupMessage *message;

  if ((message = jx_adapter_new_post (url, body, error)) == NULL)
    return NULL;

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "anthropic-version", version != NULL ? version : ANTHROPIC_VERSION);
  /* x-api-key; Anthropic-compatible gateways may want a bearer token instead. */
  jx_adapter_add_auth (message, provider, credential);

  return message;
}

static SoupMessage *
anthropic_build_list_message (const JxAdapter *adapter,
                              JxProvider      *provider,
                              const char      *credential,
                              gboolean        *sent_credential)
{
  SoupMessage *message = jx_adapter_build_list_message (adapter, provider, credential, sent_credential);
  const char *version = jx_provider_get_option (provider, "anthropic_version");

  /* Anthropic wants its version header even on the list call. */
  if (message != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "anthropic-version",
                                  version != NULL ? version : ANTHROPIC_VERSION);

  return message;
}

static const char * const anthropic_litellm_providers[] = { "anthropic", "anthropic", NULL };

/* Error bodies ({"type":"error","error":{"type","message"}}) are read by the generic
 * extractor; 529 overloaded_error is retried by the engine like 503. */
const JxAdapter jx_adapter_anthropic = {
  .protocol = "anthropic",
  .wire = JX_WIRE_SSE,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_X_API_KEY,
  .litellm_providers = anthropic_litellm_providers,
  /* One big page instead of following cursors (the default is 20). */
  .list_query = "limit=1000",
  .build_list_message = anthropic_build_list_message,
  .build_message = anthropic_build_message,
  .handle_event = jx_adapter_anthropic_handle_event,
};

/* ---- Usage, normalised (declared in jx-usage.h) ---------------------------------------- */

/* Anthropic's input_tokens excludes cache reads and writes; the total prompt is the sum. */
void
jx_usage_from_anthropic (JxUsage *usage,
                         gint64   input_tokens,
                         gint64   cache_read_input_tokens,
                         gint64   cache_creation_input_tokens,
                         gint64   output_tokens)
{
  g_return_if_fail (usage != NULL);

  jx_usage_init (usage);
  usage->input_tokens = jx_usage_sum_known (input_tokens, cache_read_input_tokens,
                                            cache_creation_input_tokens);
  usage->cached_input_tokens = cache_read_input_tokens;
  usage->cache_write_tokens = cache_creation_input_tokens;
  usage->output_tokens = output_tokens;
  jx_usage_mark_reported (usage);
}
