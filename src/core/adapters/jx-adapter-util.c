/* jx-adapter-util.c — request-building helpers every adapter shares: URLs, JSON bodies,
 * auth headers, the model-list request and the credential's parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jx-adapter-private.h"

char *
jx_adapter_join_url (const char *base_url,
                     const char *path)
{
  gsize len = strlen (base_url);

  while (len > 0 && base_url[len - 1] == '/')
    len--;
  while (*path == '/')
    path++;

  return g_strdup_printf ("%.*s/%s", (int) len, base_url, path);
}

SoupMessage *
jx_adapter_new_post (const char   *url,
                     JsonBuilder  *body,
                     GError      **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (body);
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  char *json;

  message = soup_message_new (SOUP_METHOD_POST, url);
  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid URL", url);
      return NULL;
    }

  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &len);
  bytes = g_bytes_new_take (json, len);
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);

  return g_steal_pointer (&message);
}

gboolean
jx_adapter_add_auth (SoupMessage *message,
                     JxProvider  *provider,
                     const char  *credential)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  const char *header = NULL;

  if (credential == NULL || *credential == '\0')
    return FALSE;

  switch (provider->auth_kind)
    {
    case JX_AUTH_NONE:
    case JX_AUTH_AWS:
      /* SigV4 signs the whole request: jx-adapter-bedrock.c does it. */
      return FALSE;

    case JX_AUTH_API_KEY:
      header = "api-key";
      break;

    case JX_AUTH_X_API_KEY:
      header = "x-api-key";
      break;

    case JX_AUTH_X_GOOG_API_KEY:
      header = "x-goog-api-key";
      break;

    case JX_AUTH_PORTKEY:
      header = jx_provider_get_option (provider, "api_key_header");
      if (header == NULL || *header == '\0')
        header = "x-portkey-api-key";
      break;

    case JX_AUTH_BEARER:
    case JX_AUTH_GOOGLE_OAUTH:   /* the resolved access token */
    default:
      break;
    }

  if (header != NULL)
    soup_message_headers_replace (headers, header, credential);
  else
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", credential);

      soup_message_headers_replace (headers, "Authorization", value);
    }

  return TRUE;
}

void
jx_adapter_add_extra_headers (SoupMessage *message,
                              JxProvider  *provider)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  JsonObject *extra;

  if (provider->options == NULL || !json_object_has_member (provider->options, "headers") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (provider->options, "headers")))
    return;

  extra = json_object_get_object_member (provider->options, "headers");
  for (GList *l = json_object_get_members (extra); l != NULL; l = g_list_delete_link (l, l))
    {
      JsonNode *value = json_object_get_member (extra, l->data);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        soup_message_headers_replace (headers, l->data, json_node_get_string (value));
    }
}

SoupMessage *
jx_adapter_build_list_message (const JxAdapter *adapter,
                               JxProvider      *provider,
                               const char      *credential,
                               gboolean        *sent_credential)
{
  g_autofree char *url = NULL;
  SoupMessage *message;

  *sent_credential = FALSE;

  /* Tokens from OAuth or SigV4 signing are the adapter's business, and a base URL with a
   * placeholder needs the adapter to fill it in. */
  if (provider->models_path == NULL || *provider->models_path == '\0' ||
      provider->base_url == NULL || *provider->base_url == '\0' ||
      strchr (provider->base_url, '{') != NULL ||
      provider->auth_kind == JX_AUTH_GOOGLE_OAUTH || provider->auth_kind == JX_AUTH_AWS)
    return NULL;

  url = jx_adapter_join_url (provider->base_url, provider->models_path);
  if (adapter->list_query != NULL && strchr (url, '?') == NULL)
    {
      char *with_query = g_strconcat (url, "?", adapter->list_query, NULL);

      g_free (url);
      url = with_query;
    }

  if ((message = soup_message_new (SOUP_METHOD_GET, url)) == NULL)
    return NULL;

  *sent_credential = jx_adapter_add_auth (message, provider, credential);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  jx_adapter_add_extra_headers (message, provider);

  return message;
}

/* ---- The credential's parts ------------------------------------------------------------ */

static const JxCredentialField bare_key_fields[] = {
  { NULL, N_("API Key"), NULL, NULL, NULL, 0, JX_CREDENTIAL_FIELD_SECRET | JX_CREDENTIAL_FIELD_KEY_ENV },
  { NULL },
};

