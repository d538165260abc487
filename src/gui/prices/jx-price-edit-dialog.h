/* jx-price-edit-dialog.h — edit one model's input, cached and output price
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

#define JX_TYPE_PRICE_EDIT_DIALOG (jx_price_edit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (JxPriceEditDialog, jx_price_edit_dialog, JX, PRICE_EDIT_DIALOG, AdwMessageDialog)

/* The spin buttons start at the model's current price. */
JxPriceEditDialog *jx_price_edit_dialog_new       (GtkWindow         *parent,
                                                   JxCatalog         *catalog,
                                                   const char        *provider_id,
                                                   const char        *model_id);
/* Fills the spin buttons as a user would (negative members = unknown). */
void               jx_price_edit_dialog_set_price (JxPriceEditDialog *self,
                                                   const JxPrice     *price);
/* The price the spin buttons hold; the cache-write price is the model's own. */
void               jx_price_edit_dialog_get_price (JxPriceEditDialog *self,
                                                   JxPrice           *price);
/* What "Save" does: stores the price with jx_pricing_set_override () and emits
 * ::applied on success. */
gboolean           jx_price_edit_dialog_apply     (JxPriceEditDialog *self,
                                                   GError           **error);

G_END_DECLS
