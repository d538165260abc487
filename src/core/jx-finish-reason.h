/* jx-finish-reason.h — how an answer ended, normalised across providers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Only STOP (or UNKNOWN on a stream that ended cleanly) is a complete answer: the others are
 * kept apart in every statistic (jx_response_is_complete()). */
typedef enum
{
  JX_FINISH_UNKNOWN,        /* not reported */
  JX_FINISH_STOP,           /* the model finished its answer (or hit a stop sequence) */
  JX_FINISH_LENGTH,         /* cut at the output-token limit */
  JX_FINISH_CONTENT_FILTER, /* stopped by a safety / recitation / guardrail filter */
  JX_FINISH_REFUSAL,        /* the model refused; its refusal text is the answer */
  JX_FINISH_TOOL_CALLS,     /* the model called a tool instead of answering */
  JX_FINISH_ERROR,          /* the request failed (partial text kept) */
  JX_FINISH_CANCELLED,      /* stopped by the user */
} JxFinishReason;

/* "stop", "length", "content_filter", "refusal", "tool_calls", "error", "cancelled",
 * "unknown": the names used in JSON and CSV. */
const char     *jx_finish_reason_to_string     (JxFinishReason reason);
/* The inverse of jx_finish_reason_to_string(); FALSE for any other string. */
gboolean        jx_finish_reason_from_string   (const char     *name,
                                                JxFinishReason *reason);
/* A provider's raw value, for the protocols whose spellings do not collide: OpenAI
 * (stop, length, content_filter, tool_calls, function_call), Anthropic and Bedrock (end_turn,
 * stop_sequence, max_tokens, tool_use, refusal, guardrail_intervened, content_filtered),
 * Gemini (STOP, MAX_TOKENS, SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII…),
 * Cohere (COMPLETE, STOP_SEQUENCE, MAX_TOKENS, TOOL_CALL, ERROR), Ollama (stop, length).
 * Adapters with a special case (an OpenAI refusal ends with "stop") call
 * jx_stream_set_finish() themselves. Unknown values give JX_FINISH_UNKNOWN. */
JxFinishReason  jx_finish_reason_from_raw      (const char     *raw);
gboolean        jx_finish_reason_is_complete   (JxFinishReason  reason);

G_END_DECLS
