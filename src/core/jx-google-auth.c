/* jx-google-auth.c — Google OAuth2 access tokens for Vertex AI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>

#include "jx-google-auth.h"
#include "jx-json.h"

/* Refresh this long before the token expires, so a request never leaves with a token
 * that dies in flight. */
#define REFRESH_MARGIN_USEC (60 * G_USEC_PER_SEC)
/* Google's token lifetime, assumed when a response leaves expires_in out. */
#define DEFAULT_EXPIRES_IN 3600
#define JWT_LIFETIME 3600

struct _JxGoogleAuth
{
  GObject           parent_instance;

  JxGoogleAuthKind  kind;
  char             *project_id;
  char             *quota_project_id;
  GUri             *token_uri;
  char             *token_uri_string;

  /* service_account */
  char             *client_email;
  char             *private_key_id;
  gnutls_privkey_t  private_key;

  /* authorized_user */
  char             *client_id;
  char             *client_secret;
  char             *refresh_token;

  /* Cache, and the callers waiting for the request in flight. */
  char             *access_token;
  gint64            refresh_after;  /* g_get_real_time(): survives suspend, unlike monotonic */
  GPtrArray        *waiters;
  SoupMessage      *inflight;
};

G_DEFINE_FINAL_TYPE (JxGoogleAuth, jx_google_auth, G_TYPE_OBJECT)

G_DEFINE_QUARK (jx-google-auth-error-quark, jx_google_auth_error)

/* Overwrite a secret before freeing it. */
static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
jx_google_auth_finalize (GObject *object)
{
  JxGoogleAuth *self = JX_GOOGLE_AUTH (object);

  g_assert (self->inflight == NULL);

  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->quota_project_id, g_free);
  g_clear_pointer (&self->token_uri, g_uri_unref);
  g_clear_pointer (&self->token_uri_string, g_free);
  g_clear_pointer (&self->client_email, g_free);
  g_clear_pointer (&self->private_key_id, g_free);
  g_clear_pointer (&self->private_key, gnutls_privkey_deinit);
  g_clear_pointer (&self->client_id, g_free);
  clear_secret (&self->client_secret);
  clear_secret (&self->refresh_token);
  clear_secret (&self->access_token);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (jx_google_auth_parent_class)->finalize (object);
}

static void
jx_google_auth_class_init (JxGoogleAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_google_auth_finalize;
}

static void
jx_google_auth_init (JxGoogleAuth *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

static const char *
require_string (JsonObject  *object,
                const char  *name,
                const char  *what,
                GError     **error)
{
  const char *value = jx_json_get_nonempty_string (object, name);

  if (value == NULL)
    g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                 "The %s credentials have no “%s” field", what, name);

  return value;
}

static gboolean
is_loopback (const char *host)
{
  return g_strcmp0 (host, "127.0.0.1") == 0 ||
         g_strcmp0 (host, "::1") == 0 ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

static gboolean
set_token_uri (JxGoogleAuth  *self,
               const char    *token_uri,
               GError       **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  uri = g_uri_parse (token_uri, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                   "The credentials’ token_uri is not a valid URL: %s", local_error->message);
      return FALSE;
    }

  /* The assertion or refresh token goes there: never in clear over the network. Plain
   * http is only accepted for a local test server. */
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (g_uri_get_host (uri))))
    {
      g_set_error_literal (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                           "The credentials’ token_uri must be an https URL");
      return FALSE;
    }

  self->token_uri = g_steal_pointer (&uri);
  self->token_uri_string = g_strdup (token_uri);

  return TRUE;
}

