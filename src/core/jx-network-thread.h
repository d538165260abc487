/* jx-network-thread.h — the process-wide thread every request's I/O runs on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The thread's main context; the thread starts on first use and is never stopped. */
GMainContext *jx_network_thread_get_context (void);
/* For what must be created, used and destroyed on the network thread (its SoupSession). */
void          jx_network_thread_invoke_sync (GSourceFunc  func,
                                             gpointer     data);
void          jx_network_thread_invoke      (GSourceFunc  func,
                                             gpointer     data);

G_END_DECLS
