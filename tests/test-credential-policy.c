/* test-credential-policy.c — the one key-host rule, as a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-credential-policy.h"
#include "jx-net.h"
#include "jx-test-util.h"

/* Every variable a row may set; all are unset before each row. */
static const char * const variables[] = {
  "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  "AWS_BEARER_TOKEN_BEDROCK", "AWS_REGION", "AWS_DEFAULT_REGION", "AZURE_OPENAI_API_KEY",
  "AZURE_OPENAI_ENDPOINT", "REPLICATE_API_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS",
  "CUSTOM_OPENAI_API_KEY", "MY_KEY",
};

#define OPENAI_GATEWAY "{\"providers\":[{\"id\":\"openai\",\"base_url\":\"https://gateway.example/v1\"}]}"
#define OPENAI_GATEWAY_OPT_IN "{\"providers\":[{\"id\":\"openai\",\"base_url\":\"https://gateway.example/v1\"," \
                              "\"send_credentials_to_base_url\":true}]}"
#define OPENAI_AT(url) "{\"providers\":[{\"id\":\"openai\",\"base_url\":\"" url "\"}]}"
#define BORROWER "{\"providers\":[{\"id\":\"my-proxy\",\"protocol\":\"openai\",\"base_url\":\"https://proxy.example/v1\"," \
                 "\"api_key_env\":\"OPENAI_API_KEY\"}]}"
#define BORROWER_OPT_IN "{\"providers\":[{\"id\":\"my-proxy\",\"protocol\":\"openai\",\"base_url\":\"https://proxy.example/v1\"," \
                        "\"api_key_env\":\"OPENAI_API_KEY\",\"send_credentials_to_base_url\":true}]}"
#define OWN_VARIABLE "{\"providers\":[{\"id\":\"my-proxy\",\"protocol\":\"openai\",\"base_url\":\"https://proxy.example/v1\"," \
                     "\"api_key_env\":\"MY_KEY\"}]}"
#define OWN_KEYRING "{\"providers\":[{\"id\":\"my-proxy\",\"protocol\":\"openai\",\"base_url\":\"https://proxy.example/v1\"}]}"
#define OPENAI_OWN_VARIABLE "{\"providers\":[{\"id\":\"openai\",\"base_url\":\"https://gateway.example/v1\"," \
                            "\"api_key_env\":\"MY_KEY\"}]}"
#define BEDROCK_BORROWER "{\"providers\":[{\"id\":\"my-bedrock\",\"protocol\":\"bedrock\"," \
                         "\"base_url\":\"https://bedrock-runtime.attacker.example\"}]}"
#define AZURE "{\"providers\":[{\"id\":\"azure-openai\",\"base_url\":\"https://myres.openai.azure.com\"}]}"
#define CUSTOM "{\"providers\":[{\"id\":\"custom\",\"base_url\":\"https://my-server.example/v1\"}]}"

#define REFUSED_GATEWAY "the OpenAI key (OPENAI_API_KEY) is only sent to api.openai.com, not to gateway.example: " \
                        "to send it there, set \"send_credentials_to_base_url\": true in the “openai” entry of " \
                        "the providers file, or give that entry its own api_key_env"

typedef struct
{
  const char         *providers;  /* providers.json merged over the built-ins, or NULL */
  const char         *id;
  const char         *env;        /* "NAME=value NAME=value" */
  const char         *url;
  JxCredentialSource  source;
  const char         *refusal;    /* NULL: allowed; else the whole message or, after "~", a part */
} Row;

