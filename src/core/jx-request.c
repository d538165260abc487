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

#include "jx-credential-policy.h"
#include "jx-eventstream-parser.h"
#include "jx-google-auth.h"
#include "jx-keys.h"
#include "jx-ndjson-parser.h"
#include "jx-net.h"
#include "jx-request.h"
#include "jx-sse-parser.h"
#include "jx-transfer.h"

#define MAX_ERROR_BODY       (64 * 1024)
#define MAX_WHOLE_BODY       (8 * 1024 * 1024)
#define MAX_RETRY_WAIT_MS    (60 * 1000)
#define BASE_BACKOFF_MS      500
#define EPILOGUE_POLL_MS     400
#define MAX_EPILOGUE_POLLS   3

struct _JxStream
{
  JxRequest      *request;
  gpointer        adapter_data;
  GDestroyNotify  adapter_data_destroy;
  gboolean        done;
  gboolean        expect_end_marker;
  char           *failure;
};

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
  char                *timeout_message;
  guint                retry_source;
  guint                retry_delay_ms;
  guint                run;
  gint64               now;             /* arrival time of the bytes being parsed */
};

G_DEFINE_FINAL_TYPE (JxRequest, jx_request, G_TYPE_OBJECT)

enum {
  DELTA,
  STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  if (self->stream.adapter_data_destroy != NULL)
    g_clear_pointer (&self->stream.adapter_data, self->stream.adapter_data_destroy);
  g_clear_pointer (&self->stream.failure, g_free);
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
  g_clear_pointer (&self->timeout_message, g_free);
  jx_prompt_clear (&self->prompt);

  G_OBJECT_CLASS (jx_request_parent_class)->finalize (object);
}

