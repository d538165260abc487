/* jx-planner-view-private.h — what the tests read of the planner, beyond its public API
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jx-planner-view.h"

G_BEGIN_DECLS

/* Current rows, JxPlanRow* sorted cheapest first (borrowed). */
GPtrArray *jx_planner_view_get_rows (JxPlannerView *self);

G_END_DECLS
