/* jx-adapter-private.h — what adapters share with each other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>

#include "jx-adapter.h"
#include "jx-json.h"

G_BEGIN_DECLS

/* The Chat Completions protocol, shared by OpenAI, Azure OpenAI and the simulator. */
JsonBuilder *jx_adapter_openai_build_body      (JxProvider     *provider,
                                                const char     *model,
                                                const JxPrompt *prompt);
/* Accept: text/event-stream and options.headers. */
void         jx_adapter_openai_add_headers     (SoupMessage    *message,
                                                JxProvider     *provider);
void         jx_adapter_openai_handle_event    (JxStream       *stream,
                                                const char     *event_type,
                                                const char     *data,
                                                gsize           len,
                                                GHashTable     *frame_headers);

/* The Generate Content protocol, shared by Gemini and Gemini on Vertex. */
JsonBuilder *jx_adapter_gemini_build_body      (const JxPrompt *prompt);
/* The model id for a URL path ("models/…" prefix dropped). */
char        *jx_adapter_gemini_escape_model    (const char     *model);
/* Google's error envelope, array-wrapped or not. */
char        *jx_adapter_google_describe_error_body (const char *body,
                                                    gsize       len);
/* Google's 400 "API key not valid" (auth) and 429 "Resource has been exhausted" (rate limit). */
gboolean     jx_adapter_google_classify_error (guint               status,
                                               const char         *detail,
                                               JxRequestErrorCode *code);
void         jx_adapter_gemini_handle_event    (JxStream       *stream,
                                                const char     *event_type,
                                                const char     *data,
                                                gsize           len,
                                                GHashTable     *frame_headers);

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
