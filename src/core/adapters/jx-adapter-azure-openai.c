/* jx-adapter-azure-openai.c — Azure OpenAI: OpenAI Chat Completions on a deployment URL
 *
 * The body and the stream are OpenAI's (jx-adapter-openai.c); only the URL, the api-key
 * header and where the endpoint comes from differ.
 * https://learn.microsoft.com/azure/ai-services/openai/reference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jx-adapter-private.h"

/* A deployment URL with api-version, or the /openai/v1 form. The credential
 * is the key, or a JSON object {"api_key":…,"endpoint":…} when the endpoint came with it. */
static SoupMessage *
azure_build_message (JxProvider      *provider,
                     const char      *model,
                     const JxPrompt  *prompt,
                     const char      *credential,
                     GError         **error)
{
  g_autoptr(JsonNode) parts = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonBuilder) body = NULL;
  const char *endpoint = NULL;
  const char *key = credential;
  const char *api_version = jx_provider_get_option (provider, "api_version");
  SoupMessage *message;

  if (credential != NULL && credential[0] == '{' &&
      (parts = jx_json_parse (credential, strlen (credential))) != NULL &&
      JSON_NODE_HOLDS_OBJECT (parts))
    {
      key = jx_json_get_string (json_node_get_object (parts), "api_key");
      endpoint = jx_json_get_string (json_node_get_object (parts), "endpoint");
    }

  if (provider->base_url != NULL && *provider->base_url != '\0')
    endpoint = provider->base_url;

  if (endpoint == NULL || *endpoint == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "no Azure OpenAI endpoint: set AZURE_OPENAI_ENDPOINT or the provider's base_url");
      return NULL;
    }

  if (g_str_has_suffix (endpoint, "/openai/v1") || g_str_has_suffix (endpoint, "/openai/v1/"))
    {
      /* v1 form: the deployment name goes in the body as the model. */
      url = jx_adapter_join_url (endpoint, "chat/completions");
      body = jx_adapter_openai_build_body (provider, model, prompt);
    }
  else
    {
      g_autofree char *escaped = g_uri_escape_string (model, NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("openai/deployments/%s/chat/completions?api-version=%s",
                                               escaped, api_version != NULL ? api_version : "2024-10-21");

      url = jx_adapter_join_url (endpoint, path);
      body = jx_adapter_openai_build_body (provider, NULL, prompt);
    }

  if ((message = jx_adapter_new_post (url, body, error)) == NULL)
    return NULL;

  if (key != NULL && *key != '\0')
    soup_message_headers_replace (soup_message_get_request_headers (message), "api-key", key);
  jx_adapter_openai_add_headers (message, provider);

  return message;
}

/* The endpoint may come with the key (Preferences, or AZURE_OPENAI_ENDPOINT) instead of
 * the provider's base_url. */
static const JxCredentialField azure_credential_fields[] = {
  { "endpoint", N_("Endpoint, e.g. https://NAME.openai.azure.com"), "AZURE_OPENAI_ENDPOINT", "endpoint_env",
    NULL, 0, JX_CREDENTIAL_FIELD_OPTIONAL },
  { "api_key", N_("API Key"), NULL, NULL, NULL, 0, JX_CREDENTIAL_FIELD_SECRET | JX_CREDENTIAL_FIELD_KEY_ENV },
  { NULL },
};

static const char * const azure_litellm_providers[] = { "azure", "azure-openai", NULL };

/* Deployments are listed per resource with a management token: no model list. */
const JxAdapter jx_adapter_azure_openai = {
  .protocol = "azure-openai",
  .wire = JX_WIRE_SSE,
  .has_end_marker = TRUE,
  .default_auth = JX_AUTH_API_KEY,
  .endpoint_in_credential = TRUE,
  .credential_fields = azure_credential_fields,
  .litellm_providers = azure_litellm_providers,
  .build_message = azure_build_message,
  .handle_event = jx_adapter_openai_handle_event,
};

