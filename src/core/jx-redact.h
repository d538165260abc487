/* jx-redact.h — keeps credentials out of text a provider sends back
 *
 * A provider may echo the key it was given ("Incorrect API key provided: sk-…"); every
 * text that reaches a JxResponse (error messages, answer text) goes through here first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JX_REDACTED "[redacted]"

/* The secrets in @credential worth looking for: the whole string and, for a multi-part
 * credential (the secret members of a JSON object — api_key, token, secret_access_key… —
 * or parts joined by ':', '|' or whitespace), every part long enough to be a secret (8
 * bytes or more). Adds them to @secrets (a GPtrArray of strings owned by
 * it, g_free); NULL @credential adds nothing. */
void   jx_redact_add_credential (GPtrArray   *secrets,
                                 const char  *credential);
/* @text with every occurrence of each of @secrets replaced by JX_REDACTED, or NULL when
 * none occurs (then @text is fine as it is). Longer secrets are replaced first. */
char  *jx_redact                (const char  *text,
                                 GPtrArray   *secrets);

G_END_DECLS
