/* jx-fake-server.c — loopback fake LLM provider for tests
 *
 * Copyright 2025 The Juxta authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: the SoupServer, its sockets, every timer and every SoupServerMessage live on
 * the server thread and its GMainContext. The test thread only touches `routes` and
 * `records`, both under `lock`. Responses are immutable once added (and refcounted), so
 * the server thread reads them without locking.
 *
 * Streaming: the handler never pauses the message (unless a header delay is set), so libsoup
 * writes the status line and headers at once and then pauses itself when the response body
 * runs dry. Each queued write is appended with soup_message_body_append_bytes() followed by
 * soup_server_message_unpause(); the next one is only appended after "wrote-chunk", so every
 * piece (and every random sub-piece) is its own write(2) and its own HTTP chunk. TCP_NODELAY
 * keeps Nagle from holding small pieces back.
 */

#define G_LOG_DOMAIN "jx-fake-server"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <libsoup/soup.h>

#include "jx-fake-server.h"

typedef struct
{
  guint   delay_ms;
  GBytes *bytes;
} Piece;

struct _JxFakeResponse
{
  gatomicrefcount     ref_count;
  guint               status;
  char               *content_type;
  GPtrArray          *headers;  /* name, value, name, value … */
  GPtrArray          *pieces;   /* Piece */
  guint32             seed;
  gsize               max_piece;
  guint               header_delay_ms;
  guint               abort : 1;
  guint               content_length : 1;
};

typedef struct
{
  GPtrArray *responses;  /* JxFakeResponse */
  guint      served;
} Route;

typedef struct
{
  guint               count;
  guint64             serial;
  char               *method;
  SoupMessageHeaders *headers;
  char               *query;
  GBytes             *body;
  gint64              request_time;
  gint64              first_write_time;
  GArray             *first_write_delays;  /* gint64 µs, every request's, in order */
} Record;

struct _JxFakeServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;      /* server thread only */
  GList        *streams;     /* server thread only */
  char         *url;

  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  GError       *error;
  GHashTable   *routes;      /* "METHOD path" -> Route */
  GHashTable   *records;     /* path -> Record */
  guint         total_requests;
  guint64       serial;
};

typedef struct
{
  gint64  delay;  /* µs after the previous write (or the request, for the first) */
  GBytes *bytes;
} Write;

typedef struct
{
  JxFakeServer      *server;
  SoupServerMessage *msg;
  JxFakeResponse    *response;
  char              *path;
  guint64            serial;
  GArray            *writes;  /* Write */
  guint              next;
  gint64             last_write;  /* when the previous write was handed to libsoup */
  gint64             received;    /* when the request was */
  GSource           *timer;
  GSource           *idle;
  guint              busy : 1;
  guint              header_hold : 1;
  guint              completed : 1;
  guint              wrote_first : 1;
} Stream;

/* ---------------------------------------------------------------------------------------- */
/* Responses                                                                                  */

static void
piece_free (gpointer data)
{
  Piece *piece = data;

  g_bytes_unref (piece->bytes);
  g_free (piece);
}

static JxFakeResponse *
jx_fake_response_ref (JxFakeResponse *r)
{
  g_atomic_ref_count_inc (&r->ref_count);
  return r;
}

JxFakeResponse *
jx_fake_response_new (guint       status,
                      const char *content_type)
{
  JxFakeResponse *r = g_new0 (JxFakeResponse, 1);

  g_atomic_ref_count_init (&r->ref_count);
  r->status = status;
  r->content_type = g_strdup (content_type);
  r->headers = g_ptr_array_new_with_free_func (g_free);
  r->pieces = g_ptr_array_new_with_free_func (piece_free);
  return r;
}

JxFakeResponse *
jx_fake_response_new_json (guint       status,
                           const char *json)
{
  JxFakeResponse *r = jx_fake_response_new (status, "application/json");

  jx_fake_response_set_content_length (r, TRUE);
  jx_fake_response_add (r, 0, json, -1);
  return r;
}

void
jx_fake_response_free (JxFakeResponse *r)
{
  if (r == NULL)
    return;

  if (!g_atomic_ref_count_dec (&r->ref_count))
    return;

  g_free (r->content_type);
  g_ptr_array_unref (r->headers);
  g_ptr_array_unref (r->pieces);
  g_free (r);
}

