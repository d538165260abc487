/* jx-models.h — a provider's model list, from its list endpoint or the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jx-catalog.h"
#include "jx-engine.h"

G_BEGIN_DECLS

typedef enum
{
  JX_MODELS_SOURCE_PROVIDER, /* listed by the provider just now (or cached): the key worked */
  JX_MODELS_SOURCE_CATALOG,  /* no usable list endpoint (Replicate, Azure, Bedrock, Vertex,
                                simulated): the catalog's models, nothing was checked */
  JX_MODELS_SOURCE_FALLBACK, /* the list endpoint failed (offline, timeout, 5xx, bad body):
                                the catalog's models */
} JxModelsSource;

/* Model ids (e.g. "gpt-4o", "llama3.2:latest", Gemini without "models/") from the provider's
 * list endpoint, with the same auth headers the adapters send; `credential` as the caller
 * looked it up (jx_keys_lookup_async), NULL = send none. Successful lists are cached per
 * provider on the engine for its lifetime (refetched when the base URL or credential
 * changes). A failing endpoint falls back to the catalog's models with no error.
 *
 * Errors (no list): G_IO_ERROR_PERMISSION_DENIED "key rejected by <Provider> (401)" (also a
 * 400 that blames the API key, Gemini) or "access denied by <Provider> (403)", only when a
 * credential was sent — which makes this the Preferences window's key check;
 * G_IO_ERROR_NOT_SUPPORTED when the key would go over plain HTTP to a remote host or to a
 * host jx_credential_policy_check() refuses;
 * G_IO_ERROR_CANCELLED. */
void        jx_models_list_async           (JxEngine             *engine,
                                            JxProvider           *provider,
                                            const char           *credential,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* Array of char* (owned, free with g_ptr_array_unref); `source` may be NULL. */
GPtrArray  *jx_models_list_finish          (GAsyncResult         *result,
                                            JxModelsSource       *source,
                                            GError              **error);
/* Drops the cached list of one provider (NULL = all), e.g. after its key was changed. */
void        jx_models_forget               (JxEngine             *engine,
                                            const char           *provider_id);

/* Asks GET {base_url}/api/tags, waiting about one second. base_url NULL = the default local
 * Ollama, http://127.0.0.1:11434. */
void        jx_models_detect_ollama_async  (JxEngine             *engine,
                                            const char           *base_url,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* The installed model names (possibly empty), or NULL with no error when no Ollama answered;
 * NULL + G_IO_ERROR_CANCELLED when cancelled. */
GPtrArray  *jx_models_detect_ollama_finish (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
