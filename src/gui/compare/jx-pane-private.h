/* jx-pane-private.h — what the tests read of a pane, beyond its public API
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jx-pane.h"
#include "jx-pane-metrics.h"

G_BEGIN_DECLS

const char    *jx_pane_get_status_text (JxPane *self);
JxPaneMetrics *jx_pane_get_metrics     (JxPane *self);

G_END_DECLS