void
jx_fake_response_add_header (JxFakeResponse *r,
                             const char     *name,
                             const char     *value)
{
  g_return_if_fail (r != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  g_ptr_array_add (r->headers, g_strdup (name));
  g_ptr_array_add (r->headers, g_strdup (value));
}

void
jx_fake_response_add_bytes (JxFakeResponse *r,
                            guint           delay_ms,
                            GBytes         *bytes)
{
  Piece *piece;

  g_return_if_fail (r != NULL);
  g_return_if_fail (bytes != NULL);

  piece = g_new0 (Piece, 1);
  piece->delay_ms = delay_ms;
  piece->bytes = g_bytes_ref (bytes);
  g_ptr_array_add (r->pieces, piece);
}

void
jx_fake_response_add (JxFakeResponse *r,
                      guint           delay_ms,
                      const char     *bytes,
                      gssize          len)
{
  g_autoptr(GBytes) b = NULL;

  g_return_if_fail (r != NULL);
  g_return_if_fail (bytes != NULL || len <= 0);

  if (len < 0)
    len = strlen (bytes);
  b = g_bytes_new (bytes, len);
  jx_fake_response_add_bytes (r, delay_ms, b);
}

void
jx_fake_response_add_file (JxFakeResponse *r,
                           guint           first_delay_ms,
                           guint           per_event_delay_ms,
                           const char     *fixture_name)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_return_if_fail (r != NULL);
  g_return_if_fail (fixture_name != NULL);

  data = jx_fake_load_fixture (fixture_name);
  events = jx_fake_split_events (data, jx_fake_split_mode_for_name (fixture_name));
  for (guint i = 0; i < events->len; i++)
    jx_fake_response_add_bytes (r, i == 0 ? first_delay_ms : per_event_delay_ms,
                                g_ptr_array_index (events, i));
}

void
jx_fake_response_set_random_split (JxFakeResponse *r,
                                   guint32         seed,
                                   gsize           max_piece)
{
  g_return_if_fail (r != NULL);

  r->seed = seed;
  r->max_piece = MIN (max_piece, (gsize) G_MAXINT32 - 1);
}

void
jx_fake_response_set_abort (JxFakeResponse *r,
                            gboolean        abort)
{
  g_return_if_fail (r != NULL);

  r->abort = !!abort;
}

void
jx_fake_response_set_header_delay (JxFakeResponse *r,
                                   guint           delay_ms)
{
  g_return_if_fail (r != NULL);

  r->header_delay_ms = delay_ms;
}

void
jx_fake_response_set_content_length (JxFakeResponse *r,
                                     gboolean        content_length)
{
  g_return_if_fail (r != NULL);

  r->content_length = !!content_length;
}

/* ---------------------------------------------------------------------------------------- */
/* Fixtures                                                                                   */

char *
jx_fake_fixture_path (const char *fixture_name)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *fallback = NULL;

  g_return_val_if_fail (fixture_name != NULL, NULL);

  if (g_path_is_absolute (fixture_name))
    return g_strdup (fixture_name);

  if (srcdir == NULL)
    srcdir = fallback = g_path_get_dirname (__FILE__);

  if (strchr (fixture_name, '/') != NULL)
    return g_build_filename (srcdir, fixture_name, NULL);

  return g_build_filename (srcdir, "streams", fixture_name, NULL);
}

