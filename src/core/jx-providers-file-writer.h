/* jx-providers-file-writer.h — adds a custom endpoint to the user's providers file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

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
