/* jx-keys.c
 *
 * Keys never touch a file of ours: they live in the environment the user set up or in the
 * Secret Service (gnome-keyring, or the Secret portal inside Flatpak).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "jx-adapter.h"
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
  return provider->auth_kind != JX_AUTH_NONE;
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = name != NULL ? g_getenv (name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The variable a credential field is read from: the provider's own names first. */
static const char *
field_env (JxProvider              *provider,
           const JxCredentialField *field)
{
  const char *option = field->env_option != NULL ? jx_provider_get_option (provider, field->env_option) : NULL;

  if ((field->flags & JX_CREDENTIAL_FIELD_KEY_ENV) && provider->api_key_env != NULL)
    return provider->api_key_env;
  if (option != NULL && *option != '\0')
    return option;
  return field->env;
}

/* The field's value from the environment, or NULL. */
static const char *
field_getenv (JxProvider              *provider,
              const JxCredentialField *field,
              const char             **name)
{
  const char *value;

  *name = field_env (provider, field);
  if ((value = getenv_nonempty (*name)) == NULL && field->env_fallback != NULL &&
      (value = getenv_nonempty (field->env_fallback)) != NULL)
    *name = field->env_fallback;

  return value;
}

typedef struct
{
  JxProvider *provider;
  GPtrArray  *contents;   /* file contents read, wiped and freed at the end */
} EnvLookup;

static const char *
env_value_cb (const JxCredentialField *field,
              gpointer                 user_data)
{
  EnvLookup *lookup = user_data;
  const char *name;
  const char *value = field_getenv (lookup->provider, field, &name);
  char *contents = NULL;

  if (value == NULL || !(field->flags & JX_CREDENTIAL_FIELD_FILE_CONTENTS))
    return value;

  if (!g_file_get_contents (value, &contents, NULL, NULL))
    return NULL;
  g_ptr_array_add (lookup->contents, contents);
  return contents;
}

static void
wipe_free (gpointer data)
{
  char *text = data;

  memset (text, 0, strlen (text));
  g_free (text);
}

char *
jx_keys_lookup_env (JxProvider *provider)
{
  const JxAdapter *adapter = jx_adapter_for_provider (provider);
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func (wipe_free);
  EnvLookup lookup = { provider, contents };

  if (adapter == NULL)
    return NULL;

  /* Missing parts are not an error here: the keyring may have them. */
  return jx_adapter_compose_credential (adapter, env_value_cb, &lookup, NULL);
}

const char *
jx_keys_get_env_name (JxProvider *provider)
{
  const JxAdapter *adapter = jx_adapter_for_provider (provider);
  const JxCredentialField *fields;
  const char *first = NULL;
  const char *name;
  guint last = 0;

  if (adapter == NULL)
    return provider->api_key_env;

  /* Alternatives in the order they are tried (1, 2, …), then the parts always needed. */
  fields = jx_adapter_get_credential_fields (adapter);
  for (guint i = 0; fields[i].label != NULL; i++)
    last = MAX (last, fields[i].alternative);
  for (guint alternative = 1; alternative <= last + 1; alternative++)
    for (guint i = 0; fields[i].label != NULL; i++)
      if (fields[i].alternative == (alternative > last ? 0 : alternative) &&
          !(fields[i].flags & JX_CREDENTIAL_FIELD_OPTIONAL) &&
          field_getenv (provider, &fields[i], &name) != NULL)
        return name;

  for (guint i = 0; fields[i].label != NULL; i++)
    if (!(fields[i].flags & JX_CREDENTIAL_FIELD_OPTIONAL) && (first = field_env (provider, &fields[i])) != NULL)
      break;

  return first;
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

/* The required variables of one alternative, "A and B". */
static void
append_required (GString                 *text,
                 JxProvider              *provider,
                 const JxCredentialField *fields,
                 guint                    alternative)
{
  gboolean first = TRUE;

  for (guint i = 0; fields[i].label != NULL; i++)
    {
      const char *name;

      if (fields[i].alternative != alternative || (fields[i].flags & JX_CREDENTIAL_FIELD_OPTIONAL) ||
          (name = field_env (provider, &fields[i])) == NULL)
        continue;
      g_string_append_printf (text, "%s%s", first ? "" : " and ", name);
      first = FALSE;
    }
}

char *
jx_keys_describe_missing (JxProvider *provider)
{
  const char *name = provider->name != NULL ? provider->name : provider->id;
  const JxAdapter *adapter = jx_adapter_for_provider (provider);
  const JxCredentialField *fields = adapter != NULL ? jx_adapter_get_credential_fields (adapter) : NULL;
  g_autoptr(GString) vars = g_string_new (NULL);
  guint required = 0;
  guint seen = 0;

  for (guint i = 0; fields != NULL && fields[i].label != NULL; i++)
    if (!(fields[i].flags & JX_CREDENTIAL_FIELD_OPTIONAL))
      required++;

  if (required > 1)
    {
      /* "A and B (or C)", alternatives in the order they are listed */
      for (guint i = 0; fields[i].label != NULL; i++)
        if (fields[i].alternative != 0 && fields[i].alternative < 32 && !(seen & (1u << fields[i].alternative)))
          {
            g_autoptr(GString) set = g_string_new (NULL);

            seen |= 1u << fields[i].alternative;
            append_required (set, provider, fields, fields[i].alternative);
            if (set->len == 0)
              continue;
            if (vars->len == 0)
              g_string_append (vars, set->str);
            else
              g_string_append_printf (vars, " (or %s)", set->str);
          }
      if (vars->len > 0)
        g_string_append (vars, " ");
      append_required (vars, provider, fields, 0);
      g_strchomp (vars->str);
      g_string_set_size (vars, strlen (vars->str));
      if (vars->len > 0)
        return g_strdup_printf ("no credentials for %s: set %s, or add them in Preferences", name, vars->str);
    }
  else if (fields != NULL)
    append_required (vars, provider, fields, 0);

  if (vars->len > 0)
    return g_strdup_printf ("no key for %s: set %s or add one in Preferences", name, vars->str);

  return g_strdup_printf ("no key for %s: add one in Preferences", name);
}