static gboolean
load_service_account (JxGoogleAuth  *self,
                      JsonObject    *object,
                      GError       **error)
{
  const char *what = "service-account";
  const char *client_email;
  const char *private_key;
  gnutls_datum_t pem;
  int ret;

  if (!(client_email = require_string (object, "client_email", what, error)) ||
      !(private_key = require_string (object, "private_key", what, error)))
    return FALSE;

  self->client_email = g_strdup (client_email);
  self->private_key_id = g_strdup (jx_json_get_nonempty_string (object, "private_key_id"));
  self->project_id = g_strdup (jx_json_get_nonempty_string (object, "project_id"));
  self->quota_project_id = g_strdup (jx_json_get_nonempty_string (object, "quota_project_id"));

  if (!set_token_uri (self, jx_json_get_nonempty_string (object, "token_uri") ?: JX_GOOGLE_AUTH_TOKEN_URI,
                      error))
    return FALSE;

  /* json-glib has already turned the "\n" escapes into real newlines. */
  pem.data = (unsigned char *) private_key;
  pem.size = strlen (private_key);

  ret = gnutls_privkey_init (&self->private_key);
  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_privkey_import_x509_raw (self->private_key, &pem, GNUTLS_X509_FMT_PEM, NULL, 0);
  if (ret != GNUTLS_E_SUCCESS)
    {
      g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                   "The service-account private_key could not be read: %s",
                   gnutls_strerror (ret));
      return FALSE;
    }

  if (gnutls_privkey_get_pk_algorithm (self->private_key, NULL) != GNUTLS_PK_RSA)
    {
      g_set_error_literal (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                           "The service-account private_key is not an RSA key");
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_authorized_user (JxGoogleAuth  *self,
                      JsonObject    *object,
                      GError       **error)
{
  const char *what = "authorized_user";
  const char *client_id;
  const char *client_secret;
  const char *refresh_token;

  if (!(client_id = require_string (object, "client_id", what, error)) ||
      !(client_secret = require_string (object, "client_secret", what, error)) ||
      !(refresh_token = require_string (object, "refresh_token", what, error)))
    return FALSE;

  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);
  self->refresh_token = g_strdup (refresh_token);
  self->quota_project_id = g_strdup (jx_json_get_nonempty_string (object, "quota_project_id"));

  /* gcloud's files carry no token_uri; honouring one lets tests use a local server. */
  return set_token_uri (self, jx_json_get_nonempty_string (object, "token_uri") ?: JX_GOOGLE_AUTH_TOKEN_URI,
                        error);
}

JxGoogleAuth *
jx_google_auth_new (const char  *credentials_json,
                    GError     **error)
{
  g_autoptr(JxGoogleAuth) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *root;
  const char *type;

  g_return_val_if_fail (credentials_json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, credentials_json, -1, &local_error))
    {
      g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                   "The Google credentials are not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                           "The Google credentials are not a JSON object");
      return NULL;
    }

  object = json_node_get_object (root);
  type = jx_json_get_nonempty_string (object, "type");
  self = g_object_new (JX_TYPE_GOOGLE_AUTH, NULL);

  if (type == NULL)
    {
      g_set_error_literal (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                           "The Google credentials have no “type” field; expected a "
                           "service-account key or an application-default credentials file");
      return NULL;
    }
  else if (g_str_equal (type, "service_account"))
    {
      self->kind = JX_GOOGLE_AUTH_SERVICE_ACCOUNT;
      if (!load_service_account (self, object, error))
        return NULL;
    }
  else if (g_str_equal (type, "authorized_user"))
    {
      self->kind = JX_GOOGLE_AUTH_AUTHORIZED_USER;
      if (!load_authorized_user (self, object, error))
        return NULL;
    }
  else
    {
      g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_UNSUPPORTED,
                   "Google credentials of type “%s” are not supported; use a service-account "
                   "key or run “gcloud auth application-default login”", type);
      return NULL;
    }

  return g_steal_pointer (&self);
}

JxGoogleAuthKind
jx_google_auth_get_kind (JxGoogleAuth *self)
{
  g_return_val_if_fail (JX_IS_GOOGLE_AUTH (self), 0);

  return self->kind;
}

const char *
jx_google_auth_get_project_id (JxGoogleAuth *self)
{
  g_return_val_if_fail (JX_IS_GOOGLE_AUTH (self), NULL);

  return self->project_id != NULL ? self->project_id : self->quota_project_id;
}

const char *
jx_google_auth_get_quota_project_id (JxGoogleAuth *self)
{
  g_return_val_if_fail (JX_IS_GOOGLE_AUTH (self), NULL);

  return self->quota_project_id;
}

const char *
jx_google_auth_get_token_uri (JxGoogleAuth *self)
{
  g_return_val_if_fail (JX_IS_GOOGLE_AUTH (self), NULL);

  return self->token_uri_string;
}

void
jx_google_auth_invalidate (JxGoogleAuth *self)
{
  g_return_if_fail (JX_IS_GOOGLE_AUTH (self));

  clear_secret (&self->access_token);
  self->refresh_after = 0;
}

static char *
base64url_encode (const guint8 *data,
                  gsize         len)
{
  char *out = g_base64_encode (data, len);
  gsize n = strlen (out);

  for (gsize i = 0; i < n; i++)
    {
      if (out[i] == '+')
        out[i] = '-';
      else if (out[i] == '/')
        out[i] = '_';
    }

  while (n > 0 && out[n - 1] == '=')
    out[--n] = '\0';

  return out;
}

