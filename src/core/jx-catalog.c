/* jx-catalog.c — provider and model definitions: built-in catalog + user providers file
 *
 * The built-in catalog (catalog.json in the GResource) and the user's providers file
 * ($XDG_CONFIG_HOME/juxta/providers.json) share one format:
 *
 *   {"providers":[{"id":"openai","name":"OpenAI","protocol":"openai",
 *                  "base_url":"https://api.openai.com/v1","auth_kind":"bearer",
 *                  "api_key_env":"OPENAI_API_KEY","key_hint":"starts with sk-",
 *                  "docs_url":"…","models_path":"models","options":{…},
 *                  "models":[{"id":"gpt-5.4-mini","name":"GPT-5.4 mini",
 *                             "input_per_mtok":0.75,"cached_input_per_mtok":0.075,
 *                             "output_per_mtok":4.5,"cache_write_per_mtok":…,
 *                             "batch_discount":0.5,"context_window":1050000,
 *                             "price_checked":"2026-07"}]}]}
 *
 * Merging: an entry whose id is already in the catalog overrides only the fields it gives
 * (options are merged key by key, a null option removes the key; models are merged by id:
 * a known model id overrides the fields given, a new one is appended) and keeps the
 * provider's builtin_id. A new id needs "protocol" and "base_url" (ollama and simulated
 * have defaults) and gets builtin_id NULL. A whole file is validated before the catalog
 * changes, so a load either applies everything or nothing. Overridden providers are new
 * JxProvider instances; references held elsewhere stay valid and unchanged.
 *
 * base_url: http or https with a host; OpenAI-compatible ones end in the version segment.
 * It may contain the placeholders {location} (vertex, options.location) and {region}
 * (bedrock, options.region). "simulated://" is only for protocol "simulated". An empty
 * base_url is only allowed for azure-openai, which then takes the endpoint from the
 * environment variable named by options.endpoint_env.
 *
 * Options the built-in catalog uses (all optional, read with jx_provider_get_option):
 *   max_tokens_field   "max_completion_tokens" or "max_tokens" (OpenAI-compatible)
 *   stream_options     false: never send stream_options.include_usage (OpenAI-compatible)
 *   headers            object of extra static request headers (OpenRouter attribution)
 *   api_key_header     header carrying the key (Portkey: x-portkey-api-key)
 *   endpoint_env, api_version, url_form   Azure ("deployment" URL form by default)
 *   anthropic_version  Anthropic header / Vertex body value
 *   location, project_env, global_base_url   Vertex ({location} in base_url)
 *   region, region_env, secret_key_env, session_token_env, bearer_token_env,
 *   signing_name, models_url                  Bedrock ({region} in base_url)
 *   price_note         where a gateway's prices come from
 *   simulated          TRUE for the offline demo provider
 *
 * Error lines: json-glib 1.6 has no node locations, so for a semantic error the line is
 * found by re-scanning the source text along the JSON path of the offending member
 * (providers → [i] → field, or … → models → [j] → field); the text has already parsed,
 * so a small structural scanner (strings, nesting, the comments json-glib accepts) is
 * enough. With duplicate keys the first occurrence is reported. When the member is
 * missing the line of the enclosing object is used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-catalog.h"
#include "jx-json.h"
#include "jx-net.h"

#define BUILTIN_RESOURCE_PATH "/io/github/juxta/Juxta/catalog.json"
#define BUILTIN_SOURCE_NAME   "catalog.json"

struct _JxCatalog
{
  GObject     parent_instance;

  GPtrArray  *providers;   /* JxProvider* (owned), catalog order */
  GHashTable *by_id;       /* id → JxProvider* (borrowed from providers) */
};

G_DEFINE_FINAL_TYPE (JxCatalog, jx_catalog, G_TYPE_OBJECT)

G_DEFINE_QUARK (jx-catalog-error-quark, jx_catalog_error)

static const char * const known_protocols[] = {
  "openai", "azure-openai", "anthropic", "gemini", "vertex", "bedrock", "cohere",
  "replicate", "ollama", "simulated", NULL
};

