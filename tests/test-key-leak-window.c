/* test-key-leak-window.c — the window's start-up model lists never carry a built-in key away
 *
 * Opening the window fetches every usable provider's model list with no user action. A
 * providers.json that moves openai and anthropic to another host must not make that fetch
 * send OPENAI_API_KEY or ANTHROPIC_API_KEY there, unless the entry opts in with
 * "send_credentials_to_base_url": true.
 *
 * The other host is "gateway.localhost": plain HTTP may go there (a *.localhost name is local
 * by convention), but it is not a loopback address as written, so the key-host rule treats it
 * like any remote gateway (a built-in key may go to 127.0.0.1 itself: test-engine-openai).
 * A resolver installed here maps it to the fake server on 127.0.0.1, so a key that were sent
 * would really arrive and be seen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-fake-server.h"

#define OPENAI_KEY    "sk-openai-must-stay-home"
#define ANTHROPIC_KEY "sk-ant-must-stay-home"
#define OWN_KEY       "own-gateway-key"

static JxFakeServer *server;
static char *tmp_root;

/* ---- *.localhost → 127.0.0.1 ------------------------------------------------------------ */

#define JX_TYPE_TEST_RESOLVER (jx_test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (JxTestResolver, jx_test_resolver, JX, TEST_RESOLVER, GResolver)

struct _JxTestResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (JxTestResolver, jx_test_resolver, G_TYPE_RESOLVER)

static GList *
resolve (const char  *hostname,
         GError     **error)
{
  if (!g_str_has_suffix (hostname, ".localhost"))
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no host %s in this test", hostname);
      return NULL;
    }

  return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
}

static GList *
lookup_by_name (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  return resolve (hostname, error);
}