GBytes *
jx_fake_load_fixture (const char *fixture_name)
{
  g_autofree char *path = jx_fake_fixture_path (fixture_name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("Cannot load fixture %s: %s", path, error->message);

  return g_bytes_new_take (contents, len);
}

JxFakeSplitMode
jx_fake_split_mode_for_name (const char *fixture_name)
{
  g_return_val_if_fail (fixture_name != NULL, JX_FAKE_SPLIT_SSE);

  if (g_str_has_suffix (fixture_name, ".ndjson") || g_str_has_suffix (fixture_name, ".jsonl"))
    return JX_FAKE_SPLIT_LINES;

  if (g_str_has_suffix (fixture_name, ".bin") || g_str_has_suffix (fixture_name, ".eventstream"))
    return JX_FAKE_SPLIT_EVENTSTREAM;

  return JX_FAKE_SPLIT_SSE;
}

static void
add_slice (GPtrArray *events,
           GBytes    *data,
           gsize      start,
           gsize      end)
{
  if (end > start)
    g_ptr_array_add (events, g_bytes_new_from_bytes (data, start, end - start));
}

GPtrArray *
jx_fake_split_events (GBytes          *data,
                      JxFakeSplitMode  mode)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (data, &len);
  gsize start = 0;

  switch (mode)
    {
    case JX_FAKE_SPLIT_LINES:
      for (gsize i = 0; i < len; i++)
        {
          if (p[i] == '\n')
            {
              add_slice (events, data, start, i + 1);
              start = i + 1;
            }
        }
      break;

    case JX_FAKE_SPLIT_EVENTSTREAM:
      while (len - start >= 16)
        {
          guint32 total = ((guint32) p[start] << 24) | ((guint32) p[start + 1] << 16) |
                          ((guint32) p[start + 2] << 8) | (guint32) p[start + 3];

          if (total < 16 || total > len - start)
            break;
          add_slice (events, data, start, start + total);
          start += total;
        }
      break;

    case JX_FAKE_SPLIT_SSE:
    default:
      {
        gsize line_start = 0;
        gsize i = 0;

        while (i < len)
          {
            if (p[i] == '\n' || p[i] == '\r')
              {
                gboolean empty = (i == line_start);

                i += (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n') ? 2 : 1;
                line_start = i;
                if (empty)
                  {
                    add_slice (events, data, start, i);
                    start = i;
                  }
              }
            else
              {
                i++;
              }
          }
      }
      break;
    }

  add_slice (events, data, start, len);
  return events;
}

/* ---------------------------------------------------------------------------------------- */
/* Bookkeeping                                                                                */

static void
route_free (gpointer data)
{
  Route *route = data;

  g_ptr_array_unref (route->responses);
  g_free (route);
}

static void
record_free (gpointer data)
{
  Record *record = data;

  g_free (record->method);
  g_clear_pointer (&record->headers, soup_message_headers_unref);
  g_free (record->query);
  g_clear_pointer (&record->body, g_bytes_unref);
  g_clear_pointer (&record->first_write_delays, g_array_unref);
  g_free (record);
}

static void
write_clear (gpointer data)
{
  Write *w = data;

  g_clear_pointer (&w->bytes, g_bytes_unref);
}

/* SoupServer hands handlers a percent-decoded path ("%3A" arrives as ":"), so routes,
 * records and lookups all compare decoded paths. */
static char *
normalize_path (const char *path)
{
  char *decoded = g_uri_unescape_string (path, "/");

  return decoded != NULL ? decoded : g_strdup (path);
}

static char *
route_key (const char *method,
           const char *path)
{
  g_autofree char *upper = g_ascii_strup (method, -1);
  g_autofree char *normalized = normalize_path (path);

  return g_strdup_printf ("%s %s", upper, normalized);
}

static Record *
lookup_record (JxFakeServer *self,
               const char   *path)
{
  g_autofree char *normalized = normalize_path (path);

  return g_hash_table_lookup (self->records, normalized);
}

/* ---------------------------------------------------------------------------------------- */
/* Streaming (server thread)                                                                  */

static gboolean
ready_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs ready_source_funcs = {
  NULL, NULL, ready_source_dispatch, NULL, NULL, NULL,
};

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
stream_destroy (Stream *stream)
{
  JxFakeServer *self = stream->server;

  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  clear_source (&stream->timer);
  clear_source (&stream->idle);
  self->streams = g_list_remove (self->streams, stream);
  g_object_unref (stream->msg);
  jx_fake_response_free (stream->response);
  g_array_unref (stream->writes);
  g_free (stream->path);
  g_free (stream);
}

static void stream_pump (Stream *stream);

static gboolean
stream_timer_cb (gpointer user_data)
{
  Stream *stream = user_data;

  g_clear_pointer (&stream->timer, g_source_unref);
  stream_pump (stream);
  return G_SOURCE_REMOVE;
}

static gboolean
stream_pump_idle_cb (gpointer user_data)
{
  Stream *stream = user_data;

  g_clear_pointer (&stream->idle, g_source_unref);
  stream_pump (stream);
  return G_SOURCE_REMOVE;
}

static void
stream_note_write (Stream *stream)
{
  JxFakeServer *self = stream->server;
  Record *record;

  if (stream->wrote_first)
    return;

  stream->wrote_first = TRUE;
  g_mutex_lock (&self->lock);
  record = g_hash_table_lookup (self->records, stream->path);
  if (record != NULL)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 delay = now - stream->received;

      if (record->serial == stream->serial)
        record->first_write_time = now;
      if (record->first_write_delays == NULL)
        record->first_write_delays = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (record->first_write_delays, delay);
    }
  g_mutex_unlock (&self->lock);
}

