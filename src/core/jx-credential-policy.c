/* jx-credential-policy.c — which hosts a provider's credential may be sent to
 *
 * The one rule every request path applies before a message that carries a credential
 * leaves (see jx-credential-policy.h for the rule itself). It never resolves a name: a host
 * is judged by how it is written, so a name that merely resolves to this machine is as
 * foreign as any other.
 *
 * Loopback: a built-in provider overridden to a loopback address (a gateway or a recording
 * proxy on this machine) keeps its usual credential. Only names that cannot leave the
 * machine count: literal loopback addresses and "localhost" itself. "*.localhost" names are
 * loopback by convention only (RFC 6761) and go through the system resolver, which may ask
 * DNS, so they need the opt-in like any other host — although plain HTTP to them is allowed
 * (jx_host_is_local), which is why the window's key-leak test uses one. Link-local
 * addresses (169.254.169.254 is the cloud metadata service) are never loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jx-adapter.h"
#include "jx-credential-policy.h"
#include "jx-net.h"


/* Hosts besides the one in the built-in base_url (which always counts, with each {region} or
 * {location} placeholder standing for one label or label prefix) are the built-in entry's
 * options.credential_hosts in catalog.json: regional, FIPS and private endpoint families
 * (AWS interface endpoints, Google Private Service Connect, Azure resources) and stream
 * hosts. "*" matches within one label only. Only the built-in catalog is read for them, so
 * a user's providers file cannot add any. */

