/* jx-adapters-private.h — the adapter table; one extern per protocol file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-adapter.h"
#include "jx-json.h"

G_BEGIN_DECLS

extern const JxAdapter jx_adapter_openai;
extern const JxAdapter jx_adapter_azure_openai;
extern const JxAdapter jx_adapter_simulated;
extern const JxAdapter jx_adapter_anthropic;
extern const JxAdapter jx_adapter_gemini;
extern const JxAdapter jx_adapter_vertex;
extern const JxAdapter jx_adapter_bedrock;
extern const JxAdapter jx_adapter_cohere;
extern const JxAdapter jx_adapter_replicate;
extern const JxAdapter jx_adapter_ollama;

/* The Messages protocol, shared by Anthropic and Claude on Vertex. */
JsonBuilder *jx_adapter_anthropic_build_body   (const char     *model,
                                                const char     *anthropic_version,
                                                const JxPrompt *prompt);
void         jx_adapter_anthropic_handle_event (JxStream       *stream,
                                                const char     *event_type,
                                                const char     *data,
                                                gsize           len,
                                                GHashTable     *frame_headers);

G_END_DECLS
