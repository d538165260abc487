/* jx-adapter-ollama.c — Ollama's native /api/chat (NDJSON)
 *
 * One JSON object per line; the last has "done":true with the counts and the server's own
 * durations in nanoseconds (docs/protocols.md, "Ollama native chat"). There is no other end
 * marker, so a stream that stops before done:true is incomplete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-adapter-private.h"

static void
add_message (JsonBuilder *builder,
             const char  *role,
             const char  *content)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_end_object (builder);
}

static SoupMessage *
ollama_build_message (JxProvider      *provider,
                      const char      *model,
                      const JxPrompt  *prompt,
                      const char      *credential,
                      GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = jx_adapter_join_url (provider->base_url, "api/chat");
  SoupMessage *message;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model != NULL ? model : "");
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  if (prompt->system != NULL && *prompt->system != '\0')
    add_message (builder, "system", prompt->system);
  add_message (builder, "user", prompt->user != NULL ? prompt->user : "");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  if (prompt->max_tokens > 0 || !isnan (prompt->temperature))
    {
      json_builder_set_member_name (builder, "options");
      json_builder_begin_object (builder);
      if (!isnan (prompt->temperature))
        {
          json_builder_set_member_name (builder, "temperature");
          json_builder_add_double_value (builder, prompt->temperature);
        }
      if (prompt->max_tokens > 0)
        {
          json_builder_set_member_name (builder, "num_predict");
          json_builder_add_int_value (builder, prompt->max_tokens);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  if ((message = jx_adapter_new_post (url, builder, error)) == NULL)
    return NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/x-ndjson");
  /* Ollama needs no key, but a reverse proxy in front of it may want a Bearer token. */
  jx_adapter_add_auth (message, provider, credential);

  return message;
}

static void
set_duration (JxStream   *stream,
              JsonObject *chunk,
              const char *member,
              const char *name)
{
  gint64 ns = jx_json_get_int (chunk, member, -1);

  if (ns >= 0)
    jx_stream_set_server_timing (stream, name, ns / 1e6);
}

static void
ollama_handle_event (JxStream   *stream,
                     const char *event_type,
                     const char *data,
                     gsize       len,
                     GHashTable *frame_headers)
{
  g_autoptr(JsonNode) root = jx_json_parse (data, len);
  JsonObject *chunk;
  JsonObject *message;
  JsonNode *done;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      jx_stream_fail_malformed (stream, "sent a line that is not valid JSON");
      return;
    }
  chunk = json_node_get_object (root);

  if (json_object_has_member (chunk, "error"))
    {
      g_autofree char *text = jx_adapter_describe_error_body (data, len);

      jx_stream_fail (stream, text != NULL ? text : "reported an error mid-stream");
      return;
    }

  if ((message = jx_json_get_object (chunk, "message")) != NULL)
    {
      const char *thinking = jx_json_get_string (message, "thinking");
      const char *content = jx_json_get_string (message, "content");

      if (thinking != NULL)
        jx_stream_add_reasoning (stream, thinking, -1);
      if (content != NULL)
        jx_stream_add_content (stream, content, -1);
    }

  done = json_object_has_member (chunk, "done") ? json_object_get_member (chunk, "done") : NULL;
  if (done != NULL && JSON_NODE_HOLDS_VALUE (done) &&
      json_node_get_value_type (done) == G_TYPE_BOOLEAN && json_node_get_boolean (done))
    {
      gint64 input = jx_json_get_int (chunk, "prompt_eval_count", -1);
      gint64 output = jx_json_get_int (chunk, "eval_count", -1);

      if (input >= 0 || output >= 0)
        {
          JxUsage usage;

          jx_usage_from_openai (&usage, input, -1, output, -1);
          jx_stream_set_usage (stream, &usage);
        }
      /* Nanoseconds on the wire; prefill and decode time as the server itself measured. */
      set_duration (stream, chunk, "total_duration", "total");
      set_duration (stream, chunk, "load_duration", "load");
      set_duration (stream, chunk, "prompt_eval_duration", "prompt_eval");
      set_duration (stream, chunk, "eval_duration", "eval");
      jx_stream_set_done (stream, jx_json_get_string (chunk, "done_reason"));
    }
}

static const char * const ollama_litellm_providers[] = { "ollama", "ollama", "ollama_chat", "ollama", NULL };

const JxAdapter jx_adapter_ollama = {
  .protocol = "ollama",
  .wire = JX_WIRE_NDJSON,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_NONE,
  .default_base_url = "http://127.0.0.1:11434",
  .litellm_providers = ollama_litellm_providers,
  .build_list_message = jx_adapter_build_list_message,
  .build_message = ollama_build_message,
  .handle_event = ollama_handle_event,
};