static const Row rows[] = {
  /* Built-ins at home. */
  { NULL, "openai", "OPENAI_API_KEY=sk", "https://api.openai.com/v1/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "openai", "", "https://API.OPENAI.COM./v1/models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "anthropic", "ANTHROPIC_API_KEY=a", "https://api.anthropic.com/v1/messages", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "openai", "OPENAI_API_KEY=sk", "https://api.openai.com.evil.example/v1", JX_CREDENTIAL_SOURCE_LOOKUP,
    "~not to api.openai.com.evil.example:" },
  { NULL, "openai", "OPENAI_API_KEY=sk", "https://evil.example/?u=api.openai.com", JX_CREDENTIAL_SOURCE_LOOKUP,
    "~not to evil.example:" },

  /* Moved elsewhere: only with the opt-in, and then only to the base URL's host. */
  { OPENAI_GATEWAY, "openai", "OPENAI_API_KEY=sk", "https://gateway.example/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP,
    REFUSED_GATEWAY },
  { OPENAI_GATEWAY_OPT_IN, "openai", "OPENAI_API_KEY=sk", "https://gateway.example/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OPENAI_GATEWAY_OPT_IN, "openai", "OPENAI_API_KEY=sk", "https://other.example/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP,
    "~not to other.example:" },
  /* The keyring item of a built-in id is that provider's key too. */
  { OPENAI_GATEWAY, "openai", "", "https://gateway.example/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP,
    "the OpenAI key is only sent to api.openai.com, not to gateway.example: to send it there, set "
    "\"send_credentials_to_base_url\": true in the “openai” entry of the providers file, or give that entry its own api_key_env" },
  /* An override with a variable of its own brings its own key, unless it is unset (keyring). */
  { OPENAI_OWN_VARIABLE, "openai", "MY_KEY=k", "https://gateway.example/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OPENAI_OWN_VARIABLE, "openai", "OPENAI_API_KEY=sk", "https://gateway.example/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP,
    "~the OpenAI key is only sent to api.openai.com" },

  /* Loopback: literal addresses and localhost only. */
  { OPENAI_AT ("http://127.0.0.1:8000/v1"), "openai", "OPENAI_API_KEY=sk", "http://127.0.0.1:8000/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OPENAI_AT ("http://127.0.0.1:8000/v1"), "openai", "OPENAI_API_KEY=sk", "http://127.1.2.3:8000/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OPENAI_AT ("http://[::1]:8000/v1"), "openai", "OPENAI_API_KEY=sk", "http://[::1]:8000/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OPENAI_AT ("http://localhost:8000/v1"), "openai", "OPENAI_API_KEY=sk", "http://LocalHost.:8000/v1/models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OPENAI_AT ("http://[::1]:8000/v1"), "openai", "OPENAI_API_KEY=sk", "http://[::ffff:127.0.0.1]:8000/v1", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OPENAI_AT ("http://gateway.localhost:8000/v1"), "openai", "OPENAI_API_KEY=sk", "http://gateway.localhost:8000/v1/models",
    JX_CREDENTIAL_SOURCE_LOOKUP, "~not to gateway.localhost:" },
  { OPENAI_AT ("http://192.168.1.20:8000/v1"), "openai", "OPENAI_API_KEY=sk", "http://192.168.1.20:8000/v1/models",
    JX_CREDENTIAL_SOURCE_LOOKUP, "~not to 192.168.1.20:" },
  /* Link-local is not local: no plain HTTP, and no key over HTTPS either. */
  { OPENAI_AT ("http://169.254.169.254/v1"), "openai", "OPENAI_API_KEY=sk", "http://169.254.169.254/latest/meta-data",
    JX_CREDENTIAL_SOURCE_LOOKUP, "refusing to send the OpenAI key over unencrypted HTTP to 169.254.169.254" },
  { OPENAI_AT ("https://169.254.169.254/v1"), "openai", "OPENAI_API_KEY=sk", "https://169.254.169.254/v1",
    JX_CREDENTIAL_SOURCE_LOOKUP, "~not to 169.254.169.254:" },
  { OPENAI_AT ("http://[fe80::1]/v1"), "openai", "OPENAI_API_KEY=sk", "http://[fe80::1]/v1",
    JX_CREDENTIAL_SOURCE_LOOKUP, "refusing to send the OpenAI key over unencrypted HTTP to fe80::1" },

  /* A new id may not borrow another provider's conventional variable without the opt-in. */
  { BORROWER, "my-proxy", "OPENAI_API_KEY=sk", "https://proxy.example/v1/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP,
    "the OpenAI key (OPENAI_API_KEY) is only sent to api.openai.com, not to proxy.example: to send it there, set "
    "\"send_credentials_to_base_url\": true in the “my-proxy” entry of the providers file, or give that entry its own api_key_env" },
  { BORROWER_OPT_IN, "my-proxy", "OPENAI_API_KEY=sk", "https://proxy.example/v1/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { BORROWER, "my-proxy", "", "https://proxy.example/v1/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OWN_VARIABLE, "my-proxy", "MY_KEY=k OPENAI_API_KEY=sk", "https://proxy.example/v1/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { OWN_KEYRING, "my-proxy", "OPENAI_API_KEY=sk", "https://proxy.example/v1/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { BEDROCK_BORROWER, "my-bedrock", "AWS_ACCESS_KEY_ID=AKIA AWS_SECRET_ACCESS_KEY=s",
    "https://bedrock-runtime.attacker.example/model/m/converse-stream", JX_CREDENTIAL_SOURCE_LOOKUP,
    "~the Amazon Bedrock key (AWS_ACCESS_KEY_ID) is only sent to bedrock-runtime.us-east-1.amazonaws.com, not to bedrock-runtime.attacker.example:" },

  /* Regions: one label, and the refusal names a real host. */
  { NULL, "bedrock", "AWS_ACCESS_KEY_ID=AKIA AWS_SECRET_ACCESS_KEY=s", "https://bedrock-runtime.eu-west-3.amazonaws.com/model/m/converse-stream",
    JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "bedrock", "AWS_BEARER_TOKEN_BEDROCK=b", "https://bedrock.us-west-2.amazonaws.com/foundation-models", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "bedrock", "AWS_ACCESS_KEY_ID=AKIA AWS_SECRET_ACCESS_KEY=s", "https://bedrock-runtime-fips.us-east-1.amazonaws.com/model/m/converse",
    JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "bedrock", "AWS_ACCESS_KEY_ID=AKIA AWS_SECRET_ACCESS_KEY=s",
    "https://vpce-0123abcd-xyz.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/m/converse", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "bedrock", "AWS_ACCESS_KEY_ID=AKIA AWS_SECRET_ACCESS_KEY=s AWS_REGION=eu-central-1",
    "https://bedrock-runtime.attacker.example.amazonaws.com/model/m/converse", JX_CREDENTIAL_SOURCE_LOOKUP,
    "~only sent to bedrock-runtime.eu-central-1.amazonaws.com, not to bedrock-runtime.attacker.example.amazonaws.com:" },
  { NULL, "vertex", "", "https://europe-west4-aiplatform.googleapis.com/v1/projects/p", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "vertex", "", "https://aiplatform.googleapis.com/v1/projects/p", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "vertex", "", "https://us-central1-aiplatform-psc1.p.googleapis.com/v1/projects/p", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "vertex", "", "https://x.us-central1-aiplatform.googleapis.com/v1", JX_CREDENTIAL_SOURCE_LOOKUP,
    "~only sent to us-central1-aiplatform.googleapis.com, not to x.us-central1-aiplatform.googleapis.com:" },

  /* Replicate: the API and its stream host. */
  { NULL, "replicate", "REPLICATE_API_TOKEN=r", "https://api.replicate.com/v1/predictions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "replicate", "REPLICATE_API_TOKEN=r", "https://stream.replicate.com/v1/files/abc", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { NULL, "replicate", "REPLICATE_API_TOKEN=r", "https://evil.replicate.com.example/v1", JX_CREDENTIAL_SOURCE_LOOKUP, "~not to evil.replicate.com.example:" },

  /* Azure: the user's resource, or the endpoint the user put in the environment. */
  { AZURE, "azure-openai", "AZURE_OPENAI_API_KEY=z", "https://myres.openai.azure.com/openai/deployments/d/chat/completions",
    JX_CREDENTIAL_SOURCE_LOOKUP, NULL },
  { AZURE, "azure-openai", "AZURE_OPENAI_API_KEY=z", "https://myres.openai.azure.com.evil.example/openai",
    JX_CREDENTIAL_SOURCE_LOOKUP, "~not to myres.openai.azure.com.evil.example:" },
  { NULL, "azure-openai", "AZURE_OPENAI_API_KEY=z AZURE_OPENAI_ENDPOINT=https://llm.corp.example/",
    "https://llm.corp.example/openai/deployments/d/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },

  /* The custom template's key is the user's own. */
  { CUSTOM, "custom", "CUSTOM_OPENAI_API_KEY=c", "https://my-server.example/v1/chat/completions", JX_CREDENTIAL_SOURCE_LOOKUP, NULL },

  /* A key the caller handed over goes where the caller sends it, but never over plain HTTP. */
  { OPENAI_GATEWAY, "openai", "OPENAI_API_KEY=sk", "https://gateway.example/v1/models", JX_CREDENTIAL_SOURCE_CALLER, NULL },
  { OPENAI_GATEWAY, "openai", "", "http://203.0.113.9/v1", JX_CREDENTIAL_SOURCE_CALLER,
    "refusing to send the OpenAI key over unencrypted HTTP to 203.0.113.9" },
};

static void
set_env (const char *env)
{
  g_auto(GStrv) pairs = g_strsplit (env, " ", -1);

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    g_unsetenv (variables[i]);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL)
        continue;
      name = g_strndup (pairs[i], eq - pairs[i]);
      g_setenv (name, eq + 1, TRUE);
    }
}

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const Row *row = &rows[i];
      g_autoptr(JxCatalog) catalog = jx_test_catalog ("", row->providers);
      g_autoptr(GUri) uri = g_uri_parse (row->url, G_URI_FLAGS_NONE, NULL);
      g_autoptr(GError) error = NULL;
      JxProvider *provider = jx_catalog_lookup (catalog, row->id);
      gboolean allowed;

      g_test_message ("row %u: %s %s [%s]", i, row->id, row->url, row->env);
      g_assert_nonnull (provider);
      g_assert_nonnull (uri);
      set_env (row->env);
      allowed = jx_credential_policy_check (provider, uri, row->source, &error);

      if (row->refusal == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (allowed);
        }
      else
        {
          g_assert_false (allowed);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
          if (row->refusal[0] == '~')
            g_assert_nonnull (strstr (error->message, row->refusal + 1));
          else
            g_assert_cmpstr (error->message, ==, row->refusal);
          /* Real host names only. */
          g_assert_null (strstr (error->message, "{"));
        }
    }
  set_env ("");
}

