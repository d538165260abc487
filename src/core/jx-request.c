/* jx-request.c
 *
 * Timestamps are taken on the network thread the moment bytes come off the socket
 * (jx-transfer.c) and are handed to the parser and adapter with the bytes, so neither the
 * UI drawing nor this file's own parsing can delay them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-credential-policy.h"
#include "jx-eventstream-parser.h"
#include "jx-google-auth.h"
#include "jx-json.h"
#include "jx-keys.h"
#include "jx-ndjson-parser.h"
#include "jx-net.h"
#include "jx-redact.h"
#include "jx-request-error.h"
#include "jx-request-private.h"
#include "jx-sse-parser.h"
#include "jx-transfer.h"

#define MAX_ERROR_BODY       (64 * 1024)
#define MAX_WHOLE_BODY       (8 * 1024 * 1024)
#define MAX_RETRY_WAIT_MS    (60 * 1000)
#define BASE_BACKOFF_MS      500
#define EPILOGUE_POLL_MS     400
#define MAX_EPILOGUE_POLLS   3

struct _JxRequest
{
  GObject              parent_instance;

  JxEngine            *engine;
  JxProvider          *provider;
  char                *model;
  JxPrompt             prompt;
  char                *credential;
  gboolean             credential_set;   /* given by the caller, not looked up */
  char                *stored_credential; /* before resolve_credential, for credential_rejected */
  const JxAdapter     *adapter;

  JxRequestState       state;
  JxResponse          *response;
  JxStream             stream;

  GTask               *task;
  GCancellable        *cancellable;     /* ours: cancelled by the caller's or by a watchdog */
  GCancellable        *caller_cancellable;
  gulong               caller_cancelled_id;
  SoupMessage         *message;
  JxTransfer          *transfer;        /* the exchange of `message` in flight */
  SoupMessageHeaders  *response_headers;
  gboolean             got_headers;     /* of the transfer in flight */
  gboolean             left_queue;      /* of the transfer in flight, see transfer_left_queue_cb */
  GByteArray          *error_body;      /* a whole body being collected, see BodyPurpose */
  int                  body_purpose;
  gboolean             whole_body;      /* collecting into error_body, not parsing */
  gboolean             followed_up;
  gboolean             in_epilogue;
  guint                epilogue_polls;

  JxSseParser         *sse;
  JxNdjsonParser      *ndjson;
  JxEventstreamParser *eventstream;

  GSource             *watchdog;        /* fires at its ready time, see arm_watchdog */
  guint                watchdog_seconds;
  gboolean             watchdog_streaming;
  GError              *timeout_error;   /* what the watchdog would fail with */
  GSource             *deadline;        /* max-time, see arm_deadline */
  guint                retry_source;
  guint                retry_delay_ms;
  guint                run;
  gint64               now;             /* arrival time of the bytes being parsed */
};

