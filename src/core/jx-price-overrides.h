/* jx-price-overrides.h — the user's price overrides (prices.json) and the catalog prices
 *
 * Overrides live in $XDG_DATA_HOME/juxta/prices.json (g_get_user_data_dir ()), in the
 * providers-file format reduced to prices:
 *
 *   {"providers":[{"id":"openai","models":[{"id":"gpt-4o","input_per_mtok":2.5,
 *     "cached_input_per_mtok":1.25,"cache_write_per_mtok":null,"output_per_mtok":10,
 *     "batch_discount":0.5,"context_window":128000,"price_checked":"2026-11-25"}]}]}
 *
 * An entry may also carry the other price members of the providers-file format ("tiers",
 * "per_request_usd", "per_second_usd", "price_source", "deprecated", "retired"); an
 * override set here records "price_source": "your override YYYY-MM-DD". An entry with
 * "imported": true (a model a LiteLLM import added, with its "name") adds the model to
 * its provider.
 *
 * They are applied with jx_catalog_load_data (), so the models get price_overridden.
 * Entries naming a provider or model the catalog does not know (and not imported) are kept
 * in the file but skipped when applying. Before applying anything, the catalog records
 * every model's price ("the catalog price": built-in plus providers file,
 * jx_catalog_snapshot_prices ()); jx_pricing_reset () restores from that record, or from
 * the built-in catalog for models loaded after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

/* $XDG_DATA_HOME/juxta/prices.json (newly allocated). */
char     *jx_pricing_get_overrides_path (void);
/* Applies the overrides file; TRUE when it does not exist. */
gboolean  jx_pricing_load_overrides     (JxCatalog     *catalog,
                                         GError       **error);
/* Stores @price (negative members = unknown) for one catalog model, atomically rewriting
 * the overrides file, and applies it. price_checked becomes today's date. */
gboolean  jx_pricing_set_override       (JxCatalog     *catalog,
                                         const char    *provider_id,
                                         const char    *model_id,
                                         const JxPrice *price,
                                         GError       **error);
/* As above; batch_discount (0..1) and context_window (tokens) are left alone when negative. */
gboolean  jx_pricing_set_override_full  (JxCatalog     *catalog,
                                         const char    *provider_id,
                                         const char    *model_id,
                                         const JxPrice *price,
                                         double         batch_discount,
                                         gint64         context_window,
                                         GError       **error);
/* Removes the model's override from the file and restores the catalog price. */
gboolean  jx_pricing_reset              (JxCatalog     *catalog,
                                         const char    *provider_id,
                                         const char    *model_id,
                                         GError       **error);
/* Imports a prices file in the overrides format: models the catalog knows are stored as
 * overrides and applied. @n_imported (optional) receives how many. */
gboolean  jx_pricing_import_file        (JxCatalog     *catalog,
                                         const char    *path,
                                         guint         *n_imported,
                                         GError       **error);
G_END_DECLS