static void
jx_request_class_init (JxRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jx_request_finalize;

  /* Emitted for every text delta, as it is parsed (is_reasoning for thinking text). */
  signals[DELTA] = g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                 G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
jx_request_init (JxRequest *self)
{
  self->stream.request = self;
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
  g_signal_emit (self, signals[STATE_CHANGED], 0);
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

  g_clear_pointer (&self->watchdog, g_source_unref);
  if (self->timeout_message == NULL)
    self->timeout_message = g_strdup ("timeout");
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

  g_free (self->timeout_message);
  if (streaming)
    self->timeout_message = g_strdup_printf ("%s stopped sending for %u s (idle timeout)",
                                             provider_name (self), seconds);
  else
    self->timeout_message = g_strdup_printf ("no response from %s within %u s (connect timeout)",
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

      jx_usage_estimate (&response->usage, prompt_text, response->text->str);
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

      jx_usage_estimate (&response->usage, prompt_text, response->text->str);
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
          char             *error_message)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  JxResponse *response = self->response;

  clear_watchdog (self);
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
  g_free (response->error);
  response->error = error_message;

  compute_usage_and_cost (self);

  set_state (self, status == JX_RESPONSE_OK ? JX_REQUEST_STATE_DONE
                 : status == JX_RESPONSE_CANCELLED ? JX_REQUEST_STATE_CANCELLED
                 : JX_REQUEST_STATE_FAILED);

  g_task_return_pointer (task, jx_response_ref (response), (GDestroyNotify) jx_response_unref);
}

static void
fail (JxRequest *self,
      char      *message)
{
  complete (self, JX_RESPONSE_ERROR, message);
}

/* A transport-level GError turned into one line that names the provider. */
static char *
describe_transport_error (JxRequest    *self,
                          const GError *error)
{
  const char *name = provider_name (self);
  const char *host = "";

  if (self->message != NULL)
    host = g_uri_get_host (soup_message_get_uri (self->message));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup_printf ("could not connect to %s at %s (connection refused)", name, host);
  if (error->domain == G_RESOLVER_ERROR)
    return g_strdup_printf ("could not find %s’s server “%s” (DNS lookup failed)", name, host);
  if (error->domain == G_TLS_ERROR)
    return g_strdup_printf ("secure connection to %s failed: %s", name, error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup_printf ("connection to %s timed out", name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_strdup_printf ("%s is unreachable (%s)", name, error->message);

  return g_strdup_printf ("connection to %s failed: %s", name, error->message);
}

/* Transport error or cancellation while sending or reading. */
static void
handle_io_error (JxRequest    *self,
                 const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->caller_cancellable != NULL && g_cancellable_is_cancelled (self->caller_cancellable))
        complete (self, JX_RESPONSE_CANCELLED, g_strdup ("stopped"));
      else
        fail (self, g_strdup (self->timeout_message != NULL ? self->timeout_message : "cancelled"));
      return;
    }

  fail (self, describe_transport_error (self, error));
}

/* ---- JxStream: what adapters call ---------------------------------------------------- */

JxProvider *
jx_stream_get_provider (JxStream *stream)
{
  return stream->request->provider;
}

const char *
jx_stream_get_model (JxStream *stream)
{
  return stream->request->model;
}

gpointer
jx_stream_get_adapter_data (JxStream *stream)
{
  return stream->adapter_data;
}

void
jx_stream_set_adapter_data (JxStream       *stream,
                            gpointer        data,
                            GDestroyNotify  destroy)
{
  if (stream->adapter_data_destroy != NULL && stream->adapter_data != NULL)
    stream->adapter_data_destroy (stream->adapter_data);
  stream->adapter_data = data;
  stream->adapter_data_destroy = destroy;
}

static void
add_text (JxStream   *stream,
          const char *text,
          gssize      len,
          gboolean    reasoning)
{
  JxRequest *self = stream->request;
  JxResponse *response = self->response;
  g_autofree char *copy = NULL;

  if (text == NULL || stream->failure != NULL)
    return;
  if (len < 0)
    len = strlen (text);
  if (len == 0)
    return;

  if (reasoning)
    g_string_append_len (response->reasoning, text, len);
  else
    {
      if (response->timing.t_first_token == 0)
        response->timing.t_first_token = self->now;
      response->timing.t_last_token = self->now;
      jx_timing_add_content (&response->timing, self->now);
      g_string_append_len (response->text, text, len);
      set_state (self, JX_REQUEST_STATE_STREAMING);
    }

  copy = g_strndup (text, len);
  g_signal_emit (self, signals[DELTA], 0, copy, reasoning);
}

void
jx_stream_add_content (JxStream   *stream,
                       const char *text,
                       gssize      len)
{
  add_text (stream, text, len, FALSE);
}

void
jx_stream_add_reasoning (JxStream   *stream,
                         const char *text,
                         gssize      len)
{
  add_text (stream, text, len, TRUE);
}

void
jx_stream_set_usage (JxStream      *stream,
                     const JxUsage *usage)
{
  stream->request->response->usage = *usage;
  stream->request->response->usage.source = JX_USAGE_SOURCE_PROVIDER;
}

void
jx_stream_set_provider_cost (JxStream *stream,
                             double    cost_usd)
{
  stream->request->response->cost_usd = cost_usd;
  stream->request->response->cost_from_provider = TRUE;
}

void
jx_stream_set_server_timing (JxStream   *stream,
                             const char *name,
                             double      ms)
{
  g_hash_table_replace (stream->request->response->server_timings,
                        g_strdup (name), g_memdup2 (&ms, sizeof ms));
}

void
jx_stream_set_done (JxStream   *stream,
                    const char *finish_reason)
{
  JxResponse *response = stream->request->response;

  stream->done = TRUE;
  if (finish_reason != NULL)
    {
      g_free (response->finish_reason);
      response->finish_reason = g_strdup (finish_reason);
    }
}

void
jx_stream_fail (JxStream   *stream,
                const char *message)
{
  if (stream->failure == NULL)
    stream->failure = g_strdup (message);
}

gboolean
jx_stream_is_done (JxStream *stream)
{
  return stream->done;
}

void
jx_stream_expect_end_marker (JxStream *stream)
{
  stream->expect_end_marker = TRUE;
}

/* ---- parsing -------------------------------------------------------------------------- */

static void
sse_event_cb (const char *event_type,
              const char *data,
              gsize       data_len,
              const char *id,
              gpointer    user_data)
{
  JxRequest *self = user_data;

  if (self->stream.failure == NULL)
    self->adapter->handle_event (&self->stream, event_type, data, data_len, NULL);
}

static void
ndjson_line_cb (const char *line,
                gsize       len,
                gpointer    user_data)
{
  JxRequest *self = user_data;

  if (self->stream.failure == NULL)
    self->adapter->handle_event (&self->stream, NULL, line, len, NULL);
}

static void
eventstream_frame_cb (GHashTable *headers,
                      const char *payload,
                      gsize       payload_len,
                      gpointer    user_data)
{
  JxRequest *self = user_data;

  if (self->stream.failure == NULL)
    self->adapter->handle_event (&self->stream,
                                 g_hash_table_lookup (headers, ":event-type"),
                                 payload, payload_len, headers);
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
      fail (self, g_strdup_printf ("%s sent a malformed stream: %s", provider_name (self), error->message));
      return;
    }

  if (self->stream.failure != NULL)
    {
      fail (self, g_strdup_printf ("%s: %s", provider_name (self), self->stream.failure));
      return;
    }

  if ((self->adapter->has_end_marker || self->stream.expect_end_marker) ? !self->stream.done : truncated)
    {
      fail (self, g_strdup_printf ("the stream from %s ended before the answer was complete "
                                   "(no end marker)", provider_name (self)));
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

  if (self->response->timing.t_first_byte == 0)
    self->response->timing.t_first_byte = self->now;
  arm_watchdog (self, TRUE);

  if (!feed (self, data, len, &error))
    {
      self->response->timing.t_end = self->now;
      g_cancellable_cancel (self->cancellable);
      fail (self, g_strdup_printf ("%s sent a malformed stream: %s", provider_name (self), error->message));
      return;
    }

  if (self->stream.failure != NULL)
    {
      /* The provider reported an error mid-stream: stop reading, keep the text. */
      self->response->timing.t_end = self->now;
      g_cancellable_cancel (self->cancellable);
      fail (self, g_strdup_printf ("%s: %s", provider_name (self), self->stream.failure));
    }
}

/* ---- HTTP errors and retries ---------------------------------------------------------- */

static gint64
parse_retry_after_ms (SoupMessageHeaders *headers)
{
  const char *value;

  if ((value = soup_message_headers_get_one (headers, "retry-after-ms")) != NULL)
    {
      char *end = NULL;
      double ms = g_ascii_strtod (value, &end);

      if (end != value && ms >= 0)
        return (gint64) ms;
    }

  if ((value = soup_message_headers_get_one (headers, "retry-after")) != NULL)
    {
      char *end = NULL;
      double seconds = g_ascii_strtod (value, &end);

      if (end != value && seconds >= 0)
        return (gint64) (seconds * 1000.0);
      else
        {
          g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);

          if (when != NULL)
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
              return MAX (0, g_date_time_difference (when, now) / 1000);
            }
        }
    }

  return -1;
}

