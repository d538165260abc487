/* jx-engine.c
 *
 * One SoupSession for every pane: connections are pooled per host, and the pool is large
 * enough that N parallel streams to one host never queue behind each other (libsoup's
 * default of 2 per host would serialise them: docs/protocols.md, "HTTP client settings").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-engine.h"
#include "jx-http-log.h"
#include "jx-net-init.h"
#include "jx-network-thread.h"
#include "jx-proxy-resolver.h"
#include "jx-simulator.h"
#include "jx-transfer.h"

#define MAX_CONNS          256
#define MAX_CONNS_PER_HOST 64

struct _JxEngine
{
  GObject      parent_instance;
  JxCatalog   *catalog;
  SoupSession *session;
  SoupSession *network_session;  /* created, used and dropped on the network thread */
  JxSimulator *simulator;
  guint        connect_timeout;
  guint        idle_timeout;
  GHashTable  *credential_cache;  /* string → GObject, see jx_engine_get_credential_cache */
  GHashTable  *model_list_cache;  /* see jx_engine_get_model_list_cache; NULL until used */
  guint        max_time;
  guint64      max_output_bytes;
};

G_DEFINE_FINAL_TYPE (JxEngine, jx_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_TIME,
  PROP_MAX_OUTPUT_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Debug logging (JUXTA_DEBUG_HTTP=1) must never print a key (see jx-http-log.h). */
static void
redacting_printer (SoupLogger         *logger,
                   SoupLoggerLogLevel  level,
                   char                direction,
                   const char         *data,
                   gpointer            user_data)
{
  g_autofree char *line = jx_http_log_redact (direction, data);

  g_printerr ("%c %s\n", direction, line);
}

static void
proxy_warmed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_auto(GStrv) proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, NULL);
}

static SoupSession *
new_session (void)
{
  g_autofree char *user_agent = g_strdup_printf ("Juxta/%s ", PACKAGE_VERSION);
  g_autoptr(GProxyResolver) resolver = jx_proxy_resolver_new (g_proxy_resolver_get_default ());
  SoupSession *session;

  /* timeout=0: libsoup's own I/O timeout would kill quiet streams; JxRequest runs its own
   * connect and idle watchdogs with clear messages instead. */
  session = soup_session_new_with_options ("max-conns", MAX_CONNS,
                                           "max-conns-per-host", MAX_CONNS_PER_HOST,
                                           "timeout", 0,
                                           "idle-timeout", 60,
                                           "user-agent", user_agent,
                                           NULL);
  soup_session_set_proxy_resolver (session, resolver);

  if (g_getenv ("JUXTA_DEBUG_HTTP") != NULL)
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);

      soup_logger_set_printer (logger, redacting_printer, NULL, NULL);
      soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
    }

  return session;
}

static gboolean
create_network_session_cb (gpointer user_data)
{
  JxEngine *self = user_data;

  self->network_session = new_session ();
  return G_SOURCE_REMOVE;
}

