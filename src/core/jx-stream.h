/* jx-stream.h — the per-request sink an adapter writes a parsed stream into
 *
 * JxRequest owns one per request; adapters (jx-adapter.h) receive it in handle_event and
 * only ever call these functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-provider.h"
#include "jx-finish-reason.h"
#include "jx-usage.h"

G_BEGIN_DECLS

/* The per-request stream state the adapter writes into (owned by JxRequest). */
typedef struct _JxStream JxStream;

JxProvider  *jx_stream_get_provider      (JxStream   *stream);
const char  *jx_stream_get_model         (JxStream   *stream);
/* A place for the adapter's own per-request state, freed with destroy at the end. */
gpointer     jx_stream_get_adapter_data  (JxStream   *stream);
void         jx_stream_set_adapter_data  (JxStream   *stream,
                                          gpointer    data,
                                          GDestroyNotify destroy);
/* Generated text. Empty text is ignored (it is not a token). */
void         jx_stream_add_content       (JxStream   *stream,
                                          const char *text,
                                          gssize      len);
/* A refusal streamed as text (OpenAI delta.refusal): it is shown as the answer, and the
 * answer's finish reason is JX_FINISH_REFUSAL whatever raw value ends the stream. */
void         jx_stream_add_refusal       (JxStream   *stream,
                                          const char *text,
                                          gssize      len);
/* The model called a tool (a Gemini functionCall part): the answer's finish reason is
 * JX_FINISH_TOOL_CALLS even when the stream ends with "STOP". */
void         jx_stream_add_tool_call     (JxStream   *stream);
/* Reasoning/thinking text streamed separately: it counts for TTFT and decode speed, not
 * for the time to the first answer token. */
void         jx_stream_add_reasoning     (JxStream   *stream,
                                          const char *text,
                                          gssize      len);
/* Usage as reported so far; the last call wins (providers send cumulative figures). */
void         jx_stream_set_usage         (JxStream      *stream,
                                          const JxUsage *usage);
/* Money amount the provider itself reports (OpenRouter usage.cost). */
void         jx_stream_set_provider_cost (JxStream   *stream,
                                          double      cost_usd);
/* A server-side timing the provider reports, in ms (Groq, Ollama, Bedrock latencyMs…). */
void         jx_stream_set_server_timing (JxStream   *stream,
                                          const char *name,
                                          double      ms);
/* The protocol's end marker was seen ([DONE], message_stop, done:true…). A non-NULL
 * finish_reason is the provider's raw value, normalised by jx_finish_reason_from_raw(). */
void         jx_stream_set_done          (JxStream   *stream,
                                          const char *finish_reason);
/* How the answer ended, for an adapter whose raw value needs its own mapping (it does not
 * mark the stream done). raw NULL keeps the raw value already given. */
void         jx_stream_set_finish        (JxStream       *stream,
                                          JxFinishReason  reason,
                                          const char     *raw);
/* An error reported inside the stream; message is the provider's own text. The request
 * fails with "<provider>: <message>" and keeps the text received so far. */
void         jx_stream_fail              (JxStream   *stream,
                                          const char *message);
/* Like jx_stream_fail(), for a stream the adapter cannot read (an event that is not
 * JSON): the request fails as a malformed stream (JX_REQUEST_ERROR_STREAM). */
void         jx_stream_fail_malformed    (JxStream   *stream,
                                          const char *message);
gboolean     jx_stream_is_done           (JxStream   *stream);
/* For protocols that share an adapter with one that has no end marker (Claude on Vertex):
 * from now on a clean EOF without jx_stream_set_done() is a truncated answer. */
void         jx_stream_expect_end_marker (JxStream   *stream);

G_END_DECLS
