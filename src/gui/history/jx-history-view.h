/* jx-history-view.h — the window's History page: stored rounds, search, filters, detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jx-context.h"
#include "jx-history.h"

G_BEGIN_DECLS

#define JX_TYPE_HISTORY_VIEW (jx_history_view_get_type ())

G_DECLARE_FINAL_TYPE (JxHistoryView, jx_history_view, JX, HISTORY_VIEW, GtkBox)

GtkWidget      *jx_history_view_new           (JxContext     *context);
/* Lists the rounds again with the current search and filters. */
void            jx_history_view_refresh       (JxHistoryView *self);
/* Shows one round's panes (asynchronously). */
void            jx_history_view_open_round    (JxHistoryView *self,
                                               gint64         round_id);
/* The round shown in the detail page, or NULL. */
JxHistoryRound *jx_history_view_get_shown_round (JxHistoryView *self);

G_END_DECLS
