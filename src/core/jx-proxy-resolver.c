/* jx-proxy-resolver.c
 *
 * A request to this machine or the local network never goes through a proxy, yet asking
 * libproxy costs a few milliseconds per connection (bench-engine) — time that would be
 * counted in the time to first token of local servers. Those answer "direct://" at once;
 * everything else is asked of the system resolver as before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-net.h"
#include "jx-proxy-resolver.h"

struct _JxProxyResolver
{
  GObject         parent_instance;
  GProxyResolver *fallback;
};

static void jx_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JxProxyResolver, jx_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER, jx_proxy_resolver_iface_init))

static gboolean
is_local_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  return parsed != NULL && jx_host_is_local (g_uri_get_host (parsed));
}

static char **
direct (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

static gboolean
jx_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
jx_proxy_resolver_lookup (GProxyResolver  *resolver,
                          const char      *uri,
                          GCancellable    *cancellable,
                          GError         **error)
{
  JxProxyResolver *self = JX_PROXY_RESOLVER (resolver);

  if (is_local_uri (uri))
    return direct ();
  return g_proxy_resolver_lookup (self->fallback, uri, cancellable, error);
}

static void
fallback_lookup_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);

  if (proxies == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
jx_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                const char          *uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  JxProxyResolver *self = JX_PROXY_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, jx_proxy_resolver_lookup_async);
  if (is_local_uri (uri))
    {
      g_task_return_pointer (task, direct (), (GDestroyNotify) g_strfreev);
      return;
    }

  g_proxy_resolver_lookup_async (self->fallback, uri, cancellable, fallback_lookup_cb,
                                 g_steal_pointer (&task));
}

static char **
jx_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
jx_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = jx_proxy_resolver_is_supported;
  iface->lookup = jx_proxy_resolver_lookup;
  iface->lookup_async = jx_proxy_resolver_lookup_async;
  iface->lookup_finish = jx_proxy_resolver_lookup_finish;
}

static void
jx_proxy_resolver_finalize (GObject *object)
{
  JxProxyResolver *self = (JxProxyResolver *) object;

  g_clear_object (&self->fallback);

  G_OBJECT_CLASS (jx_proxy_resolver_parent_class)->finalize (object);
}

static void
jx_proxy_resolver_class_init (JxProxyResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jx_proxy_resolver_finalize;
}

static void
jx_proxy_resolver_init (JxProxyResolver *self)
{
}

GProxyResolver *
jx_proxy_resolver_new (GProxyResolver *fallback)
{
  JxProxyResolver *self = g_object_new (JX_TYPE_PROXY_RESOLVER, NULL);

  self->fallback = g_object_ref (fallback);
  return G_PROXY_RESOLVER (self);
}