static const char * const known_auth_kinds[] = {
  "bearer", "api-key", "x-api-key", "x-goog-api-key", "google-oauth", "aws", "portkey",
  "none", NULL
};

/* ------------------------------------------------------------------------------------ */
/* Models and providers                                                                 */
/* ------------------------------------------------------------------------------------ */

static JxModel *
jx_model_new (const char *id)
{
  JxModel *model = g_new0 (JxModel, 1);

  model->id = g_strdup (id);
  jx_price_init (&model->price);
  return model;
}

static JxModel *
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
  return model;
}

static void
jx_model_free (gpointer data)
{
  JxModel *model = data;

  if (model == NULL)
    return;

  g_free (model->id);
  g_free (model->name);
  g_free (model->price_checked);
  g_free (model);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxModel, jx_model_free)

static void
jx_provider_clear (gpointer data)
{
  JxProvider *provider = data;

  g_clear_pointer (&provider->id, g_free);
  g_clear_pointer (&provider->name, g_free);
  g_clear_pointer (&provider->protocol, g_free);
  g_clear_pointer (&provider->builtin_id, g_free);
  g_clear_pointer (&provider->base_url, g_free);
  g_clear_pointer (&provider->auth_kind, g_free);
  g_clear_pointer (&provider->api_key_env, g_free);
  g_clear_pointer (&provider->key_hint, g_free);
  g_clear_pointer (&provider->docs_url, g_free);
  g_clear_pointer (&provider->models_path, g_free);
  g_clear_pointer (&provider->models, g_ptr_array_unref);
  g_clear_pointer (&provider->options, json_object_unref);
}

static JxProvider *
jx_provider_new (void)
{
  JxProvider *provider = g_atomic_rc_box_new0 (JxProvider);

  provider->models = g_ptr_array_new_with_free_func (jx_model_free);
  return provider;
}

/* A shallow copy of the members: nested nodes are shared, which is fine because every
 * options object in the catalog is sealed (immutable). */
static JsonObject *
copy_options (JsonObject *src)
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

static JxProvider *
jx_provider_copy (const JxProvider *src)
{
  JxProvider *provider = jx_provider_new ();

  provider->id = g_strdup (src->id);
  provider->name = g_strdup (src->name);
  provider->protocol = g_strdup (src->protocol);
  provider->builtin_id = g_strdup (src->builtin_id);
  provider->base_url = g_strdup (src->base_url);
  provider->auth_kind = g_strdup (src->auth_kind);
  provider->api_key_env = g_strdup (src->api_key_env);
  provider->key_hint = g_strdup (src->key_hint);
  provider->docs_url = g_strdup (src->docs_url);
  provider->models_path = g_strdup (src->models_path);
  for (guint i = 0; i < src->models->len; i++)
    g_ptr_array_add (provider->models, jx_model_copy (g_ptr_array_index (src->models, i)));
  if (src->options != NULL)
    provider->options = copy_options (src->options);

  return provider;
}

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

  if (g_strcmp0 (provider->protocol, "simulated") == 0)
    return TRUE;

  if (provider->base_url == NULL || provider->base_url[0] == '\0')
    return FALSE;

  uri = g_uri_parse (provider->base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  return jx_host_is_local (g_uri_get_host (uri));
}

/* ------------------------------------------------------------------------------------ */
/* Source scanner: finds the line of a member by its JSON path                          */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  const char *key;   /* member name, or NULL for an array index */
  guint       index;
} PathElem;

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
} Scanner;

static void
scanner_skip_ws (Scanner *s)
{
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == '\n')
        {
          s->line++;
          s->p++;
        }
      else if (c == ' ' || c == '\t' || c == '\r')
        {
          s->p++;
        }
      else if (c == '/' && s->p + 1 < s->end && s->p[1] == '*')
        {
          /* json-glib's scanner accepts C comments. */
          s->p += 2;
          while (s->p < s->end && !(s->p[0] == '*' && s->p + 1 < s->end && s->p[1] == '/'))
            {
              if (*s->p == '\n')
                s->line++;
              s->p++;
            }
          s->p = MIN (s->p + 2, s->end);
        }
      else
        {
          break;
        }
    }
}

