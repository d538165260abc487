/* jx-price-overrides-private.h — the overrides file's helpers, shared with the LiteLLM import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jx-price-overrides.h"

G_BEGIN_DECLS

/* One model's new figures: a JSON object of providers-file model members (possibly
 * null). With "imported": true the entry may add a model the catalog lacks. */
typedef struct
{
  char       *provider_id;
  char       *model_id;
  JsonObject *fields;
} Entry;

Entry    *_jx_price_entry_new            (const char  *provider_id,
                                          const char  *model_id);
void      _jx_price_entry_free           (gpointer     data);
/* null for a negative or non-finite price, else the number. */
void      _jx_price_set_member           (JsonObject  *object,
                                          const char  *name,
                                          double       value);
/* The parsed JSON file; NULL with @error unset when @missing_ok and it does not exist. */
JsonNode *_jx_price_overrides_parse_file (const char  *path,
                                          gboolean     missing_ok,
                                          GError     **error);
/* Merges @entries into the overrides file (member by member), writes it and applies the
 * entries the catalog knows (or that add an imported model). */
gboolean  _jx_price_overrides_store      (JxCatalog   *catalog,
                                          GPtrArray   *entries,
                                          guint       *n_applied,
                                          GError     **error);
/* G_IO_ERROR_NOT_FOUND naming the unknown provider or model. */
gboolean  _jx_price_check_model          (JxCatalog   *catalog,
                                          const char  *provider_id,
                                          const char  *model_id,
                                          GError     **error);

G_END_DECLS
