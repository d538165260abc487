/* jx-price-view-private.h — what the tests read of the price table, beyond its public API
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jx-price-view.h"

G_BEGIN_DECLS

/* How many rows the filter lets through. */
guint jx_price_view_get_n_visible (JxPriceView *self);

G_END_DECLS
