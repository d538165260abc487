/* jx-preferences-window.h
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jx-context.h"

G_BEGIN_DECLS

#define JX_TYPE_PREFERENCES_WINDOW (jx_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (JxPreferencesWindow, jx_preferences_window, JX, PREFERENCES_WINDOW, AdwPreferencesWindow)

JxPreferencesWindow *jx_preferences_window_new              (JxContext           *context);
AdwExpanderRow      *jx_preferences_window_get_provider_row (JxPreferencesWindow *self,
                                                             const char          *provider_id);

G_END_DECLS