/* At a quote (json-glib also accepts single quotes): skips the string and returns its
 * raw (still escaped) contents. */
static gboolean
scanner_string (Scanner     *s,
                const char **start,
                gsize       *len)
{
  char quote;

  if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
    return FALSE;

  quote = *s->p++;
  *start = s->p;
  while (s->p < s->end && *s->p != quote)
    {
      if (*s->p == '\\' && s->p + 1 < s->end)
        s->p++;
      if (*s->p == '\n')
        s->line++;
      s->p++;
    }
  *len = s->p - *start;
  if (s->p < s->end)
    s->p++;

  return TRUE;
}

static void
scanner_skip_value (Scanner *s)
{
  const char *start;
  gsize len;

  scanner_skip_ws (s);
  if (s->p >= s->end)
    return;

  if (*s->p == '"' || *s->p == '\'')
    {
      scanner_string (s, &start, &len);
    }
  else if (*s->p == '{' || *s->p == '[')
    {
      guint depth = 0;

      while (s->p < s->end)
        {
          scanner_skip_ws (s);
          if (s->p >= s->end)
            break;

          if (*s->p == '"' || *s->p == '\'')
            {
              scanner_string (s, &start, &len);
            }
          else if (*s->p == '{' || *s->p == '[')
            {
              depth++;
              s->p++;
            }
          else if (*s->p == '}' || *s->p == ']')
            {
              s->p++;
              if (--depth == 0)
                break;
            }
          else
            {
              s->p++;
            }
        }
    }
  else
    {
      while (s->p < s->end && strchr (",}] \t\r\n/", *s->p) == NULL)
        s->p++;
    }
}

/* Walks path through text; returns the line of the last element found (the member's key
 * line for a member, the value's line for an array element). Lines start at 1. */
static guint
locate_line (const char     *text,
             gsize           len,
             const PathElem *path,
             guint           n_path)
{
  Scanner s = { text, text + len, 1 };
  guint line;

  scanner_skip_ws (&s);
  line = s.line;

  for (guint i = 0; i < n_path; i++)
    {
      gboolean last = (i + 1 == n_path);

      scanner_skip_ws (&s);
      if (s.p >= s.end)
        return line;
      line = s.line;

      if (path[i].key != NULL)
        {
          gsize key_len = strlen (path[i].key);
          gboolean found = FALSE;

          if (*s.p != '{')
            return line;
          s.p++;

          while (!found)
            {
              const char *key;
              gsize klen;
              guint key_line;

              scanner_skip_ws (&s);
              key_line = s.line;
              if (!scanner_string (&s, &key, &klen))
                return line;
              scanner_skip_ws (&s);
              if (s.p >= s.end || *s.p != ':')
                return line;
              s.p++;

              if (klen == key_len && memcmp (key, path[i].key, klen) == 0)
                {
                  if (last)
                    return key_line;
                  found = TRUE;
                }
              else
                {
                  scanner_skip_value (&s);
                  scanner_skip_ws (&s);
                  if (s.p >= s.end || *s.p != ',')
                    return line;
                  s.p++;
                }
            }
        }
      else
        {
          guint k = 0;

          if (*s.p != '[')
            return line;
          s.p++;

          for (;;)
            {
              scanner_skip_ws (&s);
              if (s.p >= s.end || *s.p == ']')
                return line;
              if (k == path[i].index)
                break;
              scanner_skip_value (&s);
              scanner_skip_ws (&s);
              if (s.p >= s.end || *s.p != ',')
                return line;
              s.p++;
              k++;
            }

          if (last)
            return s.line;
        }
    }

  return line;
}

/* ------------------------------------------------------------------------------------ */
/* Loader                                                                                */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  const char *source;     /* display name used in messages */
  const char *text;
  gsize       len;
  gboolean    builtin;
} LoadCtx;

