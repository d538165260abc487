/* jx-cost-chart.h — horizontal bars of monthly cost, cheapest marked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "jx-planner.h"

G_BEGIN_DECLS

#define JX_TYPE_COST_CHART (jx_cost_chart_get_type ())
G_DECLARE_FINAL_TYPE (JxCostChart, jx_cost_chart, JX, COST_CHART, GtkWidget)

/* @rows: JxPlanRow* in display order (the chart keeps a reference to the array). */
void       jx_cost_chart_set_rows (JxCostChart *self,
                                   GPtrArray   *rows);

G_END_DECLS
