/* jx-adapter.h — the contract between the streaming engine and one wire protocol
 *
 * An adapter builds the HTTP request for a provider and turns each parsed stream event
 * into calls on JxStream. It never touches sockets, timers or the main loop: JxRequest
 * reads the bytes, timestamps them, runs the parser and calls the adapter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jx-catalog.h"
#include "jx-request-error.h"
#include "jx-stream.h"
#include "jx-usage.h"

G_BEGIN_DECLS

typedef struct
{
  char   *system;        /* NULL or "" = none */
  char   *user;
  double  temperature;   /* NAN = provider default */
  int     max_tokens;    /* <= 0 = provider default */
} JxPrompt;

void jx_prompt_init  (JxPrompt *prompt);
void jx_prompt_clear (JxPrompt *prompt);

typedef enum
{
  JX_WIRE_SSE,
  JX_WIRE_NDJSON,
  JX_WIRE_EVENTSTREAM,
} JxWireFormat;

typedef struct
{
  const char   *protocol;
  JxWireFormat  wire;
  /* FALSE when a clean EOF is the normal end (Gemini has no sentinel). */
  gboolean      has_end_marker;

  /* Builds the streaming request. `credential` is the API key, an access token, or for
   * protocols with several parts (bedrock, azure-openai) a JSON object of named parts;
   * NULL when the provider needs none. */
  SoupMessage *(*build_message) (JxProvider      *provider,
                                 const char      *model,
                                 const JxPrompt  *prompt,
                                 const char      *credential,
                                 GError         **error);

  /* One SSE event (event_type may be NULL), one NDJSON line (event_type NULL), or one
   * eventstream frame (frame_headers set, else NULL). data is NUL-terminated. */
  void         (*handle_event)  (JxStream        *stream,
                                 const char      *event_type,
                                 const char      *data,
                                 gsize            len,
                                 GHashTable      *frame_headers);

  /* Optional: the human-readable part of an HTTP error body (NULL = use the generic
   * extractor, which knows {"error":{"message"}}, {"message"}, [{"error":…}]…). */
  char        *(*describe_error_body) (const char *body,
                                       gsize       len);

  /* Optional: turn the stored credential into what build_message needs, asynchronously
   * (Vertex: credentials JSON → OAuth access token). `engine` is a JxEngine*, usable as a
   * per-session cache through g_object_set_data(). Returns a new string or NULL + error. */
  void         (*resolve_credential_async)  (GObject             *engine,
                                             JxProvider          *provider,
                                             const char          *credential,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
  char        *(*resolve_credential_finish) (GAsyncResult        *result,
                                             GError             **error);
  /* Optional: the provider answered 401 to a resolved credential (the stored one, as given
   * to resolve_credential_async); drop whatever was cached for it (a revoked token). */
  void         (*credential_rejected)       (GObject             *engine,
                                             const char          *credential);

  /* Optional two-step start (Replicate): build_message's response is a complete JSON body
   * (not a stream); this turns it into the streaming request. Timing still counts from the
   * first request. `credential` as for build_message. */
  SoupMessage *(*follow_up)     (JxStream        *stream,
                                 GBytes          *first_body,
                                 const char      *credential,
                                 GError         **error);

  /* Optional epilogue (Replicate metrics): after a successful stream, a request whose
   * complete body goes to finish_epilogue (e.g. to set usage). Failures here only lose
   * the extra figures, never the answer. finish_epilogue returns TRUE when the figures
   * are not final yet: the epilogue is then sent again shortly (a few times at most). */
  SoupMessage *(*epilogue)        (JxStream   *stream,
                                   const char *credential);
  gboolean     (*finish_epilogue) (JxStream   *stream,
                                   GBytes     *body);

  /* Optional: the provider's own way of saying what an HTTP error is (Gemini answers 400
   * "API key not valid" to a bad key). `detail` is the human part of the body, or NULL.
   * Sets *code and returns TRUE to override jx_request_error_classify_http(). */
  gboolean     (*classify_error)  (guint               status,
                                   const char         *detail,
                                   JxRequestErrorCode *code);
} JxAdapter;

/* NULL for an unknown protocol. */
const JxAdapter *jx_adapter_lookup              (const char *protocol);
/* Every protocol name a providers file may use. */
const char     **jx_adapter_list_protocols      (void);
/* Generic error-body extractor used when an adapter has none. */
char            *jx_adapter_describe_error_body (const char *body,
                                                 gsize       len);

/* Shared helpers for adapters. */
/* base_url + path, with exactly one '/' between. */
char        *jx_adapter_join_url   (const char *base_url,
                                    const char *path);
SoupMessage *jx_adapter_new_post   (const char *url,
                                    JsonBuilder *body,
                                    GError    **error);

G_END_DECLS
