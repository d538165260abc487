/* jx-keys.h — where API keys come from: the environment, else the system keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

/* Items: schema io.github.juxta.Juxta.ApiKey, attribute provider = provider id. */
const SecretSchema *jx_keys_get_schema         (void) G_GNUC_CONST;

gboolean  jx_keys_provider_needs_key (JxProvider          *provider);
/* The credential from the environment (conventional variables, composed into a JSON object
 * for multi-part credentials: Azure endpoint, AWS access key + secret + token + region,
 * Google credentials file contents), or NULL. */
char     *jx_keys_lookup_env         (JxProvider          *provider);
/* The variable the credential is (or would be) read from, for "set by …" (borrowed). */
const char *jx_keys_get_env_name     (JxProvider          *provider);
/* Environment first, then the keyring. NULL with no error: there is no key. */
void      jx_keys_lookup_async       (JxProvider          *provider,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char     *jx_keys_lookup_finish      (GAsyncResult        *result,
                                      GError             **error);
/* Stores into the default (login) collection; replaces an existing key. */
void      jx_keys_store_async        (JxProvider          *provider,
                                      const char          *secret,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  jx_keys_store_finish       (GAsyncResult        *result,
                                      GError             **error);
void      jx_keys_clear_async        (JxProvider          *provider,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  jx_keys_clear_finish       (GAsyncResult        *result,
                                      GError             **error);
/* "no key for OpenAI: set OPENAI_API_KEY or add one in Preferences" */
char     *jx_keys_describe_missing   (JxProvider          *provider);

G_END_DECLS