static char *
describe_http_error (JxRequest  *self,
                     guint       status,
                     const char *detail,
                     gint64      retry_after_ms)
{
  const char *name = provider_name (self);
  g_autofree char *suffix = detail != NULL ? g_strdup_printf (": %s", detail) : g_strdup ("");
  /* Gemini says 400 "API key not valid"; AWS says 403 for a bad key or signature. */
  gboolean key_problem = status == 401 ||
                         (status == 400 && detail != NULL &&
                          (strstr (detail, "API key") != NULL || strstr (detail, "API_KEY") != NULL)) ||
                         (status == 403 && detail != NULL &&
                          (strstr (detail, "security token included in the request is invalid") != NULL ||
                           strstr (detail, "signature we calculated does not match") != NULL ||
                           strstr (detail, "API Key is valid") != NULL));

  if (key_problem)
    return g_strdup_printf ("key rejected by %s (%u)%s", name, status, suffix);
  if (status == 403)
    return g_strdup_printf ("access denied by %s (403)%s", name, suffix);
  if (status == 404)
    return g_strdup_printf ("%s does not know model “%s” or this endpoint (404)%s",
                            name, self->model != NULL ? self->model : "", suffix);
  if (status == 429 && retry_after_ms >= 0)
    return g_strdup_printf ("rate limited by %s — retry in %" G_GINT64_FORMAT " s",
                            name, (retry_after_ms + 999) / 1000);
  if (status == 429)
    return g_strdup_printf ("rate limited by %s (429)%s", name, suffix);
  if (status == 503 || status == 529)
    return g_strdup_printf ("%s is overloaded (%u)%s", name, status, suffix);
  if (status >= 500)
    return g_strdup_printf ("%s had a server error (%u)%s", name, status, suffix);

  return g_strdup_printf ("%s rejected the request (%u)%s", name, status, suffix);
}

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
  gint64 retry_after_ms = parse_retry_after_ms (self->response_headers);
  g_autofree char *detail = NULL;
  g_autofree char *detail_lower = NULL;
  gboolean retryable;

  if (self->adapter->describe_error_body != NULL)
    detail = self->adapter->describe_error_body ((const char *) self->error_body->data, self->error_body->len);
  if (detail == NULL)
    detail = jx_adapter_describe_error_body ((const char *) self->error_body->data, self->error_body->len);
  detail_lower = detail != NULL ? g_ascii_strdown (detail, -1) : NULL;

  /* An exhausted quota is a 429 too, but waiting won't fix it. */
  /* Retrying after a two-step start would create (and bill) a second prediction. */
  retryable = !self->followed_up && (status == 429 || status == 503 || status == 529) &&
              (detail_lower == NULL || (strstr (detail_lower, "quota") == NULL && strstr (detail_lower, "/ month") == NULL)) &&
              self->response->retries < JX_REQUEST_MAX_RETRIES &&
              retry_after_ms <= MAX_RETRY_WAIT_MS;

  /* A cached token the provider no longer accepts must not be reused by the next request. */
  if (status == 401 && self->adapter->credential_rejected != NULL && self->stored_credential != NULL)
    self->adapter->credential_rejected (G_OBJECT (self->engine), self->stored_credential);

  if (!retryable)
    {
      fail (self, describe_http_error (self, status, detail, retry_after_ms));
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
      g_clear_object (&self->message);
      self->message = self->adapter->follow_up (&self->stream, body, self->credential, &error);
      if (self->message == NULL)
        {
          fail (self, g_strdup_printf ("%s: %s", provider_name (self), error->message));
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
        fail (self, g_strdup_printf ("%s sent a response larger than 8 MiB", provider_name (self)));
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

/* TTFT counts from the moment the request is on the wire (providers.md §0.3): the last
 * byte of it, written on the network thread. Queueing and connection set-up before that
 * are kept apart in t_queued. For a two-step start the clock runs from the first request,
 * and an epilogue never moves it. */
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
        complete (self, JX_RESPONSE_CANCELLED, g_strdup ("stopped"));
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
  if (g_strcmp0 (self->provider->protocol, "simulated") == 0)
    {
      const char *url = jx_engine_get_simulator_url (self->engine, &error);

      if (url == NULL)
        {
          fail (self, g_strdup_printf ("the simulated provider could not start: %s", error->message));
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
      fail (self, g_strdup_printf ("%s: %s", provider_name (self), error->message));
      return;
    }

  if (self->stream.adapter_data_destroy != NULL)
    g_clear_pointer (&self->stream.adapter_data, self->stream.adapter_data_destroy);
  self->stream.adapter_data = NULL;
  self->stream.adapter_data_destroy = NULL;
  self->stream.done = FALSE;
  self->stream.expect_end_marker = FALSE;
  self->followed_up = FALSE;

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
      fail (self, g_strdup (error->message));
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
        fail (self, g_strdup_printf ("key rejected by %s: %s", provider_name (self), error->message));
      else
        fail (self, g_strdup_printf ("%s: %s", provider_name (self), error->message));
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

  self->adapter->resolve_credential_async (G_OBJECT (self->engine), self->provider, self->credential,
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
      complete (self, JX_RESPONSE_CANCELLED, g_strdup ("stopped"));
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
        fail (self, g_strdup_printf ("%s (the keyring is not available: %s)", missing, error->message));
      else
        fail (self, g_steal_pointer (&missing));
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
    complete (self, JX_RESPONSE_CANCELLED, g_strdup ("stopped"));

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
      fail (self, g_strdup_printf ("%s uses protocol “%s”, which this version of Juxta cannot speak",
                                   provider_name (self), self->provider->protocol));
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
jx_request_run_finish (JxRequest    *self,
                       GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}
