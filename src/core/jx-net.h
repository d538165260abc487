/* jx-net.h — host checks shared by the request path, the adapters and the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @host is this machine or the local network: localhost (and *.localhost),
 * loopback, unspecified, RFC 1918 / site-local and IPv6 unique-local addresses (an
 * IPv4-mapped IPv6 address counts as its IPv4 address). Link-local addresses (169.254.0.0/16,
 * fe80::/10) are not local. Case, [brackets] and a trailing dot are ignored; other names
 * are not resolved. */
gboolean jx_host_is_local    (const char *host);
/* TRUE only for names that cannot leave this machine: "localhost" itself and literal
 * loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104). Not "*.localhost", which the
 * system resolver may send to DNS. */
gboolean jx_host_is_loopback (const char *host);

G_END_DECLS
