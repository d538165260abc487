/* jx-request-error.h — why a request failed, as a GError code in JX_REQUEST_ERROR
 *
 * Every failed JxResponse carries a GError in this domain (a stopped one carries
 * G_IO_ERROR_CANCELLED). The message is translated and names the provider; the code is
 * what programs look at (see jx_request_error_code_to_string() for the stable names).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define JX_REQUEST_ERROR (jx_request_error_quark ())

typedef enum
{
  JX_REQUEST_ERROR_FAILED,             /* none of the below */
  JX_REQUEST_ERROR_NO_KEY,             /* no key stored for the provider */
  JX_REQUEST_ERROR_AUTH,               /* the key was rejected (401, or a provider's equivalent) */
  JX_REQUEST_ERROR_FORBIDDEN,          /* 403: the key is fine but may not do this */
  JX_REQUEST_ERROR_NOT_FOUND,          /* 404: unknown model or endpoint */
  JX_REQUEST_ERROR_RATE_LIMITED,       /* 429, retried until the retries ran out */
  JX_REQUEST_ERROR_QUOTA,              /* 429 for an exhausted quota: waiting won't help */
  JX_REQUEST_ERROR_OVERLOADED,         /* 503, 529 */
  JX_REQUEST_ERROR_SERVER,             /* other 5xx */
  JX_REQUEST_ERROR_BAD_REQUEST,        /* other 4xx */
  JX_REQUEST_ERROR_TIMEOUT,            /* connect or idle timeout */
  JX_REQUEST_ERROR_NETWORK,            /* refused, DNS, unreachable, reset… */
  JX_REQUEST_ERROR_TLS,                /* the secure connection failed */
  JX_REQUEST_ERROR_TRUNCATED,          /* the stream ended before the answer was complete */
  JX_REQUEST_ERROR_STREAM,             /* the stream could not be parsed */
  JX_REQUEST_ERROR_PROVIDER,           /* the provider reported an error inside the stream */
  JX_REQUEST_ERROR_REFUSED_BY_POLICY,  /* Juxta would not send the key there */
  JX_REQUEST_ERROR_CONFIG,             /* the provider's settings or the model name are unusable */
  JX_REQUEST_ERROR_UNSUPPORTED,        /* a protocol or model this version cannot use */
  JX_REQUEST_ERROR_TOO_LARGE,          /* the answer passed the engine's max-output-bytes */
} JxRequestErrorCode;

GQuark      jx_request_error_quark           (void);
/* Stable snake_case name ("rate_limited") for JSON and CSV output. */
const char *jx_request_error_code_to_string  (JxRequestErrorCode code);
/* The name of any response error: a code's name, "cancelled" for a stop, else "failed";
 * NULL for NULL. */
const char *jx_request_error_get_name        (const GError      *error);

/* The HTTP statuses worth retrying after a wait (429, 503, 529). */
gboolean    jx_request_error_status_is_retryable (guint status);
/* retry-after-ms or Retry-After (seconds or an HTTP date), in ms; -1 when absent. */
gint64      jx_request_error_parse_retry_after_ms (SoupMessageHeaders *headers);
/* The wait an error text asks for ("(retry in 12 s)", "Please try again in 1.5s",
 * "try again in 20ms"), in ms; -1 when it gives none. */
gint64      jx_request_error_parse_retry_hint_ms (const char *detail);
/* At most @max_bytes of @text (cut at a character boundary, "…" added). */
char       *jx_request_error_cap_text        (const char *text,
                                              gsize       max_bytes);
#define JX_REQUEST_ERROR_MAX_DETAIL 2048
/* The code for an HTTP error status; `detail` is the human part of the error body, or NULL
 * (it tells an exhausted quota from a rate limit). */
JxRequestErrorCode jx_request_error_classify_http (guint       status,
                                                   const char *detail);
/* The error for an HTTP error status. `model` is named for a 404; `retry_after_ms` (or -1)
 * is said for a rate limit. */
GError     *jx_request_error_new_http        (JxRequestErrorCode  code,
                                              const char         *provider_name,
                                              const char         *model,
                                              guint               status,
                                              const char         *detail,
                                              gint64              retry_after_ms);
/* A transport-level error (connection refused, DNS, TLS…) that names the provider and host. */
GError     *jx_request_error_new_transport   (const char         *provider_name,
                                              const char         *host,
                                              const GError       *error);

G_END_DECLS