static void
socket_send_all (GSocket    *sock,
                 const char *data,
                 gsize       len)
{
  while (len > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (sock, data, len, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_socket_condition_timed_wait (sock, G_IO_OUT, G_USEC_PER_SEC, NULL, NULL);
          continue;
        }
      if (n < 0)
        return;
      data += n;
      len -= n;
    }
}

/* Drops the connection without finishing the body. libsoup's client treats EOF at a chunk
 * boundary as a clean end, so for a chunked body the last piece is sent here, raw, under a
 * chunk header that promises one byte more than follows: the client receives every queued
 * byte and then fails with G_IO_ERROR_PARTIAL_INPUT. (A Content-Length body already
 * promised one byte too many.) libsoup is idle at a chunk boundary while this runs. */
static gboolean
stream_abort_idle_cb (gpointer user_data)
{
  Stream *stream = user_data;
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GIOStream) io = NULL;
  GSocket *s;

  g_clear_pointer (&stream->idle, g_source_unref);

  s = soup_server_message_get_socket (stream->msg);
  if (s != NULL)
    sock = g_object_ref (s);

  if (sock != NULL && !stream->response->content_length)
    {
      GBytes *last = NULL;
      g_autofree char *header = NULL;
      gsize len = 0;

      if (stream->next < stream->writes->len)
        last = g_array_index (stream->writes, Write, stream->next).bytes;
      if (last != NULL)
        len = g_bytes_get_size (last);

      header = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n", len + 1);
      if (last != NULL)
        stream_note_write (stream);
      socket_send_all (sock, header, strlen (header));
      if (last != NULL)
        socket_send_all (sock, g_bytes_get_data (last, NULL), len);
    }

  /* Shut the socket down before stealing: tearing the message down closes libsoup's
   * chunked body stream, which would otherwise still write the terminating "0\r\n\r\n". */
  if (sock != NULL)
    g_socket_shutdown (sock, TRUE, TRUE, NULL);

  /* Stealing emits "disconnected"/"finished"; we are already tearing down. */
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  io = soup_server_message_steal_connection (stream->msg);
  if (io != NULL)
    g_io_stream_close (io, NULL, NULL);
  if (sock != NULL)
    g_socket_close (sock, NULL);

  stream_destroy (stream);
  return G_SOURCE_REMOVE;
}

