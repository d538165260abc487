/* test-google-auth.c — service-account JWTs and token exchange against a local server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>

#include "jx-google-auth.h"
#include "jx-test-util.h"

/* RFC 7515 A.2's RSA key as PKCS#8 (from the RFC's JWK); a published test key, not a secret. */
#define RFC7515_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCh+BYK4uPJtGXO\n" \
  "jS1lYmM2K5J9vinh8CR3/BYlzJChNuOL2TSXxbbqY913EeZ8dCn5VrD7io8ImtxL\n" \
  "aYk8wTM/U+3QGbh3hCUv7JFP5IV3aVlL6kKA0ywPVb9ilE8TA5a8bpvfbr3SvaNn\n" \
  "juygxmj3AbONv/s4yDQs4v5tJ/reSlpIdJed1LnPmt7Ex1sFhSwsD174pcF1A5L5\n" \
  "ROjtZMEQxrZHYJqkeDrrnGya11UxMFBji4NmXG9veoKjlnAqH2QbgtPr8jkiGUkf\n" \
  "toaHLFcW9Qr4NY2ai50Xw0Byj3+H2JoY2PyrZ62EWQwuz3WTOTY8BwNNb2BvniHg\n" \
  "VFbK5emhAgMBAAECggEAEq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyW\n" \
  "PEAeP88vLNO97IjlA7/GQ5sLKMgvfTeXZx9SE+7YwVol2NXOoAJe46sui395IW/G\n" \
  "O+pWJ1O0BkTGoVEn2bKVRUCgu+GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj\n" \
  "kn439X0M/V51gfpRLI9JYanrC4D4qAdGcopV/0ZHHzQlBjudU2QvXt4ehNYTCBr6\n" \
  "XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl/x/jTj3ccPDVZFD9pIuhLhBOneufuBiB\n" \
  "4cS98l2SR/RQyGWSeWjnczT0QU91p1DhOVRuOopznQKBgQDgHMQQ60imZV1URk0K\n" \
  "pLttoLhyt3SmqdEf/kgHePDdtzEafpAu+cS191R2JiuoF2yzWXnwFDcqGigp5BNr\n" \
  "0AHQfD8/Lk8l1Mk09jxxCfui5nYooNyac8YFjm3vItzVCVDnEd3BbVWG8qf6deqE\n" \
  "lMGAg+C2V0L4oNXnP7LZcPAZRwKBgQC5A8R+CZW2MvRTLLHzwZkUXV866cff7tx6\n" \
  "kqa0finGG0KgeqlaZPxgCZnFp7AeAcCMtiynVlJ7vMVgePsLq6XtON4tB5kP9jAP\n" \
  "rq3rbAOal78eUH5OcED6eNuCV8ixEu1eWcPNCS/l1OW1EnXUEoEHKl54Xrrz2uNw\n" \
  "kgMTP1FZ1wKBgAcCn1dwJKufzBWQxWQp1vsM5fggqPN1qGb5y0MAk3g7/Ls5bkUp\n" \
  "5u9SN0Ai3Ya6hNnvWJMb7sXQX6U/zyO2M/hTip7tUeh7CXgwo59dkpN75gJLVds2\n" \
  "9+DAncu3KXU4f2Fa+7bLNrur53k8KwPOq2bbuTG69QtV7Jr5MR0AHWKNAoGBAIf/\n" \
  "evpitUf+4JYbLpvNXWcY052Mpz22aR84mY3nh3F2LF2mjMJDpTg7FmuyPcVw6EcG\n" \
  "yoAe9fa65iNqCq+jdw6PVNGo2hxfjSiZ8IIzHdsPXI89//pMjZcQK9r+CCoRjaZj\n" \
  "OYiIDktVWZzmevJuv6WywUqd57LE3Zar3dLSIkx1AoGAIYd7DHOhrWvxkwPQsRM2\n" \
  "tOgrjbcrfvtQJipd+DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd/QJQ3\n" \
  "ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp/gh6A56\n" \
  "03k2+ZQwVK0JKSHuLFkuQ3U=\n" \
  "-----END PRIVATE KEY-----\n"

/* The exact assertion this key gives for a Google-shaped service account (checked against an
 * independent RS256 implementation; docs/protocols.md, "Google OAuth access tokens"). */
