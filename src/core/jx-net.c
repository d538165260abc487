/* jx-net.c — host checks shared by the request path, the adapters and the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "jx-net.h"

static gboolean
address_is_private (GInetAddress *address)
{
  if (g_inet_address_get_is_loopback (address) ||
      g_inet_address_get_is_link_local (address) ||
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

gboolean
jx_host_is_local (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *name = NULL;
  gsize len;

  if (host == NULL || host[0] == '\0')
    return FALSE;

  name = g_ascii_strdown (host, -1);
  len = strlen (name);
  if (len > 2 && name[0] == '[' && name[len - 1] == ']')
    {
      memmove (name, name + 1, len - 2);
      name[len - 2] = '\0';
    }
  len = strlen (name);
  if (len > 0 && name[len - 1] == '.')
    name[--len] = '\0';

  if (g_str_equal (name, "localhost") || g_str_has_suffix (name, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (name);
  if (address == NULL)
    return FALSE;

  return address_is_private (address);
}
