/* jx-adapter-gemini.c — Gemini streamGenerateContent SSE on the Gemini API
 *
 * Gemini API: API key in x-goog-api-key (https://ai.google.dev/api/generate-content).
 * Vertex AI speaks the same protocol (jx-adapter-vertex.c uses this file's body, event
 * handler and error reader).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-adapter-private.h"
#include "jx-saturate.h"

#define DEFAULT_API_VERSION        "v1beta"

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
      if (provider->auth_kind == JX_AUTH_BEARER)
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
  gint64 tool_use = jx_json_get_int (metadata, "toolUsePromptTokenCount", -1);
  JxUsage usage;

  /* Vertex's interim chunks carry only {"trafficType":"ON_DEMAND"}: no figures to keep. */
  if (prompt < 0 && candidates < 0 && thoughts < 0)
    return;

  /* Thoughts are billed as output but not counted in candidatesTokenCount. */
  jx_usage_from_gemini_tools (&usage, prompt, cached, candidates, thoughts, tool_use);
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

  /* Gemini has no sentinel, but every answer ends with a finishReason
   * (https://ai.google.dev/api/generate-content#FinishReason): a stream that stops before
   * one is a cut answer, as with the protocols that have an end marker. */
  jx_stream_expect_end_marker (stream);

  candidate = first_object (jx_json_get_array (chunk, "candidates"));
  if (candidate != NULL)
    {
      JsonArray *parts = jx_json_get_array (jx_json_get_object (candidate, "content"), "parts");

      for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
        {
          JsonNode *part_node = json_array_get_element (parts, i);
          JsonObject *part = JSON_NODE_HOLDS_OBJECT (part_node) ? json_node_get_object (part_node) : NULL;
          const char *text = jx_json_get_string (part, "text");

          if (jx_json_get_object (part, "functionCall") != NULL)
            jx_stream_add_tool_call (stream);
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

static const char * const gemini_litellm_providers[] = { "gemini", "gemini", NULL };

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
  .default_auth = JX_AUTH_X_GOOG_API_KEY,
  .litellm_providers = gemini_litellm_providers,
  /* One big page instead of following cursors (the default is 50). */
  .list_query = "pageSize=1000",
  .build_list_message = jx_adapter_build_list_message,
  .build_message = gemini_build_message,
  .handle_event = gemini_handle_event,
  .describe_error_body = google_describe_error_body,
  .classify_error = gemini_classify_error,
};

/* ---- Shared with Gemini on Vertex (jx-adapter-vertex.c) ------------------------------- */

JsonBuilder *
jx_adapter_gemini_build_body (const JxPrompt *prompt)
{
  return gemini_build_body (prompt);
}

char *
jx_adapter_gemini_escape_model (const char *model)
{
  return escape_model (model);
}

void
jx_adapter_gemini_handle_event (JxStream   *stream,
                                const char *event_type,
                                const char *data,
                                gsize       len,
                                GHashTable *frame_headers)
{
  gemini_handle_event (stream, event_type, data, len, frame_headers);
}

char *
jx_adapter_google_describe_error_body (const char *body,
                                       gsize       len)
{
  return google_describe_error_body (body, len);
}

gboolean
jx_adapter_google_classify_error (guint               status,
                                  const char         *detail,
                                  JxRequestErrorCode *code)
{
  return gemini_classify_error (status, detail, code);
}

/* ---- Usage, normalised (declared in jx-usage.h) ---------------------------------------- */

void
jx_usage_from_gemini (JxUsage *usage,
                      gint64   prompt_token_count,
                      gint64   cached_content_token_count,
                      gint64   candidates_token_count,
                      gint64   thoughts_token_count)
{
  jx_usage_from_gemini_tools (usage, prompt_token_count, cached_content_token_count,
                              candidates_token_count, thoughts_token_count, -1);
}

/* https://ai.google.dev/api/generate-content#UsageMetadata: toolUsePromptTokenCount is
 * outside promptTokenCount and billed as input. */
void
jx_usage_from_gemini_tools (JxUsage *usage,
                            gint64   prompt_token_count,
                            gint64   cached_content_token_count,
                            gint64   candidates_token_count,
                            gint64   thoughts_token_count,
                            gint64   tool_use_prompt_token_count)
{
  g_return_if_fail (usage != NULL);

  jx_usage_init (usage);
  usage->input_tokens = jx_usage_sum_known (prompt_token_count, tool_use_prompt_token_count, -1);
  usage->cached_input_tokens = cached_content_token_count;
  if (candidates_token_count >= 0 || thoughts_token_count >= 0)
    usage->output_tokens = jx_sat_add (MAX (candidates_token_count, 0), MAX (thoughts_token_count, 0));
  usage->reasoning_tokens = thoughts_token_count;
  jx_usage_mark_reported (usage);
}
