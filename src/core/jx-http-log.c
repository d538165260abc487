/* jx-http-log.c — redaction of the JUXTA_DEBUG_HTTP=1 log (see jx-http-log.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-http-log.h"

/* Request headers whose values are safe to show: set by Juxta or libsoup, never a secret. */
static const char * const safe_request_headers[] = {
  "host", "user-agent", "accept", "accept-encoding", "accept-language", "content-type",
  "content-length", "connection", "transfer-encoding", "anthropic-version", "anthropic-beta",
  "x-amz-date", "x-amz-content-sha256", "x-goog-user-project", "http-referer", "x-title",
  "soup-debug", "soup-debug-timestamp",
};

/* Response headers that may carry a secret. */
static const char * const secret_response_headers[] = {
  "set-cookie", "authorization", "proxy-authorization", "www-authenticate",
};

static gboolean
in_list (const char         *name,
         gsize               len,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (strlen (list[i]) == len && g_ascii_strncasecmp (name, list[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* "POST /v1/x?key=…&alt=sse HTTP/1.1": the values of key-like parameters hidden. */
static char *
redact_request_line (const char *line)
{
  static const char * const names[] = { "key", "api_key", "apikey", "token", "access_token", "sig", "signature" };
  GString *out = g_string_new (NULL);
  const char *p = line;

  while (*p != '\0')
    {
      gboolean hidden = FALSE;

      g_string_append_c (out, *p);
      if (*p == '?' || *p == '&')
        for (guint i = 0; i < G_N_ELEMENTS (names) && !hidden; i++)
          {
            gsize len = strlen (names[i]);

            if (g_ascii_strncasecmp (p + 1, names[i], len) == 0 && p[1 + len] == '=')
              {
                g_string_append_len (out, p + 1, len + 1);
                g_string_append (out, "[redacted]");
                p += 1 + len + 1;
                while (*p != '\0' && *p != '&' && *p != ' ' && *p != '#')
                  p++;
                hidden = TRUE;
              }
          }
      if (!hidden)
        p++;
    }

  return g_string_free (out, FALSE);
}

char *
jx_http_log_redact (char        direction,
                    const char *line)
{
  const char *colon = strchr (line, ':');
  gsize len;

  /* The request line ("POST /path HTTP/1.1") or a status line: no header name. */
  if (colon == NULL || memchr (line, ' ', colon - line) != NULL)
    return direction == '>' ? redact_request_line (line) : g_strdup (line);

  len = colon - line;
  if (direction == '>' ? !in_list (line, len, safe_request_headers, G_N_ELEMENTS (safe_request_headers))
                       : in_list (line, len, secret_response_headers, G_N_ELEMENTS (secret_response_headers)))
    return g_strdup_printf ("%.*s: [redacted]", (int) len, line);

  return g_strdup (line);
}