static char *
base64url_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *json = NULL;
  gsize len = 0;

  /* Compact, insertion-ordered: the bytes are what gets signed. */
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);
  json = json_generator_to_data (generator, &len);

  return base64url_encode ((const guint8 *) json, len);
}

char *
jx_google_auth_build_jwt (JxGoogleAuth  *self,
                          gint64         now_unix,
                          GError       **error)
{
  g_autoptr(JsonBuilder) header = NULL;
  g_autoptr(JsonBuilder) claims = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *claims_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature_b64 = NULL;
  gnutls_datum_t data;
  gnutls_datum_t signature = { NULL, 0 };
  int ret;

  g_return_val_if_fail (JX_IS_GOOGLE_AUTH (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->kind != JX_GOOGLE_AUTH_SERVICE_ACCOUNT)
    {
      g_set_error_literal (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                           "Only service-account credentials sign a JWT");
      return NULL;
    }

  header = json_builder_new ();
  json_builder_begin_object (header);
  json_builder_set_member_name (header, "alg");
  json_builder_add_string_value (header, "RS256");
  json_builder_set_member_name (header, "typ");
  json_builder_add_string_value (header, "JWT");
  if (self->private_key_id != NULL)
    {
      json_builder_set_member_name (header, "kid");
      json_builder_add_string_value (header, self->private_key_id);
    }
  json_builder_end_object (header);

  /* aud is Google's token endpoint even when the file names a legacy token_uri: that is
   * what google-auth-library does, and Google accepts it for both (docs/protocols.md,
   * "Google OAuth access tokens"). */
  claims = json_builder_new ();
  json_builder_begin_object (claims);
  json_builder_set_member_name (claims, "iss");
  json_builder_add_string_value (claims, self->client_email);
  json_builder_set_member_name (claims, "scope");
  json_builder_add_string_value (claims, JX_GOOGLE_AUTH_SCOPE);
  json_builder_set_member_name (claims, "aud");
  json_builder_add_string_value (claims, JX_GOOGLE_AUTH_TOKEN_URI);
  json_builder_set_member_name (claims, "iat");
  json_builder_add_int_value (claims, now_unix);
  json_builder_set_member_name (claims, "exp");
  json_builder_add_int_value (claims, now_unix + JWT_LIFETIME);
  json_builder_end_object (claims);

  header_b64 = base64url_json (header);
  claims_b64 = base64url_json (claims);
  signing_input = g_strconcat (header_b64, ".", claims_b64, NULL);

  data.data = (unsigned char *) signing_input;
  data.size = strlen (signing_input);

  /* PKCS#1 v1.5 over SHA-256 for an RSA key, which is exactly RS256. */
  ret = gnutls_privkey_sign_data (self->private_key, GNUTLS_DIG_SHA256, 0, &data, &signature);
  if (ret != GNUTLS_E_SUCCESS)
    {
      g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_INVALID,
                   "Could not sign the service-account assertion: %s", gnutls_strerror (ret));
      return NULL;
    }

  signature_b64 = base64url_encode (signature.data, signature.size);
  gnutls_free (signature.data);

  return g_strconcat (signing_input, ".", signature_b64, NULL);
}

static gboolean
token_is_fresh (JxGoogleAuth *self)
{
  return self->access_token != NULL && g_get_real_time () < self->refresh_after;
}

/* Hand the outcome to everyone waiting. A waiter whose cancellable fired meanwhile gets
 * G_IO_ERROR_CANCELLED from GTask itself. */
static void
complete_waiters (JxGoogleAuth *self,
                  const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->access_token), g_free);
    }
}

static gint64
get_expires_in (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "expires_in");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return DEFAULT_EXPIRES_IN;

  /* Google sends a number; the Python library also accepts a string. */
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    case G_TYPE_STRING:
      {
        const char *str = json_node_get_string (node);
        char *end = NULL;
        gint64 value = g_ascii_strtoll (str, &end, 10);

        return end != str ? value : DEFAULT_EXPIRES_IN;
      }
    default:
      return DEFAULT_EXPIRES_IN;
    }
}

static const char *
credentials_label (JxGoogleAuth *self)
{
  return self->kind == JX_GOOGLE_AUTH_SERVICE_ACCOUNT ? "service-account credentials"
                                                      : "gcloud user credentials";
}

