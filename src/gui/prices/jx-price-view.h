/* jx-price-view.h — the price table: every catalog model's prices, editable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

typedef enum
{
  JX_PRICE_COLUMN_PROVIDER,
  JX_PRICE_COLUMN_MODEL,
  JX_PRICE_COLUMN_INPUT,
  JX_PRICE_COLUMN_CACHED,
  JX_PRICE_COLUMN_OUTPUT,
  JX_PRICE_COLUMN_BLEND,
  JX_PRICE_COLUMN_BATCH,
  JX_PRICE_COLUMN_CONTEXT,
  JX_PRICE_COLUMN_CHECKED,
  JX_PRICE_COLUMN_EDITED,
  JX_PRICE_COLUMN_SOURCE,
} JxPriceColumn;

#define JX_TYPE_PRICE_VIEW (jx_price_view_get_type ())
G_DECLARE_FINAL_TYPE (JxPriceView, jx_price_view, JX, PRICE_VIEW, GtkWidget)

GtkWidget  *jx_price_view_new            (JxCatalog     *catalog);
/* Rebuilds the rows from the catalog (after providers were added or removed). */
void        jx_price_view_reload         (JxPriceView   *self);
/* Sets the search entry's text; rows match on provider or model, name or id. */
void        jx_price_view_set_filter     (JxPriceView   *self,
                                          const char    *text);
/* The visible rows (JxPriceItem), filtered and sorted as shown (borrowed). */
GListModel *jx_price_view_get_model      (JxPriceView   *self);
void        jx_price_view_sort_by        (JxPriceView   *self,
                                          JxPriceColumn  column,
                                          GtkSortType    order);
/* Opens "Edit Price…" for one model; returns the dialog (borrowed, it destroys itself). */
GtkWidget  *jx_price_view_edit_price     (JxPriceView   *self,
                                          const char    *provider_id,
                                          const char    *model_id);
/* "Reset to Catalog": drops the model's override. */
gboolean    jx_price_view_reset_price    (JxPriceView   *self,
                                          const char    *provider_id,
                                          const char    *model_id,
                                          GError       **error);
/* "Import Prices…" without the file chooser: a prices file in Juxta's format (a top-level
 * "providers" array) or LiteLLM's model_prices_and_context_window.json. */
gboolean    jx_price_view_import_file    (JxPriceView   *self,
                                          GFile         *file,
                                          guint         *n_imported,
                                          GError       **error);
/* What the status bar says about the last import ("" before any). */
const char *jx_price_view_get_import_message (JxPriceView *self);

G_END_DECLS
