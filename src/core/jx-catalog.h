/* jx-catalog.h — provider and model definitions: built-in catalog + user providers file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jx-usage.h"

G_BEGIN_DECLS

#define JX_CATALOG_ERROR (jx_catalog_error_quark ())

typedef enum
{
  JX_CATALOG_ERROR_PARSE,     /* bad JSON */
  JX_CATALOG_ERROR_INVALID,   /* a field has a bad value (unknown protocol, bad URL…) */
} JxCatalogError;

GQuark jx_catalog_error_quark (void);

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
  char       *protocol;      /* "openai", "azure-openai", "anthropic", "gemini", "vertex",
                                "bedrock", "cohere", "replicate", "ollama", "simulated" */
  char       *builtin_id;    /* quirks profile: the built-in id this entry is or overrides;
                                NULL for a custom endpoint */
  char       *base_url;      /* see README: OpenAI-compatible ends in the version segment */
  char       *auth_kind;     /* "bearer", "api-key", "x-api-key", "x-goog-api-key",
                                "google-oauth", "aws", "portkey", "none" */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxProvider, jx_provider_unref)

#define JX_TYPE_CATALOG (jx_catalog_get_type ())
G_DECLARE_FINAL_TYPE (JxCatalog, jx_catalog, JX, CATALOG, GObject)

/* Loads the built-in catalog from the GResource /io/github/juxta/Juxta/catalog.json. */
JxCatalog  *jx_catalog_new_builtin   (GError    **error);
/* Merges a providers file: new ids are added, an id matching an existing provider overrides
 * the fields it gives and keeps that provider's quirks. Errors name file, line and field. */
gboolean    jx_catalog_load_file     (JxCatalog  *self,
                                      const char *path,
                                      GError    **error);
gboolean    jx_catalog_load_data     (JxCatalog  *self,
                                      const char *data,
                                      gssize      len,
                                      const char *source_name,
                                      GError    **error);
/* $XDG_CONFIG_HOME/juxta/providers.json if it exists; TRUE when absent. */
gboolean    jx_catalog_load_user_file (JxCatalog *self,
                                       GError   **error);
JxProvider *jx_catalog_lookup        (JxCatalog  *self,
                                      const char *provider_id);
/* Array of JxProvider* in catalog order (borrowed). */
GPtrArray  *jx_catalog_get_providers (JxCatalog  *self);

G_END_DECLS
