/* jx-sigv4.c — AWS Signature Version 4 request signing (Bedrock)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

void
jx_sigv4_params_init (JxSigv4Params *params,
                      const char    *access_key_id,
                      const char    *secret_access_key,
                      const char    *session_token,
                      const char    *region,
                      const char    *service)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->access_key_id = access_key_id;
  params->secret_access_key = secret_access_key;
  params->session_token = session_token;
  params->region = region;
  params->service = service;
  /* S3 is the one service that signs the path as sent. */
  params->double_encode = g_strcmp0 (service, "s3") != 0;
  params->sign_content_sha256 = FALSE;
}

void
jx_sigv4_result_clear (JxSigv4Result *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->authorization, g_free);
  g_clear_pointer (&result->amz_date, g_free);
  g_clear_pointer (&result->content_sha256, g_free);
  g_clear_pointer (&result->signed_headers, g_free);
  g_clear_pointer (&result->canonical_request, g_free);
  g_clear_pointer (&result->string_to_sign, g_free);
}

char *
jx_sigv4_uri_encode (const char *str,
                     gboolean    keep_slash)
{
  g_return_val_if_fail (str != NULL, NULL);

  /* GLib's unreserved set is exactly AWS's (A-Z a-z 0-9 - . _ ~), with upper-case hex. */
  return g_uri_escape_string (str, keep_slash ? "/" : NULL, FALSE);
}

/* Decode then encode, so "%E1%88%B4" and a raw "ሴ" both end up as "%E1%88%B4". */
static char *
reencode (const char *str,
          gboolean    keep_slash)
{
  g_autofree char *decoded = g_uri_unescape_string (str, NULL);

  /* An invalid escape cannot be decoded: sign the bytes as they are. */
  return jx_sigv4_uri_encode (decoded != NULL ? decoded : str, keep_slash);
}

static char *
canonical_path (const char *path,
                gboolean    double_encode)
{
  if (path == NULL || path[0] == '\0')
    return g_strdup ("/");

  /* The wire path is already encoded once; AWS (except S3) encodes it again. */
  if (double_encode)
    return jx_sigv4_uri_encode (path, TRUE);

  return reencode (path, TRUE);
}

typedef struct
{
  char *name;
  char *value;
} Pair;

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  g_free (pair->name);
  g_free (pair->value);
  g_free (pair);
}

static int
pair_compare (gconstpointer a,
              gconstpointer b)
{
  const Pair *pa = *(const Pair * const *) a;
  const Pair *pb = *(const Pair * const *) b;
  int cmp = strcmp (pa->name, pb->name);

  return cmp != 0 ? cmp : strcmp (pa->value, pb->value);
}

static int
pair_compare_name (gconstpointer a,
                   gconstpointer b)
{
  const Pair *pa = *(const Pair * const *) a;
  const Pair *pb = *(const Pair * const *) b;

  return strcmp (pa->name, pb->name);
}

static char *
canonical_query (const char *query)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (pair_free);
  g_auto(GStrv) parts = NULL;
  GString *out;

  if (query == NULL || query[0] == '\0')
    return g_strdup ("");

  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq;
      g_autofree char *name = NULL;
      Pair *pair;

      if (parts[i][0] == '\0')
        continue;

      eq = strchr (parts[i], '=');
      name = eq != NULL ? g_strndup (parts[i], eq - parts[i]) : g_strdup (parts[i]);

      pair = g_new0 (Pair, 1);
      pair->name = reencode (name, FALSE);
      /* A parameter without '=' is signed with an empty value. */
      pair->value = reencode (eq != NULL ? eq + 1 : "", FALSE);
      g_ptr_array_add (pairs, pair);
    }

  g_ptr_array_sort (pairs, pair_compare);

  out = g_string_new (NULL);
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *pair = g_ptr_array_index (pairs, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", pair->name, pair->value);
    }

  return g_string_free (out, FALSE);
}

/* Trim, and collapse each run of blanks to one space (even inside quotes). */
static char *
canonical_header_value (const char *value)
{
  GString *out = g_string_new (NULL);
  gboolean in_blank = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t')
        {
          in_blank = TRUE;
          continue;
        }

      if (in_blank && out->len > 0)
        g_string_append_c (out, ' ');
      in_blank = FALSE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

char *
jx_sigv4_canonical_request (const char         *method,
                            const char         *path,
                            const char         *query,
                            const char * const *headers,
                            const char         *payload_hash,
                            gboolean            double_encode,
                            char              **out_signed_headers)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (pair_free);
  g_autofree char *cpath = NULL;
  g_autofree char *cquery = NULL;
  GString *signed_headers;
  GString *out;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (payload_hash != NULL, NULL);

  for (guint i = 0; headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      Pair *pair = g_new0 (Pair, 1);

      pair->name = g_ascii_strdown (headers[i], -1);
      pair->value = canonical_header_value (headers[i + 1]);
      g_ptr_array_add (pairs, pair);
    }

  /* Stable sort by name alone: repeated headers keep the order they are sent in. */
  g_ptr_array_sort (pairs, pair_compare_name);

  cpath = canonical_path (path, double_encode);
  cquery = canonical_query (query);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n%s\n%s\n", method, cpath, cquery);

  signed_headers = g_string_new (NULL);
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *pair = g_ptr_array_index (pairs, i);

      if (i > 0 && strcmp (pair->name, ((Pair *) g_ptr_array_index (pairs, i - 1))->name) == 0)
        {
          /* Repeated header: values joined with ',' on the line already started. */
          g_string_truncate (out, out->len - 1);
          g_string_append_printf (out, ",%s\n", pair->value);
          continue;
        }

      g_string_append_printf (out, "%s:%s\n", pair->name, pair->value);
      if (signed_headers->len > 0)
        g_string_append_c (signed_headers, ';');
      g_string_append (signed_headers, pair->name);
    }

  g_string_append_printf (out, "\n%s\n%s", signed_headers->str, payload_hash);

  if (out_signed_headers != NULL)
    *out_signed_headers = g_string_free (signed_headers, FALSE);
  else
    g_string_free (signed_headers, TRUE);

  return g_string_free (out, FALSE);
}