#define EXPECTED_JWT \
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlc3Qta2V5LWlkIn0." \
  "eyJpc3MiOiJ0ZXN0QGV4YW1wbGUtcHJvamVjdC5pYW0uZ3NlcnZpY2VhY2NvdW50LmNvbSIsInNjb3BlIjoiaHR0cHM6Ly93d3cuZ29vZ2xlYXBpcy5jb20vYXV0aC9jbG91ZC1wbGF0Zm9ybSIsImF1ZCI6Imh0dHBzOi8vb2F1dGgyLmdvb2dsZWFwaXMuY29tL3Rva2VuIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9." \
  "GDR3VoKOouX-IBKJhM4agcp_t6vnF0mgRwJjhVUIyIe-wrnbKuEOrG7kZyALF69zQVEqUzNrixrUWXAa1xfLQxr54LHopQt5yVbYttTMnkCLcIb3obtaqAZcFHKkkUWR0beULvQNC5bClc71qoOQU77pkdJQznqay88bJ1nz_ynkCrBSBFsNQFZX_3seOvOTs-ND3xM-5MLwznb26__fP9f29Mho3YBj6Z7mctYYMebMM15QcAlkqParIfQmuKa5Hdg_h7ojajQJs-Av7Hv-fQOjnSqKMUEDgibUEzWK_ViBzqskbJdP9J2HsBVi37sAY8tgkpxOOlp_h2XhV-l8mQ"

#define CLIENT_EMAIL "test@example-project.iam.gserviceaccount.com"
#define JWT_BEARER "urn:ietf:params:oauth:grant-type:jwt-bearer"

/* A key generated at run time, so the signature check does not rest on one fixed key. */
static gnutls_x509_privkey_t generated_key;
static char *generated_pem;

static void
generate_key (void)
{
  gnutls_datum_t pem = { NULL, 0 };

  g_assert_cmpint (gnutls_x509_privkey_init (&generated_key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (generated_key, GNUTLS_PK_RSA, 2048, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (generated_key, GNUTLS_X509_FMT_PEM, NULL,
                                                      GNUTLS_PKCS_PLAIN, &pem), ==, 0);
  generated_pem = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);
}

static char *
service_account_json (const char *pem,
                      const char *token_uri)
{
  return jx_test_credentials_json ("type", "service_account",
                                   "project_id", "example-project",
                                   "private_key_id", "test-key-id",
                                   "private_key", pem,
                                   "client_email", CLIENT_EMAIL,
                                   "client_id", "1234567890",
                                   "token_uri", token_uri,
                                   NULL);
}

static GBytes *
base64url_decode (const char *str,
                  gsize       len)
{
  g_autoptr(GString) b64 = g_string_new_len (str, len);
  guchar *data;
  gsize out_len = 0;

  for (gsize i = 0; i < b64->len; i++)
    {
      if (b64->str[i] == '-')
        b64->str[i] = '+';
      else if (b64->str[i] == '_')
        b64->str[i] = '/';
      else
        g_assert_true (g_ascii_isalnum (b64->str[i]) || b64->str[i] == '+' || b64->str[i] == '/');
    }
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');

  data = g_base64_decode (b64->str, &out_len);

  return g_bytes_new_take (data, out_len);
}

static JsonObject *
decode_json_part (const char *part)
{
  g_autoptr(GBytes) bytes = base64url_decode (part, strlen (part));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (json_parser_load_from_data (parser, data, len, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Check the structure, the claims and the RS256 signature of @jwt under generated_key. */
static void
check_generated_jwt (const char *jwt,
                     gint64      iat_min,
                     gint64      iat_max)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *signing_input = NULL;
  gnutls_privkey_t privkey;
  gnutls_pubkey_t pubkey;
  gnutls_datum_t data;
  gnutls_datum_t sig;
  gsize sig_len = 0;
  gint64 iat;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_null (strchr (jwt, '='));

  header = decode_json_part (parts[0]);
  g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "RS256");
  g_assert_cmpstr (json_object_get_string_member (header, "typ"), ==, "JWT");
  g_assert_cmpstr (json_object_get_string_member (header, "kid"), ==, "test-key-id");

  claims = decode_json_part (parts[1]);
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, CLIENT_EMAIL);
  g_assert_cmpstr (json_object_get_string_member (claims, "scope"), ==,
                   "https://www.googleapis.com/auth/cloud-platform");
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, "https://oauth2.googleapis.com/token");
  iat = json_object_get_int_member (claims, "iat");
  g_assert_cmpint (iat, >=, iat_min);
  g_assert_cmpint (iat, <=, iat_max);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, iat + 3600);

  signing_input = g_strconcat (parts[0], ".", parts[1], NULL);
  signature = base64url_decode (parts[2], strlen (parts[2]));

  g_assert_cmpint (gnutls_privkey_init (&privkey), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509 (privkey, generated_key, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_init (&pubkey), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pubkey, privkey, 0, 0), ==, 0);

  data.data = (unsigned char *) signing_input;
  data.size = strlen (signing_input);
  sig.data = (unsigned char *) g_bytes_get_data (signature, &sig_len);
  sig.size = sig_len;
  g_assert_cmpuint (sig.size, ==, 256);
  g_assert_cmpint (gnutls_pubkey_verify_data2 (pubkey, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig), >=, 0);

  /* A changed claim no longer verifies. */
  signing_input[strlen (parts[0]) + 2] ^= 1;
  g_assert_cmpint (gnutls_pubkey_verify_data2 (pubkey, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig), <, 0);

  gnutls_pubkey_deinit (pubkey);
  gnutls_privkey_deinit (privkey);
}

