/* jx-request-error.c — classifying and wording request failures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jx-request-error.h"

G_DEFINE_QUARK (jx-request-error-quark, jx_request_error)

static const char * const code_names[] = {
  [JX_REQUEST_ERROR_FAILED] = "failed",
  [JX_REQUEST_ERROR_NO_KEY] = "no_key",
  [JX_REQUEST_ERROR_AUTH] = "auth",
  [JX_REQUEST_ERROR_FORBIDDEN] = "forbidden",
  [JX_REQUEST_ERROR_NOT_FOUND] = "not_found",
  [JX_REQUEST_ERROR_RATE_LIMITED] = "rate_limited",
  [JX_REQUEST_ERROR_QUOTA] = "quota",
  [JX_REQUEST_ERROR_OVERLOADED] = "overloaded",
  [JX_REQUEST_ERROR_SERVER] = "server",
  [JX_REQUEST_ERROR_BAD_REQUEST] = "bad_request",
  [JX_REQUEST_ERROR_TIMEOUT] = "timeout",
  [JX_REQUEST_ERROR_NETWORK] = "network",
  [JX_REQUEST_ERROR_TLS] = "tls",
  [JX_REQUEST_ERROR_TRUNCATED] = "truncated",
  [JX_REQUEST_ERROR_STREAM] = "stream",
  [JX_REQUEST_ERROR_PROVIDER] = "provider",
  [JX_REQUEST_ERROR_REFUSED_BY_POLICY] = "refused_by_policy",
  [JX_REQUEST_ERROR_CONFIG] = "config",
  [JX_REQUEST_ERROR_UNSUPPORTED] = "unsupported",
  [JX_REQUEST_ERROR_TOO_LARGE] = "too_large",
};

const char *
jx_request_error_code_to_string (JxRequestErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (code_names))
    return "failed";
  return code_names[code];
}

const char *
jx_request_error_get_name (const GError *error)
{
  if (error == NULL)
    return NULL;
  if (error->domain == JX_REQUEST_ERROR)
    return jx_request_error_code_to_string (error->code);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  return "failed";
}

gboolean
jx_request_error_status_is_retryable (guint status)
{
  return status == 429 || status == 503 || status == 529;
}

gint64
jx_request_error_parse_retry_after_ms (SoupMessageHeaders *headers)
{
  const char *value;

  if (headers == NULL)
    return -1;

  if ((value = soup_message_headers_get_one (headers, "retry-after-ms")) != NULL)
    {
      char *end = NULL;
      double ms = g_ascii_strtod (value, &end);

      /* Casting a double out of gint64's range is undefined. */
      if (end != value && ms >= 0)
        return ms < (double) G_MAXINT32 ? (gint64) ms : G_MAXINT32;
    }

  if ((value = soup_message_headers_get_one (headers, "retry-after")) != NULL)
    {
      char *end = NULL;
      double seconds = g_ascii_strtod (value, &end);

      if (end != value && seconds >= 0)
        return seconds * 1000.0 < (double) G_MAXINT32 ? (gint64) (seconds * 1000.0) : G_MAXINT32;
      else
        {
          g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);

          if (when != NULL)
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
              return MAX (0, g_date_time_difference (when, now) / 1000);
            }
        }
    }

  return -1;
}

gint64
jx_request_error_parse_retry_hint_ms (const char *detail)
{
  static const char * const prefixes[] = { "retry in ", "try again in " };

  if (detail == NULL)
    return -1;

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *lower = g_ascii_strdown (detail, -1);
      const char *at = strstr (lower, prefixes[i]);
      char *end = NULL;
      double value;

      if (at == NULL)
        continue;
      at += strlen (prefixes[i]);
      value = g_ascii_strtod (at, &end);
      if (end == at || !(value >= 0) || value > 86400.0)
        continue;
      while (*end == ' ')
        end++;
      if (g_str_has_prefix (end, "ms"))
        return (gint64) value;
      if (*end == 's')
        return (gint64) (value * 1000.0);
    }

  return -1;
}

char *
jx_request_error_cap_text (const char *text,
                           gsize       max_bytes)
{
  const char *end;

  if (text == NULL)
    return NULL;
  if (strlen (text) <= max_bytes)
    return g_strdup (text);

  /* Back to the start of the character that would be cut. */
  end = text + max_bytes;
  while (end > text && ((guchar) *end & 0xC0) == 0x80)
    end--;
  {
    GString *capped = g_string_new_len (text, end - text);

    g_string_append (capped, "…");
    return g_string_free (capped, FALSE);
  }
}

