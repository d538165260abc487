/* jx-google-auth.h — Google OAuth2 access tokens for Vertex AI
 *
 * Takes a credentials JSON (a service-account key, or the authorized_user file written by
 * `gcloud auth application-default login`) and hands out cached access tokens. The key,
 * refresh token and access tokens are secrets: they are never logged, and they are only
 * ever sent to the credentials' own token_uri (docs/protocols.md, "Google OAuth access tokens").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define JX_GOOGLE_AUTH_ERROR (jx_google_auth_error_quark ())

typedef enum
{
  JX_GOOGLE_AUTH_ERROR_INVALID,      /* the credentials JSON is malformed or incomplete */
  JX_GOOGLE_AUTH_ERROR_UNSUPPORTED,  /* a credential type other than the two below */
  JX_GOOGLE_AUTH_ERROR_REJECTED,     /* the token endpoint refused (invalid_grant …) */
  JX_GOOGLE_AUTH_ERROR_BAD_RESPONSE, /* the token endpoint answered something unusable */
} JxGoogleAuthError;

typedef enum
{
  JX_GOOGLE_AUTH_SERVICE_ACCOUNT,
  JX_GOOGLE_AUTH_AUTHORIZED_USER,
} JxGoogleAuthKind;

#define JX_GOOGLE_AUTH_SCOPE     "https://www.googleapis.com/auth/cloud-platform"
#define JX_GOOGLE_AUTH_TOKEN_URI "https://oauth2.googleapis.com/token"

#define JX_TYPE_GOOGLE_AUTH (jx_google_auth_get_type ())
G_DECLARE_FINAL_TYPE (JxGoogleAuth, jx_google_auth, JX, GOOGLE_AUTH, GObject)

GQuark            jx_google_auth_error_quark          (void);

/* Validates the type, the required fields, token_uri (https, or http to a loopback
 * address) and, for a service account, that the private key parses. */
JxGoogleAuth     *jx_google_auth_new                  (const char          *credentials_json,
                                                       GError             **error);
JxGoogleAuthKind  jx_google_auth_get_kind             (JxGoogleAuth        *self);
/* project_id of a service account, else quota_project_id; NULL when the file has none
 * (then use GOOGLE_CLOUD_PROJECT or the app settings). */
const char       *jx_google_auth_get_project_id       (JxGoogleAuth        *self);
/* To send as x-goog-user-project on API calls; NULL if none. */
const char       *jx_google_auth_get_quota_project_id (JxGoogleAuth        *self);
const char       *jx_google_auth_get_token_uri        (JxGoogleAuth        *self);

/* A cached token is reused until 60 s before it expires. Concurrent calls share one
 * token request. */
void              jx_google_auth_get_token_async      (JxGoogleAuth        *self,
                                                       SoupSession         *session,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
char             *jx_google_auth_get_token_finish     (JxGoogleAuth        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* Forget the cached token (e.g. after an API call answered 401). */
void              jx_google_auth_invalidate           (JxGoogleAuth        *self);

/* The signed RS256 assertion for a service account at @now_unix (exposed for tests). */
char             *jx_google_auth_build_jwt            (JxGoogleAuth        *self,
                                                       gint64               now_unix,
                                                       GError             **error);

G_END_DECLS
