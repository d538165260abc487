/* jx-adapter.h — the contract between the streaming engine and one wire protocol
 *
 * An adapter builds the HTTP request for a provider and turns each parsed stream event
 * into calls on JxStream. It never touches sockets, timers or the main loop: JxRequest
 * reads the bytes, timestamps them, runs the parser and calls the adapter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jx-provider.h"
#include "jx-request-error.h"
#include "jx-stream.h"
#include "jx-usage.h"

G_BEGIN_DECLS

/* The engine is only passed through to the credential hooks (jx-engine.h). */
typedef struct _JxEngine JxEngine;

typedef struct
{
  char   *system;        /* NULL or "" = none */
  char   *user;
  double  temperature;   /* NAN = provider default */
  int     max_tokens;    /* <= 0 = provider default */
} JxPrompt;

void jx_prompt_init  (JxPrompt *prompt);
void jx_prompt_clear (JxPrompt *prompt);

typedef enum
{
  JX_WIRE_SSE,
  JX_WIRE_NDJSON,
  JX_WIRE_EVENTSTREAM,
} JxWireFormat;

/* One part of a protocol's credential, as the environment, the keyring and Preferences
 * know it. A protocol with one part whose member is NULL stores the bare value (an API key,
 * or Vertex's credentials JSON, into which the other parts are merged); otherwise the
 * parts are stored as a JSON object of members. */
typedef enum
{
  JX_CREDENTIAL_FIELD_SECRET        = 1 << 0, /* never shown again once stored */
  JX_CREDENTIAL_FIELD_OPTIONAL      = 1 << 1, /* may be left out */
  JX_CREDENTIAL_FIELD_MULTILINE     = 1 << 2, /* a pasted document (JSON), not a line */
  JX_CREDENTIAL_FIELD_FILE_CONTENTS = 1 << 3, /* the variable names a file holding the value */
  JX_CREDENTIAL_FIELD_KEY_ENV       = 1 << 4, /* the provider's api_key_env overrides env */
} JxCredentialFieldFlags;

typedef struct
{
  const char             *member;      /* member of the credential JSON; NULL = the value */
  const char             *label;       /* N_() title of the Preferences entry */
  const char             *env;         /* conventional variable, or NULL */
  const char             *env_option;  /* provider option naming another variable, or NULL */
  const char             *env_fallback;/* a second conventional variable, or NULL */
  /* Fields with the same non-zero alternative form one way to give the credential; of
   * the sets whose required fields are all given, the lowest-numbered is used and the
   * others are left out. Fields with alternative 0 are used with any set. */
  guint                   alternative;
  JxCredentialFieldFlags  flags;
  const char             *description; /* N_() help under a MULTILINE field, or NULL */
} JxCredentialField;

typedef struct _JxAdapter JxAdapter;

