/* jx-transfer.c
 *
 * Every request's I/O runs on one process-wide network thread, so the time a byte arrived
 * is taken when read() returns there, not when a busy main loop (a window drawing eight
 * panes of Markdown) gets round to it. The owner's main context receives the bytes with
 * those times through a queue; a late main loop delays what is shown, never what is
 * measured (the thread itself is in jx-network-thread.c). The session used here is created
 * on the network thread too, so everything libsoup does for it (connections, idle timeouts,
 * HTTP/2) stays on that one thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-network-thread.h"
#include "jx-transfer.h"

#define READ_BUFFER_SIZE (16 * 1024)
/* Back-pressure: the network thread stops reading while this much body is queued for the
 * owner, so a server faster than the parser cannot fill the memory. */
#define MAX_QUEUED_BYTES (1024 * 1024)

typedef enum
{
  EVENT_LEFT_QUEUE,
  EVENT_HEADERS,
  EVENT_BODY,
  EVENT_FINISHED,
} EventKind;

typedef struct
{
  EventKind           kind;
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *bytes;
  GError             *error;
  gint64              when;
} Event;

struct _JxTransfer
{
  GObject              parent_instance;

  SoupSession         *session;
  SoupMessage         *message;
  JxTransferCallbacks  callbacks;
  gpointer             user_data;
  GCancellable        *cancellable;         /* ours: by jx_transfer_stop() or the caller's */
  GCancellable        *caller_cancellable;
  gulong               caller_cancelled_id;
  GSource             *dispatch_source;     /* in the owner's context */

  /* Network thread only. */
  GInputStream        *body;
  guint8              *buffer;

  GMutex               lock;                /* guards what follows */
  GQueue               events;
  gint64               request_written;
  gsize                queued_bytes;        /* of body not yet taken by the owner */
  gboolean             left_queue;          /* network thread only */
  gboolean             paused;              /* no read pending because of queued_bytes */

  /* Owner's context only. */
  gboolean             started;
  gboolean             stopped;
};

G_DEFINE_FINAL_TYPE (JxTransfer, jx_transfer, G_TYPE_OBJECT)

static void read_next (JxTransfer *self);
static void resume_if_paused (JxTransfer *self);

static void
event_free (Event *event)
{
  g_clear_pointer (&event->headers, soup_message_headers_unref);
  g_clear_pointer (&event->bytes, g_bytes_unref);
  g_clear_error (&event->error);
  g_free (event);
}

static void
jx_transfer_finalize (GObject *object)
{
  JxTransfer *self = (JxTransfer *) object;

  g_assert (self->body == NULL);

  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_cancelled_id);
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->cancellable);
  if (self->dispatch_source != NULL)
    g_source_destroy (self->dispatch_source);
  g_clear_pointer (&self->dispatch_source, g_source_unref);
  g_queue_clear_full (&self->events, (GDestroyNotify) event_free);
  g_mutex_clear (&self->lock);
  g_clear_object (&self->message);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (jx_transfer_parent_class)->finalize (object);
}

static void
jx_transfer_class_init (JxTransferClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jx_transfer_finalize;
}

static void
jx_transfer_init (JxTransfer *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->events);
  self->cancellable = g_cancellable_new ();
}

JxTransfer *
jx_transfer_new (SoupSession               *session,
                 SoupMessage               *message,
                 const JxTransferCallbacks *callbacks,
                 gpointer                   user_data)
{
  JxTransfer *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (callbacks != NULL, NULL);

  self = g_object_new (JX_TYPE_TRANSFER, NULL);
  self->session = g_object_ref (session);
  self->message = g_object_ref (message);
  self->callbacks = *callbacks;
  self->user_data = user_data;

  return self;
}

gint64
jx_transfer_get_request_written (JxTransfer *self)
{
  gint64 when;

  g_return_val_if_fail (JX_IS_TRANSFER (self), 0);

  g_mutex_lock (&self->lock);
  when = self->request_written;
  g_mutex_unlock (&self->lock);

  return when;
}

gsize
jx_transfer_get_queued_bytes (JxTransfer *self)
{
  gsize queued;

  g_return_val_if_fail (JX_IS_TRANSFER (self), 0);

  g_mutex_lock (&self->lock);
  queued = self->queued_bytes;
  g_mutex_unlock (&self->lock);

  return queued;
}

