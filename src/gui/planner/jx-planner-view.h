/* jx-planner-view.h — monthly cost of a workload across models, with a bar chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "jx-catalog.h"
#include "jx-planner.h"

G_BEGIN_DECLS

#define JX_TYPE_PLANNER_VIEW (jx_planner_view_get_type ())
G_DECLARE_FINAL_TYPE (JxPlannerView, jx_planner_view, JX, PLANNER_VIEW, GtkWidget)

GtkWidget *jx_planner_view_new           (JxCatalog     *catalog);
/* The last round (JxResponse*): its models become the list; with "Use measured tokens" on,
 * their measured tokens replace the workload's. NULL = every priced catalog model. */
void       jx_planner_view_set_measured  (JxPlannerView *self,
                                          GPtrArray     *responses);
/* Fills the inputs as a user would (requests_per_month is shown per day: ÷ 30). */
void       jx_planner_view_set_workload  (JxPlannerView    *self,
                                          const JxWorkload *workload);
/* Recomputes now (also done on every input change); the catalog may have changed. */
void       jx_planner_view_refresh       (JxPlannerView *self);
GtkWidget *jx_planner_view_get_chart     (JxPlannerView *self);
char      *jx_planner_view_to_csv        (JxPlannerView *self);
char      *jx_planner_view_to_markdown   (JxPlannerView *self);

G_END_DECLS