/* Where in the file an entry is: providers[provider_index](.models[model_index]). */
typedef struct
{
  const LoadCtx *ctx;
  guint          provider_index;
  gint           model_index;   /* -1: provider level */
  const char    *model_id;      /* for messages; NULL when not known yet */
} Loc;

static gboolean loc_error (const Loc  *loc,
                           GError    **error,
                           const char *field,
                           const char *format,
                           ...) G_GNUC_PRINTF (4, 5);

/* Always returns FALSE so callers can `return loc_error (…)`. field NULL = the entry. */
static gboolean
loc_error (const Loc  *loc,
           GError    **error,
           const char *field,
           const char *format,
           ...)
{
  g_autofree char *detail = NULL;
  g_autofree char *subject = NULL;
  PathElem path[5];
  guint n = 0;
  guint line;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  path[n++] = (PathElem) { "providers", 0 };
  path[n++] = (PathElem) { NULL, loc->provider_index };
  if (loc->model_index >= 0)
    {
      path[n++] = (PathElem) { "models", 0 };
      path[n++] = (PathElem) { NULL, (guint) loc->model_index };
    }
  if (field != NULL)
    path[n++] = (PathElem) { field, 0 };

  line = locate_line (loc->ctx->text, loc->ctx->len, path, n);

  if (loc->model_index < 0)
    {
      if (field != NULL)
        subject = g_strdup_printf ("field “%s”", field);
      else
        subject = g_strdup_printf ("providers[%u]", loc->provider_index);
    }
  else if (field != NULL && loc->model_id != NULL)
    subject = g_strdup_printf ("field “%s” of model “%s”", field, loc->model_id);
  else if (field != NULL)
    subject = g_strdup_printf ("field “%s” of models[%d]", field, loc->model_index);
  else
    subject = g_strdup_printf ("models[%d]", loc->model_index);

  g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID,
               "%s:%u: %s: %s", loc->ctx->source, line, subject, detail);
  return FALSE;
}

static const char *
describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return "a number";
    default:
      return "an unsupported value";
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* Reads an optional string member into *value (replacing it). Absent: *value untouched.
 * null: *value cleared when allow_null, else an error. */
static gboolean
read_string (const Loc   *loc,
             JsonObject  *object,
             const char  *field,
             gboolean     allow_null,
             char       **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_NULL (node) && allow_null)
    {
      g_clear_pointer (value, g_free);
      return TRUE;
    }

  if (!node_is_string (node))
    return loc_error (loc, error, field, "expected a string, got %s", describe_node (node));

  g_free (*value);
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* Optional number member. null (or a negative price) means unknown: *value = unknown. */
static gboolean
read_number (const Loc  *loc,
             JsonObject *object,
             const char *field,
             double      unknown,
             double     *value,
             gboolean   *present,
             GError    **error)
{
  JsonNode *node = json_object_get_member (object, field);
  double d;

  *present = FALSE;
  if (node == NULL)
    return TRUE;

  *present = TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *value = unknown;
      return TRUE;
    }

  if (!node_is_number (node))
    return loc_error (loc, error, field, "expected a number, got %s", describe_node (node));

  d = json_node_get_double (node);
  if (!isfinite (d))
    return loc_error (loc, error, field, "number out of range");

  *value = d;
  return TRUE;
}

static gboolean
read_price (const Loc  *loc,
            JsonObject *object,
            const char *field,
            double     *value,
            gboolean   *changed,
            GError    **error)
{
  gboolean present;

  if (!read_number (loc, object, field, -1.0, value, &present, error))
    return FALSE;

  if (present)
    {
      if (*value < 0)
        *value = -1.0;
      *changed = TRUE;
    }

  return TRUE;
}

static char *
join_strv (const char * const *strv)
{
  return g_strjoinv (", ", (char **) strv);
}

