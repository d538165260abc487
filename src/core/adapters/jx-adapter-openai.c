/* jx-adapter-openai.c — OpenAI Chat Completions SSE and its compatible family
 *
 * One adapter for OpenAI, Mistral, Together, Fireworks, Groq, OpenRouter, Hugging Face,
 * Portkey, Infron, Ollama /v1 and custom endpoints. Their differences are catalog options
 * (see jx-providers-file.c): max_tokens_field, stream_options, include_obfuscation and
 * headers, so an overridden base URL keeps its quirks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-adapter-private.h"
#include "jx-simulator.h"

static void
add_messages (JsonBuilder    *builder,
              const JxPrompt *prompt)
{
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  if (prompt->system != NULL && *prompt->system != '\0')
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "system");
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, prompt->system);
      json_builder_end_object (builder);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, prompt->user != NULL ? prompt->user : "");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

JsonBuilder *
jx_adapter_openai_build_body (JxProvider     *provider,
                              const char     *model,
                              const JxPrompt *prompt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *max_field = jx_provider_get_option (provider, "max_tokens_field");
  /* Mistral rejects stream_options with 422 ("stream_options": false in its catalog
   * entry); everyone else needs it to report usage. */
  gboolean stream_options = g_strcmp0 (jx_provider_get_option (provider, "stream_options"), "false") != 0;
  const char *obfuscation = jx_provider_get_option (provider, "include_obfuscation");

  if (max_field == NULL)
    max_field = "max_tokens";

  json_builder_begin_object (builder);
  if (model != NULL)
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, model);
    }
  add_messages (builder, prompt);
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
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  if (stream_options)
    {
      json_builder_set_member_name (builder, "stream_options");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "include_usage");
      json_builder_add_boolean_value (builder, TRUE);
      if (obfuscation != NULL)
        {
          /* OpenAI pads its chunks unless told not to; padding only costs bandwidth here,
           * we measure timing, not packet sizes ("include_obfuscation": false). */
          json_builder_set_member_name (builder, "include_obfuscation");
          json_builder_add_boolean_value (builder, g_str_equal (obfuscation, "true"));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return g_steal_pointer (&builder);
}

void
jx_adapter_openai_add_headers (SoupMessage *message,
                               JxProvider  *provider)
{
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "text/event-stream");
  jx_adapter_add_extra_headers (message, provider);
}

static SoupMessage *
openai_build_message (JxProvider      *provider,
                      const char      *model,
                      const JxPrompt  *prompt,
                      const char      *credential,
                      GError         **error)
{
  g_autoptr(JsonBuilder) body = jx_adapter_openai_build_body (provider, model, prompt);
  g_autofree char *url = jx_adapter_join_url (provider->base_url, "chat/completions");
  SoupMessage *message;

  if ((message = jx_adapter_new_post (url, body, error)) == NULL)
    return NULL;

  jx_adapter_add_auth (message, provider, credential);
  jx_adapter_openai_add_headers (message, provider);

  return message;
}

static void
take_usage (JxStream   *stream,
            JsonObject *usage)
{
  JsonObject *prompt_details = jx_json_get_object (usage, "prompt_tokens_details");
  JsonObject *completion_details = jx_json_get_object (usage, "completion_tokens_details");
  JsonNode *cost;
  JxUsage normalised;

  gint64 cache_writes;

  jx_usage_from_openai_total (&normalised,
                              jx_json_get_int (usage, "prompt_tokens", -1),
                              jx_json_get_int (prompt_details, "cached_tokens", -1),
                              jx_json_get_int (usage, "completion_tokens", -1),
                              jx_json_get_int (completion_details, "reasoning_tokens", -1),
                              jx_json_get_int (usage, "total_tokens", -1));
  /* Gateways routing to Claude report its cache writes (already inside prompt_tokens):
   * OpenRouter as prompt_tokens_details.cache_write_tokens
   * (https://openrouter.ai/docs/use-cases/usage-accounting), LiteLLM as a top-level
   * cache_creation_input_tokens (https://docs.litellm.ai/docs/completion/prompt_caching). */
  cache_writes = jx_json_get_int (prompt_details, "cache_write_tokens", -1);
  if (cache_writes < 0)
    cache_writes = jx_json_get_int (usage, "cache_creation_input_tokens", -1);
  if (cache_writes >= 0)
    normalised.cache_write_tokens = cache_writes;
  jx_stream_set_usage (stream, &normalised);

  /* OpenRouter bills in credits (1 credit = 1 USD) and tells us the exact amount. */
  if (json_object_has_member (usage, "cost") &&
      JSON_NODE_HOLDS_VALUE ((cost = json_object_get_member (usage, "cost"))))
    jx_stream_set_provider_cost (stream, json_node_get_double (cost));
}