static void
test_hosts (void)
{
  static const struct { const char *host; gboolean local; gboolean loopback; } cases[] = {
    { "127.0.0.1", TRUE, TRUE },
    { "127.8.9.10", TRUE, TRUE },
    { "::1", TRUE, TRUE },
    { "[::1]", TRUE, TRUE },
    { "::ffff:127.0.0.1", TRUE, TRUE },
    { "localhost", TRUE, TRUE },
    { "LOCALHOST.", TRUE, TRUE },
    { "gateway.localhost", TRUE, FALSE },
    { "0.0.0.0", TRUE, FALSE },
    { "10.1.2.3", TRUE, FALSE },
    { "192.168.1.20", TRUE, FALSE },
    { "::ffff:192.168.1.20", TRUE, FALSE },
    { "fd12:3456::1", TRUE, FALSE },
    { "169.254.169.254", FALSE, FALSE },
    { "::ffff:169.254.169.254", FALSE, FALSE },
    { "fe80::1", FALSE, FALSE },
    { "localhost.example.com", FALSE, FALSE },
    { "127.0.0.1.nip.io", FALSE, FALSE },
    { "2130706433", FALSE, FALSE },
    { "203.0.113.9", FALSE, FALSE },
    { "", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].host);
      g_assert_cmpint (jx_host_is_local (cases[i].host), ==, cases[i].local);
      g_assert_cmpint (jx_host_is_loopback (cases[i].host), ==, cases[i].loopback);
    }
  g_assert_false (jx_host_is_local (NULL));
  g_assert_false (jx_host_is_loopback (NULL));
}

