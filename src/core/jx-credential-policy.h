/* jx-credential-policy.h — which hosts a provider's credential may be sent to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

typedef enum
{
  /* Handed to the request by its caller (tests, tools that bring their own key): the caller
   * chose the destination, only the plain-HTTP rule applies. */
  JX_CREDENTIAL_SOURCE_CALLER,
  /* Looked up for the provider (jx_keys_lookup_async): its environment variables, else the
   * keyring item stored under its id. */
  JX_CREDENTIAL_SOURCE_LOOKUP,
} JxCredentialSource;

/* Decides whether a request to `uri` may carry the credential of `provider` (every request
 * path asks before sending a message that carries one: streams, follow-ups, epilogues, model
 * lists, key checks).
 *
 * - Keys travel over HTTPS only, except to this machine or the local network (jx_host_is_local).
 * - A looked-up credential that belongs to a built-in provider (its conventional variable, or
 *   the keyring item of a built-in id the entry overrides) goes only to that provider's
 *   official hosts (exact names; one label where a region or resource name goes), its
 *   documented private endpoints, or a loopback address (127.0.0.0/8, ::1, localhost).
 *   Elsewhere it needs the entry's explicit opt-in "send_credentials_to_base_url": true, and
 *   then only to the host of its base_url.
 * - A new provider id that reads another provider's conventional variable (OPENAI_API_KEY,
 *   AWS_ACCESS_KEY_ID…) is held to that provider's hosts in the same way.
 * - A credential of the provider's own (its own variable, the keyring item under its own id,
 *   the "custom" template's key) goes wherever its base URL points.
 *
 * On refusal: FALSE and G_IO_ERROR_NOT_SUPPORTED with a message naming the provider, both
 * hosts and the setting that would allow it. */
gboolean jx_credential_policy_check (JxProvider          *provider,
                                     GUri                *uri,
                                     JxCredentialSource   source,
                                     GError             **error);

/* TRUE when the request carries a credential (an Authorization, api-key, x-api-key,
 * x-goog-api-key, x-portkey-api-key or X-Amz-Security-Token header, or a key= query
 * parameter). */
gboolean jx_credential_policy_message_has_credential (SoupMessage         *message);

G_END_DECLS