const JxCredentialField *
jx_adapter_get_credential_fields (const JxAdapter *adapter)
{
  g_return_val_if_fail (adapter != NULL, bare_key_fields);

  return adapter->credential_fields != NULL ? adapter->credential_fields : bare_key_fields;
}

static gboolean
is_given (const char *value)
{
  return value != NULL && *value != '\0';
}

/* The alternative (non-zero) whose required fields are all given; 0 when the protocol has
 * no alternatives, G_MAXUINT when none is complete. */
static guint
pick_alternative (const JxCredentialField *fields,
                  const char             **values)
{
  guint best = G_MAXUINT;
  gboolean any = FALSE;

  for (guint i = 0; fields[i].label != NULL; i++)
    {
      guint alternative = fields[i].alternative;
      gboolean complete = TRUE;

      if (alternative == 0)
        continue;
      any = TRUE;
      if (alternative >= best)
        continue;

      for (guint j = 0; fields[j].label != NULL; j++)
        if (fields[j].alternative == alternative &&
            !(fields[j].flags & JX_CREDENTIAL_FIELD_OPTIONAL) && !is_given (values[j]))
          complete = FALSE;

      if (complete)
        best = alternative;
    }

  return any ? best : 0;
}

static void
append_missing (GString                 *text,
                const JxCredentialField *fields,
                const char             **values,
                guint                    alternative)
{
  gboolean first = TRUE;

  for (guint i = 0; fields[i].label != NULL; i++)
    if (fields[i].alternative == alternative &&
        !(fields[i].flags & JX_CREDENTIAL_FIELD_OPTIONAL) && !is_given (values[i]))
      {
        if (!first)
          g_string_append (text, _(" and "));
        g_string_append_printf (text, "“%s”", _(fields[i].label));
        first = FALSE;
      }
}

static char *
describe_missing (const JxCredentialField *fields,
                  const char             **values,
                  guint                    alternative)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint64 seen = 0;

  if (alternative != G_MAXUINT)
    append_missing (text, fields, values, 0);
  else
    /* Every incomplete alternative, in the order the fields list them. */
    for (guint i = 0; fields[i].label != NULL; i++)
      if (fields[i].alternative != 0 && fields[i].alternative < 64 &&
          !(seen & (G_GUINT64_CONSTANT (1) << fields[i].alternative)))
        {
          if (seen != 0)
            g_string_append (text, _(", or "));
          append_missing (text, fields, values, fields[i].alternative);
          seen |= G_GUINT64_CONSTANT (1) << fields[i].alternative;
        }

  /* Translators: %s lists the missing fields, e.g. “Endpoint” and “API Key” */
  return g_strdup_printf (_("Enter %s"), text->str);
}

char *
jx_adapter_compose_credential (const JxAdapter        *adapter,
                               JxCredentialValueFunc   value_of,
                               gpointer                user_data,
                               GError                **error)
{
  const JxCredentialField *fields = jx_adapter_get_credential_fields (adapter);
  g_autofree const char **values = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonObject *object;
  gboolean merged = FALSE;
  guint alternative;
  guint n;

  for (n = 0; fields[n].label != NULL; n++)
    ;
  values = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    values[i] = value_of (&fields[i], user_data);

  alternative = pick_alternative (fields, values);
  for (guint i = 0; i < n; i++)
    if (alternative == G_MAXUINT ||
        (fields[i].alternative == 0 && !(fields[i].flags & JX_CREDENTIAL_FIELD_OPTIONAL) &&
         !is_given (values[i])))
      {
        g_autofree char *message = describe_missing (fields, values, alternative);

        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
        return NULL;
      }

  /* One bare value, alone or with parts merged into it (Vertex: project, location). */
  if (fields[0].member == NULL)
    {
      for (guint i = 1; i < n; i++)
        merged |= is_given (values[i]);
      if (!merged)
        return g_strdup (values[0]);

      root = jx_json_parse (values[0], strlen (values[0]));
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a JSON object"), _(fields[0].label));
          return NULL;
        }
      object = json_node_get_object (root);
      for (guint i = 1; i < n; i++)
        if (is_given (values[i]) && fields[i].member != NULL)
          json_object_set_string_member (object, fields[i].member, values[i]);
    }
  else
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      for (guint i = 0; i < n; i++)
        if (is_given (values[i]) && fields[i].member != NULL &&
            (fields[i].alternative == 0 || fields[i].alternative == alternative))
          {
            json_builder_set_member_name (builder, fields[i].member);
            json_builder_add_string_value (builder, values[i]);
          }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
    }

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
