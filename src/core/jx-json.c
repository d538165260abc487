/* jx-json.c — forgiving accessors for JSON from providers, credentials and files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-json.h"

JsonNode *
jx_json_parse (const char *data,
               gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, data, len, NULL))
    return NULL;

  return json_parser_steal_root (parser);
}

/* The member's node if it is of @type, else NULL. A null member is JSON_NODE_NULL, so it
 * is never a value, an object or an array. */
static JsonNode *
get_node (JsonObject   *object,
          const char   *member,
          JsonNodeType  type)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL ||
      json_node_get_node_type (node) != type)
    return NULL;

  return node;
}

/* A scalar member: string, number or boolean. */
static JsonNode *
get_value (JsonObject *object,
           const char *member)
{
  return get_node (object, member, JSON_NODE_VALUE);
}

const char *
jx_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

const char *
jx_json_get_nonempty_string (JsonObject *object,
                             const char *member)
{
  const char *value = jx_json_get_string (object, member);

  return value != NULL && *value != '\0' ? value : NULL;
}

gint64
jx_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL)
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    default:
      return fallback;
    }
}

double
jx_json_get_double (JsonObject *object,
                    const char *member,
                    double      fallback)
{
  JsonNode *node = get_value (object, member);
  GType type;

  if (node == NULL)
    return fallback;

  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return fallback;

  return json_node_get_double (node);
}

gboolean
jx_json_get_bool (JsonObject *object,
                  const char *member,
                  gboolean    fallback)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;

  return json_node_get_boolean (node);
}

JsonObject *
jx_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_node (object, member, JSON_NODE_OBJECT);

  return node != NULL ? json_node_get_object (node) : NULL;
}

JsonArray *
jx_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node = get_node (object, member, JSON_NODE_ARRAY);

  return node != NULL ? json_node_get_array (node) : NULL;
}
