/* jx-request.h — one streamed answer: send, retry, read, parse, time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-adapter.h"
#include "jx-engine.h"
#include "jx-request-error.h"
#include "jx-response.h"

G_BEGIN_DECLS

typedef enum
{
  JX_REQUEST_STATE_IDLE,
  JX_REQUEST_STATE_WAITING,    /* sent, no token yet */
  JX_REQUEST_STATE_STREAMING,
  JX_REQUEST_STATE_RETRYING,   /* see jx_request_get_retry_delay_ms() */
  JX_REQUEST_STATE_DONE,
  JX_REQUEST_STATE_FAILED,
  JX_REQUEST_STATE_CANCELLED,
} JxRequestState;

#define JX_TYPE_REQUEST_STATE (jx_request_state_get_type ())
GType jx_request_state_get_type (void) G_GNUC_CONST;

#define JX_REQUEST_MAX_RETRIES 3

#define JX_TYPE_REQUEST (jx_request_get_type ())
G_DECLARE_FINAL_TYPE (JxRequest, jx_request, JX, REQUEST, GObject)

JxRequest      *jx_request_new                 (JxEngine        *engine,
                                                JxProvider      *provider,
                                                const char      *model,
                                                const JxPrompt  *prompt);
/* Use this credential instead of looking one up (env, then keyring). */
void            jx_request_set_credential      (JxRequest       *self,
                                                const char      *credential);
void            jx_request_set_run             (JxRequest       *self,
                                                guint            run);
JxProvider     *jx_request_get_provider        (JxRequest       *self);
const char     *jx_request_get_model           (JxRequest       *self);
/* Also the read-only "state" property, notified on every change. */
JxRequestState  jx_request_get_state           (JxRequest       *self);
guint           jx_request_get_retry_delay_ms  (JxRequest       *self);
/* The live response, updated while streaming (for the UI's metrics strip). */
JxResponse     *jx_request_get_response        (JxRequest       *self);
/* Always completes with a response; failures are in its status and error (partial text kept):
 * a JX_REQUEST_ERROR, or G_IO_ERROR_CANCELLED when stopped. */
void            jx_request_run_async           (JxRequest          *self,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
/* Returns the response, also a failed one (never NULL for a request that ran); when it failed
 * and @error is given, @error also gets a copy of the response's error. */
JxResponse     *jx_request_run_finish          (JxRequest          *self,
                                                GAsyncResult       *result,
                                                GError            **error);

G_END_DECLS
