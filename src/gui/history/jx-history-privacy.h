/* jx-history-privacy.h — applies the privacy settings (keep texts, forget after N days)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jx-history.h"

G_BEGIN_DECLS

/* Applies "history-keep-texts" and "history-forget-days" of @settings to @history now and
 * whenever they change, for as long as @history lives. */
void jx_history_privacy_watch (JxHistory *history,
                               GSettings *settings);

G_END_DECLS
