/* jx-model-choice.h — one entry of the model picker: a provider's model and its title
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

#define JX_TYPE_MODEL_CHOICE (jx_model_choice_get_type ())

G_DECLARE_FINAL_TYPE (JxModelChoice, jx_model_choice, JX, MODEL_CHOICE, GObject)

JxModelChoice *jx_model_choice_new             (JxProvider    *provider,
                                                const char    *provider_id,
                                                const char    *model);
const char    *jx_model_choice_get_provider_id (JxModelChoice *self);
const char    *jx_model_choice_get_model       (JxModelChoice *self);
const char    *jx_model_choice_get_title       (JxModelChoice *self);
gboolean       jx_model_choice_matches         (JxModelChoice *self,
                                                const char    *provider_id,
                                                const char    *model);

char          *jx_model_choice_format_title    (JxProvider    *provider,
                                                const char    *provider_id,
                                                const char    *model);

G_END_DECLS
