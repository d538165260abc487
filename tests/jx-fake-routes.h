/* jx-fake-routes.h — one fake server speaking every protocol Juxta supports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by test-all-protocols (one pane per protocol, all concurrent) and the
 * fake-providers program (the same routes for a hand-run `juxta compare`).
 *
 * Every pane's model is priced $1 input / $0.50 cached input / $1.25 cache write /
 * $2 output per 1M tokens, so the expected costs below are plain arithmetic.
 */
#pragma once

#include "jx-fake-server.h"

G_BEGIN_DECLS

typedef struct
{
  const char *provider_id;      /* "anthropic", "bedrock-key", "local-openai" */
  const char *model;
  const char *name;             /* the provider's display name, as errors use it */
  const char *key_env;          /* api_key_env in the providers file; NULL = keyless */
  const char *key;              /* a credential value that env lookup would produce */
  const char *method;           /* the request that streams (Replicate: the create POST) */
  const char *path;
  const char *text;             /* the exact answer */
  gint64      input_tokens;
  gint64      output_tokens;
  double      cost_usd;
  guint       first_delay_ms;   /* before the first body byte of the stream */
  guint       bad_key_status;   /* what the provider answers to a wrong key; 0 = keyless */
} JxFakePane;

enum
{
  JX_FAKE_PANE_ANTHROPIC,
  JX_FAKE_PANE_GEMINI,
  JX_FAKE_PANE_VERTEX_GEMINI,
  JX_FAKE_PANE_VERTEX_CLAUDE,
  JX_FAKE_PANE_AZURE,
  JX_FAKE_PANE_BEDROCK_SIGV4,
  JX_FAKE_PANE_BEDROCK_KEY,
  JX_FAKE_PANE_COHERE,
  JX_FAKE_PANE_REPLICATE,
  JX_FAKE_PANE_OLLAMA,
  JX_FAKE_PANE_OPENAI_COMPAT,
  JX_FAKE_N_PANES
};

extern const JxFakePane jx_fake_panes[JX_FAKE_N_PANES];

#define JX_FAKE_VERTEX_TOKEN_PATH "/token"
#define JX_FAKE_VERTEX_KEY_ENV    "FAKE_VERTEX_CREDENTIALS"
/* SigV4 for the "bedrock" entry; jx-keys composes these into its credential. */
#define JX_FAKE_AWS_ACCESS_KEY_ID "AKIDEXAMPLE"
#define JX_FAKE_AWS_SECRET        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define JX_FAKE_AWS_REGION        "us-east-1"

/* The providers file for a fake at base_url (no trailing slash). */
char    *jx_fake_routes_providers_json    (const char   *base_url);

/* A fresh 2048-bit RSA key (PKCS#8 PEM), and service-account credentials JSON using it whose
 * token_uri is base_url + JX_FAKE_VERTEX_TOKEN_PATH and whose project is "cred-project". */
char    *jx_fake_routes_generate_key      (void);
char    *jx_fake_routes_vertex_credentials (const char  *base_url,
                                            const char  *key_pem);

/* The credential for jx_request_set_credential (): pane->key, except Vertex (the credentials
 * JSON) and Bedrock SigV4 (the JSON jx-keys composes from AWS_*). NULL for keyless panes. */
char    *jx_fake_routes_credential        (guint         pane,
                                           const char   *vertex_credentials);

/* Every pane's stream: the first piece after the pane's first_delay_ms, the pieces in
 * between every per_event_ms, the last one tail_ms after the one before. seed != 0 splits
 * each piece at random (at most 7 bytes). Includes the Vertex token endpoint and Replicate's
 * stream and metrics routes. */
void     jx_fake_routes_add_streams       (JxFakeServer *server,
                                           guint         per_event_ms,
                                           guint         tail_ms,
                                           guint32       seed);

/* Every keyed pane answers as its provider answers a wrong key. Vertex: with token_rejects
 * the token endpoint refuses the JWT (a wrong service-account key), else a token is issued
 * and the API answers 401 (a revoked or expired token). Keyless Ollama streams as usual. */
void     jx_fake_routes_add_bad_keys      (JxFakeServer *server,
                                           gboolean      token_rejects);

/* Every method and path above, NULL-terminated pairs, for logging. */
const char * const *jx_fake_routes_all    (void);

G_END_DECLS
