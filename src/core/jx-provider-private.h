/* jx-provider-private.h — building providers, for the providers-file reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-provider.h"

G_BEGIN_DECLS

JxModel    *jx_model_new             (const char       *id);
JxProvider *jx_provider_new          (void);
/* A copy whose models and options can be changed (nested option nodes are shared). */
JxProvider *jx_provider_copy         (const JxProvider *src);
/* A new object with the members of src (NULL = empty). */
JsonObject *jx_provider_copy_options (JsonObject       *src);

G_END_DECLS