static JxCatalog *
builtin_catalog (void)
{
  static gsize initialized;
  static JxCatalog *catalog;

  if (g_once_init_enter (&initialized))
    {
      catalog = jx_catalog_new_builtin (NULL);
      g_once_init_leave (&initialized, 1);
    }

  return catalog;
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = name != NULL ? g_getenv (name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

static const char *
option_or (JxProvider *provider,
           const char *option,
           const char *fallback)
{
  const char *value = jx_provider_get_option (provider, option);

  return value != NULL && *value != '\0' ? value : fallback;
}

static const char *
display_name (JxProvider *provider)
{
  return provider->name != NULL ? provider->name : provider->id;
}

/* The variables jx_keys_lookup_env() reads the secret parts from (not the region or
 * endpoint): the adapter's credential fields that are secret or required. */
static void
credential_variables (JxProvider  *provider,
                      const char **vars,
                      guint        n_vars)
{
  const JxAdapter *adapter = jx_adapter_for_provider (provider);
  const JxCredentialField *fields = adapter != NULL ? jx_adapter_get_credential_fields (adapter) : NULL;
  guint n = 0;

  memset (vars, 0, n_vars * sizeof *vars);
  if (fields == NULL)
    {
      vars[0] = provider->api_key_env;
      return;
    }

  for (guint i = 0; fields[i].label != NULL && n + 1 < n_vars; i++)
    {
      const char *option = fields[i].env_option != NULL ? jx_provider_get_option (provider, fields[i].env_option) : NULL;

      if (!(fields[i].flags & JX_CREDENTIAL_FIELD_SECRET) && (fields[i].flags & JX_CREDENTIAL_FIELD_OPTIONAL))
        continue;
      if ((fields[i].flags & JX_CREDENTIAL_FIELD_KEY_ENV) && provider->api_key_env != NULL)
        vars[n++] = provider->api_key_env;
      else if (option != NULL && *option != '\0')
        vars[n++] = option;
      else if (fields[i].env != NULL)
        vars[n++] = fields[i].env;
    }
}

/* The built-in provider whose conventional variable `name` is. */
static JxProvider *
builtin_owning_variable (const char *name)
{
  GPtrArray *providers = jx_catalog_get_providers (builtin_catalog ());

  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *builtin = g_ptr_array_index (providers, i);
      const char *vars[8];

      credential_variables (builtin, vars, G_N_ELEMENTS (vars));
      for (guint j = 0; vars[j] != NULL; j++)
        if (g_str_equal (vars[j], name))
          return builtin;
    }

  return NULL;
}

/* Whose credential a looked-up one is: the built-in provider it belongs to, or NULL when it
 * is the entry's own. The environment wins over the keyring, as in jx_keys_lookup_env(). */
static JxProvider *
credential_owner (JxProvider  *provider,
                  const char **variable)
{
  const char *vars[8];
  gboolean from_env = FALSE;
  JxProvider *owner = NULL;

  *variable = NULL;
  if (builtin_catalog () == NULL)
    return NULL;

  credential_variables (provider, vars, G_N_ELEMENTS (vars));
  for (guint i = 0; vars[i] != NULL; i++)
    {
      JxProvider *candidate;

      if (getenv_nonempty (vars[i]) == NULL)
        continue;
      from_env = TRUE;
      if ((candidate = builtin_owning_variable (vars[i])) != NULL &&
          !g_str_equal (candidate->id, "custom"))
        {
          *variable = vars[i];
          return candidate;
        }
    }

  /* Its own variable, or the keyring item under its own id. The "custom" template exists to
   * be pointed at the user's own server: its key has no home host. */
  if (!from_env && provider->builtin_id != NULL && !g_str_equal (provider->builtin_id, "custom"))
    owner = jx_catalog_lookup (builtin_catalog (), provider->builtin_id);

  return owner;
}

/* Lowercase, without [brackets] or a trailing dot. */
static char *
normalize_host (const char *host)
{
  gsize len = host != NULL ? strlen (host) : 0;

  if (len > 2 && host[0] == '[' && host[len - 1] == ']')
    {
      host++;
      len -= 2;
    }
  if (len > 1 && host[len - 1] == '.')
    len--;
  if (len == 0)
    return NULL;

  return g_ascii_strdown (host, len);
}

static gboolean
is_dns_label (const char *label)
{
  gsize len = strlen (label);

  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-' && label[i] != '_')
      return FALSE;

  return TRUE;
}

/* Label by label: the same number of labels, "*" never crosses a dot. */
static gboolean
host_matches (const char *pattern,
              const char *host)
{
  g_auto(GStrv) p = g_strsplit (pattern, ".", -1);
  g_auto(GStrv) h = g_strsplit (host, ".", -1);

  if (g_strv_length (p) != g_strv_length (h))
    return FALSE;

  for (guint i = 0; p[i] != NULL; i++)
    {
      if (strchr (p[i], '*') == NULL)
        {
          if (!g_str_equal (p[i], h[i]))
            return FALSE;
        }
      else if (!is_dns_label (h[i]) || !g_pattern_match_simple (p[i], h[i]))
        return FALSE;
    }

  return TRUE;
}

/* The host of a URL with each placeholder made a one-label wildcard (or filled in). */
static char *
url_host (const char *url,
          const char *region,
          const char *location)
{
  g_autoptr(GString) probe = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) host = NULL;

  if (url == NULL || *url == '\0')
    return NULL;

  probe = g_string_new (url);
  g_string_replace (probe, "{region}", "jx-region-placeholder", 0);
  g_string_replace (probe, "{location}", "jx-location-placeholder", 0);
  if ((uri = g_uri_parse (probe->str, G_URI_FLAGS_NONE, NULL)) == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  host = g_string_new (g_uri_get_host (uri));
  g_string_replace (host, "jx-region-placeholder", region != NULL ? region : "*", 0);
  g_string_replace (host, "jx-location-placeholder", location != NULL ? location : "*", 0);
  return normalize_host (host->str);
}

/* Azure OpenAI: the resource's endpoint comes with the credential (AZURE_OPENAI_ENDPOINT). */
static gboolean
endpoint_in_credential (JxProvider *provider)
{
  const JxAdapter *adapter = jx_adapter_for_provider (provider);

  return adapter != NULL && adapter->endpoint_in_credential;
}

static char *
azure_endpoint_host (JxProvider *provider)
{
  const char *endpoint = getenv_nonempty (option_or (provider, "endpoint_env", "AZURE_OPENAI_ENDPOINT"));

  return url_host (endpoint, NULL, NULL);
}

static gboolean
is_official_host (JxProvider *owner,
                  JxProvider *provider,
                  const char *host)
{
  g_autofree char *base = url_host (owner->base_url, NULL, NULL);
  g_autofree char *models = url_host (jx_provider_get_option (owner, "models_url"), NULL, NULL);

  if ((base != NULL && host_matches (base, host)) || (models != NULL && host_matches (models, host)))
    return TRUE;

  if (owner->options != NULL && json_object_has_member (owner->options, "credential_hosts"))
    {
      JsonNode *node = json_object_get_member (owner->options, "credential_hosts");
      JsonArray *patterns = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; patterns != NULL && i < json_array_get_length (patterns); i++)
        {
          JsonNode *element = json_array_get_element (patterns, i);
          const char *pattern = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_string (element) : NULL;

          if (pattern != NULL && host_matches (pattern, host))
            return TRUE;
        }
    }

  /* Azure: the endpoint the user named in the environment is the user's own resource. */
  if (endpoint_in_credential (owner))
    {
      g_autofree char *endpoint = azure_endpoint_host (provider);

      if (endpoint != NULL && g_str_equal (endpoint, host))
        return TRUE;
    }

  return FALSE;
}