char *
jx_sigv4_string_to_sign (const char *amz_date,
                         const char *region,
                         const char *service,
                         const char *canonical_request)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) >= 8, NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (canonical_request != NULL, NULL);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical_request, -1);

  return g_strdup_printf (ALGORITHM "\n%s\n%.8s/%s/%s/aws4_request\n%s",
                          amz_date, amz_date, region, service, hash);
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const char   *data,
             guint8        out[JX_SIGV4_KEY_LEN])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = JX_SIGV4_KEY_LEN;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, out, &len);
  g_assert (len == JX_SIGV4_KEY_LEN);
}

void
jx_sigv4_derive_key (const char *secret_access_key,
                     const char *date,
                     const char *region,
                     const char *service,
                     guint8      out_key[JX_SIGV4_KEY_LEN])
{
  g_autofree char *secret = NULL;
  guint8 k_date[JX_SIGV4_KEY_LEN];
  guint8 k_region[JX_SIGV4_KEY_LEN];
  guint8 k_service[JX_SIGV4_KEY_LEN];

  g_return_if_fail (secret_access_key != NULL);
  g_return_if_fail (date != NULL && region != NULL && service != NULL);

  secret = g_strconcat ("AWS4", secret_access_key, NULL);

  /* Binary HMACs all the way down; only the final signature is hex. */
  hmac_sha256 ((const guint8 *) secret, strlen (secret), date, k_date);
  hmac_sha256 (k_date, sizeof k_date, region, k_region);
  hmac_sha256 (k_region, sizeof k_region, service, k_service);
  hmac_sha256 (k_service, sizeof k_service, "aws4_request", out_key);

  memset (secret, 0, strlen (secret));
  memset (k_date, 0, sizeof k_date);
  memset (k_region, 0, sizeof k_region);
  memset (k_service, 0, sizeof k_service);
}

char *
jx_sigv4_signature (const char *secret_access_key,
                    const char *date,
                    const char *region,
                    const char *service,
                    const char *string_to_sign)
{
  guint8 key[JX_SIGV4_KEY_LEN];
  char *signature;

  g_return_val_if_fail (string_to_sign != NULL, NULL);

  jx_sigv4_derive_key (secret_access_key, date, region, service, key);
  signature = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, sizeof key,
                                         string_to_sign, -1);
  memset (key, 0, sizeof key);

  return signature;
}

/* libsoup's own check (soup_uri_uses_default_port) is private. */
static gboolean
uses_default_port (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  int port = g_uri_get_port (uri);

  if (port < 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0)
    return port == 443;

  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "ws") == 0)
    return port == 80;

  return FALSE;
}

/* The Host value libsoup sends: the port only when it is not the scheme default. */
static char *
host_for_uri (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autofree char *bracketed = NULL;

  if (strchr (host, ':') != NULL)
    host = bracketed = g_strdup_printf ("[%s]", host);

  if (uses_default_port (uri))
    return g_strdup (host);

  return g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
}

/* Headers the signer computes itself; a caller's copy would be stale or duplicated. */
static gboolean
is_signer_header (const char *name)
{
  return g_ascii_strcasecmp (name, "x-amz-date") == 0 ||
         g_ascii_strcasecmp (name, "x-amz-security-token") == 0 ||
         g_ascii_strcasecmp (name, "x-amz-content-sha256") == 0 ||
         g_ascii_strcasecmp (name, "authorization") == 0;
}

static gboolean
check_params (const JxSigv4Params *params,
              GError             **error)
{
  if (params->access_key_id == NULL || params->access_key_id[0] == '\0' ||
      params->secret_access_key == NULL || params->secret_access_key[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "AWS access key id and secret access key are required");
      return FALSE;
    }

  if (params->region == NULL || params->region[0] == '\0' ||
      params->service == NULL || params->service[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "AWS region and service are required for signing");
      return FALSE;
    }

  return TRUE;
}