static void
stream_defer (Stream      *stream,
              GSourceFunc  func)
{
  clear_source (&stream->idle);
  stream->idle = g_idle_source_new ();
  g_source_set_priority (stream->idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (stream->idle, func, stream, NULL);
  g_source_set_static_name (stream->idle, "[jx-fake-server] stream");
  g_source_attach (stream->idle, stream->server->context);
}

static void
stream_set_timer (Stream *stream,
                  gint64  ready)
{
  clear_source (&stream->timer);
  stream->timer = g_source_new (&ready_source_funcs, sizeof (GSource));
  g_source_set_ready_time (stream->timer, ready);
  g_source_set_priority (stream->timer, G_PRIORITY_DEFAULT);
  g_source_set_callback (stream->timer, stream_timer_cb, stream, NULL);
  g_source_set_static_name (stream->timer, "[jx-fake-server] timer");
  g_source_attach (stream->timer, stream->server->context);
}

static void
stream_pump (Stream *stream)
{
  SoupMessageBody *body;

  if (stream->busy || stream->header_hold || stream->completed)
    return;

  body = soup_server_message_get_response_body (stream->msg);

  if (stream->next < stream->writes->len)
    {
      Write *w = &g_array_index (stream->writes, Write, stream->next);
      gint64 ready = stream->last_write + w->delay;
      gint64 now = g_get_monotonic_time ();

      if (ready > now)
        {
          stream_set_timer (stream, ready);
          return;
        }

      if (stream->response->abort && !stream->response->content_length &&
          stream->next + 1 == stream->writes->len)
        {
          stream->completed = TRUE;
          stream_defer (stream, stream_abort_idle_cb);
          return;
        }

      stream->last_write = now;
      stream_note_write (stream);
      soup_message_body_append_bytes (body, w->bytes);
      stream->next++;
      stream->busy = TRUE;
      soup_server_message_unpause (stream->msg);
      return;
    }

  stream->completed = TRUE;

  if (stream->response->abort)
    {
      stream_defer (stream, stream_abort_idle_cb);
      return;
    }

  soup_message_body_complete (body);
  soup_server_message_unpause (stream->msg);
}

static gboolean
stream_headers_cb (gpointer user_data)
{
  Stream *stream = user_data;

  g_clear_pointer (&stream->timer, g_source_unref);
  stream->header_hold = FALSE;
  soup_server_message_unpause (stream->msg);
  stream_defer (stream, stream_pump_idle_cb);
  return G_SOURCE_REMOVE;
}

static void
stream_wrote_chunk_cb (SoupServerMessage *msg,
                       Stream            *stream)
{
  stream->busy = FALSE;
  stream_defer (stream, stream_pump_idle_cb);
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    Stream            *stream)
{
  stream_destroy (stream);
}

static void
stream_start (JxFakeServer      *self,
              SoupServerMessage *msg,
              const char        *path,
              guint64            serial,
              gint64             t0,
              JxFakeResponse    *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GRand) rand = NULL;
  Stream *stream;
  gsize total = 0;
  gint64 carry = 0;  /* delay of skipped empty pieces */

  stream = g_new0 (Stream, 1);
  stream->server = self;
  stream->msg = g_object_ref (msg);
  stream->response = jx_fake_response_ref (response);
  stream->path = g_strdup (path);
  stream->serial = serial;
  stream->last_write = t0;
  stream->received = t0;
  stream->writes = g_array_new (FALSE, TRUE, sizeof (Write));
  g_array_set_clear_func (stream->writes, write_clear);

  if (response->max_piece > 0)
    rand = g_rand_new_with_seed (response->seed);

  for (guint i = 0; i < response->pieces->len; i++)
    {
      const Piece *piece = g_ptr_array_index (response->pieces, i);
      gsize len = g_bytes_get_size (piece->bytes);

      total += len;
      carry += (gint64) piece->delay_ms * 1000;

      /* An empty chunk would terminate a chunked body: skip it, keeping its delay. */
      for (gsize off = 0; off < len;)
        {
          Write w;
          gsize n = len - off;

          if (rand != NULL)
            {
              gsize r = g_rand_int_range (rand, 1, (gint32) response->max_piece + 1);

              n = MIN (n, r);
            }

          /* Sub-writes of one piece follow each other at once. */
          w.delay = carry;
          carry = 0;
          w.bytes = g_bytes_new_from_bytes (piece->bytes, off, n);
          g_array_append_val (stream->writes, w);
          off += n;
        }
    }

  soup_server_message_set_status (msg, response->status, NULL);
  if (response->content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", response->content_type);
  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    soup_message_headers_append (headers,
                                 g_ptr_array_index (response->headers, i),
                                 g_ptr_array_index (response->headers, i + 1));

  if (response->content_length)
    /* With abort, promise one byte more than we send so the body is truncated. */
    soup_message_headers_set_content_length (headers, total + (response->abort ? 1 : 0));
  else
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (stream_wrote_chunk_cb), stream);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), stream);
  g_signal_connect (msg, "disconnected", G_CALLBACK (stream_finished_cb), stream);

  self->streams = g_list_prepend (self->streams, stream);

  if (response->header_delay_ms > 0)
    {
      stream->header_hold = TRUE;
      soup_server_message_pause (msg);
      clear_source (&stream->timer);
      stream->timer = g_source_new (&ready_source_funcs, sizeof (GSource));
      g_source_set_ready_time (stream->timer, t0 + (gint64) response->header_delay_ms * 1000);
      g_source_set_callback (stream->timer, stream_headers_cb, stream, NULL);
      g_source_attach (stream->timer, self->context);
      return;
    }

  /* Headers go out as soon as the handler returns; the body is pumped from the loop. */
  stream_defer (stream, stream_pump_idle_cb);
}

