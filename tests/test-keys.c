/* test-keys.c — keys through a real gnome-keyring (build-aux/test starts one, unlocked)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jx-keys.h"
#include "jx-test-util.h"

typedef struct
{
  GMainLoop *loop;
  char      *secret;
  gboolean   ok;
  GError    *error;
} Wait;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->secret = jx_keys_lookup_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = jx_keys_store_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = jx_keys_clear_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static char *
lookup (JxProvider *provider)
{
  Wait w = { g_main_loop_new (NULL, FALSE) };

  jx_keys_lookup_async (provider, NULL, lookup_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  return w.secret;
}

static gboolean
store (JxProvider *provider,
       const char *secret)
{
  Wait w = { g_main_loop_new (NULL, FALSE) };

  jx_keys_store_async (provider, secret, NULL, store_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  return w.ok;
}

static gboolean
clear (JxProvider *provider)
{
  Wait w = { g_main_loop_new (NULL, FALSE) };

  jx_keys_clear_async (provider, NULL, clear_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  return w.ok;
}

static gboolean
file_contains (const char *dir,
               const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (file_contains (path, needle))
            return TRUE;
        }
      else if (g_file_get_contents (path, &contents, &len, NULL) &&
               g_strstr_len (contents, len, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  JxProvider *groq = jx_catalog_lookup (catalog, "groq");
  const char *secret = "gsk_keyring_roundtrip_0123456789";
  g_autofree char *found = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stdout_text = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_null (g_getenv ("GROQ_API_KEY"));
  g_assert_true (store (groq, secret));
  found = lookup (groq);
  g_assert_cmpstr (found, ==, secret);

  /* Really in the Secret Service, under our schema and attribute. */
  g_spawn_command_line_sync ("secret-tool lookup provider groq", &stdout_text, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stdout_text, ==, secret);

  /* …and nowhere in our own files (the keyring's encrypted file is not plain text either). */
  g_assert_false (file_contains (g_get_user_config_dir (), secret));
  g_assert_false (file_contains (g_get_user_data_dir (), secret));
  g_assert_false (file_contains (g_get_user_cache_dir (), secret));

  /* Storing again replaces the key. */
  g_assert_true (store (groq, "gsk_replaced"));
  again = lookup (groq);
  g_assert_cmpstr (again, ==, "gsk_replaced");

  g_assert_true (clear (groq));
  g_assert_null (lookup (groq));
  g_assert_false (clear (groq));
}

static void
test_environment_wins (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  JxProvider *mistral = jx_catalog_lookup (catalog, "mistral");
  g_autofree char *found = NULL;

  g_assert_true (store (mistral, "from-keyring"));
  g_setenv ("MISTRAL_API_KEY", "from-env", TRUE);
  found = lookup (mistral);
  g_unsetenv ("MISTRAL_API_KEY");
  g_assert_cmpstr (found, ==, "from-env");
  g_assert_true (clear (mistral));
}

static void
test_multipart_environment (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  g_autofree char *bedrock = NULL;
  g_autofree char *azure = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI", TRUE);
  g_setenv ("AWS_SESSION_TOKEN", "session", TRUE);
  g_setenv ("AWS_REGION", "eu-west-1", TRUE);
  bedrock = jx_keys_lookup_env (jx_catalog_lookup (catalog, "bedrock"));
  node = json_from_string (bedrock, NULL);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "access_key_id"), ==, "AKIDEXAMPLE");
  g_assert_cmpstr (json_object_get_string_member (o, "secret_access_key"), ==, "wJalrXUtnFEMI");
  g_assert_cmpstr (json_object_get_string_member (o, "session_token"), ==, "session");
  g_assert_cmpstr (json_object_get_string_member (o, "region"), ==, "eu-west-1");
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_SESSION_TOKEN");
  g_unsetenv ("AWS_REGION");

  g_setenv ("AZURE_OPENAI_API_KEY", "az-key", TRUE);
  g_setenv ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com", TRUE);
  azure = jx_keys_lookup_env (jx_catalog_lookup (catalog, "azure-openai"));
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (azure, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "endpoint"), ==,
                   "https://res.openai.azure.com");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "api_key"), ==, "az-key");
  g_unsetenv ("AZURE_OPENAI_API_KEY");
  g_unsetenv ("AZURE_OPENAI_ENDPOINT");
}

/* The parts come from the adapter's credential fields: a Bedrock API key wins over an
 * access key pair, the region falls back to AWS_DEFAULT_REGION, an entry may name its own
 * variables, and a Google credentials variable names a file whose contents are the key. */
