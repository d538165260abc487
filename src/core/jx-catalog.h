/* jx-catalog.h — the providers Juxta knows: the built-in catalog plus the user's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jx-catalog-error.h"
#include "jx-provider.h"

G_BEGIN_DECLS

#define JX_TYPE_CATALOG (jx_catalog_get_type ())
G_DECLARE_FINAL_TYPE (JxCatalog, jx_catalog, JX, CATALOG, GObject)

/* Loads the built-in catalog from the GResource /io/github/juxta/Juxta/catalog.json. */
JxCatalog  *jx_catalog_new_builtin   (GError    **error);
/* The built-in catalog, loaded once per process and never modified (borrowed; do not
 * load files into it). */
JxCatalog  *jx_catalog_get_builtin   (void);
/* Merges a providers file: new ids are added, an id matching an existing provider overrides
 * the fields it gives and keeps that provider's quirks. Errors name file, line and field. */
gboolean    jx_catalog_load_file     (JxCatalog  *self,
                                      const char *path,
                                      GError    **error);
gboolean    jx_catalog_load_data     (JxCatalog  *self,
                                      const char *data,
                                      gssize      len,
                                      const char *source_name,
                                      GError    **error);
/* $XDG_CONFIG_HOME/juxta/providers.json if it exists; TRUE when absent. */
gboolean    jx_catalog_load_user_file (JxCatalog *self,
                                       GError   **error);
JxProvider *jx_catalog_lookup        (JxCatalog  *self,
                                      const char *provider_id);
/* Array of JxProvider* in catalog order (borrowed). */
GPtrArray  *jx_catalog_get_providers (JxCatalog  *self);

/* "The catalog price" of every model (built-in plus providers files, before the user's
 * price overrides): the first call for a model records a copy, later calls keep it. The
 * price overrides call this before applying anything. */
void           jx_catalog_snapshot_prices   (JxCatalog  *self);
/* A model's recorded catalog price, else the built-in catalog's (then recorded); NULL
 * when neither knows the model. Owned by the catalog. */
const JxModel *jx_catalog_get_catalog_price (JxCatalog  *self,
                                             const char *provider_id,
                                             const char *model_id);

G_END_DECLS
