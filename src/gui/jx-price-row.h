/* jx-price-row.h — one provider/model in the price table (an item of its list model)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

#define JX_TYPE_PRICE_ROW (jx_price_row_get_type ())
G_DECLARE_FINAL_TYPE (JxPriceRow, jx_price_row, JX, PRICE_ROW, GObject)

JxPriceRow *jx_price_row_new                (JxProvider    *provider,
                                             JxModel       *model);
/* Copies the model's current price fields; notifies only the properties that changed. */
void        jx_price_row_update             (JxPriceRow    *self,
                                             JxProvider    *provider,
                                             JxModel       *model);
const char *jx_price_row_get_provider_id    (JxPriceRow    *self);
const char *jx_price_row_get_model_id       (JxPriceRow    *self);
const char *jx_price_row_get_provider_name  (JxPriceRow    *self);
const char *jx_price_row_get_model_name     (JxPriceRow    *self);
/* The price as the catalog has it (negative members = unknown). */
void        jx_price_row_get_price          (JxPriceRow    *self,
                                             JxPrice       *price);
/* Per 1M tokens, NAN when unknown. */
double      jx_price_row_get_input_price    (JxPriceRow    *self);
double      jx_price_row_get_cached_price   (JxPriceRow    *self);
double      jx_price_row_get_output_price   (JxPriceRow    *self);
double      jx_price_row_get_blend_price    (JxPriceRow    *self);
double      jx_price_row_get_batch_discount (JxPriceRow    *self);
gint64      jx_price_row_get_context_window (JxPriceRow    *self);
/* "" when unknown. */
const char *jx_price_row_get_price_checked  (JxPriceRow    *self);
gboolean    jx_price_row_get_overridden     (JxPriceRow    *self);
gboolean    jx_price_row_get_simulated      (JxPriceRow    *self);

/* Cell texts, shared by the table and its tests. */
char       *jx_price_row_format_price       (double         per_mtok);
char       *jx_price_row_format_discount    (double         discount);
char       *jx_price_row_format_context     (gint64         tokens);

G_END_DECLS
