/* jx-sigv4.h — AWS Signature Version 4 request signing (Bedrock)
 *
 * Follows docs/protocols.md, "AWS Signature Version 4": canonical request, string to sign,
 * HMAC-SHA256 key chain and the Authorization header. Secrets never appear in any returned
 * string; the session token does (it is a signed header), so never log the canonical
 * request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define JX_SIGV4_KEY_LEN 32

typedef struct
{
  const char *access_key_id;
  const char *secret_access_key;
  const char *session_token;        /* NULL or "" = long-term credentials */
  const char *region;               /* "us-east-1" */
  const char *service;              /* signing name: "bedrock" for Bedrock Runtime */
  gboolean    double_encode;        /* encode the wire path again: every service but S3 */
  gboolean    sign_content_sha256;  /* also send and sign x-amz-content-sha256 */
} JxSigv4Params;

typedef struct
{
  char *authorization;      /* Authorization header value */
  char *amz_date;           /* X-Amz-Date value, YYYYMMDD'T'HHMMSS'Z' */
  char *content_sha256;     /* lower-hex SHA-256 of the body */
  char *signed_headers;     /* "content-type;host;x-amz-date" */
  char *canonical_request;  /* holds the session token: do not log */
  char *string_to_sign;
} JxSigv4Result;

/* Sets double_encode unless @service is "s3"; sign_content_sha256 = FALSE (botocore
 * does not send it for Bedrock). */
void      jx_sigv4_params_init        (JxSigv4Params       *params,
                                       const char          *access_key_id,
                                       const char          *secret_access_key,
                                       const char          *session_token,
                                       const char          *region,
                                       const char          *service);

void      jx_sigv4_result_clear       (JxSigv4Result       *result);

/* Signs a request. @url is as it goes on the wire (already percent-encoded; GUri
 * normalises raw bytes). @headers is a NULL-terminated name, value, name, value… list
 * of extra headers to sign (e.g. "Content-Type"), repeated names allowed; host comes
 * from @url unless given, and x-amz-date, x-amz-security-token and
 * x-amz-content-sha256 are always the signer's own (given ones are ignored).
 * @now NULL = current time. */
gboolean  jx_sigv4_sign               (const JxSigv4Params *params,
                                       const char          *method,
                                       const char          *url,
                                       const char * const  *headers,
                                       const guint8        *body,
                                       gsize                body_len,
                                       GDateTime           *now,
                                       JxSigv4Result       *result,
                                       GError             **error);

/* Signs @msg in place and sets Authorization, X-Amz-Date, X-Amz-Security-Token (with a
 * session token) and x-amz-content-sha256 (if params->sign_content_sha256). Signs host,
 * Content-Type if set, and any x-amz-* header already on the message. @body must be the
 * exact request body (NULL = empty). */
gboolean  jx_sigv4_sign_message       (SoupMessage         *msg,
                                       GBytes              *body,
                                       const JxSigv4Params *params,
                                       GDateTime           *now,
                                       GError             **error);

/* Building blocks, public for tests. */

/* AWS UriEncode: everything but A-Z a-z 0-9 - . _ ~ becomes %XY; '/' kept if @keep_slash. */
char     *jx_sigv4_uri_encode         (const char          *str,
                                       gboolean             keep_slash);
/* @path as on the wire; @query without '?' (NULL = none); @headers as for
 * jx_sigv4_sign but complete (host and x-amz-date included). */
char     *jx_sigv4_canonical_request  (const char          *method,
                                       const char          *path,
                                       const char          *query,
                                       const char * const  *headers,
                                       const char          *payload_hash,
                                       gboolean             double_encode,
                                       char               **out_signed_headers);
char     *jx_sigv4_string_to_sign     (const char          *amz_date,
                                       const char          *region,
                                       const char          *service,
                                       const char          *canonical_request);
void      jx_sigv4_derive_key         (const char          *secret_access_key,
                                       const char          *date,
                                       const char          *region,
                                       const char          *service,
                                       guint8               out_key[JX_SIGV4_KEY_LEN]);
/* Lower-hex HMAC-SHA256 of @string_to_sign under the derived key. */
char     *jx_sigv4_signature          (const char          *secret_access_key,
                                       const char          *date,
                                       const char          *region,
                                       const char          *service,
                                       const char          *string_to_sign);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JxSigv4Result, jx_sigv4_result_clear)

G_END_DECLS
