/* jx-net.c — host checks shared by the request path, the adapters and the catalog, and the
 * start-up of the networking singletons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixconnection.h>
#include <gio/gunixcredentialsmessage.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixfdmessage.h>
#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>
#include <string.h>

#include "jx-net.h"
#include "jx-proxy-resolver.h"
#include "jx-simulator.h"
#include "jx-transfer.h"

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it carries. */
static GInetAddress *
parse_address (const char *name)
{
  GInetAddress *address = g_inet_address_new_from_string (name);
  const guint8 *bytes;
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return address;

  bytes = g_inet_address_to_bytes (address);
  if (memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0)
    {
      GInetAddress *v4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);

      g_object_unref (address);
      return v4;
    }

  return address;
}

/* Link-local addresses are not "local": 169.254.169.254 is the cloud metadata service, and
 * fe80::/10 reaches whatever shares the link. */
static gboolean
address_is_private (GInetAddress *address)
{
  if (g_inet_address_get_is_loopback (address) ||
      g_inet_address_get_is_site_local (address) ||
      g_inet_address_get_is_any (address))
    return TRUE;

  /* IPv6 unique local addresses, fc00::/7 (GLib only knows the old fec0::/10). */
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (address);

      if ((bytes[0] & 0xfe) == 0xfc)
        return TRUE;
    }

  return FALSE;
}

/* Lowercase, without [brackets] or a trailing dot; NULL for an empty host. */
static char *
normalize_host (const char *host)
{
  gsize len = host != NULL ? strlen (host) : 0;

  if (len > 2 && host[0] == '[' && host[len - 1] == ']')
    {
      host++;
      len -= 2;
    }
  if (len > 1 && host[len - 1] == '.')
    len--;
  if (len == 0)
    return NULL;

  return g_ascii_strdown (host, len);
}

gboolean
jx_host_is_local (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *name = normalize_host (host);

  if (name == NULL)
    return FALSE;

  if (g_str_equal (name, "localhost") || g_str_has_suffix (name, ".localhost"))
    return TRUE;

  address = parse_address (name);
  if (address == NULL)
    return FALSE;

  return address_is_private (address);
}