/* Turn a token-endpoint reply into a cached token or an error for humans. */
static gboolean
handle_token_response (JxGoogleAuth  *self,
                       guint          status,
                       const char    *reason,
                       GBytes        *body,
                       GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  const char *access_token;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  gint64 expires_in;

  if (len > 0 && json_parser_load_from_data (parser, data, len, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        object = json_node_get_object (root);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *code = jx_json_get_nonempty_string (object, "error");
      const char *description = jx_json_get_nonempty_string (object, "error_description");

      /* Some Google endpoints nest the error as {"error":{"message":…}}. */
      if (code == NULL && object != NULL && json_object_has_member (object, "error") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
        {
          JsonObject *nested = json_object_get_object_member (object, "error");

          code = jx_json_get_nonempty_string (nested, "status");
          description = jx_json_get_nonempty_string (nested, "message");
        }

      if (code == NULL)
        {
          g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_BAD_RESPONSE,
                       "Google’s token endpoint answered HTTP %u %s",
                       status, reason != NULL ? reason : "");
          return FALSE;
        }

      g_set_error (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_REJECTED,
                   "Google rejected the %s: %s%s%s%s%s",
                   credentials_label (self), code,
                   description != NULL ? " (" : "",
                   description != NULL ? description : "",
                   description != NULL ? ")" : "",
                   self->kind == JX_GOOGLE_AUTH_AUTHORIZED_USER && g_str_equal (code, "invalid_grant")
                     ? ". Run “gcloud auth application-default login” again." : "");
      return FALSE;
    }

  access_token = jx_json_get_nonempty_string (object, "access_token");
  if (access_token == NULL)
    {
      g_set_error_literal (error, JX_GOOGLE_AUTH_ERROR, JX_GOOGLE_AUTH_ERROR_BAD_RESPONSE,
                           "Google’s token endpoint answered without an access_token");
      return FALSE;
    }

  expires_in = get_expires_in (object);

  clear_secret (&self->access_token);
  self->access_token = g_strdup (access_token);
  self->refresh_after = g_get_real_time () + expires_in * G_USEC_PER_SEC - REFRESH_MARGIN_USEC;

  return TRUE;
}

static void
jx_google_auth_fetch_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(JxGoogleAuth) self = user_data;
  g_autoptr(SoupMessage) msg = g_steal_pointer (&self->inflight);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    g_prefix_error (&error, "Could not reach Google’s token endpoint: ");
  else
    handle_token_response (self, soup_message_get_status (msg),
                           soup_message_get_reason_phrase (msg), body, &error);

  complete_waiters (self, error);
}

static SoupMessage *
build_token_request (JxGoogleAuth  *self,
                     GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *form;

  if (self->kind == JX_GOOGLE_AUTH_SERVICE_ACCOUNT)
    {
      g_autofree char *jwt = jx_google_auth_build_jwt (self, g_get_real_time () / G_USEC_PER_SEC, error);

      if (jwt == NULL)
        return NULL;

      form = soup_form_encode ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                               "assertion", jwt,
                               NULL);
    }
  else
    {
      form = soup_form_encode ("grant_type", "refresh_token",
                               "client_id", self->client_id,
                               "client_secret", self->client_secret,
                               "refresh_token", self->refresh_token,
                               NULL);
    }

  bytes = g_bytes_new_take (form, strlen (form));
  msg = soup_message_new_from_uri ("POST", self->token_uri);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  /* A redirect would carry the assertion or refresh token to another host. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  return g_steal_pointer (&msg);
}

void
jx_google_auth_get_token_async (JxGoogleAuth        *self,
                                SoupSession         *session,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (JX_IS_GOOGLE_AUTH (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_google_auth_get_token_async);

  if (token_is_fresh (self))
    {
      g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      return;
    }

  g_ptr_array_add (self->waiters, g_steal_pointer (&task));

  /* One token request serves every caller that arrives while it is in flight. */
  if (self->inflight != NULL)
    return;

  self->inflight = build_token_request (self, &error);
  if (self->inflight == NULL)
    {
      complete_waiters (self, error);
      return;
    }

  /* The request is not tied to one caller's cancellable, since others may share it. */
  soup_session_send_and_read_async (session, self->inflight, G_PRIORITY_DEFAULT, NULL,
                                    jx_google_auth_fetch_cb, g_object_ref (self));
}

char *
jx_google_auth_get_token_finish (JxGoogleAuth  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (JX_IS_GOOGLE_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == jx_google_auth_get_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
