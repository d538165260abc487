/* jx-adapter.c — the protocol table, and what is looked up in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-adapter-private.h"

/* One line in each list per protocol: its descriptor, defined in its jx-adapter-<name>.c.
 * "simulated" (the offline demo) lives with OpenAI, whose wire format it speaks. */
extern const JxAdapter jx_adapter_openai;
extern const JxAdapter jx_adapter_azure_openai;
extern const JxAdapter jx_adapter_simulated;
extern const JxAdapter jx_adapter_anthropic;
extern const JxAdapter jx_adapter_gemini;
extern const JxAdapter jx_adapter_vertex;
extern const JxAdapter jx_adapter_bedrock;
extern const JxAdapter jx_adapter_cohere;
extern const JxAdapter jx_adapter_replicate;
extern const JxAdapter jx_adapter_ollama;

static const JxAdapter *adapters[] = {
  &jx_adapter_openai,
  &jx_adapter_azure_openai,
  &jx_adapter_simulated,
  &jx_adapter_anthropic,
  &jx_adapter_gemini,
  &jx_adapter_vertex,
  &jx_adapter_bedrock,
  &jx_adapter_cohere,
  &jx_adapter_replicate,
  &jx_adapter_ollama,
};

void
jx_prompt_init (JxPrompt *prompt)
{
  prompt->system = NULL;
  prompt->user = NULL;
  prompt->temperature = NAN;
  prompt->max_tokens = 0;
}

void
jx_prompt_clear (JxPrompt *prompt)
{
  g_clear_pointer (&prompt->system, g_free);
  g_clear_pointer (&prompt->user, g_free);
}

const JxAdapter *
jx_adapter_lookup (const char *protocol)
{
  if (protocol == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (adapters); i++)
    if (g_str_equal (adapters[i]->protocol, protocol))
      return adapters[i];

  return NULL;
}

const JxAdapter *
jx_adapter_for_provider (JxProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return jx_adapter_lookup (provider->protocol);
}

const char * const *
jx_adapter_list_protocols (void)
{
  static const char *names[G_N_ELEMENTS (adapters) + 1];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (adapters); i++)
        names[i] = adapters[i]->protocol;
      g_once_init_leave (&initialized, 1);
    }

  return names;
}

const char *
jx_adapter_provider_for_litellm (const char *litellm_provider)
{
  g_autofree char *base = NULL;
  const char *dash;

  if (litellm_provider == NULL)
    return NULL;

  /* "vertex_ai-language-models", "vertex_ai-anthropic_models", … */
  dash = strchr (litellm_provider, '-');
  base = dash != NULL ? g_strndup (litellm_provider, dash - litellm_provider)
                      : g_strdup (litellm_provider);

  for (guint i = 0; i < G_N_ELEMENTS (adapters); i++)
    {
      const char * const *pairs = adapters[i]->litellm_providers;

      for (guint j = 0; pairs != NULL && pairs[j] != NULL && pairs[j + 1] != NULL; j += 2)
        if (g_str_equal (pairs[j], litellm_provider) || g_str_equal (pairs[j], base))
          return pairs[j + 1];
    }

  return NULL;
}

static char *
describe_node (JsonNode *node)
{
  JsonObject *object;
  JsonNode *error;
  const char *message;

  if (node == NULL)
    return NULL;

  /* Vertex wraps errors in an array: [{"error":{…}}] */
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) > 0)
        return describe_node (json_array_get_element (array, 0));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);

  if (json_object_has_member (object, "error"))
    {
      error = json_object_get_member (object, "error");
      if (JSON_NODE_HOLDS_OBJECT (error))
        {
          char *inner = describe_node (error);

          if (inner != NULL)
            return inner;
        }
      else if (JSON_NODE_HOLDS_VALUE (error) && json_node_get_value_type (error) == G_TYPE_STRING)
        {
          const char *description = jx_json_get_string (object, "error_description");

          if (description != NULL)
            return g_strdup_printf ("%s: %s", json_node_get_string (error), description);
          return g_strdup (json_node_get_string (error));
        }
    }

  if ((message = jx_json_get_string (object, "message")) != NULL)
    return g_strdup (message);
  if ((message = jx_json_get_string (object, "detail")) != NULL)
    return g_strdup (message);
  if ((message = jx_json_get_string (object, "error_description")) != NULL)
    return g_strdup (message);

  /* Mistral 422: {"message":{"detail":[{"msg":…,"loc":[…]}]}} */
  if (json_object_has_member (object, "message"))
    {
      JsonNode *inner = json_object_get_member (object, "message");

      if (JSON_NODE_HOLDS_OBJECT (inner))
        return describe_node (inner);
    }
  if (json_object_has_member (object, "detail"))
    {
      JsonNode *detail = json_object_get_member (object, "detail");

      if (JSON_NODE_HOLDS_ARRAY (detail) && json_array_get_length (json_node_get_array (detail)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (detail), 0);

          if (JSON_NODE_HOLDS_OBJECT (first))
            {
              const char *msg = jx_json_get_string (json_node_get_object (first), "msg");

              if (msg != NULL)
                return g_strdup (msg);
            }
        }
    }

  return NULL;
}

char *
jx_adapter_describe_error_body (const char *body,
                                gsize       len)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char *message;

  if (body == NULL || len == 0)
    return NULL;

  if ((root = jx_json_parse (body, len)) != NULL &&
      (message = describe_node (root)) != NULL)
    return message;

  /* Not JSON: a short plain-text body is still better than nothing. */
  text = g_utf8_make_valid (body, MIN (len, 300));
  g_strstrip (text);
  if (*text == '\0' || *text == '<')
    return NULL;

  return g_steal_pointer (&text);
}

/* Declared in jx-provider.h; defined here, where protocols are known, so that the provider
 * type does not depend on the adapters. */
gboolean
jx_provider_is_simulated (JxProvider *provider)
{
  const JxAdapter *adapter;

  g_return_val_if_fail (provider != NULL, FALSE);

  adapter = jx_adapter_lookup (provider->protocol);
  return adapter != NULL && adapter->is_simulated;
}
