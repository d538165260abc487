/* jx-catalog-error.c — the JX_CATALOG_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-catalog-error.h"

G_DEFINE_QUARK (jx-catalog-error-quark, jx_catalog_error)
