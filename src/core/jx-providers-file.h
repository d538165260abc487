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

G_END_DECLS