static void
take_content (JxStream *stream,
              JsonNode *content,
              gboolean  reasoning)
{
  if (content == NULL)
    return;

  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    {
      if (reasoning)
        jx_stream_add_reasoning (stream, json_node_get_string (content), -1);
      else
        jx_stream_add_content (stream, json_node_get_string (content), -1);
      return;
    }

  /* Mistral reasoning models: an array of typed blocks. */
  if (JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *blocks = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (blocks); i++)
        {
          JsonNode *block_node = json_array_get_element (blocks, i);
          JsonObject *block;
          const char *type;

          if (!JSON_NODE_HOLDS_OBJECT (block_node))
            continue;
          block = json_node_get_object (block_node);
          type = jx_json_get_string (block, "type");
          if (g_strcmp0 (type, "text") == 0)
            take_content (stream, json_object_get_member (block, "text"), reasoning);
          else if (g_strcmp0 (type, "thinking") == 0 && json_object_has_member (block, "thinking"))
            take_content (stream, json_object_get_member (block, "thinking"), TRUE);
        }
    }
}

/* Choice 0 only: a proxy that fans out (n > 1) interleaves the choices' chunks, each
 * tagged with its index. A choice without an index is choice 0. */
static JsonObject *
first_choice (JsonArray *choices)
{
  for (guint i = 0; i < json_array_get_length (choices); i++)
    {
      JsonNode *node = json_array_get_element (choices, i);
      JsonObject *choice = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (choice != NULL && jx_json_get_int (choice, "index", 0) == 0)
        return choice;
    }

  return NULL;
}

void
jx_adapter_openai_handle_event (JxStream   *stream,
                     const char *event_type,
                     const char *data,
                     gsize       len,
                     GHashTable *frame_headers)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *chunk;
  JsonObject *usage;
  JsonObject *x_groq;
  JsonNode *choices;

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
  chunk = json_node_get_object (root);

  if (g_strcmp0 (event_type, "error") == 0 || json_object_has_member (chunk, "error"))
    {
      g_autofree char *message = jx_adapter_describe_error_body (data, len);

      jx_stream_fail (stream, message != NULL ? message : "reported an error mid-stream");
      return;
    }

  choices = json_object_has_member (chunk, "choices") ? json_object_get_member (chunk, "choices") : NULL;
  if (choices != NULL && JSON_NODE_HOLDS_ARRAY (choices) &&
      json_array_get_length (json_node_get_array (choices)) > 0)
    {
      JsonObject *choice = first_choice (json_node_get_array (choices));
      /* Azure filter annotations come as choices without a delta: not text. */
      JsonObject *delta = jx_json_get_object (choice, "delta");
      const char *finish_reason = jx_json_get_string (choice, "finish_reason");

      if (delta != NULL)
        {
          if (json_object_has_member (delta, "reasoning_content"))
            take_content (stream, json_object_get_member (delta, "reasoning_content"), TRUE);
          else if (json_object_has_member (delta, "reasoning"))
            take_content (stream, json_object_get_member (delta, "reasoning"), TRUE);
          if (json_object_has_member (delta, "content"))
            take_content (stream, json_object_get_member (delta, "content"), FALSE);
          /* Structured outputs: a refusal comes as delta.refusal instead of content
           * (https://platform.openai.com/docs/guides/structured-outputs#refusals). */
          if (jx_json_get_string (delta, "refusal") != NULL)
            jx_stream_add_refusal (stream, jx_json_get_string (delta, "refusal"), -1);
        }

      if (finish_reason != NULL)
        {
          if (g_str_equal (finish_reason, "error"))
            {
              jx_stream_fail (stream, "ended the answer with finish_reason “error”");
              return;
            }
          /* Together says "eos" where everyone else says "stop". */
          jx_stream_set_done (stream, g_str_equal (finish_reason, "eos") ? "stop" : finish_reason);
        }
    }

  /* Rule for the whole family: the last non-null usage seen anywhere wins. */
  if ((usage = jx_json_get_object (chunk, "usage")) != NULL)
    take_usage (stream, usage);

  if ((x_groq = jx_json_get_object (chunk, "x_groq")) != NULL &&
      (usage = jx_json_get_object (x_groq, "usage")) != NULL)
    {
      JsonNode *node;

      if (jx_json_get_object (chunk, "usage") == NULL)
        take_usage (stream, usage);
      if (json_object_has_member (usage, "queue_time") &&
          JSON_NODE_HOLDS_VALUE ((node = json_object_get_member (usage, "queue_time"))))
        jx_stream_set_server_timing (stream, "queue", json_node_get_double (node) * 1000.0);
      if (json_object_has_member (usage, "completion_time") &&
          JSON_NODE_HOLDS_VALUE ((node = json_object_get_member (usage, "completion_time"))))
        jx_stream_set_server_timing (stream, "completion", json_node_get_double (node) * 1000.0);
    }
}