/* ---------------------------------------------------------------------------------------- */
/* Server                                                                                     */

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
server_request_started_cb (SoupServer        *server,
                           SoupServerMessage *msg,
                           gpointer           user_data)
{
  GSocket *sock = soup_server_message_get_socket (msg);

  if (sock != NULL)
    g_socket_set_option (sock, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  /* libsoup looks the peer address up lazily and warns (fatal in tests) if the socket is
   * gone by then, as it is after an abort; have it cached while the peer is connected. */
  soup_server_message_get_remote_address (msg);
}

static void
server_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *unused_path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  JxFakeServer *self = user_data;
  gint64 t0 = g_get_monotonic_time ();
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *path = normalize_path (g_uri_get_path (uri));
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *key = route_key (method, path);
  g_autoptr(JxFakeResponse) response = NULL;
  Record *record;
  Route *route;
  guint64 serial;

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                copy_header_cb, headers);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  g_mutex_lock (&self->lock);

  serial = ++self->serial;
  self->total_requests++;
  record = g_hash_table_lookup (self->records, path);
  if (record == NULL)
    {
      record = g_new0 (Record, 1);
      g_hash_table_insert (self->records, g_strdup (path), record);
    }
  record->count++;
  record->serial = serial;
  g_free (record->method);
  record->method = g_strdup (method);
  g_clear_pointer (&record->headers, soup_message_headers_unref);
  record->headers = g_steal_pointer (&headers);
  g_free (record->query);
  record->query = g_strdup (g_uri_get_query (uri));
  g_clear_pointer (&record->body, g_bytes_unref);
  record->body = g_steal_pointer (&body);
  record->request_time = t0;
  record->first_write_time = 0;

  route = g_hash_table_lookup (self->routes, key);
  if (route != NULL && route->responses->len > 0)
    {
      guint i = MIN (route->served, route->responses->len - 1);

      response = jx_fake_response_ref (g_ptr_array_index (route->responses, i));
      route->served++;
    }

  g_mutex_unlock (&self->lock);

  if (response == NULL)
    {
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"error\":{\"message\":\"Unknown request URL: %s %s. Please check "
                              "the URL for typos, or see the docs at "
                              "https://platform.openai.com/docs/api-reference/.\","
                              "\"type\":\"invalid_request_error\",\"param\":null,"
                              "\"code\":\"unknown_url\"}}",
                              method, path);
      response = jx_fake_response_new_json (SOUP_STATUS_NOT_FOUND, json);
    }

  stream_start (self, msg, path, serial, t0, response);
}

static gboolean
quit_cb (gpointer user_data)
{
  JxFakeServer *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
listen_loopback (SoupServer  *server,
                 GError     **error)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) addr = NULL;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return FALSE;

  addr = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_socket_set_listen_backlog (sock, 256);
  if (!g_socket_bind (sock, addr, TRUE, error) || !g_socket_listen (sock, error))
    return FALSE;

  return soup_server_listen_socket (server, sock, 0, error);
}

static gpointer
server_thread (gpointer user_data)
{
  JxFakeServer *self = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, server_handler_cb, self, NULL);
  g_signal_connect (self->server, "request-started",
                    G_CALLBACK (server_request_started_cb), self);

  /* Our own listening socket, for a backlog larger than GSocket's default of 10: with 16
   * clients connecting at once, overflowing it drops SYNs and costs a 1 s retransmit. */
  if (listen_loopback (self->server, &error))
    {
      uris = soup_server_get_uris (self->server);
      g_assert (uris != NULL);
      self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->lock);
  self->error = g_steal_pointer (&error);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  if (self->url != NULL)
    g_main_loop_run (self->loop);

  while (self->streams != NULL)
    stream_destroy (self->streams->data);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

JxFakeServer *
jx_fake_server_new (void)
{
  JxFakeServer *self = g_new0 (JxFakeServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, record_free);

  self->thread = g_thread_new ("jx-fake-server", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->error != NULL)
    g_error ("Fake server cannot listen on 127.0.0.1: %s", self->error->message);

  return self;
}

