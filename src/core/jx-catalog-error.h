/* jx-catalog-error.h — JX_CATALOG_ERROR: a providers or prices file that cannot be used
 *
 * Apart from jx-catalog.h so the file parsers (jx-providers-file.c, jx-price-overrides.c)
 * report in the catalog's domain without depending on the catalog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JX_CATALOG_ERROR (jx_catalog_error_quark ())

typedef enum
{
  JX_CATALOG_ERROR_PARSE,     /* bad JSON */
  JX_CATALOG_ERROR_INVALID,   /* a field has a bad value (unknown protocol, bad URL…) */
} JxCatalogError;

GQuark jx_catalog_error_quark (void);

G_END_DECLS