static gboolean
drop_on_network_thread_cb (gpointer user_data)
{
  g_object_unref (user_data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  JxSimulator *simulator;
  GError      *error;
} NewSimulator;

static gboolean
create_simulator_cb (gpointer user_data)
{
  NewSimulator *data = user_data;

  data->simulator = jx_simulator_new (&data->error);
  return G_SOURCE_REMOVE;
}

static gboolean
drop_network_session_cb (gpointer user_data)
{
  g_autoptr(SoupSession) session = user_data;

  soup_session_abort (session);
  return G_SOURCE_REMOVE;
}

static void
jx_engine_dispose (GObject *object)
{
  JxEngine *self = (JxEngine *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  if (self->network_session != NULL)
    jx_network_thread_invoke (drop_network_session_cb, g_steal_pointer (&self->network_session));
  if (self->simulator != NULL)
    jx_network_thread_invoke (drop_on_network_thread_cb, g_steal_pointer (&self->simulator));
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->credential_cache, g_hash_table_unref);
  g_clear_pointer (&self->model_list_cache, g_hash_table_unref);

  G_OBJECT_CLASS (jx_engine_parent_class)->dispose (object);
}

static void
jx_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  JxEngine *self = JX_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_MAX_TIME:
      g_value_set_uint (value, self->max_time);
      break;
    case PROP_MAX_OUTPUT_BYTES:
      g_value_set_uint64 (value, self->max_output_bytes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  JxEngine *self = JX_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      jx_engine_set_timeouts (self, g_value_get_uint (value), self->idle_timeout);
      break;
    case PROP_IDLE_TIMEOUT:
      jx_engine_set_timeouts (self, self->connect_timeout, g_value_get_uint (value));
      break;
    case PROP_MAX_TIME:
      jx_engine_set_max_time (self, g_value_get_uint (value));
      break;
    case PROP_MAX_OUTPUT_BYTES:
      jx_engine_set_max_output_bytes (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_engine_class_init (JxEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jx_engine_dispose;
  object_class->get_property = jx_engine_get_property;
  object_class->set_property = jx_engine_set_property;

  /* Seconds until the response headers must arrive; 0 = no limit. */
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, JX_ENGINE_DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The longest silence allowed while streaming, in seconds; 0 = no limit. */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT, JX_ENGINE_DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The longest a response may take in all, from sending the request to its last byte, in
   * seconds (retry waits not counted); 0 = no limit. Unlike idle-timeout, a server that
   * keeps trickling bytes cannot push it back. */
  properties[PROP_MAX_TIME] =
    g_param_spec_uint ("max-time", NULL, NULL, 0, G_MAXUINT, JX_ENGINE_DEFAULT_MAX_TIME,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The most text (answer plus reasoning) kept per response, in bytes; a longer answer
   * stops there and fails as JX_REQUEST_ERROR_TOO_LARGE, keeping what fits. 0 = no limit. */
  properties[PROP_MAX_OUTPUT_BYTES] =
    g_param_spec_uint64 ("max-output-bytes", NULL, NULL, 0, G_MAXUINT64, JX_ENGINE_DEFAULT_MAX_OUTPUT_BYTES,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Before any session, proxy resolver or thread: see jx_net_init(). */
  jx_net_init ();
}

static void
jx_engine_init (JxEngine *self)
{
  self->session = new_session ();
  self->connect_timeout = JX_ENGINE_DEFAULT_CONNECT_TIMEOUT;
  self->idle_timeout = JX_ENGINE_DEFAULT_IDLE_TIMEOUT;
  self->credential_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->max_time = JX_ENGINE_DEFAULT_MAX_TIME;
  self->max_output_bytes = JX_ENGINE_DEFAULT_MAX_OUTPUT_BYTES;

  /* The first proxy lookup loads libproxy's configuration (≈100 ms here); do it now so it
   * doesn't land inside the first pane's time to first token. */
  g_proxy_resolver_lookup_async (g_proxy_resolver_get_default (), "https://example.com/",
                                 NULL, proxy_warmed_cb, NULL);
}

JxEngine *
jx_engine_new (JxCatalog *catalog)
{
  JxEngine *self;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), NULL);

  self = g_object_new (JX_TYPE_ENGINE, NULL);
  self->catalog = g_object_ref (catalog);

  return self;
}

JxCatalog *
jx_engine_get_catalog (JxEngine *self)
{
  g_return_val_if_fail (JX_IS_ENGINE (self), NULL);
  return self->catalog;
}

SoupSession *
jx_engine_get_session (JxEngine *self)
{
  g_return_val_if_fail (JX_IS_ENGINE (self), NULL);
  return self->session;
}

SoupSession *
jx_engine_get_network_session (JxEngine *self)
{
  g_return_val_if_fail (JX_IS_ENGINE (self), NULL);

  /* libsoup binds a session's connections and timeouts to the context it was created in,
   * so the one the network thread streams on is made there (once, on first use). */
  if (self->network_session == NULL)
    jx_network_thread_invoke_sync (create_network_session_cb, self);

  return self->network_session;
}

void
jx_engine_set_timeouts (JxEngine *self,
                        guint     connect_timeout,
                        guint     idle_timeout)
{
  g_return_if_fail (JX_IS_ENGINE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->connect_timeout != connect_timeout)
    {
      self->connect_timeout = connect_timeout;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
    }
  if (self->idle_timeout != idle_timeout)
    {
      self->idle_timeout = idle_timeout;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

guint
jx_engine_get_connect_timeout (JxEngine *self)
{
  return self->connect_timeout;
}

guint
jx_engine_get_idle_timeout (JxEngine *self)
{
  return self->idle_timeout;
}

void
jx_engine_set_max_time (JxEngine *self,
                        guint     seconds)
{
  g_return_if_fail (JX_IS_ENGINE (self));

  if (self->max_time == seconds)
    return;
  self->max_time = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_TIME]);
}

guint
jx_engine_get_max_time (JxEngine *self)
{
  return self->max_time;
}

void
jx_engine_set_max_output_bytes (JxEngine *self,
                                guint64   max_bytes)
{
  g_return_if_fail (JX_IS_ENGINE (self));

  if (self->max_output_bytes == max_bytes)
    return;
  self->max_output_bytes = max_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_OUTPUT_BYTES]);
}

guint64
jx_engine_get_max_output_bytes (JxEngine *self)
{
  return self->max_output_bytes;
}

const char *
jx_engine_get_simulator_url (JxEngine  *self,
                             GError   **error)
{
  g_return_val_if_fail (JX_IS_ENGINE (self), NULL);

  /* On the network thread, like the streams' I/O: a window busy drawing must not slow
   * the simulated provider down either. */
  if (self->simulator == NULL)
    {
      NewSimulator data = { NULL, NULL };

      jx_network_thread_invoke_sync (create_simulator_cb, &data);
      if (data.simulator == NULL)
        {
          g_propagate_error (error, data.error);
          return NULL;
        }
      self->simulator = data.simulator;
    }

  return jx_simulator_get_url (self->simulator);
}

GHashTable *
jx_engine_get_model_list_cache (JxEngine       *self,
                                GDestroyNotify  free_entry)
{
  g_return_val_if_fail (JX_IS_ENGINE (self), NULL);

  if (self->model_list_cache == NULL)
    self->model_list_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_entry);

  return self->model_list_cache;
}

GHashTable *
jx_engine_get_credential_cache (JxEngine *self)
{
  g_return_val_if_fail (JX_IS_ENGINE (self), NULL);

  return self->credential_cache;
}