static gboolean
sign_uri (const JxSigv4Params *params,
          const char          *method,
          GUri                *uri,
          GPtrArray           *headers,
          const guint8        *body,
          gsize                body_len,
          GDateTime           *now,
          JxSigv4Result       *result,
          GError             **error)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *credential_scope = NULL;
  g_autofree char *signature = NULL;
  gboolean have_host = FALSE;
  gboolean have_token;
  char date[9];

  if (!check_params (params, error))
    return FALSE;

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "The URL to sign has no host");
      return FALSE;
    }

  memset (result, 0, sizeof *result);

  utc = now != NULL ? g_date_time_to_utc (now) : g_date_time_new_now_utc ();
  result->amz_date = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  g_strlcpy (date, result->amz_date, sizeof date);

  result->content_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                        body != NULL ? body : (const guint8 *) "",
                                                        body != NULL ? body_len : 0);

  for (guint i = 0; i + 1 < headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (headers, i), "host") == 0)
      have_host = TRUE;

  if (!have_host)
    {
      g_ptr_array_add (headers, g_strdup ("host"));
      g_ptr_array_add (headers, host_for_uri (uri));
    }

  g_ptr_array_add (headers, g_strdup ("x-amz-date"));
  g_ptr_array_add (headers, g_strdup (result->amz_date));

  /* Temporary credentials: botocore signs the token for Bedrock, so we do too. */
  have_token = params->session_token != NULL && params->session_token[0] != '\0';
  if (have_token)
    {
      g_ptr_array_add (headers, g_strdup ("x-amz-security-token"));
      g_ptr_array_add (headers, g_strdup (params->session_token));
    }

  if (params->sign_content_sha256)
    {
      g_ptr_array_add (headers, g_strdup ("x-amz-content-sha256"));
      g_ptr_array_add (headers, g_strdup (result->content_sha256));
    }

  g_ptr_array_add (headers, NULL);

  result->canonical_request =
    jx_sigv4_canonical_request (method,
                                g_uri_get_path (uri),
                                g_uri_get_query (uri),
                                (const char * const *) headers->pdata,
                                result->content_sha256,
                                params->double_encode,
                                &result->signed_headers);
  result->string_to_sign = jx_sigv4_string_to_sign (result->amz_date,
                                                    params->region,
                                                    params->service,
                                                    result->canonical_request);
  signature = jx_sigv4_signature (params->secret_access_key, date,
                                  params->region, params->service,
                                  result->string_to_sign);

  credential_scope = g_strdup_printf ("%s/%s/%s/aws4_request",
                                      date, params->region, params->service);
  result->authorization = g_strdup_printf (ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                                           params->access_key_id, credential_scope,
                                           result->signed_headers, signature);

  return TRUE;
}

gboolean
jx_sigv4_sign (const JxSigv4Params *params,
               const char          *method,
               const char          *url,
               const char * const  *headers,
               const guint8        *body,
               gsize                body_len,
               GDateTime           *now,
               JxSigv4Result       *result,
               GError             **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Parse the way libsoup does, so we sign the path and query it will send. */
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return FALSE;

  list = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (is_signer_header (headers[i]))
        continue;
      g_ptr_array_add (list, g_strdup (headers[i]));
      g_ptr_array_add (list, g_strdup (headers[i + 1]));
    }

  return sign_uri (params, method, uri, list, body, body_len, now, result, error);
}

gboolean
jx_sigv4_sign_message (SoupMessage         *msg,
                       GBytes              *body,
                       const JxSigv4Params *params,
                       GDateTime           *now,
                       GError             **error)
{
  g_auto(JxSigv4Result) result = { 0 };
  g_autoptr(GPtrArray) list = NULL;
  SoupMessageHeaders *request_headers;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  const guint8 *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  request_headers = soup_message_get_request_headers (msg);
  list = g_ptr_array_new_with_free_func (g_free);

  /* Only headers libsoup will not add or rewrite: never Content-Length, Accept-Encoding
   * or User-Agent. */
  soup_message_headers_iter_init (&iter, request_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (is_signer_header (name))
        continue;

      if (g_ascii_strcasecmp (name, "content-type") == 0 ||
          g_ascii_strcasecmp (name, "host") == 0 ||
          g_ascii_strncasecmp (name, "x-amz-", 6) == 0)
        {
          g_ptr_array_add (list, g_strdup (name));
          g_ptr_array_add (list, g_strdup (value));
        }
    }

  if (body != NULL)
    data = g_bytes_get_data (body, &len);

  if (!sign_uri (params, soup_message_get_method (msg), soup_message_get_uri (msg),
                 list, data, len, now, &result, error))
    return FALSE;

  soup_message_headers_replace (request_headers, "X-Amz-Date", result.amz_date);

  if (params->session_token != NULL && params->session_token[0] != '\0')
    soup_message_headers_replace (request_headers, "X-Amz-Security-Token", params->session_token);
  else
    soup_message_headers_remove (request_headers, "X-Amz-Security-Token");

  if (params->sign_content_sha256)
    soup_message_headers_replace (request_headers, "x-amz-content-sha256", result.content_sha256);
  else
    soup_message_headers_remove (request_headers, "x-amz-content-sha256");

  soup_message_headers_replace (request_headers, "Authorization", result.authorization);

  return TRUE;
}