static void
lookup_by_name_async (GResolver           *resolver,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = resolve (hostname, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static GList *
lookup_by_name_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
lookup_by_name_with_flags (GResolver                 *resolver,
                           const char                *hostname,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  if (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no IPv6 address for %s", hostname);
      return NULL;
    }
  return resolve (hostname, error);
}

static void
lookup_by_name_with_flags_async (GResolver                *resolver,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = lookup_by_name_with_flags (resolver, hostname, flags, cancellable, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static void
jx_test_resolver_class_init (JxTestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_async = lookup_by_name_async;
  resolver_class->lookup_by_name_finish = lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags = lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_by_name_finish;
}

static void
jx_test_resolver_init (JxTestResolver *self)
{
}

/* ---- the window -------------------------------------------------------------------------- */

static void
write_providers (gboolean opt_in)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "juxta", NULL);
  g_autofree char *path = g_build_filename (dir, "providers.json", NULL);
  g_autoptr(GString) base = g_string_new (jx_fake_server_get_url (server));
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *flag = opt_in ? ",\"send_credentials_to_base_url\":true" : "";

  g_string_replace (base, "127.0.0.1", "gateway.localhost", 1);
  json = g_strdup_printf ("{\"providers\":["
                          "{\"id\":\"openai\",\"base_url\":\"%s/oa/v1\"%s},"
                          "{\"id\":\"anthropic\",\"base_url\":\"%s/an\"%s},"
                          /* A gateway with a key of its own: listed either way, so the test
                           * knows the start-up fetches have run. */
                          "{\"id\":\"own-gateway\",\"protocol\":\"openai\",\"base_url\":\"%s/own/v1\","
                          "\"api_key_env\":\"JX_LEAK_OWN_KEY\",\"models_path\":\"models\",\"models\":[{\"id\":\"m\"}]}]}",
                          base->str, flag, base->str, flag, base->str);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* No fsync: replacing the file must not wait for a busy disk. */
  g_assert_true (g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %s", path, json);
}

typedef struct
{
  JxApplication *app;
  const char    *const *ids;
} ListedWait;

static gboolean
all_listed (gpointer data)
{
  ListedWait *w = data;

  for (guint i = 0; w->ids[i] != NULL; i++)
    if (!g_hash_table_contains (jx_context_get_listed_models (jx_application_get_context (w->app)), w->ids[i]))
      return FALSE;
  return TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static JxApplication *
open_window (const char *name)
{
  JxApplication *app = jx_application_new ();
  g_autofree char *id = g_strdup_printf ("%s.%s", APP_ID, name);
  g_autoptr(GError) error = NULL;

  /* One application per test: the last one may still be finishing its fetches. */
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* What launching Juxta does: the window opens and the model lists are fetched. */
  g_application_activate (G_APPLICATION (app));

  return app;
}

static guint
requests_to (const char *path)
{
  return jx_fake_server_get_request_count (server, path);
}

static void
test_no_key_leaves (void)
{
  g_autoptr(JxApplication) app = NULL;
  const char *ids[] = { "own-gateway", NULL };
  ListedWait wait;
  gboolean settled = FALSE;
  g_autofree char *own_auth = NULL;

  write_providers (FALSE);
  app = open_window ("NoKeyLeaves");

  wait = (ListedWait) { app, ids };
  jx_test_wait_until (all_listed, &wait, 60);
  own_auth = jx_fake_server_get_last_header (server, "/own/v1/models", "Authorization");
  g_assert_cmpstr (own_auth, ==, "Bearer " OWN_KEY);

  /* The refused lists never get as far as a connection; give stragglers a moment anyway. */
  g_timeout_add (500, set_flag_cb, &settled);
  jx_test_wait_until (flag_set, &settled, 5);

  g_assert_cmpuint (requests_to ("/oa/v1/models"), ==, 0);
  g_assert_cmpuint (requests_to ("/an/v1/models"), ==, 0);
  g_assert_false (g_hash_table_contains (jx_context_get_listed_models (jx_application_get_context (app)), "openai"));
  g_assert_false (g_hash_table_contains (jx_context_get_listed_models (jx_application_get_context (app)), "anthropic"));

  jx_test_destroy_all_windows ();
}

static void
test_opt_in_sends_key (void)
{
  g_autoptr(JxApplication) app = NULL;
  const char *ids[] = { "own-gateway", "openai", "anthropic", NULL };
  g_autofree char *openai_auth = NULL;
  g_autofree char *anthropic_key = NULL;
  ListedWait wait;

  write_providers (TRUE);
  app = open_window ("OptIn");

  wait = (ListedWait) { app, ids };
  jx_test_wait_until (all_listed, &wait, 60);

  g_assert_cmpuint (requests_to ("/oa/v1/models"), ==, 1);
  g_assert_cmpuint (requests_to ("/an/v1/models"), ==, 1);
  openai_auth = jx_fake_server_get_last_header (server, "/oa/v1/models", "Authorization");
  anthropic_key = jx_fake_server_get_last_header (server, "/an/v1/models", "x-api-key");
  g_assert_cmpstr (openai_auth, ==, "Bearer " OPENAI_KEY);
  g_assert_cmpstr (anthropic_key, ==, ANTHROPIC_KEY);

  jx_test_destroy_all_windows ();
}

static void
set_xdg_dirs (const char *root)
{
  static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (root, vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
}

static void
add_list (const char *path,
          const char *json)
{
  jx_fake_server_add (server, "GET", path, jx_fake_response_new_json (200, json));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GResolver) resolver = NULL;
  int ret;

  /* Before any thread exists: setenv is not thread-safe. Own XDG directories, so the
   * providers.json written here stays here. */
  tmp_root = g_dir_make_tmp ("juxta-key-leak-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);
  set_xdg_dirs (tmp_root);
  g_setenv ("OPENAI_API_KEY", OPENAI_KEY, TRUE);
  g_setenv ("ANTHROPIC_API_KEY", ANTHROPIC_KEY, TRUE);
  g_setenv ("JX_LEAK_OWN_KEY", OWN_KEY, TRUE);
  g_unsetenv ("JUXTA_NO_MODEL_LISTS");
  g_unsetenv ("LANGUAGE");
  gtk_test_init (&argc, &argv, NULL);

  resolver = g_object_new (JX_TYPE_TEST_RESOLVER, NULL);
  g_resolver_set_default (resolver);

  server = jx_fake_server_new ();
  add_list ("/oa/v1/models", "{\"object\":\"list\",\"data\":[{\"id\":\"gateway-gpt\"}]}");
  add_list ("/an/v1/models", "{\"data\":[{\"id\":\"gateway-claude\"}],\"has_more\":false}");
  add_list ("/own/v1/models", "{\"object\":\"list\",\"data\":[{\"id\":\"own-model\"}]}");

  g_test_add_func ("/Jx/KeyLeakWindow/no-key-leaves", test_no_key_leaves);
  g_test_add_func ("/Jx/KeyLeakWindow/opt-in-sends-key", test_opt_in_sends_key);

  ret = g_test_run ();

  jx_fake_server_free (server);
  g_free (tmp_root);
  return ret;
}
