/* jx-net-init.c — everything the network threads touch, initialised before they start
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

#include "jx-net-init.h"
#include "jx-proxy-resolver.h"
#include "jx-simulator.h"
#include "jx-transfer.h"

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
