/* jx-engine.h — the shared HTTP session and settings every request runs on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jx-catalog.h"

G_BEGIN_DECLS

#define JX_TYPE_ENGINE (jx_engine_get_type ())
G_DECLARE_FINAL_TYPE (JxEngine, jx_engine, JX, ENGINE, GObject)

#define JX_ENGINE_DEFAULT_CONNECT_TIMEOUT 30
#define JX_ENGINE_DEFAULT_IDLE_TIMEOUT    60
#define JX_ENGINE_DEFAULT_MAX_TIME        1800
#define JX_ENGINE_DEFAULT_MAX_OUTPUT_BYTES (16 * 1024 * 1024)

JxEngine    *jx_engine_new                 (JxCatalog *catalog);
JxCatalog   *jx_engine_get_catalog         (JxEngine  *self);
/* For the main thread (model lists, OAuth tokens). */
SoupSession *jx_engine_get_session         (JxEngine  *self);
/* The session requests stream on, owned by the network thread (see jx-transfer.h). */
SoupSession *jx_engine_get_network_session (JxEngine  *self);
/* Seconds until the response headers must arrive, and the longest silence allowed while
 * streaming (also the "connect-timeout" and "idle-timeout" properties). 0 disables the limit. */
void         jx_engine_set_timeouts        (JxEngine  *self,
                                            guint      connect_timeout,
                                            guint      idle_timeout);
guint        jx_engine_get_connect_timeout (JxEngine  *self);
guint        jx_engine_get_idle_timeout    (JxEngine  *self);
/* What adapters keep per session for a credential (Vertex: one JxGoogleAuth, so its token
 * is shared until it expires). Keys are digests, never the credential; values GObjects. */
GHashTable  *jx_engine_get_credential_cache (JxEngine *self);
/* The model lists fetched in this session, by provider and key fingerprint (jx-models.c owns
 * the entries; @free_entry frees one, given when the table is first made). */
GHashTable  *jx_engine_get_model_list_cache (JxEngine       *self,
                                             GDestroyNotify  free_entry);
/* The longest a response may take in all, in seconds ("max-time"; 0 = no limit). */
void         jx_engine_set_max_time        (JxEngine  *self,
                                            guint      seconds);
guint        jx_engine_get_max_time        (JxEngine  *self);
/* The most answer text kept per response, in bytes ("max-output-bytes"; 0 = no limit). */
void         jx_engine_set_max_output_bytes (JxEngine *self,
                                            guint64    max_bytes);
guint64      jx_engine_get_max_output_bytes (JxEngine *self);
/* Base URL of the built-in simulated provider (a loopback server started on first use). */
const char  *jx_engine_get_simulator_url   (JxEngine  *self,
                                            GError   **error);

G_END_DECLS
