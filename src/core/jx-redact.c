/* jx-redact.c — keeps credentials out of text a provider sends back (see jx-redact.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-json.h"
#include "jx-redact.h"

#define MIN_SECRET_LEN 8

static void
add_secret (GPtrArray  *secrets,
            const char *secret,
            gsize       len)
{
  if (len < MIN_SECRET_LEN)
    return;
  for (guint i = 0; i < secrets->len; i++)
    if (strlen (secrets->pdata[i]) == len && memcmp (secrets->pdata[i], secret, len) == 0)
      return;
  g_ptr_array_add (secrets, g_strndup (secret, len));
}

/* Parts of a multi-part credential that are secret ("api_key", "secret_access_key",
 * "session_token", "token"…), not the ones that only say where it goes ("endpoint",
 * "project"), which a provider's message may rightly name. */
static gboolean
is_secret_member (const char *name)
{
  static const char * const words[] = { "key", "secret", "token", "password", "auth" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

void
jx_redact_add_credential (GPtrArray  *secrets,
                          const char *credential)
{
  g_autoptr(JsonNode) root = NULL;
  const char *p, *start;

  if (credential == NULL)
    return;

  add_secret (secrets, credential, strlen (credential));

  /* {"access_key_id":…,"secret_access_key":…} and the like. */
  if ((root = jx_json_parse (credential, -1)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, json_node_get_object (root));
      while (json_object_iter_next (&iter, &name, &node))
        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
            is_secret_member (name))
          add_secret (secrets, json_node_get_string (node), strlen (json_node_get_string (node)));
      return;
    }

  /* "user:secret", "id secret"… */
  for (p = start = credential;; p++)
    {
      if (*p == '\0' || *p == ':' || *p == '|' || g_ascii_isspace (*p))
        {
          if (start != credential || *p != '\0')
            add_secret (secrets, start, p - start);
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
}

static int
longer_first (gconstpointer a,
              gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a), lb = strlen (*(const char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

char *
jx_redact (const char *text,
           GPtrArray  *secrets)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GString *out = NULL;

  if (text == NULL || secrets == NULL || secrets->len == 0)
    return NULL;

  /* Borrowed pointers: a g_ptr_array_copy () would share the free function. */
  sorted = g_ptr_array_sized_new (secrets->len);
  for (guint i = 0; i < secrets->len; i++)
    g_ptr_array_add (sorted, secrets->pdata[i]);
  g_ptr_array_sort (sorted, longer_first);

  for (guint i = 0; i < sorted->len; i++)
    {
      const char *secret = sorted->pdata[i];

      if (strstr (out != NULL ? out->str : text, secret) == NULL)
        continue;
      if (out == NULL)
        out = g_string_new (text);
      g_string_replace (out, secret, JX_REDACTED, 0);
    }

  return out != NULL ? g_string_free (out, FALSE) : NULL;
}