static void
test_google_auth_jwt_vector (void)
{
  g_autofree char *json = service_account_json (RFC7515_PEM, "https://oauth2.googleapis.com/token");
  g_autoptr(JxGoogleAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = NULL;

  auth = jx_google_auth_new (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (auth);
  g_assert_cmpint (jx_google_auth_get_kind (auth), ==, JX_GOOGLE_AUTH_SERVICE_ACCOUNT);
  g_assert_cmpstr (jx_google_auth_get_project_id (auth), ==, "example-project");
  g_assert_null (jx_google_auth_get_quota_project_id (auth));

  /* RSASSA-PKCS1-v1_5 is deterministic: the bytes must match the reference exactly. */
  jwt = jx_google_auth_build_jwt (auth, 1700000000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jwt, ==, EXPECTED_JWT);
}

static void
test_google_auth_jwt_generated (void)
{
  g_autofree char *json = service_account_json (generated_pem, "https://oauth2.googleapis.com/token");
  g_autoptr(JxGoogleAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = NULL;

  auth = jx_google_auth_new (json, &error);
  g_assert_no_error (error);

  jwt = jx_google_auth_build_jwt (auth, 1750000000, &error);
  g_assert_no_error (error);
  check_generated_jwt (jwt, 1750000000, 1750000000);
}

static void
test_google_auth_invalid (void)
{
  g_autofree char *bad_key = NULL;
  g_autofree char *http_uri = NULL;
  g_autofree char *user_missing = NULL;
  g_autofree char *external = NULL;
  g_autofree char *no_email = NULL;
  const char *fake_pem = "-----BEGIN PRIVATE KEY-----\nAAAAsecretAAAA\n-----END PRIVATE KEY-----\n";
  struct {
    const char *json;
    int code;
    const char *message_part;
  } cases[] = {
    { "not json", JX_GOOGLE_AUTH_ERROR_INVALID, "not valid JSON" },
    { "[1, 2]", JX_GOOGLE_AUTH_ERROR_INVALID, "not a JSON object" },
    { "{}", JX_GOOGLE_AUTH_ERROR_INVALID, "no “type” field" },
    { NULL, JX_GOOGLE_AUTH_ERROR_UNSUPPORTED, "external_account" },
    { NULL, JX_GOOGLE_AUTH_ERROR_INVALID, "“client_email”" },
    { NULL, JX_GOOGLE_AUTH_ERROR_INVALID, "private_key could not be read" },
    { NULL, JX_GOOGLE_AUTH_ERROR_INVALID, "must be an https URL" },
    { NULL, JX_GOOGLE_AUTH_ERROR_INVALID, "“refresh_token”" },
  };

  cases[3].json = external = jx_test_credentials_json ("type", "external_account", "audience", "x", NULL);
  cases[4].json = no_email = jx_test_credentials_json ("type", "service_account", "private_key", RFC7515_PEM, NULL);
  cases[5].json = bad_key = service_account_json (fake_pem, "https://oauth2.googleapis.com/token");
  cases[6].json = http_uri = service_account_json (RFC7515_PEM, "http://oauth2.example.com/token");
  cases[7].json = user_missing = jx_test_credentials_json ("type", "authorized_user", "client_id", "123",
                                                           "client_secret", "secret", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JxGoogleAuth) auth = NULL;
      g_autoptr(GError) error = NULL;

      auth = jx_google_auth_new (cases[i].json, &error);
      g_assert_null (auth);
      g_assert_error (error, JX_GOOGLE_AUTH_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      /* Messages never echo key material. */
      g_assert_null (strstr (error->message, "secret"));
      g_assert_null (strstr (error->message, "BEGIN"));
    }
}

static void
test_google_auth_authorized_user_fields (void)
{
  g_autofree char *json = NULL;
  g_autoptr(JxGoogleAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = NULL;

  /* gcloud's file: no token_uri, so Google's endpoint is used. */
  json = jx_test_credentials_json ("type", "authorized_user", "client_id", "123", "client_secret", "secret",
                                   "refresh_token", "alabalaportocala", "quota_project_id", "quota-proj", NULL);
  auth = jx_google_auth_new (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jx_google_auth_get_kind (auth), ==, JX_GOOGLE_AUTH_AUTHORIZED_USER);
  g_assert_cmpstr (jx_google_auth_get_token_uri (auth), ==, "https://oauth2.googleapis.com/token");
  g_assert_cmpstr (jx_google_auth_get_project_id (auth), ==, "quota-proj");
  g_assert_cmpstr (jx_google_auth_get_quota_project_id (auth), ==, "quota-proj");

  jwt = jx_google_auth_build_jwt (auth, 1700000000, &error);
  g_assert_null (jwt);
  g_assert_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID);
}

/* A local token endpoint. Each request takes the next queued reply (the last one repeats). */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *base_uri;
  char        *token_uri;
  GPtrArray   *replies;      /* "status body" strings */
  guint        n_requests;
  guint        n_elsewhere;
  char        *method;
  char        *content_type;
  char        *raw_body;
  GHashTable  *form;
} Fixture;

static void
token_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *reply;
  const char *space;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  guint status;

  g_assert_cmpuint (f->replies->len, >, 0);
  reply = g_ptr_array_index (f->replies, MIN (f->n_requests, f->replies->len - 1));
  f->n_requests++;

  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->content_type);
  f->content_type = g_strdup (soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL));
  g_free (f->raw_body);
  f->raw_body = g_strndup (data, len);
  g_clear_pointer (&f->form, g_hash_table_unref);
  f->form = soup_form_decode (f->raw_body);

  status = (guint) g_ascii_strtoull (reply, NULL, 10);
  space = strchr (reply, ' ');
  g_assert_nonnull (space);

  if (status == 302)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Location", space + 1);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    space + 1, strlen (space + 1));
}

