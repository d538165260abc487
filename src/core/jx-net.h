/* jx-net.h — host checks shared by the request path, the adapters and the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @host is this machine or the local network: localhost (and *.localhost),
 * loopback, unspecified, RFC 1918 / site-local, link-local and IPv6 unique-local addresses.
 * Case, [brackets] and a trailing dot are ignored; other names are not resolved. */
gboolean jx_host_is_local (const char *host);

G_END_DECLS