JxRequestErrorCode
jx_request_error_classify_http (guint       status,
                                const char *detail)
{
  if (status == 401)
    return JX_REQUEST_ERROR_AUTH;
  if (status == 403)
    return JX_REQUEST_ERROR_FORBIDDEN;
  if (status == 404)
    return JX_REQUEST_ERROR_NOT_FOUND;

  /* An exhausted quota is a 429 too, but waiting won't fix it. */
  if (jx_request_error_status_is_retryable (status) && detail != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (detail, -1);

      if (strstr (lower, "quota") != NULL || strstr (lower, "/ month") != NULL)
        return JX_REQUEST_ERROR_QUOTA;
    }

  if (status == 429)
    return JX_REQUEST_ERROR_RATE_LIMITED;
  if (status == 503 || status == 529)
    return JX_REQUEST_ERROR_OVERLOADED;
  if (status >= 500)
    return JX_REQUEST_ERROR_SERVER;

  return JX_REQUEST_ERROR_BAD_REQUEST;
}

GError *
jx_request_error_new_http (JxRequestErrorCode  code,
                           const char         *name,
                           const char         *model,
                           guint               status,
                           const char         *detail,
                           gint64              retry_after_ms)
{
  /* A hostile server could send megabytes of "explanation". */
  g_autofree char *capped = jx_request_error_cap_text (detail, JX_REQUEST_ERROR_MAX_DETAIL);
  g_autofree char *suffix = capped != NULL ? g_strdup_printf (": %s", capped) : g_strdup ("");

  switch (code)
    {
    case JX_REQUEST_ERROR_AUTH:
      /* Translators: the first %s is the provider, %u the HTTP status, the last %s is empty or
       * ": " and the provider's own explanation */
      return g_error_new (JX_REQUEST_ERROR, code, _("key rejected by %s (%u)%s"), name, status, suffix);
    case JX_REQUEST_ERROR_FORBIDDEN:
      return g_error_new (JX_REQUEST_ERROR, code, _("access denied by %s (%u)%s"), name, status, suffix);
    case JX_REQUEST_ERROR_NOT_FOUND:
      /* Translators: the first %s is the provider, the second the model name */
      return g_error_new (JX_REQUEST_ERROR, code, _("%s does not know model “%s” or this endpoint (%u)%s"),
                          name, model != NULL ? model : "", status, suffix);
    case JX_REQUEST_ERROR_RATE_LIMITED:
      if (retry_after_ms >= 0)
        /* Translators: %s is the provider, %u a number of seconds */
        return g_error_new (JX_REQUEST_ERROR, code, _("rate limited by %s — retry in %u s"),
                            name, (guint) MIN ((retry_after_ms + 999) / 1000, G_MAXUINT));
      return g_error_new (JX_REQUEST_ERROR, code, _("rate limited by %s (%u)%s"), name, status, suffix);
    case JX_REQUEST_ERROR_QUOTA:
      return g_error_new (JX_REQUEST_ERROR, code, _("the quota at %s is used up (%u)%s"), name, status, suffix);
    case JX_REQUEST_ERROR_OVERLOADED:
      return g_error_new (JX_REQUEST_ERROR, code, _("%s is overloaded (%u)%s"), name, status, suffix);
    case JX_REQUEST_ERROR_SERVER:
      return g_error_new (JX_REQUEST_ERROR, code, _("%s had a server error (%u)%s"), name, status, suffix);
    default:
      return g_error_new (JX_REQUEST_ERROR, code, _("%s rejected the request (%u)%s"), name, status, suffix);
    }
}

GError *
jx_request_error_new_transport (const char   *name,
                                const char   *host,
                                const GError *error)
{
  if (host == NULL)
    host = "";

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    /* Translators: the first %s is the provider, the second its host name */
    return g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_NETWORK,
                        _("could not connect to %s at %s (connection refused)"), name, host);
  if (error->domain == G_RESOLVER_ERROR)
    /* Translators: the first %s is the provider, the second its host name */
    return g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_NETWORK,
                        _("could not find %s’s server “%s” (DNS lookup failed)"), name, host);
  if (error->domain == G_TLS_ERROR)
    /* Translators: the first %s is the provider, the second the reason */
    return g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_TLS,
                        _("secure connection to %s failed: %s"), name, error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_TIMEOUT,
                        _("connection to %s timed out"), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    /* Translators: the first %s is the provider, the second the reason */
    return g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_NETWORK,
                        _("%s is unreachable (%s)"), name, error->message);

  /* Translators: the first %s is the provider, the second the reason */
  return g_error_new (JX_REQUEST_ERROR, JX_REQUEST_ERROR_NETWORK,
                      _("connection to %s failed: %s"), name, error->message);
}
