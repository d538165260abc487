/* jx-history-recorder.h — writes one round of the window into the history as it happens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jx-catalog.h"
#include "jx-history.h"

G_BEGIN_DECLS

#define JX_TYPE_HISTORY_RECORDER (jx_history_recorder_get_type ())

G_DECLARE_FINAL_TYPE (JxHistoryRecorder, jx_history_recorder, JX, HISTORY_RECORDER, GObject)

/* Begins the round at once. @pane_keys identify the panes (compared by address only, never
 * dereferenced), in the order of @prompt's panes. */
JxHistoryRecorder *jx_history_recorder_new          (JxHistory        *history,
                                                     JxCatalog        *catalog,
                                                     JxHistoryPrompt  *prompt,
                                                     GPtrArray        *pane_keys);
/* Stores a response that has ended; one the round did not start with is ignored. Responses
 * that end before the round's id is known are kept and written as soon as it is. */
void               jx_history_recorder_add          (JxHistoryRecorder *self,
                                                     gconstpointer      pane_key,
                                                     JxResponse        *response);
/* TRUE once the round's id is known (or storing it failed): nothing waits here any more. */
gboolean           jx_history_recorder_is_settled   (JxHistoryRecorder *self);
/* The round's id once stored, 0 before (or if the store failed). */
gint64             jx_history_recorder_get_round_id (JxHistoryRecorder *self);

G_END_DECLS
