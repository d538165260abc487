/* jx-context.h — the loaded state every front end shares: catalog, price overrides, engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jx-catalog.h"
#include "jx-engine.h"
#include "jx-history.h"

G_BEGIN_DECLS

#define JX_TYPE_CONTEXT (jx_context_get_type ())
G_DECLARE_FINAL_TYPE (JxContext, jx_context, JX, CONTEXT, GObject)

typedef enum
{
  JX_CONTEXT_STAGE_PROVIDERS, /* the built-in catalog, providers.json or the extra file */
  JX_CONTEXT_STAGE_PRICES,    /* prices.json */
} JxContextStage;

/* Loads, in this order and once: the built-in catalog, $XDG_CONFIG_HOME/juxta/providers.json,
 * @providers_file (NULL = $JUXTA_PROVIDERS_FILE, if set), then the price overrides of
 * $XDG_DATA_HOME/juxta/prices.json. On error returns NULL and, when @stage is not NULL, says
 * which step failed. */
JxContext  *jx_context_new                 (const char      *providers_file,
                                            JxContextStage  *stage,
                                            GError         **error) G_GNUC_WARN_UNUSED_RESULT;
/* Like jx_context_new(), but never fails: a step that fails is logged with g_warning() and
 * skipped (a broken providers file leaves the built-in catalog), as the window wants. */
JxContext  *jx_context_new_lenient         (const char      *providers_file) G_GNUC_WARN_UNUSED_RESULT;

const char *jx_context_get_providers_file  (JxContext       *self);
JxCatalog  *jx_context_get_catalog         (JxContext       *self);
JxEngine   *jx_context_get_engine          (JxContext       *self);
/* The history store, opened on first use: $JUXTA_HISTORY_FILE if set, else the default
 * ($XDG_DATA_HOME/juxta/history.db). Shared by every window of the process. */
JxHistory  *jx_context_get_history         (JxContext       *self);
/* Reads every file again (after the user added a provider, say) and replaces the catalog and
 * the engine, notifying "catalog" and "engine". Running requests keep the old engine. On
 * error the old catalog stays in use. */
gboolean    jx_context_reload              (JxContext       *self,
                                            GError         **error);

/* The shipped catalog, loaded once per process and never modified: for reading the
 * defaults that user files and overrides replace. */
JxCatalog  *jx_context_get_builtin_catalog (JxContext       *self);

/* Asks every usable provider (with a key, or local) for its own model list; each answer
 * lands in jx_context_get_listed_models() and emits "models-changed". Cancelled by
 * jx_context_cancel(). */
void        jx_context_fetch_model_lists   (JxContext       *self);
/* Provider id → NULL-terminated model ids reported by its list endpoint, for the providers
 * that answered so far. */
GHashTable *jx_context_get_listed_models   (JxContext       *self);
/* Stops the model-list fetches in flight; the context ignores their answers. */
void        jx_context_cancel              (JxContext       *self);

G_END_DECLS
