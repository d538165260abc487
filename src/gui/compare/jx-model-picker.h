/* jx-model-picker.h — the pane's drop-down of every provider's models
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jx-catalog.h"
#include "jx-model-choice.h"

G_BEGIN_DECLS

#define JX_TYPE_MODEL_PICKER (jx_model_picker_get_type ())

G_DECLARE_FINAL_TYPE (JxModelPicker, jx_model_picker, JX, MODEL_PICKER, GtkWidget)

GtkWidget     *jx_model_picker_new                 (void);
void           jx_model_picker_fill                (JxModelPicker *self,
                                                    JxCatalog     *catalog,
                                                    GHashTable    *listed_models,
                                                    const char    *provider_id,
                                                    const char    *model);
gboolean       jx_model_picker_select              (JxModelPicker *self,
                                                    const char    *provider_id,
                                                    const char    *model);
JxModelChoice *jx_model_picker_get_selected_choice (JxModelPicker *self);

G_END_DECLS
