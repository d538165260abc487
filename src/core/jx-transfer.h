/* jx-transfer.h — one HTTP exchange whose I/O runs on the network thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Called in the main context that started the transfer, in order. `when` is the
 * g_get_monotonic_time() at which the network thread had the bytes, however late the
 * callback runs. After finished(), or after jx_transfer_stop(), nothing more is called. */
typedef struct
{
  void (*got_headers) (gpointer            user_data,
                       guint               status,
                       SoupMessageHeaders *headers,
                       gint64              when);
  void (*got_body)    (gpointer            user_data,
                       GBytes             *bytes,
                       gint64              when);
  /* error == NULL: the body ended normally. */
  void (*finished)    (gpointer            user_data,
                       const GError       *error,
                       gint64              when);
  /* Optional: the request left libsoup's queue (a connection is being made for it, or it
   * got one). Until then it waits for a free connection (at most 64 per host) and must not
   * be timed as if the server were silent. */
  void (*left_queue)  (gpointer            user_data,
                       gint64              when);
} JxTransferCallbacks;

#define JX_TYPE_TRANSFER (jx_transfer_get_type ())
G_DECLARE_FINAL_TYPE (JxTransfer, jx_transfer, JX, TRANSFER, GObject)

/* @session must be one created on the network thread (see jx_network_thread_invoke_sync()). */
JxTransfer *jx_transfer_new                 (SoupSession               *session,
                                             SoupMessage               *message,
                                             const JxTransferCallbacks *callbacks,
                                             gpointer                   user_data);
/* The message must not be touched (other than reading its URI) until finished(). */
void        jx_transfer_start               (JxTransfer                *self,
                                             GCancellable              *cancellable);
/* Cancels the I/O if it is still running and drops every callback not yet delivered. */
void        jx_transfer_stop                (JxTransfer                *self);
/* When the last byte of the request went to the socket (headers, then body); 0 if not yet.
 * Read it from got_headers() on: by then the request is complete. */
gint64      jx_transfer_get_request_written (JxTransfer                *self);
/* Bytes of body read by the network thread and not yet taken by the owner's context. The
 * network thread stops reading at about 1 MiB until the owner catches up (back-pressure). */
gsize       jx_transfer_get_queued_bytes    (JxTransfer                *self);

G_END_DECLS
