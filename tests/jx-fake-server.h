/* jx-fake-server.h — loopback fake LLM provider for tests
 *
 * Copyright 2025 The Juxta authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer on 127.0.0.1 (ephemeral port) that runs on its own thread with its own
 * GMainContext and replays recorded provider streams byte for byte, with per-piece delays,
 * optional random sub-splitting, and optional abrupt connection drops. Everything a test
 * calls from its own thread is thread-safe.
 *
 * Paths are matched without the query string and after percent-decoding (SoupServer 3.2
 * decodes the request path before handlers see it), so "/model/x.y-v1%3A0/converse-stream"
 * and "/model/x.y-v1:0/converse-stream" name the same route and the same records. The fake
 * therefore cannot tell whether a client percent-encoded a path.
 *
 * Responses: build one completely, then hand it to jx_fake_server_add(), which takes
 * ownership; do not change it afterwards (the server thread reads it without locking).
 *
 * Timing: each piece is handed to libsoup `delay_ms` after the previous piece was (the first
 * one after the request was received), then written at once with TCP_NODELAY; sub-pieces of a
 * random split follow each other without delay, each as its own write and HTTP chunk.
 *
 * Abort: the connection is shut down after the queued pieces, mid-body: a chunked body gets
 * a final chunk header promising one byte more than is sent, a Content-Length body promises
 * one byte more than the pieces hold. The client receives every queued byte, then libsoup
 * reports G_IO_ERROR_PARTIAL_INPUT ("Connection terminated unexpectedly").
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _JxFakeServer   JxFakeServer;
typedef struct _JxFakeResponse JxFakeResponse;

typedef enum
{
  JX_FAKE_SPLIT_SSE,         /* after every blank line (LF LF, CRLF CRLF, CR CR) */
  JX_FAKE_SPLIT_LINES,       /* after every LF (NDJSON) */
  JX_FAKE_SPLIT_EVENTSTREAM, /* AWS binary frames, by their total_length prelude */
} JxFakeSplitMode;

/* Server */
JxFakeServer   *jx_fake_server_new                        (void);
void            jx_fake_server_free                       (JxFakeServer   *self);
const char     *jx_fake_server_get_url                    (JxFakeServer   *self);
void            jx_fake_server_add                        (JxFakeServer   *self,
                                                           const char     *method,
                                                           const char     *path,
                                                           JxFakeResponse *r);
/* path NULL = all paths. */
guint           jx_fake_server_get_request_count          (JxFakeServer   *self,
                                                           const char     *path);
char           *jx_fake_server_get_last_header            (JxFakeServer   *self,
                                                           const char     *path,
                                                           const char     *header);
char           *jx_fake_server_get_last_query             (JxFakeServer   *self,
                                                           const char     *path);
char           *jx_fake_server_get_last_method            (JxFakeServer   *self,
                                                           const char     *path);
GBytes         *jx_fake_server_get_last_body              (JxFakeServer   *self,
                                                           const char     *path);
/* g_get_monotonic_time () values for the last request on path: when the handler received it,
 * and when its first body piece was handed to the socket. 0 if none (or nothing written). */
gint64          jx_fake_server_get_last_request_time      (JxFakeServer   *self,
                                                           const char     *path);
gint64          jx_fake_server_get_last_first_write_time  (JxFakeServer   *self,
                                                           const char     *path);
/* For every request on @path since the last call: µs from the request's arrival to its
 * first piece being handed to libsoup (the delay the server really injected), in order. */
GArray         *jx_fake_server_take_first_write_delays    (JxFakeServer   *self,
                                                           const char     *path);

/* Responses */
JxFakeResponse *jx_fake_response_new                      (guint           status,
                                                           const char     *content_type);
/* Convenience: a non-streamed JSON body (Content-Length), e.g. an HTTP error. */
JxFakeResponse *jx_fake_response_new_json                 (guint           status,
                                                           const char     *json);
void            jx_fake_response_free                     (JxFakeResponse *r);
void            jx_fake_response_add_header               (JxFakeResponse *r,
                                                           const char     *name,
                                                           const char     *value);
void            jx_fake_response_add                      (JxFakeResponse *r,
                                                           guint           delay_ms,
                                                           const char     *bytes,
                                                           gssize          len);
void            jx_fake_response_add_bytes                (JxFakeResponse *r,
                                                           guint           delay_ms,
                                                           GBytes         *bytes);
void            jx_fake_response_add_file                 (JxFakeResponse *r,
                                                           guint           first_delay_ms,
                                                           guint           per_event_delay_ms,
                                                           const char     *fixture_name);
void            jx_fake_response_set_random_split         (JxFakeResponse *r,
                                                           guint32         seed,
                                                           gsize           max_piece);
void            jx_fake_response_set_abort                (JxFakeResponse *r,
                                                           gboolean        abort);
/* Hold the status line and headers back for delay_ms after the request (default 0: sent at
 * once, before the first body piece, as real providers do). Body delays still count from
 * the request. */
void            jx_fake_response_set_header_delay         (JxFakeResponse *r,
                                                           guint           delay_ms);
/* Send a Content-Length body instead of chunked (default FALSE). */
void            jx_fake_response_set_content_length       (JxFakeResponse *r,
                                                           gboolean        content_length);

/* Fixtures: "openai-basic.sse" is looked up in $G_TEST_SRCDIR/streams/; a name containing
 * '/' is relative to $G_TEST_SRCDIR. Aborts the test if missing. */
char           *jx_fake_fixture_path                      (const char     *fixture_name);
GBytes         *jx_fake_load_fixture                      (const char     *fixture_name);
JxFakeSplitMode jx_fake_split_mode_for_name               (const char     *fixture_name);
/* Returns a GPtrArray of GBytes (sub-slices of data) whose concatenation is data. */
GPtrArray      *jx_fake_split_events                      (GBytes         *data,
                                                           JxFakeSplitMode mode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxFakeServer, jx_fake_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxFakeResponse, jx_fake_response_free)

G_END_DECLS