gboolean
jx_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *name = normalize_host (host);

  if (name == NULL)
    return FALSE;

  if (g_str_equal (name, "localhost"))
    return TRUE;

  address = parse_address (name);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Start-up order. Several threads come to life around the first engine: the network thread
 * (jx-transfer.c), GIO's thread pool (proxy lookups, DNS), and — on a desktop whose proxy
 * settings live in GSettings — dconf's worker thread, which connects to the session bus as
 * soon as the default proxy resolver is created. GLib 2.74's type system can deadlock when
 * two threads initialise classes at the same time (seen as `juxta compare` hanging before
 * sending anything, ~6 % of starts with a real session bus). So everything those threads
 * touch for the first time is initialised here, on the calling thread, before any of them
 * starts: the classes, the session bus connection dconf will share, and the GIO singletons
 * (TLS backend, resolver, proxy resolver — the last one starts dconf's thread). */

static GDBusConnection *session_bus;  /* kept: dconf's worker gets this very connection */

static void
ensure_classes (void)
{
  const GType classes[] = {
    /* libsoup, main thread and network thread */
    SOUP_TYPE_SESSION, SOUP_TYPE_MESSAGE, SOUP_TYPE_LOGGER, SOUP_TYPE_SERVER,
    SOUP_TYPE_SERVER_MESSAGE, SOUP_TYPE_AUTH_MANAGER, SOUP_TYPE_AUTH_BASIC,
    SOUP_TYPE_AUTH_DIGEST, SOUP_TYPE_AUTH_NTLM, SOUP_TYPE_AUTH_NEGOTIATE,
    SOUP_TYPE_CONTENT_DECODER, SOUP_TYPE_CONTENT_SNIFFER, SOUP_TYPE_MULTIPART_INPUT_STREAM,
    SOUP_TYPE_COOKIE_JAR, SOUP_TYPE_HSTS_ENFORCER,
    /* GIO: sockets, streams, resolvers, tasks */
    G_TYPE_TASK, G_TYPE_CANCELLABLE, G_TYPE_SIMPLE_ASYNC_RESULT, G_TYPE_SOCKET,
    G_TYPE_SOCKET_CLIENT, G_TYPE_SOCKET_SERVICE, G_TYPE_SOCKET_LISTENER,
    G_TYPE_SOCKET_CONNECTION, G_TYPE_TCP_CONNECTION, G_TYPE_TCP_WRAPPER_CONNECTION,
    G_TYPE_INET_ADDRESS, G_TYPE_INET_ADDRESS_MASK, G_TYPE_INET_SOCKET_ADDRESS,
    G_TYPE_NETWORK_ADDRESS, G_TYPE_NETWORK_SERVICE, G_TYPE_PROXY_ADDRESS,
    G_TYPE_PROXY_ADDRESS_ENUMERATOR, G_TYPE_RESOLVER, G_TYPE_SIMPLE_PROXY_RESOLVER,
    G_TYPE_MEMORY_INPUT_STREAM, G_TYPE_MEMORY_OUTPUT_STREAM, G_TYPE_BUFFERED_INPUT_STREAM,
    G_TYPE_DATA_INPUT_STREAM, G_TYPE_CONVERTER_INPUT_STREAM, G_TYPE_ZLIB_DECOMPRESSOR,
    G_TYPE_IO_STREAM, G_TYPE_SIMPLE_IO_STREAM,
    G_TYPE_THREADED_SOCKET_SERVICE,
    /* GIO: D-Bus and settings (dconf's worker thread) */
    G_TYPE_DBUS_CONNECTION, G_TYPE_DBUS_MESSAGE, G_TYPE_DBUS_AUTH_OBSERVER,
    G_TYPE_CREDENTIALS, G_TYPE_UNIX_CONNECTION, G_TYPE_UNIX_SOCKET_ADDRESS,
    G_TYPE_UNIX_FD_LIST, G_TYPE_UNIX_FD_MESSAGE, G_TYPE_UNIX_CREDENTIALS_MESSAGE,
    G_TYPE_SETTINGS,
    /* ours */
    JX_TYPE_PROXY_RESOLVER, JX_TYPE_SIMULATOR, JX_TYPE_TRANSFER,
  };
  const GType interfaces[] = {
    G_TYPE_PROXY_RESOLVER, G_TYPE_SOCKET_CONNECTABLE, G_TYPE_INITABLE, G_TYPE_ASYNC_INITABLE,
    G_TYPE_POLLABLE_INPUT_STREAM, G_TYPE_POLLABLE_OUTPUT_STREAM, G_TYPE_TLS_BACKEND,
    G_TYPE_TLS_CLIENT_CONNECTION, G_TYPE_TLS_FILE_DATABASE, G_TYPE_NETWORK_MONITOR,
    G_TYPE_CONVERTER, G_TYPE_SEEKABLE, G_TYPE_DATAGRAM_BASED, SOUP_TYPE_SESSION_FEATURE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    g_type_class_unref (g_type_class_ref (classes[i]));
  for (guint i = 0; i < G_N_ELEMENTS (interfaces); i++)
    g_type_default_interface_unref (g_type_default_interface_ref (interfaces[i]));
}

void
jx_net_init (void)
{
  static gsize initialized;

  if (!g_once_init_enter (&initialized))
    return;

  ensure_classes ();

  /* Only when a bus was set up for us: never autolaunch one just for this. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    session_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_tls_backend_get_default ();
  g_object_unref (g_resolver_get_default ());
  /* Last: with the GNOME proxy settings this starts dconf's worker thread. */
  g_proxy_resolver_get_default ();

  g_once_init_leave (&initialized, 1);
}