/* ---- owner's context ------------------------------------------------------------------ */

static void
deliver (JxTransfer *self,
         Event      *event)
{
  switch (event->kind)
    {
    case EVENT_LEFT_QUEUE:
      if (self->callbacks.left_queue != NULL)
        self->callbacks.left_queue (self->user_data, event->when);
      break;
    case EVENT_HEADERS:
      self->callbacks.got_headers (self->user_data, event->status, event->headers, event->when);
      break;
    case EVENT_BODY:
      self->callbacks.got_body (self->user_data, event->bytes, event->when);
      break;
    case EVENT_FINISHED:
      self->callbacks.finished (self->user_data, event->error, event->when);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
dispatch_events_cb (gpointer user_data)
{
  g_autoptr(JxTransfer) self = g_object_ref (user_data);
  GQueue events = G_QUEUE_INIT;
  gboolean network_done = FALSE;
  Event *event;

  /* Re-armed by the next post; one set after the queue is taken just costs an empty turn. */
  g_source_set_ready_time (self->dispatch_source, -1);

  g_mutex_lock (&self->lock);
  events = self->events;
  g_queue_init (&self->events);
  self->queued_bytes = 0;
  g_mutex_unlock (&self->lock);
  resume_if_paused (self);

  while ((event = g_queue_pop_head (&events)) != NULL)
    {
      /* A callback may stop the transfer; what follows is then dropped. */
      if (!self->stopped)
        deliver (self, event);
      if (event->kind == EVENT_FINISHED)
        {
          self->stopped = TRUE;
          network_done = TRUE;
        }
      event_free (event);
    }

  if (network_done)
    {
      g_queue_clear_full (&events, (GDestroyNotify) event_free);
      g_source_destroy (self->dispatch_source);
      /* The network thread's reference, handed over with the last event, so the transfer
       * (and what it holds) is always released here and not on that thread. */
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
dispatch_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs dispatch_source_funcs = {
  .dispatch = dispatch_source_dispatch,
};

void
jx_transfer_stop (JxTransfer *self)
{
  g_return_if_fail (JX_IS_TRANSFER (self));

  self->stopped = TRUE;
  g_cancellable_cancel (self->cancellable);
  /* A paused transfer has no read pending to notice the cancellation. */
  resume_if_paused (self);
}

/* ---- network thread ------------------------------------------------------------------- */

static void
post (JxTransfer *self,
      Event      *event)
{
  GSource *source;

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->events, event);
  source = g_source_ref (self->dispatch_source);
  g_mutex_unlock (&self->lock);

  /* Once the lock is released the owner may take the finished event and free the transfer
   * before this line: hence the source's own reference, and no `self` from here on. */
  g_source_set_ready_time (source, 0);
  g_source_unref (source);
}

static void
wrote_request_bytes_cb (SoupMessage *message,
                        JxTransfer  *self)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  self->request_written = now;
  g_mutex_unlock (&self->lock);
}

/* "network-event" comes when a connection starts being made for the message, "starting"
 * when it has one: either way it is no longer waiting for a free connection. */
static void
left_queue (JxTransfer *self)
{
  Event *event;

  if (self->left_queue)
    return;
  self->left_queue = TRUE;
  event = g_new0 (Event, 1);
  event->kind = EVENT_LEFT_QUEUE;
  event->when = g_get_monotonic_time ();
  post (self, event);
}

static void
starting_cb (SoupMessage *message,
             JxTransfer  *self)
{
  left_queue (self);
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  JxTransfer         *self)
{
  left_queue (self);
}

static void
wrote_body_data_cb (SoupMessage *message,
                    guint        chunk_size,
                    JxTransfer  *self)
{
  wrote_request_bytes_cb (message, self);
}

static void
finish (JxTransfer   *self,
        const GError *error,
        gint64        when)
{
  Event *event = g_new0 (Event, 1);

  g_signal_handlers_disconnect_by_data (self->message, self);
  if (self->body != NULL)
    g_input_stream_close_async (self->body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&self->body);
  g_clear_pointer (&self->buffer, g_free);

  event->kind = EVENT_FINISHED;
  event->error = error != NULL ? g_error_copy (error) : NULL;
  event->when = when;
  /* Hands this thread's reference over to the owner's context (see dispatch_events_cb). */
  post (self, event);
}

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  JxTransfer *self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  gint64 now = g_get_monotonic_time ();
  Event *event;

  if (n_read <= 0)
    {
      finish (self, error, now);
      return;
    }

  event = g_new0 (Event, 1);
  event->kind = EVENT_BODY;
  event->bytes = g_bytes_new (self->buffer, n_read);
  event->when = now;
  post (self, event);

  g_mutex_lock (&self->lock);
  self->queued_bytes += n_read;
  if (self->queued_bytes >= MAX_QUEUED_BYTES)
    self->paused = TRUE;
  g_mutex_unlock (&self->lock);

  /* Paused: resume_cb reads on once the owner has taken the queue (or stops the transfer). */
  if (!self->paused)
    read_next (self);
}

static gboolean
resume_cb (gpointer user_data)
{
  JxTransfer *self = user_data;
  gboolean paused;

  g_mutex_lock (&self->lock);
  paused = self->paused;
  self->paused = FALSE;
  g_mutex_unlock (&self->lock);

  if (paused)
    read_next (self);

  return G_SOURCE_REMOVE;
}

/* Any thread. While paused the network thread holds its reference (no finished event yet),
 * so the one taken here is never the last. */
static void
resume_if_paused (JxTransfer *self)
{
  gboolean paused;

  g_mutex_lock (&self->lock);
  paused = self->paused;
  g_mutex_unlock (&self->lock);

  if (paused)
    g_main_context_invoke_full (jx_network_thread_get_context (), G_PRIORITY_DEFAULT, resume_cb,
                                g_object_ref (self), g_object_unref);
}

static void
read_next (JxTransfer *self)
{
  g_input_stream_read_async (self->body, self->buffer, READ_BUFFER_SIZE, G_PRIORITY_DEFAULT,
                             self->cancellable, read_cb, self);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  JxTransfer *self = user_data;
  g_autoptr(GError) error = NULL;
  GInputStream *body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  gint64 now = g_get_monotonic_time ();
  Event *event;

  if (body == NULL)
    {
      finish (self, error, now);
      return;
    }

  event = g_new0 (Event, 1);
  event->kind = EVENT_HEADERS;
  event->status = soup_message_get_status (self->message);
  event->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_foreach (soup_message_get_response_headers (self->message),
                                copy_header_cb, event->headers);
  event->when = now;
  post (self, event);

  self->body = body;
  self->buffer = g_malloc (READ_BUFFER_SIZE);
  read_next (self);
}

static gboolean
start_cb (gpointer user_data)
{
  JxTransfer *self = user_data;

  /* "wrote-body-data" comes right after each write of the body to the socket ("wrote-body"
   * only a main-loop turn later); the last one is when the request is on the wire. */
  g_signal_connect (self->message, "starting", G_CALLBACK (starting_cb), self);
  g_signal_connect (self->message, "network-event", G_CALLBACK (network_event_cb), self);
  g_signal_connect (self->message, "wrote-headers", G_CALLBACK (wrote_request_bytes_cb), self);
  g_signal_connect (self->message, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), self);
  soup_session_send_async (self->session, self->message, G_PRIORITY_DEFAULT, self->cancellable,
                           sent_cb, self);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     JxTransfer   *self)
{
  g_cancellable_cancel (self->cancellable);
  resume_if_paused (self);
}

void
jx_transfer_start (JxTransfer   *self,
                   GCancellable *cancellable)
{
  g_autoptr(GMainContext) owner_context = g_main_context_ref_thread_default ();

  g_return_if_fail (JX_IS_TRANSFER (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->dispatch_source = g_source_new (&dispatch_source_funcs, sizeof (GSource));
  g_source_set_name (self->dispatch_source, "[juxta] transfer events");
  g_source_set_ready_time (self->dispatch_source, -1);
  g_source_set_callback (self->dispatch_source, dispatch_events_cb,
                         g_object_ref (self), g_object_unref);
  g_source_attach (self->dispatch_source, owner_context);

  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                         self, NULL);
    }

  /* The network thread's reference, returned with the finished event. */
  g_main_context_invoke_full (jx_network_thread_get_context (), G_PRIORITY_DEFAULT, start_cb,
                              g_object_ref (self), NULL);
}
