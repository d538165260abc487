/* jx-pane.h
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jx-catalog.h"
#include "jx-engine.h"
#include "jx-request.h"

G_BEGIN_DECLS

typedef enum
{
  JX_PANE_BADGE_NONE         = 0,
  JX_PANE_BADGE_FASTEST_TTFT = 1 << 0,
  JX_PANE_BADGE_FASTEST_TPS  = 1 << 1,
  JX_PANE_BADGE_CHEAPEST     = 1 << 2,
} JxPaneBadges;

#define JX_TYPE_PANE (jx_pane_get_type ())

G_DECLARE_FINAL_TYPE (JxPane, jx_pane, JX, PANE, GtkBox)

JxPane     *jx_pane_new              (JxCatalog      *catalog,
                                      const char     *provider_id,
                                      const char     *model);
void        jx_pane_set_catalog      (JxPane         *self,
                                      JxCatalog      *catalog);
void        jx_pane_set_listed_models (JxPane        *self,
                                       GHashTable    *listed_models);
const char *jx_pane_get_provider_id  (JxPane         *self);
const char *jx_pane_get_model        (JxPane         *self);
char       *jx_pane_dup_key          (JxPane         *self);
char       *jx_pane_dup_title        (JxPane         *self);
gboolean    jx_pane_select           (JxPane         *self,
                                      const char     *provider_id,
                                      const char     *model);
void        jx_pane_run              (JxPane         *self,
                                      JxEngine       *engine,
                                      const JxPrompt *prompt,
                                      guint           run);
void        jx_pane_stop             (JxPane         *self);
gboolean    jx_pane_is_running       (JxPane         *self);
JxResponse *jx_pane_get_response     (JxPane         *self);
const char *jx_pane_get_text         (JxPane         *self);
void        jx_pane_set_formatted    (JxPane         *self,
                                      gboolean        formatted);
void        jx_pane_set_badges       (JxPane         *self,
                                      JxPaneBadges    badges);
JxPaneBadges jx_pane_get_badges      (JxPane         *self);

/* Figures of the last finished round, NAN when unknown. */
double      jx_pane_get_ttft_ms      (JxPane         *self);
double      jx_pane_get_tokens_per_s (JxPane         *self);
gint64      jx_pane_get_output_tokens (JxPane        *self);

G_END_DECLS