static void
test_message_has_credential (void)
{
  static const struct { const char *url; const char *header; gboolean has; } cases[] = {
    { "https://h.example/v1", NULL, FALSE },
    { "https://h.example/v1", "Authorization", TRUE },
    { "https://h.example/v1", "x-api-key", TRUE },
    { "https://h.example/v1", "x-goog-api-key", TRUE },
    { "https://h.example/v1", "api-key", TRUE },
    { "https://h.example/v1", "x-portkey-api-key", TRUE },
    { "https://h.example/v1", "Accept", FALSE },
    { "https://h.example/v1?alt=sse&key=k", NULL, TRUE },
    { "https://h.example/v1?monkey=k", NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", cases[i].url);

      if (cases[i].header != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (message), cases[i].header, "v");
      g_assert_cmpint (jx_credential_policy_message_has_credential (message), ==, cases[i].has);
    }
}

static void
test_opt_in_parsed (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", OPENAI_GATEWAY_OPT_IN);
  g_autoptr(JxCatalog) plain = jx_test_catalog ("", OPENAI_GATEWAY);
  g_autoptr(JxCatalog) bad = jx_test_catalog ("", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (jx_catalog_lookup (catalog, "openai")->send_credentials_to_base_url);
  g_assert_false (jx_catalog_lookup (plain, "openai")->send_credentials_to_base_url);
  g_assert_false (jx_catalog_lookup (plain, "anthropic")->send_credentials_to_base_url);

  g_assert_false (jx_catalog_load_data (bad, "{\"providers\":[{\"id\":\"openai\",\n"
                                             "  \"send_credentials_to_base_url\":\"yes\"}]}",
                                        -1, "providers.json", &error));
  g_assert_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "providers.json:2"));
  g_assert_nonnull (strstr (error->message, "send_credentials_to_base_url"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credential-policy/table", test_table);
  g_test_add_func ("/credential-policy/hosts", test_hosts);
  g_test_add_func ("/credential-policy/message-has-credential", test_message_has_credential);
  g_test_add_func ("/credential-policy/opt-in-parsed", test_opt_in_parsed);

  return g_test_run ();
}
