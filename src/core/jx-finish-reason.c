/* jx-finish-reason.c — how an answer ended, normalised across providers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-finish-reason.h"

static const char * const names[] = {
  [JX_FINISH_UNKNOWN] = "unknown",
  [JX_FINISH_STOP] = "stop",
  [JX_FINISH_LENGTH] = "length",
  [JX_FINISH_CONTENT_FILTER] = "content_filter",
  [JX_FINISH_REFUSAL] = "refusal",
  [JX_FINISH_TOOL_CALLS] = "tool_calls",
  [JX_FINISH_ERROR] = "error",
  [JX_FINISH_CANCELLED] = "cancelled",
};

const char *
jx_finish_reason_to_string (JxFinishReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (names))
    return "unknown";
  return names[reason];
}

gboolean
jx_finish_reason_from_string (const char     *name,
                              JxFinishReason *reason)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      {
        *reason = (JxFinishReason) i;
        return TRUE;
      }
  return FALSE;
}

/* Raw values, compared case-insensitively. Sources:
 * https://platform.openai.com/docs/api-reference/chat/object (finish_reason),
 * https://docs.anthropic.com/en/api/messages (stop_reason),
 * https://ai.google.dev/api/generate-content#FinishReason,
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html (stopReason),
 * https://docs.cohere.com/reference/chat-stream (finish_reason),
 * https://github.com/ollama/ollama/blob/main/docs/api.md (done_reason). */
static const struct
{
  const char     *raw;
  JxFinishReason  reason;
} raw_table[] = {
  { "stop", JX_FINISH_STOP },
  { "eos", JX_FINISH_STOP },                 /* Together */
  { "end_turn", JX_FINISH_STOP },
  { "stop_sequence", JX_FINISH_STOP },
  { "complete", JX_FINISH_STOP },            /* Cohere COMPLETE */
  { "succeeded", JX_FINISH_STOP },           /* Replicate */
  { "length", JX_FINISH_LENGTH },
  { "max_tokens", JX_FINISH_LENGTH },        /* Anthropic, Bedrock, Gemini/Cohere MAX_TOKENS */
  { "model_context_window_exceeded", JX_FINISH_LENGTH },
  { "content_filter", JX_FINISH_CONTENT_FILTER },
  { "content_filtered", JX_FINISH_CONTENT_FILTER },
  { "guardrail_intervened", JX_FINISH_CONTENT_FILTER },
  { "safety", JX_FINISH_CONTENT_FILTER },
  { "recitation", JX_FINISH_CONTENT_FILTER },
  { "blocklist", JX_FINISH_CONTENT_FILTER },
  { "prohibited_content", JX_FINISH_CONTENT_FILTER },
  { "spii", JX_FINISH_CONTENT_FILTER },
  { "image_safety", JX_FINISH_CONTENT_FILTER },
  { "language", JX_FINISH_CONTENT_FILTER },
  { "refusal", JX_FINISH_REFUSAL },
  { "tool_calls", JX_FINISH_TOOL_CALLS },
  { "function_call", JX_FINISH_TOOL_CALLS },
  { "tool_use", JX_FINISH_TOOL_CALLS },
  { "tool_call", JX_FINISH_TOOL_CALLS },     /* Cohere TOOL_CALL */
  { "unexpected_tool_call", JX_FINISH_TOOL_CALLS },
  { "error", JX_FINISH_ERROR },
  { "malformed_function_call", JX_FINISH_ERROR },
  { "timeout", JX_FINISH_ERROR },
  { "failed", JX_FINISH_ERROR },
  { "canceled", JX_FINISH_CANCELLED },
  { "cancelled", JX_FINISH_CANCELLED },
};

JxFinishReason
jx_finish_reason_from_raw (const char *raw)
{
  if (raw == NULL)
    return JX_FINISH_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (raw_table); i++)
    if (g_ascii_strcasecmp (raw, raw_table[i].raw) == 0)
      return raw_table[i].reason;

  return JX_FINISH_UNKNOWN;
}

gboolean
jx_finish_reason_is_complete (JxFinishReason reason)
{
  return reason == JX_FINISH_STOP || reason == JX_FINISH_UNKNOWN;
}