static void
test_environment_from_fields (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("",
    "{\"providers\":[{\"id\":\"bedrock-2\",\"protocol\":\"bedrock\",\"base_url\":\"https://b.example\","
    "\"options\":{\"bearer_token_env\":\"MY_BEDROCK_TOKEN\"}}]}");
  JxProvider *bedrock = jx_catalog_lookup (catalog, "bedrock");
  g_autofree char *missing = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", TRUE);
  g_assert_null (jx_keys_lookup_env (bedrock));
  missing = jx_keys_describe_missing (bedrock);
  g_assert_cmpstr (missing, ==, "no credentials for Amazon Bedrock: set AWS_ACCESS_KEY_ID and "
                   "AWS_SECRET_ACCESS_KEY (or AWS_BEARER_TOKEN_BEDROCK), or add them in Preferences");
  g_assert_cmpstr (jx_keys_get_env_name (bedrock), ==, "AWS_ACCESS_KEY_ID");

  g_setenv ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI", TRUE);
  g_setenv ("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key", TRUE);
  g_setenv ("AWS_DEFAULT_REGION", "ap-south-1", TRUE);
  credential = jx_keys_lookup_env (bedrock);
  node = json_from_string (credential, NULL);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "api_key"), ==, "bedrock-api-key");
  g_assert_false (json_object_has_member (o, "access_key_id"));
  g_assert_cmpstr (json_object_get_string_member (o, "region"), ==, "ap-south-1");
  g_assert_cmpstr (jx_keys_get_env_name (bedrock), ==, "AWS_BEARER_TOKEN_BEDROCK");

  /* This entry reads its token from its own variable, so the access key pair is used. */
  g_clear_pointer (&credential, g_free);
  g_clear_pointer (&node, json_node_unref);
  credential = jx_keys_lookup_env (jx_catalog_lookup (catalog, "bedrock-2"));
  node = json_from_string (credential, NULL);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "access_key_id"), ==, "AKIDEXAMPLE");
  g_assert_false (json_object_has_member (o, "api_key"));
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_BEARER_TOKEN_BEDROCK");
  g_unsetenv ("AWS_DEFAULT_REGION");

  path = g_build_filename (g_get_tmp_dir (), "juxta-test-google-credentials.json", NULL);
  g_assert_true (g_file_set_contents (path, "{\"type\":\"service_account\"}", -1, &error));
  g_assert_no_error (error);
  g_setenv ("GOOGLE_APPLICATION_CREDENTIALS", path, TRUE);
  g_clear_pointer (&credential, g_free);
  credential = jx_keys_lookup_env (jx_catalog_lookup (catalog, "vertex"));
  g_assert_cmpstr (credential, ==, "{\"type\":\"service_account\"}");
  g_unsetenv ("GOOGLE_APPLICATION_CREDENTIALS");
  g_unlink (path);
}

static void
test_keyring_key_used_by_request (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxCatalog) catalog = jx_test_catalog (jx_fake_server_get_url (server),
    "{\"providers\":[{\"id\":\"vllm\",\"name\":\"vLLM box\",\"protocol\":\"openai\",\"base_url\":\"@URL@/v1\"}]}");
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *auth = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add_file (fake, 1, 1, "openai-basic.sse");
  jx_fake_server_add (server, "POST", "/v1/chat/completions", fake);
  g_assert_true (store (jx_catalog_lookup (catalog, "vllm"), "vllm-secret"));

  r = jx_test_run (engine, "vllm", "m", NULL, NULL);
  g_assert_no_error (r->error);
  auth = jx_fake_server_get_last_header (server, "/v1/chat/completions", "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer vllm-secret");
  g_assert_true (clear (jx_catalog_lookup (catalog, "vllm")));
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("GROQ_API_KEY");
  g_unsetenv ("MISTRAL_API_KEY");
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_printerr ("test-keys needs a D-Bus session with an unlocked gnome-keyring: run build-aux/test\n");

  g_test_add_func ("/juxta/core/keys/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/juxta/core/keys/environment-wins", test_environment_wins);
  g_test_add_func ("/juxta/core/keys/environment-from-fields", test_environment_from_fields);
  g_test_add_func ("/juxta/core/keys/multipart-environment", test_multipart_environment);
  g_test_add_func ("/juxta/core/keys/used-by-request", test_keyring_key_used_by_request);

  return g_test_run ();
}
