/* jx-keys.c
 *
 * Keys never touch a file of ours: they live in the environment the user set up or in the
 * Secret Service (gnome-keyring, or the Secret portal inside Flatpak).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "jx-keys.h"

const SecretSchema *
jx_keys_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.juxta.Juxta.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

gboolean
jx_keys_provider_needs_key (JxProvider *provider)
{
  return provider->auth_kind == NULL || !g_str_equal (provider->auth_kind, "none");
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

static char *
json_object_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

char *
jx_keys_lookup_env (JxProvider *provider)
{
  const char *protocol = provider->protocol != NULL ? provider->protocol : "";
  const char *value;

  if (g_str_equal (protocol, "bedrock"))
    {
      g_autoptr(JsonBuilder) builder = NULL;
      /* Each entry may name its own variables (options *_env), defaulting to the AWS ones. */
      const char *bearer = getenv_nonempty (option_or (provider, "bearer_token_env", "AWS_BEARER_TOKEN_BEDROCK"));
      const char *access_key = getenv_nonempty (provider->api_key_env != NULL ? provider->api_key_env
                                                                           : "AWS_ACCESS_KEY_ID");
      const char *secret_key = getenv_nonempty (option_or (provider, "secret_key_env", "AWS_SECRET_ACCESS_KEY"));
      const char *region = getenv_nonempty (option_or (provider, "region_env", "AWS_REGION"));

      if (region == NULL)
        region = getenv_nonempty ("AWS_DEFAULT_REGION");
      if (bearer == NULL && (access_key == NULL || secret_key == NULL))
        return NULL;

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      if (bearer != NULL)
        add_member (builder, "api_key", bearer);
      else
        {
          add_member (builder, "access_key_id", access_key);
          add_member (builder, "secret_access_key", secret_key);
          add_member (builder, "session_token",
                      getenv_nonempty (option_or (provider, "session_token_env", "AWS_SESSION_TOKEN")));
        }
      add_member (builder, "region", region);
      json_builder_end_object (builder);
      return json_object_to_string (builder);
    }

  if (g_str_equal (protocol, "vertex"))
    {
      const char *path = getenv_nonempty (provider->api_key_env != NULL ? provider->api_key_env
                                                                        : "GOOGLE_APPLICATION_CREDENTIALS");
      char *contents = NULL;

      if (path != NULL && g_file_get_contents (path, &contents, NULL, NULL))
        return contents;
      return NULL;
    }

  if ((value = getenv_nonempty (provider->api_key_env)) == NULL)
    return NULL;

  if (g_str_equal (protocol, "azure-openai"))
    {
      const char *endpoint_env = jx_provider_get_option (provider, "endpoint_env");
      const char *endpoint = getenv_nonempty (endpoint_env != NULL ? endpoint_env : "AZURE_OPENAI_ENDPOINT");

      if (endpoint != NULL)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          add_member (builder, "api_key", value);
          add_member (builder, "endpoint", endpoint);
          json_builder_end_object (builder);
          return json_object_to_string (builder);
        }
    }

  return g_strdup (value);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
jx_keys_lookup_async (JxProvider          *provider,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  char *from_env;

  g_task_set_source_tag (task, jx_keys_lookup_async);

  if ((from_env = jx_keys_lookup_env (provider)) != NULL)
    {
      g_task_return_pointer (task, from_env, g_free);
      return;
    }

  secret_password_lookup (jx_keys_get_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "provider", provider->id,
                          NULL);
}

char *
jx_keys_lookup_finish (GAsyncResult  *result,
                       GError       **error)
{
  char *secret = g_task_propagate_pointer (G_TASK (result), error);
  char *copy;

  /* libsecret hands out non-pageable memory; give callers ordinary memory to g_free(). */
  if (secret == NULL)
    return NULL;
  copy = g_strdup (secret);
  memset (secret, 0, strlen (secret));
  g_free (secret);
  return copy;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
jx_keys_store_async (JxProvider          *provider,
                     const char          *secret,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = g_strdup_printf ("Juxta: %s API key",
                                            provider->name != NULL ? provider->name : provider->id);

  g_task_set_source_tag (task, jx_keys_store_async);
  secret_password_store (jx_keys_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, store_cb, task,
                         "provider", provider->id,
                         NULL);
}

gboolean
jx_keys_store_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, removed);
}

void
jx_keys_clear_async (JxProvider          *provider,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, jx_keys_clear_async);
  secret_password_clear (jx_keys_get_schema (), cancellable, clear_cb, task,
                         "provider", provider->id,
                         NULL);
}

gboolean
jx_keys_clear_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
jx_keys_describe_missing (JxProvider *provider)
{
  const char *name = provider->name != NULL ? provider->name : provider->id;
  const char *protocol = provider->protocol != NULL ? provider->protocol : "";

  if (g_str_equal (protocol, "bedrock"))
    return g_strdup_printf ("no credentials for %s: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                            "(or AWS_BEARER_TOKEN_BEDROCK), or add them in Preferences", name);
  if (provider->api_key_env != NULL)
    return g_strdup_printf ("no key for %s: set %s or add one in Preferences", name, provider->api_key_env);

  return g_strdup_printf ("no key for %s: add one in Preferences", name);
}