static gboolean
is_valid_provider_id (const char *id)
{
  if (id[0] == '\0')
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

static gboolean
is_valid_env_name (const char *name)
{
  if (name[0] == '\0' || g_ascii_isdigit (name[0]))
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

/* Checks a base URL; on failure returns FALSE with a reason for the message. */
static gboolean
check_base_url (const char  *url,
                const char  *protocol,
                char       **reason)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) probe = NULL;
  const char *scheme;
  const char *host;

  if (g_strcmp0 (protocol, "simulated") == 0 && g_str_has_prefix (url, "simulated://"))
    return TRUE;

  if (url[0] == '\0')
    {
      if (g_strcmp0 (protocol, "azure-openai") == 0)
        return TRUE;   /* endpoint from options.endpoint_env */
      *reason = g_strdup ("the URL is empty");
      return FALSE;
    }

  /* Placeholders are filled in by the adapters; check the rest of the URL. */
  probe = g_string_new (url);
  g_string_replace (probe, "{location}", "location", 0);
  g_string_replace (probe, "{region}", "region", 0);
  if (strchr (probe->str, '{') != NULL || strchr (probe->str, '}') != NULL)
    {
      *reason = g_strdup ("only the placeholders {location} and {region} are supported");
      return FALSE;
    }

  uri = g_uri_parse (probe->str, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      *reason = g_strdup ("not an absolute URL (expected http://host… or https://host…)");
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "simulated") == 0)
    {
      *reason = g_strdup ("simulated:// is only valid with protocol “simulated”");
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      *reason = g_strdup_printf ("scheme “%s” is not http or https", scheme);
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    {
      *reason = g_strdup ("the URL has no host");
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      *reason = g_strdup ("a base URL must not have a query (?…) or fragment (#…)");
      return FALSE;
    }

  return TRUE;
}

static const char *
default_auth_kind (const char *protocol)
{
  if (g_str_equal (protocol, "azure-openai"))
    return "api-key";
  if (g_str_equal (protocol, "anthropic"))
    return "x-api-key";
  if (g_str_equal (protocol, "gemini"))
    return "x-goog-api-key";
  if (g_str_equal (protocol, "vertex"))
    return "google-oauth";
  if (g_str_equal (protocol, "bedrock"))
    return "aws";
  if (g_str_equal (protocol, "ollama") || g_str_equal (protocol, "simulated"))
    return "none";
  return "bearer";
}

static const char *
default_base_url (const char *protocol)
{
  if (g_str_equal (protocol, "ollama"))
    return "http://127.0.0.1:11434";
  if (g_str_equal (protocol, "simulated"))
    return "simulated://";
  return NULL;
}

static gboolean
apply_options (const Loc   *loc,
               JxProvider  *provider,
               JsonObject  *object,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, "options");
  g_autoptr(JsonObject) merged = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (&provider->options, json_object_unref);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return loc_error (loc, error, "options", "expected an object, got %s",
                      describe_node (node));

  merged = copy_options (provider->options);
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (JSON_NODE_HOLDS_NULL (member))
        json_object_remove_member (merged, name);
      else
        json_object_set_member (merged, name, json_node_copy (member));
    }

  g_clear_pointer (&provider->options, json_object_unref);
  provider->options = g_steal_pointer (&merged);
  return TRUE;
}

