/* jx-application.h
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
#include "jx-window.h"

G_BEGIN_DECLS

#define JX_TYPE_APPLICATION (jx_application_get_type ())

G_DECLARE_FINAL_TYPE (JxApplication, jx_application, JX, APPLICATION, AdwApplication)

JxApplication *jx_application_new                (void) G_GNUC_WARN_UNUSED_RESULT;
JxContext     *jx_application_get_context        (JxApplication  *self);
JxCatalog     *jx_application_get_catalog        (JxApplication  *self);
JxEngine      *jx_application_get_engine         (JxApplication  *self);
JxWindow      *jx_application_new_window         (JxApplication  *self);
void           jx_application_show_preferences   (JxApplication  *self);

G_END_DECLS