static gboolean
opted_in_for (JxProvider *provider,
              const char *host)
{
  g_autofree char *base = NULL;

  if (!provider->send_credentials_to_base_url)
    return FALSE;

  base = url_host (provider->base_url, NULL, NULL);
  return base != NULL && host_matches (base, host);
}

/* Real host names for the message: placeholders filled from the entry's options. */
static char *
describe_official_host (JxProvider *owner,
                        JxProvider *provider)
{
  /* As the Bedrock adapter: the environment's region, else the entry's option. */
  const char *region = getenv_nonempty (option_or (provider, "region_env", "AWS_REGION"));
  const char *location = jx_provider_get_option (provider, "location");
  char *host;

  if (region == NULL)
    region = getenv_nonempty ("AWS_DEFAULT_REGION");
  if (region == NULL)
    region = jx_provider_get_option (provider, "region");
  if (region == NULL)
    region = jx_provider_get_option (owner, "region");
  if (location == NULL)
    location = jx_provider_get_option (owner, "location");

  if (endpoint_in_credential (owner) && (host = azure_endpoint_host (provider)) != NULL)
    return host;
  if ((host = url_host (owner->base_url, region, location)) != NULL && strchr (host, '*') == NULL)
    return host;
  g_free (host);
  if (endpoint_in_credential (owner))
    return g_strdup (_("its Azure resource (RESOURCE.openai.azure.com)"));

  /* Translators: %s is a provider's name */
  return g_strdup_printf (_("%s’s own hosts"), display_name (owner));
}

gboolean
jx_credential_policy_check (JxProvider          *provider,
                            GUri                *uri,
                            JxCredentialSource   source,
                            GError             **error)
{
  g_autofree char *host = NULL;
  g_autofree char *allowed = NULL;
  g_autofree char *which = NULL;
  JxProvider *owner;
  const char *variable;

  g_return_val_if_fail (provider != NULL, FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  if ((host = normalize_host (g_uri_get_host (uri))) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("refusing to send the %s key to a URL without a host"), display_name (provider));
      return FALSE;
    }

  /* Keys only travel encrypted, except to this machine or the local network. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 && !jx_host_is_local (host))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   /* Translators: the first %s is the provider, the second a host name */
                   _("refusing to send the %s key over unencrypted HTTP to %s"),
                   display_name (provider), g_uri_get_host (uri));
      return FALSE;
    }

  if (source == JX_CREDENTIAL_SOURCE_CALLER)
    return TRUE;

  if ((owner = credential_owner (provider, &variable)) == NULL)
    return TRUE;

  if (is_official_host (owner, provider, host) || jx_host_is_loopback (host) ||
      opted_in_for (provider, host))
    return TRUE;

  allowed = describe_official_host (owner, provider);
  /* Translators: the first %s is a provider's name, the second an environment variable */
  which = variable != NULL ? g_strdup_printf (_("the %s key (%s)"), display_name (owner), variable)
                           /* Translators: %s is a provider's name */
                           : g_strdup_printf (_("the %s key"), display_name (owner));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: "the OpenAI key (OPENAI_API_KEY)", the official host, the host it was
                * to go to, the providers file entry's id; keep send_credentials_to_base_url and
                * api_key_env as they are */
               _("%s is only sent to %s, not to %s: to send it there, set "
                 "\"send_credentials_to_base_url\": true in the “%s” entry of the providers file, "
                 "or give that entry its own api_key_env"),
               which, allowed, host, provider->id);
  return FALSE;
}

gboolean
jx_credential_policy_message_has_credential (SoupMessage *message)
{
  static const char * const headers[] = {
    "Authorization", "Proxy-Authorization", "api-key", "x-api-key", "x-goog-api-key",
    "x-portkey-api-key", "X-Amz-Security-Token",
  };
  SoupMessageHeaders *request_headers = soup_message_get_request_headers (message);
  const char *query = g_uri_get_query (soup_message_get_uri (message));

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    if (soup_message_headers_get_one (request_headers, headers[i]) != NULL)
      return TRUE;

  if (query != NULL)
    {
      g_auto(GStrv) params = g_strsplit (query, "&", -1);

      for (guint i = 0; params[i] != NULL; i++)
        if (g_str_has_prefix (params[i], "key="))
          return TRUE;
    }

  return FALSE;
}
