/* jx-summary-table.h — one line per pane under the panes: TTFT, tok/s, tokens, cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "jx-round.h"

G_BEGIN_DECLS

#define JX_TYPE_SUMMARY_TABLE (jx_summary_table_get_type ())

G_DECLARE_FINAL_TYPE (JxSummaryTable, jx_summary_table, JX, SUMMARY_TABLE, GtkGrid)

/* Removes every line. */
void jx_summary_table_clear     (JxSummaryTable       *self);
/* A header, then one line per entry of @labels and @responses (same length; a response may
 * be NULL for a pane that has not run), the winners' cells marked with .jx-best. */
void jx_summary_table_set_round (JxSummaryTable       *self,
                                 const char * const   *labels,
                                 GPtrArray            *responses,
                                 const JxRoundWinners *winners);

G_END_DECLS