static void
elsewhere_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Fixture *f = user_data;

  f->n_elsewhere++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"access_token\":\"stolen\"}", 25);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->replies = g_ptr_array_new_with_free_func (g_free);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, "/token", token_handler, f, NULL);
  soup_server_add_handler (f->server, "/elsewhere", elsewhere_handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->base_uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  f->token_uri = g_strdup_printf ("%s/token", f->base_uri);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->session = soup_session_new ();
  /* Never route the test's loopback traffic through an environment proxy. */
  soup_session_set_proxy_resolver (f->session, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->replies, g_ptr_array_unref);
  g_clear_pointer (&f->base_uri, g_free);
  g_clear_pointer (&f->token_uri, g_free);
  g_clear_pointer (&f->method, g_free);
  g_clear_pointer (&f->content_type, g_free);
  g_clear_pointer (&f->raw_body, g_free);
  g_clear_pointer (&f->form, g_hash_table_unref);
}

static void
add_reply (Fixture    *f,
           const char *reply)
{
  g_ptr_array_add (f->replies, g_strdup (reply));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
get_token (Fixture       *f,
           JxGoogleAuth  *auth,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jx_google_auth_get_token_async (auth, f->session, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return jx_google_auth_get_token_finish (auth, result, error);
}

static JxGoogleAuth *
new_service_account (Fixture *f)
{
  g_autofree char *json = service_account_json (generated_pem, f->token_uri);
  g_autoptr(GError) error = NULL;
  JxGoogleAuth *auth = jx_google_auth_new (json, &error);

  g_assert_no_error (error);

  return auth;
}

static void
test_google_auth_service_account_token (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(JxGoogleAuth) auth = new_service_account (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  add_reply (f, "200 {\"access_token\":\"ya29.first\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");

  token = get_token (f, auth, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "ya29.first");
  g_assert_cmpuint (f->n_requests, ==, 1);

  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (f->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpuint (g_hash_table_size (f->form), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (f->form, "grant_type"), ==, JWT_BEARER);
  g_assert_true (g_str_has_prefix (f->raw_body,
                                   "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="));
  check_generated_jwt (g_hash_table_lookup (f->form, "assertion"),
                       before, g_get_real_time () / G_USEC_PER_SEC);

  /* Cached: no second request. */
  again = get_token (f, auth, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, "ya29.first");
  g_assert_cmpuint (f->n_requests, ==, 1);

  /* After invalidation, two concurrent callers share one request. */
  jx_google_auth_invalidate (auth);
  jx_google_auth_get_token_async (auth, f->session, NULL, store_result_cb, &r1);
  jx_google_auth_get_token_async (auth, f->session, NULL, store_result_cb, &r2);
  while (r1 == NULL || r2 == NULL)
    g_main_context_iteration (NULL, TRUE);
  t1 = jx_google_auth_get_token_finish (auth, r1, &error);
  g_assert_no_error (error);
  t2 = jx_google_auth_get_token_finish (auth, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t1, ==, "ya29.first");
  g_assert_cmpstr (t2, ==, "ya29.first");
  g_assert_cmpuint (f->n_requests, ==, 2);
}

static void
test_google_auth_refresh_after_expiry (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(JxGoogleAuth) auth = new_service_account (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  /* 60 s of life is inside the refresh margin: stale at once. The second reply sends
   * expires_in as a string, which is accepted. */
  add_reply (f, "200 {\"access_token\":\"ya29.short\",\"expires_in\":60,\"token_type\":\"Bearer\"}");
  add_reply (f, "200 {\"access_token\":\"ya29.next\",\"expires_in\":\"3599\",\"token_type\":\"Bearer\"}");

  first = get_token (f, auth, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "ya29.short");

  second = get_token (f, auth, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "ya29.next");
  g_assert_cmpuint (f->n_requests, ==, 2);

  third = get_token (f, auth, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (third, ==, "ya29.next");
  g_assert_cmpuint (f->n_requests, ==, 2);
}

static void
test_google_auth_authorized_user_token (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autoptr(JxGoogleAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  json = jx_test_credentials_json ("type", "authorized_user", "client_id", "123", "client_secret", "s3cr&t",
                                   "refresh_token", "1//alabalaportocala", "token_uri", f->token_uri, NULL);
  auth = jx_google_auth_new (json, &error);
  g_assert_no_error (error);

  add_reply (f, "200 {\"access_token\":\"ya29.user\",\"expires_in\":3599,\"token_type\":\"Bearer\",\"scope\":\"x\"}");

  token = get_token (f, auth, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "ya29.user");

  g_assert_cmpstr (f->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpuint (g_hash_table_size (f->form), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (f->form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "client_id"), ==, "123");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "client_secret"), ==, "s3cr&t");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "refresh_token"), ==, "1//alabalaportocala");
  /* Form-encoded on the wire. */
  g_assert_nonnull (strstr (f->raw_body, "refresh_token=1%2F%2Falabalaportocala"));
  g_assert_nonnull (strstr (f->raw_body, "client_secret=s3cr%26t"));
}

static void
test_google_auth_invalid_grant (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(JxGoogleAuth) auth = new_service_account (f);
  g_autoptr(JxGoogleAuth) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *json = NULL;

  add_reply (f, "400 {\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");

  token = get_token (f, auth, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_REJECTED);
  g_assert_cmpstr (error->message, ==,
                   "Google rejected the service-account credentials: invalid_grant (Invalid JWT Signature.)");
  g_clear_error (&error);

  /* Nothing was cached: the next call asks again. */
  token = get_token (f, auth, NULL, &error);
  g_assert_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_REJECTED);
  g_assert_cmpuint (f->n_requests, ==, 2);
  g_clear_error (&error);

  /* A revoked refresh token tells the user what to do. */
  g_ptr_array_set_size (f->replies, 0);
  add_reply (f, "400 {\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}");
  json = jx_test_credentials_json ("type", "authorized_user", "client_id", "123", "client_secret", "secret",
                                   "refresh_token", "1//x", "token_uri", f->token_uri, NULL);
  user = jx_google_auth_new (json, &error);
  g_assert_no_error (error);
  token = get_token (f, user, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "invalid_grant (Token has been expired or revoked.)"));
  g_assert_nonnull (strstr (error->message, "gcloud auth application-default login"));
}

static void
test_google_auth_bad_responses (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(JxGoogleAuth) auth = new_service_account (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *redirect = NULL;

  add_reply (f, "200 {\"token_type\":\"Bearer\"}");
  add_reply (f, "500 oops");
  redirect = g_strdup_printf ("302 %s/elsewhere", f->base_uri);
  add_reply (f, redirect);

  token = get_token (f, auth, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "without an access_token"));
  g_clear_error (&error);

  token = get_token (f, auth, NULL, &error);
  g_assert_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
  g_clear_error (&error);

  /* A redirect is not followed: the assertion only ever goes to token_uri. */
  token = get_token (f, auth, NULL, &error);
  g_assert_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "HTTP 302"));
  g_assert_cmpuint (f->n_requests, ==, 3);
  g_assert_cmpuint (f->n_elsewhere, ==, 0);
  g_clear_error (&error);
}

