/* jx-provider.h — a provider and its models, as the catalog holds them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jx-usage.h"

G_BEGIN_DECLS

/* How a provider's credential goes into a request; "auth_kind" in a providers file. */
typedef enum
{
  JX_AUTH_BEARER,          /* "bearer": Authorization: Bearer <key> */
  JX_AUTH_API_KEY,         /* "api-key": api-key: <key> (Azure) */
  JX_AUTH_X_API_KEY,       /* "x-api-key" (Anthropic) */
  JX_AUTH_X_GOOG_API_KEY,  /* "x-goog-api-key" (Gemini) */
  JX_AUTH_GOOGLE_OAUTH,    /* "google-oauth": a token from Google credentials (Vertex) */
  JX_AUTH_AWS,             /* "aws": SigV4 or a Bedrock API key */
  JX_AUTH_PORTKEY,         /* "portkey": x-portkey-api-key: <key> */
  JX_AUTH_NONE,            /* "none": no credential */
} JxAuthKind;

/* The providers-file spelling, and back (FALSE for an unknown name). */
const char *jx_auth_kind_to_string   (JxAuthKind  kind);
gboolean    jx_auth_kind_from_string (const char *name,
                                      JxAuthKind *kind);
/* Every spelling, in JxAuthKind order, NULL-ended. */
const char * const *jx_auth_kind_list (void);

typedef struct
{
  char    *id;
  char    *name;             /* display name; defaults to id */
  JxPrice  price;            /* per 1M tokens, negative = unknown */
  double   batch_discount;   /* fraction off for batch (0.5 = half price); 0 = none */
  gint64   context_window;   /* tokens, 0 = unknown */
  char    *price_checked;    /* date the price was checked, e.g. "2026-07" */
  gboolean price_overridden; /* set by the user's price overrides */
} JxModel;

typedef struct
{
  char       *id;            /* "openai", "my-vllm" */
  char       *name;          /* "OpenAI" */
  char       *protocol;      /* an adapter's protocol name (jx_adapter_lookup) */
  char       *builtin_id;    /* quirks profile: the built-in id this entry is or overrides;
                                NULL for a custom endpoint */
  char       *base_url;      /* see README: OpenAI-compatible ends in the version segment */
  JxAuthKind  auth_kind;
  char       *api_key_env;   /* "OPENAI_API_KEY" */
  char       *key_hint;      /* "starts with sk-" */
  char       *docs_url;
  char       *models_path;   /* relative path of the model-list endpoint, NULL if none */
  GPtrArray  *models;        /* JxModel* (owned) */
  JsonObject *options;       /* protocol-specific extras: api_version, project, location,
                                region, headers{}, … (may be NULL) */
  gboolean    send_credentials_to_base_url; /* the entry lets a built-in provider's key go
                                               to its base_url's host (jx-credential-policy.h) */
} JxProvider;

JxProvider *jx_provider_ref          (JxProvider *provider);
void        jx_provider_unref        (JxProvider *provider);
JxModel    *jx_provider_find_model   (JxProvider *provider,
                                      const char *model_id);
/* Default model: the first listed. NULL if the provider lists none. */
JxModel    *jx_provider_default_model (JxProvider *provider);
const char *jx_provider_get_option   (JxProvider *provider,
                                      const char *name);
gboolean    jx_provider_is_local     (JxProvider *provider);
/* TRUE for the offline demo's protocol: its answers and figures are made up. */
gboolean    jx_provider_is_simulated (JxProvider *provider);

#define JX_TYPE_PROVIDER (jx_provider_get_type ())
#define JX_TYPE_MODEL    (jx_model_get_type ())

GType       jx_provider_get_type     (void) G_GNUC_CONST;
GType       jx_model_get_type        (void) G_GNUC_CONST;
JxModel    *jx_model_copy            (const JxModel *model);
void        jx_model_free            (JxModel       *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxProvider, jx_provider_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxModel, jx_model_free)

G_END_DECLS
