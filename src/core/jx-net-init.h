/* jx-net-init.h — everything the network threads touch, initialised before they start
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Initialises, on the calling thread, the types and GIO singletons the network threads use,
 * so that no two threads ever initialise a class at once. Call before the first engine or
 * thread exists: JxEngine's class does, and so must anything that starts the network thread
 * without an engine (a test of JxTransfer). Later calls do nothing. */
void     jx_net_init         (void);

G_END_DECLS
