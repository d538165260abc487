/* jx-provider.c — a provider and its models, as the catalog holds them
 *
 * Both are boxed types: JxProvider is reference counted and immutable once in a catalog
 * (a providers file that changes one makes a new instance), JxModel is copied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "jx-net.h"
#include "jx-provider-private.h"

/* In JxAuthKind order. */
static const char * const auth_kind_names[] = {
  "bearer", "api-key", "x-api-key", "x-goog-api-key", "google-oauth", "aws", "portkey",
  "none", NULL
};

const char *
jx_auth_kind_to_string (JxAuthKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (auth_kind_names) - 1, NULL);

  return auth_kind_names[kind];
}

const char * const *
jx_auth_kind_list (void)
{
  return auth_kind_names;
}

gboolean
jx_auth_kind_from_string (const char *name,
                          JxAuthKind *kind)
{
  for (guint i = 0; name != NULL && auth_kind_names[i] != NULL; i++)
    if (g_str_equal (auth_kind_names[i], name))
      {
        *kind = (JxAuthKind) i;
        return TRUE;
      }

  return FALSE;
}

JxModel *
jx_model_new (const char *id)
{
  JxModel *model = g_new0 (JxModel, 1);

  model->id = g_strdup (id);
  jx_price_init (&model->price);
  return model;
}

JxModel *
jx_model_copy (const JxModel *src)
{
  JxModel *model = g_new0 (JxModel, 1);

  model->id = g_strdup (src->id);
  model->name = g_strdup (src->name);
  model->price = src->price;
  model->batch_discount = src->batch_discount;
  model->context_window = src->context_window;
  model->price_checked = g_strdup (src->price_checked);
  model->price_overridden = src->price_overridden;
  model->price_source = g_strdup (src->price_source);
  model->retired = g_strdup (src->retired);
  model->deprecated = g_strdup (src->deprecated);
  model->imported = src->imported;
  return model;
}

void
jx_model_free (JxModel *model)
{

  if (model == NULL)
    return;

  g_free (model->id);
  g_free (model->name);
  g_free (model->price_checked);
  g_free (model->price_source);
  g_free (model->retired);
  g_free (model->deprecated);
  g_free (model);
}

gboolean
jx_model_is_retired (const JxModel *model)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *today = NULL;

  g_return_val_if_fail (model != NULL, FALSE);

  if (model->retired == NULL || model->retired[0] == '\0')
    return FALSE;
  now = g_date_time_new_now_utc ();
  today = g_date_time_format (now, "%Y-%m-%d");
  /* ISO dates compare as strings. */
  return strcmp (model->retired, today) <= 0;
}

G_DEFINE_BOXED_TYPE (JxModel, jx_model, jx_model_copy, jx_model_free)

static void
jx_provider_clear (gpointer data)
{
  JxProvider *provider = data;

  g_clear_pointer (&provider->id, g_free);
  g_clear_pointer (&provider->name, g_free);
  g_clear_pointer (&provider->protocol, g_free);
  g_clear_pointer (&provider->builtin_id, g_free);
  g_clear_pointer (&provider->base_url, g_free);
  g_clear_pointer (&provider->api_key_env, g_free);
  g_clear_pointer (&provider->key_hint, g_free);
  g_clear_pointer (&provider->docs_url, g_free);
  g_clear_pointer (&provider->models_path, g_free);
  g_clear_pointer (&provider->models, g_ptr_array_unref);
  g_clear_pointer (&provider->options, json_object_unref);
}

JxProvider *
jx_provider_new (void)
{
  JxProvider *provider = g_atomic_rc_box_new0 (JxProvider);

  provider->models = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_model_free);
  return provider;
}

/* A shallow copy of the members: nested nodes are shared, which is fine because every
 * options object in the catalog is sealed (immutable). */
JsonObject *
jx_provider_copy_options (JsonObject *src)
{
  JsonObject *object = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (src == NULL)
    return object;

  json_object_iter_init (&iter, src);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (object, name, json_node_copy (node));

  return object;
}

JxProvider *
jx_provider_copy (const JxProvider *src)
{
  JxProvider *provider = jx_provider_new ();

  provider->id = g_strdup (src->id);
  provider->name = g_strdup (src->name);
  provider->protocol = g_strdup (src->protocol);
  provider->builtin_id = g_strdup (src->builtin_id);
  provider->base_url = g_strdup (src->base_url);
  provider->auth_kind = src->auth_kind;
  provider->api_key_env = g_strdup (src->api_key_env);
  provider->key_hint = g_strdup (src->key_hint);
  provider->docs_url = g_strdup (src->docs_url);
  provider->models_path = g_strdup (src->models_path);
  provider->send_credentials_to_base_url = src->send_credentials_to_base_url;
  for (guint i = 0; i < src->models->len; i++)
    g_ptr_array_add (provider->models, jx_model_copy (g_ptr_array_index (src->models, i)));
  if (src->options != NULL)
    provider->options = jx_provider_copy_options (src->options);

  return provider;
}

G_DEFINE_BOXED_TYPE (JxProvider, jx_provider, jx_provider_ref, jx_provider_unref)

JxProvider *
jx_provider_ref (JxProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return g_atomic_rc_box_acquire (provider);
}

void
jx_provider_unref (JxProvider *provider)
{
  g_return_if_fail (provider != NULL);

  g_atomic_rc_box_release_full (provider, jx_provider_clear);
}

JxModel *
jx_provider_find_model (JxProvider *provider,
                        const char *model_id)
{
  g_return_val_if_fail (provider != NULL, NULL);

  if (model_id == NULL)
    return NULL;

  for (guint i = 0; i < provider->models->len; i++)
    {
      JxModel *model = g_ptr_array_index (provider->models, i);

      if (g_strcmp0 (model->id, model_id) == 0)
        return model;
    }

  return NULL;
}

JxModel *
jx_provider_default_model (JxProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  if (provider->models->len == 0)
    return NULL;

  return g_ptr_array_index (provider->models, 0);
}

/* Strings are returned as they are, numbers formatted (integers plainly, doubles in the
 * shortest round-trip form of g_ascii_dtostr) and booleans as "true"/"false"; objects,
 * arrays and null give NULL. Formatted values are interned, so they stay valid for the
 * life of the process. */
const char *
jx_provider_get_option (JxProvider *provider,
                        const char *name)
{
  JsonNode *node;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (provider->options == NULL)
    return NULL;

  node = json_object_get_member (provider->options, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return json_node_get_string (node);

    case G_TYPE_INT64:
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return g_intern_string (buf);

    case G_TYPE_DOUBLE:
      g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
      return g_intern_string (buf);

    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node) ? "true" : "false";

    default:
      return NULL;
    }
}

/* TRUE when requests stay on this machine or the local network: loopback (127.0.0.0/8,
 * ::1, localhost), RFC 1918 / unique-local / link-local addresses, or the simulated
 * protocol. Host names other than localhost are not resolved. */
gboolean
jx_provider_is_local (JxProvider *provider)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (provider != NULL, FALSE);

  if (jx_provider_is_simulated (provider))
    return TRUE;

  if (provider->base_url == NULL || provider->base_url[0] == '\0')
    return FALSE;

  uri = g_uri_parse (provider->base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  return jx_host_is_local (g_uri_get_host (uri));
}
