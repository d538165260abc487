/* jx-litellm.h — importing prices from LiteLLM's model_prices_and_context_window.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

/* Imports LiteLLM's model_prices_and_context_window.json (its field names:
 * https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json).
 * Every entry whose litellm_provider maps to a provider the catalog has is imported: per-token costs × 1e6 (rounded to 1e-6 $/1M),
 * cache_read_input_token_cost → cached, cache_creation_input_token_cost → cache write,
 * input/output_cost_per_token_above_<N>k_tokens → a long-context tier above N×1000 input
 * tokens, input_cost_per_second → per-second price, max_input_tokens → context,
 * 1 − input_cost_per_token_batches / input_cost_per_token → batch discount,
 * deprecation_date → deprecated. A catalog model whose id equals the key or the key
 * without its "provider/" prefix gets the prices; a key the catalog lacks is added as a
 * new model (id: the key without its prefix) when its mode is "chat". The first matching key wins. Every imported
 * price records its source, "LiteLLM YYYY-MM-DD" (the import date). @n_imported (optional)
 * receives how many models were updated or added. */
gboolean    jx_pricing_import_litellm       (JxCatalog  *catalog,
                                             const char *path,
                                             guint      *n_imported,
                                             GError    **error);
/* Juxta provider id for a litellm_provider value, or NULL. */
const char *jx_pricing_map_litellm_provider (const char *litellm_provider);

G_END_DECLS