static gboolean
apply_model (const LoadCtx *ctx,
             JxProvider    *provider,
             guint          provider_index,
             guint          model_index,
             JsonNode      *node,
             GHashTable    *seen,
             GError       **error)
{
  Loc loc = { ctx, provider_index, (gint) model_index, NULL };
  JsonObject *object;
  JsonNode *id_node;
  const char *id;
  JxModel *model;
  g_autoptr(JxModel) fresh = NULL;
  gboolean price_changed = FALSE;
  gboolean present;
  double d;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return loc_error (&loc, error, NULL, "expected an object, got %s", describe_node (node));

  object = json_node_get_object (node);
  id_node = json_object_get_member (object, "id");
  if (id_node == NULL)
    return loc_error (&loc, error, "id", "missing");
  if (!node_is_string (id_node))
    return loc_error (&loc, error, "id", "expected a string, got %s", describe_node (id_node));

  id = json_node_get_string (id_node);
  if (id[0] == '\0')
    return loc_error (&loc, error, "id", "the model id is empty");
  loc.model_id = id;

  if (!g_hash_table_add (seen, (gpointer) id))
    return loc_error (&loc, error, "id", "model “%s” is listed twice", id);

  model = jx_provider_find_model (provider, id);
  if (model == NULL)
    model = fresh = jx_model_new (id);

  if (!read_string (&loc, object, "name", TRUE, &model->name, error) ||
      !read_string (&loc, object, "price_checked", TRUE, &model->price_checked, error) ||
      !read_price (&loc, object, "input_per_mtok", &model->price.input_per_mtok,
                   &price_changed, error) ||
      !read_price (&loc, object, "cached_input_per_mtok", &model->price.cached_input_per_mtok,
                   &price_changed, error) ||
      !read_price (&loc, object, "cache_write_per_mtok", &model->price.cache_write_per_mtok,
                   &price_changed, error) ||
      !read_price (&loc, object, "output_per_mtok", &model->price.output_per_mtok,
                   &price_changed, error))
    return FALSE;

  d = model->batch_discount;
  if (!read_number (&loc, object, "batch_discount", 0.0, &d, &present, error))
    return FALSE;
  if (present && (d < 0 || d > 1))
    return loc_error (&loc, error, "batch_discount",
                      "%g is not a fraction between 0 and 1 (0.5 = half price)", d);
  model->batch_discount = d;

  d = (double) model->context_window;
  if (!read_number (&loc, object, "context_window", 0.0, &d, &present, error))
    return FALSE;
  if (present && (d < 0 || d != floor (d) || d > (double) G_MAXINT64 / 2))
    return loc_error (&loc, error, "context_window",
                      "expected a whole number of tokens, got %g", d);
  model->context_window = (gint64) d;

  if (model->name == NULL)
    model->name = g_strdup (model->id);

  if (fresh != NULL)
    g_ptr_array_add (provider->models, g_steal_pointer (&fresh));
  else if (price_changed && !ctx->builtin)
    model->price_overridden = TRUE;

  return TRUE;
}

/* Builds the provider an entry describes: a changed copy of base (the provider already
 * known under that id) or a new one. */
