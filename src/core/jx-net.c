/* jx-net.c — host checks shared by the request path, the adapters and the catalog, and the
 * start-up of the networking singletons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "jx-net.h"

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