typedef struct _JxAdapter
{
  const char   *protocol;
  JxWireFormat  wire;
  /* FALSE when a clean EOF is the normal end (Gemini has no sentinel). */
  gboolean      has_end_marker;

  /* ---- What the rest of Juxta knows about the protocol ------------------------------ */
  /* Auth for a providers-file entry that gives no auth_kind. */
  JxAuthKind                default_auth;
  /* base_url for a new entry that gives none; NULL = the entry must give one. */
  const char               *default_base_url;
  /* TRUE: an empty base_url is allowed, the endpoint comes with the credential (Azure). */
  gboolean                  endpoint_in_credential;
  /* TRUE for the offline demo: nothing leaves the machine, its figures are made up. */
  gboolean                  is_simulated;
  /* The credential's parts, ended by an all-NULL entry; NULL = one bare key read from the
   * provider's api_key_env. */
  const JxCredentialField  *credential_fields;
  /* Pairs of a LiteLLM "litellm_provider" value and the built-in provider id whose prices
   * it lists, NULL-ended (a price import reads them). */
  const char * const       *litellm_providers;
  /* Query for the model-list URL (one big page instead of cursors), or NULL. */
  const char               *list_query;
  /* The model-list request, authenticated like the streaming request; NULL = the protocol
   * has no list endpoint Juxta can use (its catalog models are all there is).
   * jx_adapter_build_list_message does GET base_url/models_path?list_query. Returns NULL
   * when this provider has no usable endpoint; *sent_credential says whether a credential
   * went into the request. */
  SoupMessage *(*build_list_message) (const JxAdapter *adapter,
                                      JxProvider      *provider,
                                      const char      *credential,
                                      gboolean        *sent_credential);

  /* Builds the streaming request. `credential` is the API key, an access token, or for
   * protocols with several parts (bedrock, azure-openai) a JSON object of named parts;
   * NULL when the provider needs none. */
  SoupMessage *(*build_message) (JxProvider      *provider,
                                 const char      *model,
                                 const JxPrompt  *prompt,
                                 const char      *credential,
                                 GError         **error);

  /* One SSE event (event_type may be NULL), one NDJSON line (event_type NULL), or one
   * eventstream frame (frame_headers set, else NULL). data is NUL-terminated. */
  void         (*handle_event)  (JxStream        *stream,
                                 const char      *event_type,
                                 const char      *data,
                                 gsize            len,
                                 GHashTable      *frame_headers);

  /* Optional: the human-readable part of an HTTP error body (NULL = use the generic
   * extractor, which knows {"error":{"message"}}, {"message"}, [{"error":…}]…). */
  char        *(*describe_error_body) (const char *body,
                                       gsize       len);

  /* Optional: turn the stored credential into what build_message needs, asynchronously
   * (Vertex: credentials JSON → OAuth access token). `engine` keeps a per-session cache
   * (jx_engine_get_credential_cache ()). Returns a new string or NULL + error. */
  void         (*resolve_credential_async)  (JxEngine            *engine,
                                             JxProvider          *provider,
                                             const char          *credential,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
  char        *(*resolve_credential_finish) (GAsyncResult        *result,
                                             GError             **error);
  /* Optional: the provider answered 401 to a resolved credential (the stored one, as given
   * to resolve_credential_async); drop whatever was cached for it (a revoked token). */
  void         (*credential_rejected)       (JxEngine            *engine,
                                             const char          *credential);

  /* Optional two-step start (Replicate): build_message's response is a complete JSON body
   * (not a stream); this turns it into the streaming request. Timing still counts from the
   * first request. `credential` as for build_message. */
  SoupMessage *(*follow_up)     (JxStream        *stream,
                                 GBytes          *first_body,
                                 const char      *credential,
                                 GError         **error);

  /* Optional epilogue (Replicate metrics): after a successful stream, a request whose
   * complete body goes to finish_epilogue (e.g. to set usage). Failures here only lose
   * the extra figures, never the answer. finish_epilogue returns TRUE when the figures
   * are not final yet: the epilogue is then sent again shortly (a few times at most). */
  SoupMessage *(*epilogue)        (JxStream   *stream,
                                   const char *credential);
  gboolean     (*finish_epilogue) (JxStream   *stream,
                                   GBytes     *body);

  /* Optional: the provider's own way of saying what an HTTP error is (Gemini answers 400
   * "API key not valid" to a bad key). `detail` is the human part of the body, or NULL.
   * Sets *code and returns TRUE to override jx_request_error_classify_http(). */
  gboolean     (*classify_error)  (guint               status,
                                   const char         *detail,
                                   JxRequestErrorCode *code);
} JxAdapter;

/* NULL for an unknown protocol. */
const JxAdapter *jx_adapter_lookup              (const char *protocol);
/* The adapter of provider->protocol (never NULL for a provider from a catalog). */
const JxAdapter *jx_adapter_for_provider        (JxProvider *provider);
/* Every protocol name a providers file may use. */
const char * const *jx_adapter_list_protocols   (void);
/* Generic error-body extractor used when an adapter has none. */
char            *jx_adapter_describe_error_body (const char *body,
                                                 gsize       len);

/* Shared helpers for adapters. */
/* base_url + path, with exactly one '/' between. */
char        *jx_adapter_join_url   (const char *base_url,
                                    const char *path);
SoupMessage *jx_adapter_new_post   (const char *url,
                                    JsonBuilder *body,
                                    GError    **error);
/* Puts the credential where provider->auth_kind says (Authorization: Bearer, api-key,
 * x-api-key, x-goog-api-key, x-portkey-api-key); adds Anthropic's version header for
 * x-api-key. Returns TRUE when a credential was added. */
gboolean     jx_adapter_add_auth   (SoupMessage *message,
                                    JxProvider  *provider,
                                    const char  *credential);
/* The static headers of options.headers. */
void         jx_adapter_add_extra_headers (SoupMessage *message,
                                           JxProvider  *provider);
/* The generic model-list request (see build_list_message). */
SoupMessage *jx_adapter_build_list_message (const JxAdapter *adapter,
                                            JxProvider      *provider,
                                            const char      *credential,
                                            gboolean        *sent_credential);
/* The credential's fields (never NULL; ended by an entry whose label is NULL). */
const JxCredentialField *jx_adapter_get_credential_fields (const JxAdapter *adapter);
/* Puts the parts together: value_of (field, user_data) gives each field's text or NULL.
 * Returns the credential to store, or NULL with G_IO_ERROR_INVALID_ARGUMENT naming what is
 * missing (labels, translated). */
typedef const char *(*JxCredentialValueFunc) (const JxCredentialField *field,
                                              gpointer                 user_data);
char        *jx_adapter_compose_credential (const JxAdapter        *adapter,
                                            JxCredentialValueFunc   value_of,
                                            gpointer                user_data,
                                            GError                **error);
/* The built-in provider whose prices a LiteLLM "litellm_provider" value lists ("vertex_ai-…"
 * is read as "vertex_ai"), or NULL. */
const char  *jx_adapter_provider_for_litellm (const char *litellm_provider);

G_END_DECLS
