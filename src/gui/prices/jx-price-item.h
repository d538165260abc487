/* jx-price-item.h — one provider/model in the price table (an item of its list model)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

#define JX_TYPE_PRICE_ITEM (jx_price_item_get_type ())
G_DECLARE_FINAL_TYPE (JxPriceItem, jx_price_item, JX, PRICE_ITEM, GObject)

JxPriceItem *jx_price_item_new                (JxProvider    *provider,
                                               JxModel       *model);
/* Copies the model's current price fields; notifies only the properties that changed. */
void         jx_price_item_update             (JxPriceItem   *self,
                                               JxProvider    *provider,
                                               JxModel       *model);
const char  *jx_price_item_get_provider_id    (JxPriceItem   *self);
const char  *jx_price_item_get_model_id       (JxPriceItem   *self);
const char  *jx_price_item_get_provider_name  (JxPriceItem   *self);
const char  *jx_price_item_get_model_name     (JxPriceItem   *self);
/* The price as the catalog has it (negative members = unknown). */
void         jx_price_item_get_price          (JxPriceItem   *self,
                                               JxPrice       *price);
/* Per 1M tokens, NAN when unknown. */
double       jx_price_item_get_input_price    (JxPriceItem   *self);
double       jx_price_item_get_cached_price   (JxPriceItem   *self);
double       jx_price_item_get_output_price   (JxPriceItem   *self);
double       jx_price_item_get_blend_price    (JxPriceItem   *self);
double       jx_price_item_get_batch_discount (JxPriceItem   *self);
gint64       jx_price_item_get_context_window (JxPriceItem   *self);
/* "" when unknown. */
const char  *jx_price_item_get_price_checked  (JxPriceItem   *self);
/* "catalog 2026-07", "LiteLLM 2026-12-06", "your override 2026-12-06"; "" when unknown. */
const char  *jx_price_item_get_price_source   (JxPriceItem   *self);
/* "Retired 2025-10-22", "Deprecated …", "Imported" or "". */
const char  *jx_price_item_get_status         (JxPriceItem   *self);
gboolean     jx_price_item_get_overridden     (JxPriceItem   *self);
gboolean     jx_price_item_get_simulated      (JxPriceItem   *self);

/* Cell texts, shared by the table and its tests. */
char        *jx_price_item_format_price       (double         per_mtok);
char        *jx_price_item_format_discount    (double         discount);
char        *jx_price_item_format_context     (gint64         tokens);

G_END_DECLS
