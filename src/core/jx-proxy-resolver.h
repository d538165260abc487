/* jx-proxy-resolver.h — the system proxy settings, minus the lookup for local hosts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JX_TYPE_PROXY_RESOLVER (jx_proxy_resolver_get_type ())
G_DECLARE_FINAL_TYPE (JxProxyResolver, jx_proxy_resolver, JX, PROXY_RESOLVER, GObject)

/* Wraps `fallback` (usually g_proxy_resolver_get_default()). */
GProxyResolver *jx_proxy_resolver_new (GProxyResolver *fallback);

G_END_DECLS