G_DEFINE_FINAL_TYPE (JxRequest, jx_request, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (JxRequestState, jx_request_state,
                    G_DEFINE_ENUM_VALUE (JX_REQUEST_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (JX_REQUEST_STATE_WAITING, "waiting"),
                    G_DEFINE_ENUM_VALUE (JX_REQUEST_STATE_STREAMING, "streaming"),
                    G_DEFINE_ENUM_VALUE (JX_REQUEST_STATE_RETRYING, "retrying"),
                    G_DEFINE_ENUM_VALUE (JX_REQUEST_STATE_DONE, "done"),
                    G_DEFINE_ENUM_VALUE (JX_REQUEST_STATE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (JX_REQUEST_STATE_CANCELLED, "cancelled"))

enum {
  DELTA,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Why a response body is read whole instead of streamed. */
typedef enum
{
  BODY_HTTP_ERROR,
  BODY_FOLLOW_UP,
  BODY_EPILOGUE,
} BodyPurpose;

static void start_attempt   (JxRequest *self);
static void send_message    (JxRequest *self);
static void start_transfer  (JxRequest *self);
static gboolean send_epilogue (JxRequest *self);
static void whole_body_finished (JxRequest *self, const GError *error);
static void read_whole_body (JxRequest *self, BodyPurpose purpose);

static void
jx_request_finalize (GObject *object)
{
  JxRequest *self = (JxRequest *) object;

  g_assert (self->task == NULL);

  if (self->transfer != NULL)
    jx_transfer_stop (self->transfer);
  g_clear_object (&self->transfer);
  g_clear_object (&self->message);
  g_clear_pointer (&self->response_headers, soup_message_headers_unref);
  jx_stream_clear (&self->stream);
  g_clear_pointer (&self->response, jx_response_unref);
  g_clear_pointer (&self->provider, jx_provider_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->model, g_free);
  if (self->credential != NULL)
    memset (self->credential, 0, strlen (self->credential));
  g_clear_pointer (&self->credential, g_free);
  if (self->stored_credential != NULL)
    memset (self->stored_credential, 0, strlen (self->stored_credential));
  g_clear_pointer (&self->stored_credential, g_free);
  g_clear_error (&self->timeout_error);
  jx_prompt_clear (&self->prompt);

  G_OBJECT_CLASS (jx_request_parent_class)->finalize (object);
}

static void
jx_request_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JxRequest *self = JX_REQUEST (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_request_class_init (JxRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_request_finalize;
  object_class->get_property = jx_request_get_property;

  /* Where the request is; notified on every change (see jx_request_get_retry_delay_ms()). */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                              JX_TYPE_REQUEST_STATE, JX_REQUEST_STATE_IDLE,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                              G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted for every text delta, as it is parsed (is_reasoning for thinking text). */
  signals[DELTA] = g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                 G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
jx_request_init (JxRequest *self)
{
  jx_stream_init (&self->stream, self);
  self->response = jx_response_new ();
  self->run = 1;
  jx_prompt_init (&self->prompt);
}

JxRequest *
jx_request_new (JxEngine       *engine,
                JxProvider     *provider,
                const char     *model,
                const JxPrompt *prompt)
{
  JxRequest *self;

  g_return_val_if_fail (JX_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (prompt != NULL, NULL);

  self = g_object_new (JX_TYPE_REQUEST, NULL);
  self->engine = g_object_ref (engine);
  self->provider = jx_provider_ref (provider);
  self->model = g_strdup (model);
  self->prompt.system = g_strdup (prompt->system);
  self->prompt.user = g_strdup (prompt->user);
  self->prompt.temperature = prompt->temperature;
  self->prompt.max_tokens = prompt->max_tokens;
  self->adapter = jx_adapter_lookup (provider->protocol);

  self->response->provider_id = g_strdup (provider->id);
  self->response->provider_name = g_strdup (provider->name != NULL ? provider->name : provider->id);
  self->response->model = g_strdup (model);

  return self;
}

void
jx_request_set_credential (JxRequest  *self,
                           const char *credential)
{
  g_return_if_fail (JX_IS_REQUEST (self));
  g_free (self->credential);
  self->credential = g_strdup (credential);
  self->credential_set = TRUE;
}

void
jx_request_set_run (JxRequest *self,
                    guint      run)
{
  self->run = run;
  self->response->run = run;
}

JxProvider *
jx_request_get_provider (JxRequest *self)
{
  return self->provider;
}

const char *
jx_request_get_model (JxRequest *self)
{
  return self->model;
}

JxRequestState
jx_request_get_state (JxRequest *self)
{
  return self->state;
}

guint
jx_request_get_retry_delay_ms (JxRequest *self)
{
  return self->retry_delay_ms;
}

JxResponse *
jx_request_get_response (JxRequest *self)
{
  return self->response;
}

static const char *
provider_name (JxRequest *self)
{
  return self->response->provider_name;
}

static void
set_state (JxRequest      *self,
           JxRequestState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
clear_watchdog (JxRequest *self)
{
  if (self->watchdog != NULL)
    g_source_destroy (self->watchdog);
  g_clear_pointer (&self->watchdog, g_source_unref);
}

static gboolean
watchdog_fired_cb (gpointer user_data)
{
  JxRequest *self = user_data;

  /* Still waiting for one of the host's connections: the server has not seen the request,
   * so the connect timeout has not started (max-time still bounds the wait). */
  if (!self->watchdog_streaming && self->transfer != NULL && !self->left_queue)
    {
      g_source_set_ready_time (self->watchdog, g_get_monotonic_time () +
                               (gint64) self->watchdog_seconds * G_USEC_PER_SEC);
      return G_SOURCE_CONTINUE;
    }

  g_clear_pointer (&self->watchdog, g_source_unref);
  if (self->timeout_error == NULL)
    self->timeout_error = g_error_new_literal (JX_REQUEST_ERROR, JX_REQUEST_ERROR_TIMEOUT, _("timeout"));
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
watchdog_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs watchdog_funcs = {
  .dispatch = watchdog_dispatch,
};

/* Arms the connect (no headers yet) or idle (silence mid-stream) watchdog. */
static void
arm_watchdog (JxRequest *self,
              gboolean   streaming)
{
  guint seconds = streaming ? jx_engine_get_idle_timeout (self->engine)
                            : jx_engine_get_connect_timeout (self->engine);
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  /* Mid-stream this runs for every piece that arrives: only move the deadline. */
  if (self->watchdog != NULL && self->watchdog_streaming == streaming &&
      self->watchdog_seconds == seconds)
    {
      g_source_set_ready_time (self->watchdog, deadline);
      return;
    }

  clear_watchdog (self);
  if (seconds == 0)
    return;

  g_clear_error (&self->timeout_error);
  if (streaming)
    /* Translators: %s is the provider, %u a number of seconds */
    self->timeout_error = g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_TIMEOUT,
                                       _("%s stopped sending for %u s (idle timeout)"),
                                       provider_name (self), seconds);
  else
    /* Translators: %s is the provider, %u a number of seconds */
    self->timeout_error = g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_TIMEOUT,
                                       _("no response from %s within %u s (connect timeout)"),
                                       provider_name (self), seconds);
  self->watchdog_streaming = streaming;
  self->watchdog_seconds = seconds;
  self->watchdog = g_source_new (&watchdog_funcs, sizeof (GSource));
  g_source_set_name (self->watchdog, "[juxta] request watchdog");
  g_source_set_callback (self->watchdog, watchdog_fired_cb, self, NULL);
  g_source_set_ready_time (self->watchdog, deadline);
  g_source_attach (self->watchdog, NULL);
}

static void
clear_deadline (JxRequest *self)
{
  if (self->deadline != NULL)
    g_source_destroy (self->deadline);
  g_clear_pointer (&self->deadline, g_source_unref);
}

static void stop_with_error (JxRequest *self, JxRequestErrorCode code, const char *message);
static void complete (JxRequest *self, JxResponseStatus status, GError *error);

static gboolean
deadline_fired_cb (gpointer user_data)
{
  JxRequest *self = user_data;
  guint seconds = jx_engine_get_max_time (self->engine);
  g_autofree char *message = NULL;

  g_clear_pointer (&self->deadline, g_source_unref);
  /* The answer itself is complete; a slow epilogue only loses extra figures. */
  if (self->in_epilogue)
    {
      g_cancellable_cancel (self->cancellable);
      complete (self, JX_RESPONSE_OK, NULL);
      return G_SOURCE_REMOVE;
    }
  /* Translators: %u is a number of seconds */
  message = g_strdup_printf (_("no complete answer within %u s (max time)"), seconds);
  stop_with_error (self, JX_REQUEST_ERROR_TIMEOUT, message);

  return G_SOURCE_REMOVE;
}

/* The total deadline of an attempt (max-time): unlike the idle watchdog, nothing the server
 * sends moves it, so a stream that trickles bytes for ever still ends. */
static void
arm_deadline (JxRequest *self)
{
  guint seconds = jx_engine_get_max_time (self->engine);

  clear_deadline (self);
  if (seconds == 0)
    return;

  self->deadline = g_timeout_source_new_seconds (seconds);
  g_source_set_name (self->deadline, "[juxta] request deadline");
  g_source_set_callback (self->deadline, deadline_fired_cb, self, NULL);
  g_source_attach (self->deadline, NULL);
}

/* Every credential this request holds, for jx_redact (). */
static GPtrArray *
collect_secrets (JxRequest *self)
{
  GPtrArray *secrets = g_ptr_array_new_with_free_func (g_free);

  jx_redact_add_credential (secrets, self->credential);
  jx_redact_add_credential (secrets, self->stored_credential);
  return secrets;
}

/* Nothing a provider echoes may carry a key into the response (and from there into the
 * output, exports and history). */
static void
redact_response (JxRequest *self)
{
  g_autoptr(GPtrArray) secrets = collect_secrets (self);
  JxResponse *response = self->response;
  GString *strings[] = { response->text, response->reasoning };
  char *redacted;

  if (secrets->len == 0)
    return;

  if (response->error != NULL && (redacted = jx_redact (response->error->message, secrets)) != NULL)
    {
      g_free (response->error->message);
      response->error->message = redacted;
    }

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if ((redacted = jx_redact (strings[i]->str, secrets)) != NULL)
      {
        g_string_assign (strings[i], redacted);
        g_free (redacted);
      }
}

static void
compute_usage_and_cost (JxRequest *self)
{
  JxResponse *response = self->response;
  JxModel *model;

  if (response->usage.source == JX_USAGE_SOURCE_PROVIDER && !jx_usage_is_known (&response->usage))
    {
      /* Half a report (Ollama omits the prompt count on a cache hit): estimate the missing
       * half and say the usage is an estimate. */
      JxUsage provider_usage = response->usage;
      g_autofree char *prompt_text = g_strconcat (self->prompt.system != NULL ? self->prompt.system : "",
                                                  "\n", self->prompt.user != NULL ? self->prompt.user : "",
                                                  NULL);

      jx_usage_estimate_with_reasoning (&response->usage, prompt_text, response->text->str, response->reasoning->str);
      if (provider_usage.input_tokens >= 0)
        response->usage.input_tokens = provider_usage.input_tokens;
      if (provider_usage.output_tokens >= 0)
        response->usage.output_tokens = provider_usage.output_tokens;
    }
  else if (!SOUP_STATUS_IS_SUCCESSFUL (response->http_status))
    {
      /* Refused before generating anything (bad key, no connection): nothing to bill. */
      response->cost_usd = NAN;
      return;
    }
  else if (!jx_usage_is_known (&response->usage))
    {
      g_autofree char *prompt_text = g_strconcat (self->prompt.system != NULL ? self->prompt.system : "",
                                                  "\n", self->prompt.user != NULL ? self->prompt.user : "",
                                                  NULL);

      jx_usage_estimate_with_reasoning (&response->usage, prompt_text, response->text->str, response->reasoning->str);
    }

  if (response->cost_from_provider)
    return;

  model = jx_provider_find_model (self->provider, self->model);
  if (model != NULL && jx_price_is_known (&model->price))
    response->cost_usd = jx_price_cost (&model->price, &response->usage);
  else
    response->cost_usd = NAN;
}

static void
complete (JxRequest        *self,
          JxResponseStatus  status,
          GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  JxResponse *response = self->response;

  clear_watchdog (self);
  clear_deadline (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_pointer (&self->sse, jx_sse_parser_free);
  g_clear_pointer (&self->ndjson, jx_ndjson_parser_free);
  g_clear_pointer (&self->eventstream, jx_eventstream_parser_free);
  g_clear_pointer (&self->error_body, g_byte_array_unref);
  if (self->transfer != NULL)
    jx_transfer_stop (self->transfer);
  g_clear_object (&self->transfer);
  g_clear_object (&self->message);
  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_cancelled_id);
  self->caller_cancelled_id = 0;
  g_clear_object (&self->caller_cancellable);

  if (response->timing.t_end == 0)
    response->timing.t_end = g_get_monotonic_time ();
  response->status = status;
  g_clear_error (&response->error);
  response->error = error;
  redact_response (self);

  compute_usage_and_cost (self);

  set_state (self, status == JX_RESPONSE_OK ? JX_REQUEST_STATE_DONE
                 : status == JX_RESPONSE_CANCELLED ? JX_REQUEST_STATE_CANCELLED
                 : JX_REQUEST_STATE_FAILED);

  g_task_return_pointer (task, jx_response_ref (response), (GDestroyNotify) jx_response_unref);
}

static void
fail (JxRequest *self,
      GError    *error)
{
  complete (self, JX_RESPONSE_ERROR, error);
}

/* An adapter's own error (its settings, the model name, a first response it cannot use):
 * "<provider>: <message>", keeping the adapter's code when it chose one. */
static void
fail_adapter_error (JxRequest          *self,
                    const GError       *error,
                    JxRequestErrorCode  fallback)
{
  JxRequestErrorCode code = error->domain == JX_REQUEST_ERROR ? (JxRequestErrorCode) error->code : fallback;

  /* Translators: the first %s is the provider, the second what is wrong */
  fail (self, g_error_new (JX_REQUEST_ERROR, code, _("%s: %s"), provider_name (self), error->message));
}

static void fail_with (JxRequest          *self,
                       JxRequestErrorCode  code,
                       const char         *format,
                       ...) G_GNUC_PRINTF (3, 4);

static void
fail_with (JxRequest          *self,
           JxRequestErrorCode  code,
           const char         *format,
           ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (JX_REQUEST_ERROR, code, format, args);
  va_end (args);
  fail (self, error);
}

/* Why the stream failed, from what the adapter (or the output cap) reported. */
static JxRequestErrorCode
stream_failure_code (JxRequest *self)
{
  if (self->stream.failure_too_large)
    return JX_REQUEST_ERROR_TOO_LARGE;
  return self->stream.failure_malformed ? JX_REQUEST_ERROR_STREAM : JX_REQUEST_ERROR_PROVIDER;
}

/* Ends the response now, mid-stream or not, keeping the text received so far. */
static void
stop_with_error (JxRequest          *self,
                 JxRequestErrorCode  code,
                 const char         *message)
{
  g_cancellable_cancel (self->cancellable);
  /* Translators: the first %s is the provider, the second what is wrong */
  fail_with (self, code, _("%s: %s"), provider_name (self), message);
}

/* Stopped by the user. */
static void
complete_stopped (JxRequest *self)
{
  complete (self, JX_RESPONSE_CANCELLED,
            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("stopped")));
}

/* A transport-level GError turned into one that names the provider. */
static GError *
describe_transport_error (JxRequest    *self,
                          const GError *error)
{
  const char *host = "";

  if (self->message != NULL)
    host = g_uri_get_host (soup_message_get_uri (self->message));

  return jx_request_error_new_transport (provider_name (self), host, error);
}

/* Transport error or cancellation while sending or reading. */
static void
handle_io_error (JxRequest    *self,
                 const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->caller_cancellable != NULL && g_cancellable_is_cancelled (self->caller_cancellable))
        complete_stopped (self);
      else if (self->timeout_error != NULL)
        fail (self, g_error_copy (self->timeout_error));
      else
        fail_with (self, JX_REQUEST_ERROR_FAILED, "%s", _("cancelled"));
      return;
    }

  fail (self, describe_transport_error (self, error));
}

/* ---- what JxStream reports (see jx-stream.c) ------------------------------------------ */

JxStream *
jx_request_get_stream (JxRequest *self)
{
  return &self->stream;
}

gint64
jx_request_get_now (JxRequest *self)
{
  return self->now;
}

void
jx_request_text_added (JxRequest  *self,
                       const char *text,
                       gsize       len,
                       gboolean    reasoning)
{
  g_autofree char *copy = NULL;

  if (!reasoning)
    set_state (self, JX_REQUEST_STATE_STREAMING);

  copy = g_strndup (text, len);
  g_signal_emit (self, signals[DELTA], 0, copy, reasoning);
}

/* ---- parsing -------------------------------------------------------------------------- */

/* Whether an event is a JSON object or array (not "[DONE]"-like sentinels' text, nor the
 * plain text of Replicate's output events, which must reach the adapter untouched). */
static gboolean
looks_like_json (const char *data,
                 gsize       len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && (data[i] == '{' || (data[i] == '[' && (len - i < 6 || memcmp (data + i, "[DONE]", 6) != 0)));
}

/* Hands one event to the adapter, after checking its JSON cannot crash the parser and
 * rewriting escapes that would break the text (see jx_json_sanitize ()). */
static void
handle_event (JxRequest  *self,
              const char *event_type,
              const char *data,
              gsize       len,
              GHashTable *headers)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;
  const char *safe = data;

  if (self->stream.failure != NULL)
    return;

  if (looks_like_json (data, len) && (safe = jx_json_sanitize (data, len, &copy, &error)) == NULL)
    {
      /* Translators: %s says what is wrong */
      g_autofree char *message = g_strdup_printf (_("sent an unusable event: %s"), error->message);

      jx_stream_fail_malformed (&self->stream, message);
      return;
    }

  self->adapter->handle_event (&self->stream, event_type, safe, len, headers);
}

static void
sse_event_cb (const char *event_type,
              const char *data,
              gsize       data_len,
              const char *id,
              gpointer    user_data)
{
  handle_event (user_data, event_type, data, data_len, NULL);
}

static void
ndjson_line_cb (const char *line,
                gsize       len,
                gpointer    user_data)
{
  handle_event (user_data, NULL, line, len, NULL);
}

static void
eventstream_frame_cb (GHashTable *headers,
                      const char *payload,
                      gsize       payload_len,
                      gpointer    user_data)
{
  handle_event (user_data, g_hash_table_lookup (headers, ":event-type"), payload, payload_len, headers);
}

static gboolean
feed (JxRequest    *self,
      const guint8 *bytes,
      gsize         len,
      GError      **error)
{
  switch (self->adapter->wire)
    {
    case JX_WIRE_SSE:
      return jx_sse_parser_feed (self->sse, (const char *) bytes, len, error);
    case JX_WIRE_NDJSON:
      return jx_ndjson_parser_feed (self->ndjson, (const char *) bytes, len, error);
    case JX_WIRE_EVENTSTREAM:
      return jx_eventstream_parser_feed (self->eventstream, bytes, len, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
feed_end (JxRequest  *self,
          gboolean   *truncated,
          GError    **error)
{
  gboolean had_partial = FALSE;

  *truncated = FALSE;
  switch (self->adapter->wire)
    {
    case JX_WIRE_SSE:
      jx_sse_parser_finish (self->sse, &had_partial);
      *truncated = had_partial;
      return TRUE;
    case JX_WIRE_NDJSON:
      return jx_ndjson_parser_finish (self->ndjson, error);
    case JX_WIRE_EVENTSTREAM:
      if (!jx_eventstream_parser_finish (self->eventstream, error))
        {
          *truncated = TRUE;
          g_clear_error (error);
        }
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static void
finish_stream (JxRequest *self)
{
  g_autoptr(GError) error = NULL;
  gboolean truncated = FALSE;

  self->response->timing.t_end = self->now;

  if (!feed_end (self, &truncated, &error))
    {
      /* Translators: the first %s is the provider, the second what is wrong */
      fail_with (self, JX_REQUEST_ERROR_STREAM, _("%s sent a malformed stream: %s"),
                 provider_name (self), error->message);
      return;
    }

  if (self->stream.failure != NULL)
    {
      /* Translators: the first %s is the provider, the second its own error message */
      fail_with (self, stream_failure_code (self), _("%s: %s"), provider_name (self), self->stream.failure);
      return;
    }

  if ((self->adapter->has_end_marker || self->stream.expect_end_marker) ? !self->stream.done : truncated)
    {
      fail_with (self, JX_REQUEST_ERROR_TRUNCATED,
                 _("the stream from %s ended before the answer was complete (no end marker)"),
                 provider_name (self));
      return;
    }

  if (self->adapter->epilogue != NULL && send_epilogue (self))
    return;

  complete (self, JX_RESPONSE_OK, NULL);
}

/* The one key-host rule (jx-credential-policy.h), for every message that carries the key:
 * the first request, follow-ups, epilogues. */
static gboolean
credential_may_go (JxRequest    *self,
                   SoupMessage  *message,
                   GError      **error)
{
  return self->credential == NULL || !jx_credential_policy_message_has_credential (message) ||
         jx_credential_policy_check (self->provider, soup_message_get_uri (message),
                                     self->credential_set ? JX_CREDENTIAL_SOURCE_CALLER
                                                          : JX_CREDENTIAL_SOURCE_LOOKUP, error);
}

/* Sends the adapter's epilogue; FALSE when it has none (any more). */
static gboolean
send_epilogue (JxRequest *self)
{
  g_autoptr(SoupMessage) epilogue = self->adapter->epilogue (&self->stream, self->credential);
  g_autoptr(GError) error = NULL;

  if (epilogue == NULL)
    return FALSE;
  /* The answer is complete; a refused epilogue only loses extra figures. */
  if (!credential_may_go (self, epilogue, &error))
    {
      g_debug ("%s: no epilogue: %s", provider_name (self), error->message);
      return FALSE;
    }

  clear_watchdog (self);
  g_set_object (&self->message, epilogue);
  soup_message_add_flags (self->message, SOUP_MESSAGE_NO_REDIRECT);
  self->in_epilogue = TRUE;
  arm_watchdog (self, FALSE);
  start_transfer (self);
  return TRUE;
}

static gboolean
epilogue_poll_cb (gpointer user_data)
{
  JxRequest *self = user_data;

  self->retry_source = 0;
  if (!send_epilogue (self))
    complete (self, JX_RESPONSE_OK, NULL);

  return G_SOURCE_REMOVE;
}

/* The answer is complete; a failed epilogue only loses extra figures. */
static void
epilogue_got_headers (JxRequest *self,
                      guint      status)
{
  arm_watchdog (self, TRUE);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      complete (self, JX_RESPONSE_OK, NULL);
      return;
    }

  read_whole_body (self, BODY_EPILOGUE);
}

static void
stream_got_bytes (JxRequest *self,
                  GBytes    *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint64 progress = self->stream.progress;

  if (self->response->timing.t_first_byte == 0)
    self->response->timing.t_first_byte = self->now;

  if (!feed (self, data, len, &error))
    {
      self->response->timing.t_end = self->now;
      g_cancellable_cancel (self->cancellable);
      /* Translators: the first %s is the provider, the second what is wrong */
      fail_with (self, JX_REQUEST_ERROR_STREAM, _("%s sent a malformed stream: %s"),
                 provider_name (self), error->message);
      return;
    }

  if (self->stream.failure != NULL)
    {
      /* The provider reported an error mid-stream: stop reading, keep the text. */
      self->response->timing.t_end = self->now;
      g_cancellable_cancel (self->cancellable);
      /* Translators: the first %s is the provider, the second its own error message */
      fail_with (self, stream_failure_code (self), _("%s: %s"), provider_name (self), self->stream.failure);
      return;
    }

  /* The idle watchdog is moved by progress (text, usage, the end), not by bytes: once the
   * answer has started, keepalives or a trickle of bytes that never make an event cannot
   * keep a dead stream open. Before the first token keepalives still count (OpenRouter
   * sends them while a model thinks); max-time bounds that wait. */
  if (self->stream.progress != progress || self->response->timing.t_first_token == 0)
    arm_watchdog (self, TRUE);
}

/* ---- HTTP errors and retries ---------------------------------------------------------- */

static gboolean
retry_cb (gpointer user_data)
{
  JxRequest *self = user_data;

  self->retry_source = 0;
  self->retry_delay_ms = 0;
  start_attempt (self);

  return G_SOURCE_REMOVE;
}

static void
handle_http_error (JxRequest *self)
{
  guint status = self->response->http_status;
  gint64 retry_after_ms = jx_request_error_parse_retry_after_ms (self->response_headers);
  g_autofree char *detail = NULL;
  JxRequestErrorCode code;
  gboolean retryable;

  if (self->adapter->describe_error_body != NULL)
    detail = self->adapter->describe_error_body ((const char *) self->error_body->data, self->error_body->len);
  if (detail == NULL)
    detail = jx_adapter_describe_error_body ((const char *) self->error_body->data, self->error_body->len);

  if (self->adapter->classify_error == NULL ||
      !self->adapter->classify_error (status, detail, &code))
    code = jx_request_error_classify_http (status, detail);

  /* Some providers say the wait only in the body (Google's RetryInfo, OpenAI's "Please try
   * again in 1.5s"). */
  if (retry_after_ms < 0 && code == JX_REQUEST_ERROR_RATE_LIMITED)
    retry_after_ms = jx_request_error_parse_retry_hint_ms (detail);

  /* Retrying after a two-step start would create (and bill) a second prediction. */
  retryable = !self->followed_up && jx_request_error_status_is_retryable (status) &&
              (code == JX_REQUEST_ERROR_RATE_LIMITED || code == JX_REQUEST_ERROR_OVERLOADED) &&
              self->response->retries < JX_REQUEST_MAX_RETRIES &&
              retry_after_ms <= MAX_RETRY_WAIT_MS;

  /* A cached token the provider no longer accepts must not be reused by the next request. */
  if (status == 401 && self->adapter->credential_rejected != NULL && self->stored_credential != NULL)
    self->adapter->credential_rejected (self->engine, self->stored_credential);

  if (!retryable)
    {
      fail (self, jx_request_error_new_http (code, provider_name (self), self->model, status,
                                             detail, retry_after_ms));
      return;
    }

  if (retry_after_ms < 0)
    {
      /* Exponential backoff with full jitter on top of the base. */
      gint64 base = (gint64) BASE_BACKOFF_MS << self->response->retries;
      retry_after_ms = base + g_random_int_range (0, (gint32) base);
    }
  else
    retry_after_ms += g_random_int_range (0, 100);

  self->response->retries++;
  self->retry_delay_ms = (guint) retry_after_ms;
  clear_deadline (self);
  g_clear_object (&self->message);
  g_clear_object (&self->transfer);
  g_clear_pointer (&self->error_body, g_byte_array_unref);
  set_state (self, JX_REQUEST_STATE_RETRYING);
  self->retry_source = g_timeout_add ((guint) retry_after_ms, retry_cb, self);
}

static void
whole_body_done (JxRequest *self)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  switch ((BodyPurpose) self->body_purpose)
    {
    case BODY_HTTP_ERROR:
      handle_http_error (self);
      break;

    case BODY_FOLLOW_UP:
      body = g_byte_array_free_to_bytes (g_steal_pointer (&self->error_body));
      if (!jx_json_check_depth (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error))
        {
          /* Translators: the first %s is the provider, the second what is wrong */
          fail_with (self, JX_REQUEST_ERROR_STREAM, _("%s sent an unusable response: %s"),
                     provider_name (self), error->message);
          return;
        }
      g_clear_object (&self->message);
      self->message = self->adapter->follow_up (&self->stream, body, self->credential, &error);
      if (self->message == NULL)
        {
          fail_adapter_error (self, error, JX_REQUEST_ERROR_UNSUPPORTED);
          return;
        }
      self->followed_up = TRUE;
      send_message (self);
      break;

    case BODY_EPILOGUE:
      body = g_byte_array_free_to_bytes (g_steal_pointer (&self->error_body));
      if (self->adapter->finish_epilogue (&self->stream, body) &&
          self->epilogue_polls < MAX_EPILOGUE_POLLS)
        {
          self->epilogue_polls++;
          self->retry_source = g_timeout_add (EPILOGUE_POLL_MS, epilogue_poll_cb, self);
          break;
        }
      complete (self, JX_RESPONSE_OK, NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
whole_body_got_bytes (JxRequest *self,
                      GBytes    *bytes)
{
  if (self->error_body->len >= MAX_WHOLE_BODY && self->body_purpose != BODY_HTTP_ERROR)
    {
      if (self->body_purpose == BODY_EPILOGUE)
        complete (self, JX_RESPONSE_OK, NULL);
      else
        fail_with (self, JX_REQUEST_ERROR_STREAM, _("%s sent a response larger than 8 MiB"), provider_name (self));
      return;
    }

  g_byte_array_append (self->error_body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* An error page is only read far enough to explain itself. */
  if (self->error_body->len >= MAX_ERROR_BODY && self->body_purpose == BODY_HTTP_ERROR)
    {
      jx_transfer_stop (self->transfer);
      whole_body_finished (self, NULL);
    }
}

static void
whole_body_finished (JxRequest    *self,
                     const GError *error)
{
  if (error != NULL && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                        self->body_purpose != BODY_HTTP_ERROR))
    {
      if (self->body_purpose == BODY_EPILOGUE)
        complete (self, JX_RESPONSE_OK, NULL);
      else
        handle_io_error (self, error);
      return;
    }

  clear_watchdog (self);
  self->whole_body = FALSE;
  /* NUL-terminate for the parsers without counting the NUL. */
  g_byte_array_append (self->error_body, (const guint8 *) "", 1);
  g_byte_array_set_size (self->error_body, self->error_body->len - 1);
  whole_body_done (self);
}

/* The rest of this response is collected whole instead of parsed as a stream. */
static void
read_whole_body (JxRequest   *self,
                 BodyPurpose  purpose)
{
  g_clear_pointer (&self->error_body, g_byte_array_unref);
  self->error_body = g_byte_array_new ();
  self->body_purpose = purpose;
  self->whole_body = TRUE;
}

/* ---- sending -------------------------------------------------------------------------- */

/* TTFT counts from the moment the request is on the wire (docs/protocols.md, "First
 * token"): the last byte of it, written on the network thread. Queueing and connection
 * set-up before that are kept apart in t_queued. For a two-step start the clock runs from
 * the first request, and an epilogue never moves it. */
static void
take_request_written (JxRequest *self)
{
  gint64 written;

  if (self->followed_up || self->in_epilogue || self->transfer == NULL)
    return;
  if ((written = jx_transfer_get_request_written (self->transfer)) != 0)
    self->response->timing.t_start = written;
}

static void
got_response_headers (JxRequest          *self,
                      guint               status,
                      SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *content_type;

  take_request_written (self);
  self->response->timing.t_headers = self->now;
  self->response->http_status = status;
  g_clear_pointer (&self->response_headers, soup_message_headers_unref);
  self->response_headers = soup_message_headers_ref (headers);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    jx_response_take_ratelimit_header (self->response, name, value);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      read_whole_body (self, BODY_HTTP_ERROR);
      return;
    }

  /* A login page or a proxy's error page served with 200: no stream will ever come. */
  if ((content_type = soup_message_headers_get_content_type (headers, NULL)) != NULL &&
      g_ascii_strcasecmp (content_type, "text/html") == 0)
    {
      stop_with_error (self, JX_REQUEST_ERROR_STREAM,
                       _("sent a web page (text/html), not an answer stream: check the base URL"));
      return;
    }

  if (self->adapter->follow_up != NULL && !self->followed_up)
    {
      read_whole_body (self, BODY_FOLLOW_UP);
      return;
    }

  switch (self->adapter->wire)
    {
    case JX_WIRE_SSE:
      self->sse = jx_sse_parser_new (sse_event_cb, self);
      break;
    case JX_WIRE_NDJSON:
      self->ndjson = jx_ndjson_parser_new (ndjson_line_cb, self);
      break;
    case JX_WIRE_EVENTSTREAM:
      self->eventstream = jx_eventstream_parser_new (eventstream_frame_cb, self);
      break;
    default:
      g_assert_not_reached ();
    }

  arm_watchdog (self, TRUE);
}

/* ---- what the network thread reports (see jx-transfer.c) ------------------------------ */

/* The connect timeout counts from here, not from when the request was queued. */
static void
transfer_left_queue_cb (gpointer user_data,
                        gint64   when)
{
  JxRequest *self = user_data;

  self->left_queue = TRUE;
  if (!self->got_headers && self->watchdog != NULL && !self->watchdog_streaming)
    g_source_set_ready_time (self->watchdog, when + (gint64) self->watchdog_seconds * G_USEC_PER_SEC);
}

static void
transfer_got_headers_cb (gpointer            user_data,
                         guint               status,
                         SoupMessageHeaders *headers,
                         gint64              when)
{
  g_autoptr(JxRequest) self = g_object_ref (user_data);

  self->now = when;
  self->got_headers = TRUE;
  if (self->in_epilogue)
    epilogue_got_headers (self, status);
  else
    got_response_headers (self, status, headers);
}

static void
transfer_got_body_cb (gpointer  user_data,
                      GBytes   *bytes,
                      gint64    when)
{
  g_autoptr(JxRequest) self = g_object_ref (user_data);

  /* Pieces already queued when the user pressed Stop are not shown. */
  if (self->caller_cancellable != NULL && g_cancellable_is_cancelled (self->caller_cancellable))
    return;

  self->now = when;
  if (self->whole_body)
    whole_body_got_bytes (self, bytes);
  else
    stream_got_bytes (self, bytes);
}

static void
transfer_finished_cb (gpointer      user_data,
                      const GError *error,
                      gint64        when)
{
  g_autoptr(JxRequest) self = g_object_ref (user_data);

  self->now = when;

  /* Stopped by the user: pieces still queued were dropped (see transfer_got_body_cb), so
   * what did arrive must not be judged as a stream that ended early or an error page to
   * retry. An epilogue only adds figures to an answer that is complete. */
  if (self->caller_cancellable != NULL && g_cancellable_is_cancelled (self->caller_cancellable))
    {
      if (self->in_epilogue)
        complete (self, JX_RESPONSE_OK, NULL);
      else
        complete_stopped (self);
      return;
    }

  if (!self->got_headers)
    {
      if (self->in_epilogue)
        {
          /* The answer is complete; a failed epilogue only loses extra figures. */
          complete (self, JX_RESPONSE_OK, NULL);
          return;
        }
      take_request_written (self);
      handle_io_error (self, error);
      return;
    }

  if (self->whole_body)
    whole_body_finished (self, error);
  else if (error != NULL)
    handle_io_error (self, error);
  else
    finish_stream (self);
}

static const JxTransferCallbacks transfer_callbacks = {
  .left_queue = transfer_left_queue_cb,
  .got_headers = transfer_got_headers_cb,
  .got_body = transfer_got_body_cb,
  .finished = transfer_finished_cb,
};

/* Hands self->message to the network thread. */
static void
start_transfer (JxRequest *self)
{
  g_clear_object (&self->transfer);
  self->got_headers = FALSE;
  self->left_queue = FALSE;
  self->whole_body = FALSE;
  self->transfer = jx_transfer_new (jx_engine_get_network_session (self->engine), self->message,
                                    &transfer_callbacks, self);
  jx_transfer_start (self->transfer, self->cancellable);
}

static void
start_attempt (JxRequest *self)
{
  g_autoptr(GError) error = NULL;
  JxProvider simulated;
  JxProvider *effective = self->provider;

  /* The offline demo talks real HTTP to a loopback simulator, so it is measured like the rest. */
  if (jx_provider_is_simulated (self->provider))
    {
      const char *url = jx_engine_get_simulator_url (self->engine, &error);

      if (url == NULL)
        {
          /* Translators: %s is the reason */
          fail_with (self, JX_REQUEST_ERROR_FAILED, _("the simulated provider could not start: %s"),
                     error->message);
          return;
        }
      /* A shallow copy pointing at the simulator; the catalog's entry stays untouched. */
      simulated = *self->provider;
      simulated.base_url = (char *) url;
      effective = &simulated;
    }

  self->message = self->adapter->build_message (effective, self->model, &self->prompt,
                                                self->credential, &error);
  if (self->message == NULL)
    {
      fail_adapter_error (self, error, JX_REQUEST_ERROR_CONFIG);
      return;
    }

  jx_stream_reset (&self->stream);
  self->stream.max_output_bytes = jx_engine_get_max_output_bytes (self->engine);
  self->followed_up = FALSE;
  arm_deadline (self);

  self->in_epilogue = FALSE;

  set_state (self, JX_REQUEST_STATE_WAITING);
  /* Until the request is written (see got_response_headers). */
  self->response->timing.t_queued = g_get_monotonic_time ();
  self->response->timing.t_start = self->response->timing.t_queued;
  send_message (self);
}

static void
send_message (JxRequest *self)
{
  g_autoptr(GError) error = NULL;

  if (!credential_may_go (self, self->message, &error))
    {
      self->response->timing.t_start = 0;
      fail_with (self, JX_REQUEST_ERROR_REFUSED_BY_POLICY, "%s", error->message);
      return;
    }

  /* A redirect could carry the key to another host; providers don't redirect API calls. */
  soup_message_add_flags (self->message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS);
  /* A compressing proxy would batch events and distort the timing. */
  soup_message_headers_replace (soup_message_get_request_headers (self->message),
                                "Accept-Encoding", "identity");

  arm_watchdog (self, FALSE);
  start_transfer (self);
}

static void
resolve_credential_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(JxRequest) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = self->adapter->resolve_credential_finish (result, &error);

  if (self->task == NULL)
    return;

  if (resolved == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        handle_io_error (self, error);
      else if (g_error_matches (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_REJECTED))
        /* Worded like every other provider's bad key. */
        /* Translators: the first %s is the provider, the second the reason */
        fail_with (self, JX_REQUEST_ERROR_AUTH, _("key rejected by %s: %s"), provider_name (self), error->message);
      else if (error->domain == G_TLS_ERROR)
        fail_adapter_error (self, error, JX_REQUEST_ERROR_TLS);
      else if (error->domain == G_RESOLVER_ERROR ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        fail_adapter_error (self, error, JX_REQUEST_ERROR_NETWORK);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        fail_adapter_error (self, error, JX_REQUEST_ERROR_TIMEOUT);
      else if (g_error_matches (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_UNSUPPORTED))
        fail_adapter_error (self, error, JX_REQUEST_ERROR_UNSUPPORTED);
      else if (g_error_matches (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_BAD_RESPONSE))
        fail_adapter_error (self, error, JX_REQUEST_ERROR_SERVER);
      else
        fail_adapter_error (self, error, JX_REQUEST_ERROR_CONFIG);
      return;
    }

  g_free (self->stored_credential);
  self->stored_credential = g_steal_pointer (&self->credential);
  self->credential = g_steal_pointer (&resolved);
  start_attempt (self);
}

/* Some credentials need a network step of their own before the first request. */
static void
resolve_credential (JxRequest *self)
{
  if (self->adapter->resolve_credential_async == NULL || self->credential == NULL)
    {
      start_attempt (self);
      return;
    }

  self->adapter->resolve_credential_async (self->engine, self->provider, self->credential,
                                           self->cancellable, resolve_credential_cb, g_object_ref (self));
}

static void
lookup_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JxRequest) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = jx_keys_lookup_finish (result, &error);

  if (self->task == NULL)
    return;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      complete_stopped (self);
      return;
    }

  /* A local server (vLLM, llama.cpp…) usually needs no key: go ahead without one. */
  if (credential == NULL && jx_provider_is_local (self->provider))
    {
      start_attempt (self);
      return;
    }

  if (credential == NULL)
    {
      g_autofree char *missing = jx_keys_describe_missing (self->provider);

      if (error != NULL)
        /* Translators: the first %s says which key is missing, the second why the keyring failed */
        fail_with (self, JX_REQUEST_ERROR_NO_KEY, _("%s (the keyring is not available: %s)"),
                   missing, error->message);
      else
        fail_with (self, JX_REQUEST_ERROR_NO_KEY, "%s", missing);
      return;
    }

  self->credential = g_steal_pointer (&credential);
  resolve_credential (self);
}

/* Stop pressed while waiting to retry (or to poll an epilogue): nothing is in flight to
 * notice the cancellable, so end now instead of when the wait is over. */
static gboolean
stopped_while_waiting_cb (gpointer user_data)
{
  JxRequest *self = user_data;

  self->retry_source = 0;
  self->retry_delay_ms = 0;
  if (self->in_epilogue)
    complete (self, JX_RESPONSE_OK, NULL);  /* the answer itself is complete */
  else
    complete_stopped (self);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     JxRequest    *self)
{
  g_cancellable_cancel (self->cancellable);

  /* Not completed from here: complete() disconnects from this very cancellable. */
  if (self->retry_source != 0)
    {
      g_source_remove (self->retry_source);
      self->retry_source = g_idle_add (stopped_while_waiting_cb, self);
    }
}

void
jx_request_run_async (JxRequest           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (JX_IS_REQUEST (self));
  g_return_if_fail (self->task == NULL);
  g_return_if_fail (self->state == JX_REQUEST_STATE_IDLE);

  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, jx_request_run_async);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                         self, NULL);
    }

  if (self->adapter == NULL)
    {
      /* Translators: the first %s is the provider, the second a protocol name */
      fail_with (self, JX_REQUEST_ERROR_UNSUPPORTED,
                 _("%s uses protocol “%s”, which this version of Juxta cannot speak"),
                 provider_name (self), self->provider->protocol);
      return;
    }

  if (self->credential_set || !jx_keys_provider_needs_key (self->provider))
    {
      resolve_credential (self);
      return;
    }

  jx_keys_lookup_async (self->provider, self->cancellable, lookup_key_cb, g_object_ref (self));
}

JxResponse *
jx_request_run_finish (JxRequest     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  JxResponse *response;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  response = g_task_propagate_pointer (G_TASK (result), error);
  if (response != NULL && response->error != NULL && error != NULL)
    *error = g_error_copy (response->error);

  return response;
}
