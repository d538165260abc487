/* jx-window.h
 *
 * Copyright 2026 Juxta developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jx-context.h"
#include "jx-history.h"
#include "jx-pane.h"

G_BEGIN_DECLS

#define JX_TYPE_WINDOW (jx_window_get_type ())

G_DECLARE_FINAL_TYPE (JxWindow, jx_window, JX, WINDOW, AdwApplicationWindow)

JxWindow     *jx_window_new           (GtkApplication     *application,
                                       JxContext          *context,
                                       const char * const *initial_panes);
JxPane       *jx_window_add_pane      (JxWindow      *self,
                                       const char    *provider_id,
                                       const char    *model);
void          jx_window_set_panes     (JxWindow      *self,
                                       const char * const *keys);
GPtrArray    *jx_window_get_panes     (JxWindow      *self);
void          jx_window_set_prompt    (JxWindow      *self,
                                       const char    *system_prompt,
                                       const char    *user_prompt);
char         *jx_window_dup_prompt    (JxWindow      *self);
gboolean      jx_window_is_running    (JxWindow      *self);
void          jx_window_load_round    (JxWindow       *self,
                                       JxHistoryRound *round);
AdwViewStackPage *jx_window_add_view  (JxWindow      *self,
                                       GtkWidget     *child,
                                       const char    *name,
                                       const char    *title,
                                       const char    *icon_name);

G_END_DECLS