static void
test_google_auth_cancelled (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JxGoogleAuth) auth = new_service_account (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  add_reply (f, "200 {\"access_token\":\"ya29.first\",\"expires_in\":3599}");

  g_cancellable_cancel (cancellable);
  token = get_token (f, auth, cancellable, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_google_auth_unreachable (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JxGoogleAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *json = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *token = NULL;
  GSList *uris;
  int port;

  /* Take a free port, then close it so nothing listens there. */
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_disconnect (server);

  uri = g_strdup_printf ("http://127.0.0.1:%d/token", port);
  json = service_account_json (generated_pem, uri);
  auth = jx_google_auth_new (json, &error);
  g_assert_no_error (error);

  soup_session_set_proxy_resolver (session, NULL);
  jx_google_auth_get_token_async (auth, session, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  token = jx_google_auth_get_token_finish (auth, result, &error);
  g_assert_null (token);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach Google’s token endpoint: "));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  generate_key ();

  g_test_add_func ("/juxta/core/google-auth/jwt-vector", test_google_auth_jwt_vector);
  g_test_add_func ("/juxta/core/google-auth/jwt-generated-key", test_google_auth_jwt_generated);
  g_test_add_func ("/juxta/core/google-auth/new-invalid", test_google_auth_invalid);
  g_test_add_func ("/juxta/core/google-auth/new-authorized-user", test_google_auth_authorized_user_fields);
  g_test_add ("/juxta/core/google-auth/token-service-account", Fixture, NULL,
              fixture_setup, test_google_auth_service_account_token, fixture_teardown);
  g_test_add ("/juxta/core/google-auth/token-refresh-after-expiry", Fixture, NULL,
              fixture_setup, test_google_auth_refresh_after_expiry, fixture_teardown);
  g_test_add ("/juxta/core/google-auth/token-authorized-user", Fixture, NULL,
              fixture_setup, test_google_auth_authorized_user_token, fixture_teardown);
  g_test_add ("/juxta/core/google-auth/token-invalid-grant", Fixture, NULL,
              fixture_setup, test_google_auth_invalid_grant, fixture_teardown);
  g_test_add ("/juxta/core/google-auth/token-bad-responses", Fixture, NULL,
              fixture_setup, test_google_auth_bad_responses, fixture_teardown);
  g_test_add ("/juxta/core/google-auth/token-cancelled", Fixture, NULL,
              fixture_setup, test_google_auth_cancelled, fixture_teardown);
  g_test_add_func ("/juxta/core/google-auth/token-unreachable", test_google_auth_unreachable);

  ret = g_test_run ();

  g_clear_pointer (&generated_pem, g_free);
  gnutls_x509_privkey_deinit (generated_key);

  return ret;
}
