/* jx-providers-file-writer.c — adds a custom endpoint to the user's providers file
 *
 * The writer is apart from the parser (jx-providers-file.c) because it checks the file it is
 * about to write against a whole catalog, and the catalog is built by that parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "jx-catalog.h"
#include "jx-json.h"
#include "jx-providers-file-writer.h"
#include "jx-providers-file.h"

/* Custom endpoints speak OpenAI's Chat Completions (the "custom" built-in's protocol). */
#define CUSTOM_PROTOCOL "openai"

static char *
slugify (const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);
  GString *slug = g_string_new (NULL);

  for (const char *p = lower; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, *p);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);

  return g_string_free (slug, FALSE);
}

/* The file's root object with a "providers" array; a missing or unreadable file starts
 * empty. */
static JsonNode *
load_root (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *data = NULL;
  JsonNode *root;
  JsonObject *object;

  if (jx_json_read_file (path, JX_JSON_MAX_FILE_SIZE, &data, NULL, NULL) &&
      jx_json_check_depth (data, -1, NULL) && json_parser_load_from_data (parser, data, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_copy (json_parser_get_root (parser));
  else
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
    }

  object = json_node_get_object (root);
  if (!json_object_has_member (object, "providers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "providers")))
    json_object_set_array_member (object, "providers", json_array_new ());

  return root;
}

static void
remove_entry (JsonArray  *providers,
              const char *id)
{
  for (guint i = json_array_get_length (providers); i > 0; i--)
    {
      JsonNode *node = json_array_get_element (providers, i - 1);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL), id) == 0)
        json_array_remove_element (providers, i - 1);
    }
}

char *
jx_providers_file_add_custom (const char          *path,
                              const char          *name,
                              const char          *base_url,
                              const char * const  *model_ids,
                              double               input_per_mtok,
                              double               output_per_mtok,
                              gboolean             with_key,
                              GError             **error)
{
  g_autofree char *user_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *id = NULL;
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JxCatalog) scratch = NULL;
  JsonObject *provider;
  JsonArray *models;
  guint n_models = 0;

  g_return_val_if_fail (name != NULL && base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path == NULL)
    path = user_path = jx_providers_file_get_user_path ();

  id = slugify (name);
  for (guint i = 0; model_ids != NULL && model_ids[i] != NULL; i++)
    if (*model_ids[i] != '\0')
      n_models++;

  if (*id == '\0' || !(g_str_has_prefix (base_url, "http://") || g_str_has_prefix (base_url, "https://")) ||
      n_models == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter a name, an http or https base URL and at least one model"));
      return NULL;
    }

  root = load_root (path);
  remove_entry (json_object_get_array_member (json_node_get_object (root), "providers"), id);

  provider = json_object_new ();
  json_object_set_string_member (provider, "id", id);
  json_object_set_string_member (provider, "name", name);
  json_object_set_string_member (provider, "protocol", CUSTOM_PROTOCOL);
  json_object_set_string_member (provider, "base_url", base_url);
  json_object_set_string_member (provider, "auth_kind",
                                 jx_auth_kind_to_string (with_key ? JX_AUTH_BEARER : JX_AUTH_NONE));
  json_object_set_string_member (provider, "models_path", "models");
  models = json_array_new ();
  for (guint i = 0; model_ids[i] != NULL; i++)
    {
      JsonObject *model;

      if (*model_ids[i] == '\0')
        continue;
      model = json_object_new ();
      json_object_set_string_member (model, "id", model_ids[i]);
      json_object_set_double_member (model, "input_per_mtok", input_per_mtok);
      json_object_set_double_member (model, "output_per_mtok", output_per_mtok);
      json_array_add_object_element (models, model);
    }
  json_object_set_array_member (provider, "models", models);
  json_array_add_object_element (json_object_get_array_member (json_node_get_object (root), "providers"),
                                 provider);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);

  /* Check the new file in a scratch catalog first: a bad entry must never reach the
   * user's providers file, or every later start would fall back to the built-ins. */
  dir = g_path_get_dirname (path);
  if ((scratch = jx_catalog_new_builtin (error)) == NULL ||
      !jx_catalog_load_data (scratch, data, -1, path, error))
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }
  if (!g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  return g_steal_pointer (&id);
}