static gboolean
parse_provider (const LoadCtx  *ctx,
                guint           index,
                JsonObject     *object,
                const char     *id,
                JxProvider     *base,
                JxProvider    **out,
                GError        **error)
{
  Loc loc = { ctx, index, -1, NULL };
  g_autoptr(JxProvider) provider = NULL;
  g_autoptr(GHashTable) seen_models = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *auth_kind = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *reason = NULL;
  JsonNode *node;

  if (base != NULL)
    {
      provider = jx_provider_copy (base);
    }
  else
    {
      provider = jx_provider_new ();
      provider->id = g_strdup (id);
      provider->builtin_id = ctx->builtin ? g_strdup (id) : NULL;
    }

  /* protocol */
  if (!read_string (&loc, object, "protocol", FALSE, &protocol, error))
    return FALSE;
  if (protocol != NULL)
    {
      if (!g_strv_contains (known_protocols, protocol))
        {
          g_autofree char *expected = join_strv (known_protocols);

          return loc_error (&loc, error, "protocol", "unknown protocol “%s” (expected one of %s)",
                            protocol, expected);
        }
      g_free (provider->protocol);
      provider->protocol = g_steal_pointer (&protocol);
    }
  else if (provider->protocol == NULL)
    {
      return loc_error (&loc, error, "protocol",
                        "missing (required for the new provider “%s”)", id);
    }

  /* base_url: checked against the final protocol */
  if (!read_string (&loc, object, "base_url", FALSE, &base_url, error))
    return FALSE;
  if (base_url != NULL)
    {
      g_free (provider->base_url);
      provider->base_url = g_steal_pointer (&base_url);
    }
  else if (provider->base_url == NULL)
    {
      const char *fallback = default_base_url (provider->protocol);

      if (fallback == NULL)
        return loc_error (&loc, error, "base_url",
                          "missing (required for the new provider “%s”)", id);
      provider->base_url = g_strdup (fallback);
    }
  if (!check_base_url (provider->base_url, provider->protocol, &reason))
    return loc_error (&loc, error,
                      json_object_has_member (object, "base_url") ? "base_url" : "protocol",
                      "invalid base URL “%s”: %s", provider->base_url, reason);

  /* auth_kind */
  if (!read_string (&loc, object, "auth_kind", FALSE, &auth_kind, error))
    return FALSE;
  if (auth_kind != NULL)
    {
      if (!g_strv_contains (known_auth_kinds, auth_kind))
        {
          g_autofree char *expected = join_strv (known_auth_kinds);

          return loc_error (&loc, error, "auth_kind", "unknown auth kind “%s” (expected one of %s)",
                            auth_kind, expected);
        }
      g_free (provider->auth_kind);
      provider->auth_kind = g_steal_pointer (&auth_kind);
    }
  else if (provider->auth_kind == NULL)
    {
      provider->auth_kind = g_strdup (default_auth_kind (provider->protocol));
    }

  /* plain strings */
  if (!read_string (&loc, object, "name", TRUE, &provider->name, error) ||
      !read_string (&loc, object, "api_key_env", TRUE, &provider->api_key_env, error) ||
      !read_string (&loc, object, "key_hint", TRUE, &provider->key_hint, error) ||
      !read_string (&loc, object, "docs_url", TRUE, &provider->docs_url, error) ||
      !read_string (&loc, object, "models_path", TRUE, &provider->models_path, error))
    return FALSE;

  if (provider->name == NULL || provider->name[0] == '\0')
    {
      g_free (provider->name);
      provider->name = g_strdup (provider->id);
    }

  if (provider->api_key_env != NULL && !is_valid_env_name (provider->api_key_env))
    return loc_error (&loc, error, "api_key_env",
                      "“%s” is not an environment variable name (letters, digits and “_”)",
                      provider->api_key_env);

  /* options */
  if (!apply_options (&loc, provider, object, error))
    return FALSE;

  /* models */
  node = json_object_get_member (object, "models");
  seen_models = g_hash_table_new (g_str_hash, g_str_equal);
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return loc_error (&loc, error, "models", "expected an array, got %s",
                          describe_node (node));

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!apply_model (ctx, provider, index, i, json_array_get_element (array, i),
                          seen_models, error))
          return FALSE;
    }

  if (provider->options != NULL)
    json_object_seal (provider->options);

  *out = g_steal_pointer (&provider);
  return TRUE;
}

