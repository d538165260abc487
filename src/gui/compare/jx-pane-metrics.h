/* jx-pane-metrics.h — a pane's strip of figures: TTFT, tokens/s, ITL, tokens, cost
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jx-request.h"

G_BEGIN_DECLS

#define JX_TYPE_PANE_METRICS (jx_pane_metrics_get_type ())

G_DECLARE_FINAL_TYPE (JxPaneMetrics, jx_pane_metrics, JX, PANE_METRICS, GtkBox)

void    jx_pane_metrics_update        (JxPaneMetrics    *self,
                                       JxResponse       *response);

const char *jx_pane_metrics_get_finish_badge (JxPaneMetrics *self);
/* "Refused", "Cut at max tokens", "Blocked by content filter", "Tool call" (translated);
 * NULL for a normal stop, an unknown reason, an error or a cancellation. */
const char *jx_pane_metrics_finish_badge     (JxFinishReason finish);

/* The output tokens the provider reported, else an estimate from the text and reasoning. */
gint64  jx_pane_metrics_output_tokens (const JxResponse *response);

G_END_DECLS
