/* jx-provider-key-row.h: one provider's credential in Preferences
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jx-catalog.h"
#include "jx-engine.h"

G_BEGIN_DECLS

#define JX_TYPE_PROVIDER_KEY_ROW (jx_provider_key_row_get_type ())

G_DECLARE_FINAL_TYPE (JxProviderKeyRow, jx_provider_key_row, JX, PROVIDER_KEY_ROW, AdwExpanderRow)

/* Properties "provider" and "engine" (construct-only). One entry per part of the
 * provider's credential (its adapter's credential_fields), and
 * Store, Check and Remove buttons. Signals: "toast" (a message for the window) and
 * "keyring-unavailable" (the Secret Service failed). Work in flight is cancelled when the
 * row leaves its window. */
JxProviderKeyRow *jx_provider_key_row_new          (JxProvider       *provider,
                                                    JxEngine         *engine);
JxProvider       *jx_provider_key_row_get_provider (JxProviderKeyRow *self);
/* Looks the key up again (environment, then keyring) and shows where it comes from. */
void              jx_provider_key_row_refresh      (JxProviderKeyRow *self);

G_END_DECLS