static gboolean
jx_catalog_load_internal (JxCatalog   *self,
                          const char  *data,
                          gssize       len,
                          const char  *source_name,
                          gboolean     builtin,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) staged = NULL;
  g_autoptr(GHashTable) seen = NULL;
  LoadCtx ctx;
  Loc top_loc;
  JsonNode *root;
  JsonNode *node;
  JsonArray *array;

  if (len < 0)
    len = strlen (data);

  ctx = (LoadCtx) { source_name, data, (gsize) len, builtin };
  top_loc = (Loc) { &ctx, 0, -1, NULL };

  if (!jx_json_check_depth (data, len, &local_error) ||
      !json_parser_load_from_data (parser, data, len, &local_error))
    {
      const char *message = local_error->message;

      /* json-glib says "<data>:LINE:COL: Parse error: …"; put the file name in. */
      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");

      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE,
                   "%s:%s", source_name, message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE,
                   "%s:%u: expected a JSON object with a “providers” array, got %s",
                   source_name, locate_line (data, len, NULL, 0),
                   root == NULL ? "an empty file" : describe_node (root));
      return FALSE;
    }

  node = json_object_get_member (json_node_get_object (root), "providers");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      PathElem path[] = { { "providers", 0 } };

      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID,
                   "%s:%u: field “providers”: %s%s",
                   source_name, locate_line (data, len, path, G_N_ELEMENTS (path)),
                   node == NULL ? "missing" : "expected an array, got ",
                   node == NULL ? "" : describe_node (node));
      return FALSE;
    }

  /* Pass 1: validate everything and build the new providers aside. */
  array = json_node_get_array (node);
  staged = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_provider_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *id_node;
      const char *id;
      JxProvider *provider = NULL;

      top_loc.provider_index = i;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return loc_error (&top_loc, error, NULL, "expected an object, got %s",
                          describe_node (element));

      object = json_node_get_object (element);
      id_node = json_object_get_member (object, "id");
      if (id_node == NULL)
        return loc_error (&top_loc, error, "id", "missing");
      if (!node_is_string (id_node))
        return loc_error (&top_loc, error, "id", "expected a string, got %s",
                          describe_node (id_node));

      id = json_node_get_string (id_node);
      if (!is_valid_provider_id (id))
        return loc_error (&top_loc, error, "id",
                          "invalid provider id “%s” (use letters, digits, “-”, “_” and “.”)", id);
      if (!g_hash_table_add (seen, (gpointer) id))
        return loc_error (&top_loc, error, "id", "provider “%s” is listed twice", id);

      if (!parse_provider (&ctx, i, object, id, g_hash_table_lookup (self->by_id, id),
                           &provider, error))
        return FALSE;

      g_ptr_array_add (staged, provider);
    }

  /* Pass 2: commit. */
  for (guint i = 0; i < staged->len; i++)
    {
      JxProvider *provider = jx_provider_ref (g_ptr_array_index (staged, i));
      JxProvider *old = g_hash_table_lookup (self->by_id, provider->id);
      guint pos;

      if (old != NULL && g_ptr_array_find (self->providers, old, &pos))
        {
          g_hash_table_replace (self->by_id, provider->id, provider);
          g_ptr_array_index (self->providers, pos) = provider;
          jx_provider_unref (old);
        }
      else
        {
          g_ptr_array_add (self->providers, provider);
          g_hash_table_replace (self->by_id, provider->id, provider);
        }
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* JxCatalog                                                                             */
/* ------------------------------------------------------------------------------------ */

static void
jx_catalog_finalize (GObject *object)
{
  JxCatalog *self = (JxCatalog *) object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);

  G_OBJECT_CLASS (jx_catalog_parent_class)->finalize (object);
}

static void
jx_catalog_class_init (JxCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_catalog_finalize;
}

static void
jx_catalog_init (JxCatalog *self)
{
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_provider_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

JxCatalog *
jx_catalog_new_builtin (GError **error)
{
  g_autoptr(JxCatalog) self = g_object_new (JX_TYPE_CATALOG, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;
  const char *data;

  bytes = g_resources_lookup_data (BUILTIN_RESOURCE_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (!jx_catalog_load_internal (self, data, size, BUILTIN_SOURCE_NAME, TRUE, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
jx_catalog_load_data (JxCatalog   *self,
                      const char  *data,
                      gssize       len,
                      const char  *source_name,
                      GError     **error)
{
  g_return_val_if_fail (JX_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return jx_catalog_load_internal (self, data, len,
                                   source_name != NULL ? source_name : "providers.json",
                                   FALSE, error);
}

gboolean
jx_catalog_load_file (JxCatalog   *self,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  gsize length = 0;

  g_return_val_if_fail (JX_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!jx_json_read_file (path, JX_JSON_MAX_FILE_SIZE, &contents, &length, error))
    return FALSE;

  display = g_filename_display_name (path);
  return jx_catalog_load_internal (self, contents, length, display, FALSE, error);
}

gboolean
jx_catalog_load_user_file (JxCatalog  *self,
                           GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (JX_IS_CATALOG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_build_filename (g_get_user_config_dir (), "juxta", "providers.json", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  return jx_catalog_load_file (self, path, error);
}

/* Returns the provider (transfer none) or NULL. */
JxProvider *
jx_catalog_lookup (JxCatalog  *self,
                   const char *provider_id)
{
  g_return_val_if_fail (JX_IS_CATALOG (self), NULL);

  if (provider_id == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_id, provider_id);
}

GPtrArray *
jx_catalog_get_providers (JxCatalog *self)
{
  g_return_val_if_fail (JX_IS_CATALOG (self), NULL);

  return self->providers;
}
