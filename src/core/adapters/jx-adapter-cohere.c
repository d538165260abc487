/* jx-adapter-cohere.c — Cohere v2 Chat (named SSE events)
 *
 * docs/protocols.md, "Cohere v2 Chat": message-start, content-start, content-delta,
 * content-end, message-end, then an unnamed `data: [DONE]`. Usage comes in message-end as
 * raw `tokens` and `billed_units`; the cost uses the billed figures.
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
cohere_build_message (JxProvider      *provider,
                      const char      *model,
                      const JxPrompt  *prompt,
                      const char      *credential,
                      GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = jx_adapter_join_url (provider->base_url, "v2/chat");
  SoupMessageHeaders *headers;
  SoupMessage *message;

  json_builder_begin_object (builder);
  if (model != NULL)
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, model);
    }
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  if (prompt->system != NULL && *prompt->system != '\0')
    add_message (builder, "system", prompt->system);
  add_message (builder, "user", prompt->user != NULL ? prompt->user : "");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  if (prompt->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, prompt->max_tokens);
    }
  if (!isnan (prompt->temperature))
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, prompt->temperature);
    }
  json_builder_end_object (builder);

  if ((message = jx_adapter_new_post (url, builder, error)) == NULL)
    return NULL;

  headers = soup_message_get_request_headers (message);
  /* Without it Cohere has been seen to answer bare NDJSON instead of SSE
   * (docs/protocols.md, "Cohere v2 Chat"). */
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  if (credential != NULL && *credential != '\0')
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", credential);

      soup_message_headers_replace (headers, "Authorization", value);
    }

  return message;
}

static void
take_usage (JxStream   *stream,
            JsonObject *usage)
{
  JsonObject *billed = jx_json_get_object (usage, "billed_units");
  JsonObject *tokens = jx_json_get_object (usage, "tokens");
  JxUsage normalised;

  jx_usage_from_cohere (&normalised,
                        jx_json_get_int (tokens, "input_tokens", -1),
                        jx_json_get_int (tokens, "output_tokens", -1),
                        jx_json_get_int (billed, "input_tokens", -1),
                        jx_json_get_int (billed, "output_tokens", -1),
                        jx_json_get_int (usage, "cached_tokens", -1));
  if (jx_usage_is_known (&normalised))
    jx_stream_set_usage (stream, &normalised);
}

static void
take_message_end (JxStream   *stream,
                  JsonObject *event)
{
  JsonObject *delta = jx_json_get_object (event, "delta");
  JsonObject *usage = jx_json_get_object (delta, "usage");
  const char *finish_reason = jx_json_get_string (delta, "finish_reason");
  const char *error = jx_json_get_string (delta, "error");

  if (usage != NULL)
    take_usage (stream, usage);

  /* A generation that broke mid-way ends with finish_reason ERROR (and maybe delta.error). */
  if (g_strcmp0 (finish_reason, "ERROR") == 0 || (error != NULL && *error != '\0'))
    {
      if (error != NULL && *error != '\0')
        jx_stream_fail (stream, error);
      else
        jx_stream_fail (stream, "ended the answer with finish_reason “ERROR”");
      return;
    }

  jx_stream_set_done (stream, finish_reason);
}

static void
cohere_handle_event (JxStream   *stream,
                     const char *event_type,
                     const char *data,
                     gsize       len,
                     GHashTable *frame_headers)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *event;
  const char *type;

  /* The sentinel after message-end; harmless if message-end already ended the answer. */
  if (g_str_equal (data, "[DONE]"))
    {
      jx_stream_set_done (stream, NULL);
      return;
    }

  root = jx_json_parse (data, len);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      jx_stream_fail_malformed (stream, "sent an event that is not valid JSON");
      return;
    }
  event = json_node_get_object (root);

  /* The type is in both the event name and the JSON; prefer the JSON. */
  type = jx_json_get_string (event, "type");
  if (type == NULL)
    type = event_type;

  if (g_strcmp0 (type, "content-delta") == 0)
    {
      JsonObject *message = jx_json_get_object (jx_json_get_object (event, "delta"), "message");
      JsonObject *content = jx_json_get_object (message, "content");
      const char *text;

      if ((text = jx_json_get_string (content, "text")) != NULL)
        jx_stream_add_content (stream, text, -1);
      /* Reasoning models stream {"type":"thinking","thinking":…} blocks. */
      if ((text = jx_json_get_string (content, "thinking")) != NULL)
        jx_stream_add_reasoning (stream, text, -1);
    }
  else if (g_strcmp0 (type, "message-end") == 0)
    take_message_end (stream, event);
  else if (g_strcmp0 (type, "error") == 0 ||
           (type == NULL && json_object_has_member (event, "message")))
    {
      g_autofree char *message = jx_adapter_describe_error_body (data, len);

      jx_stream_fail (stream, message != NULL ? message : "reported an error mid-stream");
    }
  /* message-start, content-start/-end, tool-*, citation-* carry no answer text. */
}

static const char * const cohere_litellm_providers[] = { "cohere", "cohere", "cohere_chat", "cohere", NULL };

const JxAdapter jx_adapter_cohere = {
  .protocol = "cohere",
  .wire = JX_WIRE_SSE,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_BEARER,
  .litellm_providers = cohere_litellm_providers,
  /* Chat models only, one big page (the default is 20). */
  .list_query = "endpoint=chat&page_size=1000",
  .build_list_message = jx_adapter_build_list_message,
  .build_message = cohere_build_message,
  .handle_event = cohere_handle_event,
};

/* ---- Usage, normalised (declared in jx-usage.h) ---------------------------------------- */

/* Cohere v2: tokens.* are raw model counts (with Cohere's own preamble) and are kept for
 * throughput; billed_units.* are what is charged and drive the cost. */
void
jx_usage_from_cohere (JxUsage *usage,
                      gint64   tokens_input,
                      gint64   tokens_output,
                      gint64   billed_input,
                      gint64   billed_output,
                      gint64   cached_tokens)
{
  g_return_if_fail (usage != NULL);

  jx_usage_init (usage);
  usage->input_tokens = tokens_input;
  usage->output_tokens = tokens_output;
  usage->billed_input_tokens = billed_input;
  usage->billed_output_tokens = billed_output;
  usage->cached_input_tokens = cached_tokens;
  jx_usage_mark_reported (usage);
}