static const char * const openai_litellm_providers[] = {
  "openai", "openai",
  "mistral", "mistral",
  "together_ai", "together",
  "fireworks_ai", "fireworks",
  "huggingface", "huggingface",
  "groq", "groq",
  "openrouter", "openrouter",
  NULL
};

const JxAdapter jx_adapter_openai = {
  .protocol = "openai",
  .wire = JX_WIRE_SSE,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_BEARER,
  .litellm_providers = openai_litellm_providers,
  .build_list_message = jx_adapter_build_list_message,
  .build_message = openai_build_message,
  .handle_event = jx_adapter_openai_handle_event,
};

/* The offline demo's simulator speaks OpenAI's wire format on loopback. */
const JxAdapter jx_adapter_simulated = {
  .protocol = "simulated",
  .wire = JX_WIRE_SSE,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_NONE,
  .default_base_url = JX_SIMULATOR_SCHEME "://",
  .is_simulated = TRUE,
  .build_message = openai_build_message,
  .handle_event = jx_adapter_openai_handle_event,
};

/* ---- Usage, normalised (declared in jx-usage.h) ---------------------------------------- */

/* OpenAI chat and Responses, and the OpenAI-compatible family: cached ⊂ prompt and
 * reasoning ⊂ completion already, so the fields map straight across. */
void
jx_usage_from_openai (JxUsage *usage,
                      gint64   prompt_tokens,
                      gint64   cached_tokens,
                      gint64   completion_tokens,
                      gint64   reasoning_tokens)
{
  jx_usage_from_openai_total (usage, prompt_tokens, cached_tokens, completion_tokens,
                              reasoning_tokens, -1);
}

/* OpenAI puts reasoning inside completion_tokens; xAI reports it beside them
 * (https://docs.x.ai/docs/guides/reasoning: completion 2, reasoning 340, total 354), so
 * total − prompt is the whole output whenever it is larger than completion. */
void
jx_usage_from_openai_total (JxUsage *usage,
                            gint64   prompt_tokens,
                            gint64   cached_tokens,
                            gint64   completion_tokens,
                            gint64   reasoning_tokens,
                            gint64   total_tokens)
{
  g_return_if_fail (usage != NULL);

  jx_usage_init (usage);
  usage->input_tokens = prompt_tokens;
  usage->cached_input_tokens = cached_tokens;
  usage->output_tokens = completion_tokens;
  usage->reasoning_tokens = reasoning_tokens;
  if (completion_tokens >= 0 && prompt_tokens >= 0 && total_tokens > prompt_tokens &&
      total_tokens - prompt_tokens > completion_tokens)
    usage->output_tokens = total_tokens - prompt_tokens;
  else if (completion_tokens >= 0 && total_tokens < 0 && reasoning_tokens > completion_tokens)
    usage->output_tokens = completion_tokens + reasoning_tokens;
  jx_usage_mark_reported (usage);
}
