/* jx-providers-file.h — the user's providers file ($XDG_CONFIG_HOME/juxta/providers.json)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Validates a providers file (the format is described in jx-providers-file.c) and returns
 * the providers it describes, in file order (new JxProvider*s, owned by the array): an
 * entry whose id is in `known` (id → JxProvider*) is a changed copy of that provider.
 * `builtin`: the built-in catalog (its entries get their own id as builtin_id). NULL with
 * a JX_CATALOG_ERROR naming file, line and field. */
GPtrArray *jx_providers_file_parse    (const char  *data,
                                       gssize       len,
                                       const char  *source_name,
                                       gboolean     builtin,
                                       GHashTable  *known,
                                       GError     **error);

/* $XDG_CONFIG_HOME/juxta/providers.json (new string). */
char *jx_providers_file_get_user_path (void);

/* Adds an OpenAI-compatible endpoint to the providers file at `path` (NULL = the user's),
 * replacing an entry with the same id (the name in lower case, other characters as "-"),
 * every model priced input/output per 1M tokens. `with_key`: the endpoint wants a bearer
 * key (stored elsewhere: a key never goes into this file). The new file is checked against
 * the built-in catalog before it replaces the old one, so a bad entry never lands there.
 * Returns the provider id, or NULL with G_IO_ERROR_INVALID_ARGUMENT (no name, no http(s)
 * URL, no model), a JX_CATALOG_ERROR or a file error. */
char *jx_providers_file_add_custom    (const char          *path,
                                       const char          *name,
                                       const char          *base_url,
                                       const char * const  *model_ids,
                                       double               input_per_mtok,
                                       double               output_per_mtok,
                                       gboolean             with_key,
                                       GError             **error);

G_END_DECLS
