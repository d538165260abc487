/* jx-simulator.h — the offline demo's simulated providers, served over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The base URL scheme of the simulated provider ("simulated://"): served in-process. */
#define JX_SIMULATOR_SCHEME "simulated"

#define JX_TYPE_SIMULATOR (jx_simulator_get_type ())
G_DECLARE_FINAL_TYPE (JxSimulator, jx_simulator, JX, SIMULATOR, GObject)

JxSimulator *jx_simulator_new     (GError     **error);
/* "http://127.0.0.1:PORT/v1" — an OpenAI-compatible base URL. */
const char  *jx_simulator_get_url (JxSimulator *self);

G_END_DECLS