void
jx_fake_server_free (JxFakeServer *self)
{
  GSource *source;

  if (self == NULL)
    return;

  /* Quit from inside the loop, so a quit before g_main_loop_run() starts is not lost. */
  source = g_idle_source_new ();
  g_source_set_callback (source, quit_cb, self, NULL);
  g_source_attach (source, self->context);
  g_source_unref (source);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->routes);
  g_hash_table_unref (self->records);
  g_clear_error (&self->error);
  g_free (self->url);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
jx_fake_server_get_url (JxFakeServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

void
jx_fake_server_add (JxFakeServer   *self,
                    const char     *method,
                    const char     *path,
                    JxFakeResponse *r)
{
  g_autofree char *key = NULL;
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (r != NULL);

  key = route_key (method, path);

  g_mutex_lock (&self->lock);
  route = g_hash_table_lookup (self->routes, key);
  if (route == NULL)
    {
      route = g_new0 (Route, 1);
      route->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_fake_response_free);
      g_hash_table_insert (self->routes, g_steal_pointer (&key), route);
    }
  g_ptr_array_add (route->responses, r);
  g_mutex_unlock (&self->lock);
}

guint
jx_fake_server_get_request_count (JxFakeServer *self,
                                  const char   *path)
{
  Record *record;
  guint count;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  if (path == NULL)
    {
      count = self->total_requests;
    }
  else
    {
      record = lookup_record (self, path);
      count = record != NULL ? record->count : 0;
    }
  g_mutex_unlock (&self->lock);

  return count;
}

char *
jx_fake_server_get_last_header (JxFakeServer *self,
                                const char   *path,
                                const char   *header)
{
  Record *record;
  char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (header != NULL, NULL);

  g_mutex_lock (&self->lock);
  record = lookup_record (self, path);
  if (record != NULL && record->headers != NULL)
    value = g_strdup (soup_message_headers_get_list (record->headers, header));
  g_mutex_unlock (&self->lock);

  return value;
}

/* A copy of one string field of the last request recorded for @path. */
static char *
dup_record_string (JxFakeServer *self,
                   const char   *path,
                   gsize         field_offset)
{
  Record *record;
  char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_lock (&self->lock);
  record = lookup_record (self, path);
  if (record != NULL)
    value = g_strdup (G_STRUCT_MEMBER (char *, record, field_offset));
  g_mutex_unlock (&self->lock);

  return value;
}

char *
jx_fake_server_get_last_query (JxFakeServer *self,
                               const char   *path)
{
  return dup_record_string (self, path, G_STRUCT_OFFSET (Record, query));
}

char *
jx_fake_server_get_last_method (JxFakeServer *self,
                                const char   *path)
{
  return dup_record_string (self, path, G_STRUCT_OFFSET (Record, method));
}

GBytes *
jx_fake_server_get_last_body (JxFakeServer *self,
                              const char   *path)
{
  Record *record;
  GBytes *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_lock (&self->lock);
  record = lookup_record (self, path);
  if (record != NULL && record->body != NULL)
    value = g_bytes_ref (record->body);
  g_mutex_unlock (&self->lock);

  return value;
}

gint64
jx_fake_server_get_last_request_time (JxFakeServer *self,
                                      const char   *path)
{
  Record *record;
  gint64 value = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  g_mutex_lock (&self->lock);
  record = lookup_record (self, path);
  if (record != NULL)
    value = record->request_time;
  g_mutex_unlock (&self->lock);

  return value;
}

gint64
jx_fake_server_get_last_first_write_time (JxFakeServer *self,
                                          const char   *path)
{
  Record *record;
  gint64 value = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  g_mutex_lock (&self->lock);
  record = lookup_record (self, path);
  if (record != NULL)
    value = record->first_write_time;
  g_mutex_unlock (&self->lock);

  return value;
}

GArray *
jx_fake_server_take_first_write_delays (JxFakeServer *self,
                                        const char   *path)
{
  Record *record;
  GArray *delays = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_lock (&self->lock);
  record = lookup_record (self, path);
  if (record != NULL)
    delays = g_steal_pointer (&record->first_write_delays);
  g_mutex_unlock (&self->lock);

  return delays != NULL ? delays : g_array_new (FALSE, FALSE, sizeof (gint64));
}
