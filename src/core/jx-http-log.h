/* jx-http-log.h — what JUXTA_DEBUG_HTTP=1 may print of a request or response header line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The line as it may be logged. A request header ('>') is only shown with its value when it
 * is one Juxta itself sets and that never carries a secret (Content-Type, anthropic-version…);
 * every other one — the credential headers, and any a providers file adds through
 * options.headers (Helicone-Auth, X-Portkey-Virtual-Key…) — is "Name: [redacted]". On either
 * side, credential-like headers (Authorization, Cookie, Set-Cookie…) are redacted, and so
 * are key=/token= query values in the request line. */
char *jx_http_log_redact (char        direction,
                          const char *line);

G_END_DECLS
