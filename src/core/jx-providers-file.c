/* jx-providers-file.c — the providers-file format: reading it, and adding custom endpoints
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
 * Further model members, all optional:
 *   "tiers":[{"above_input_tokens":200000,"input_per_mtok":2.5,"output_per_mtok":15,
 *             "cached_input_per_mtok":0.625}]   long-context prices (at most 3 tiers); a
 *             request whose input exceeds the threshold pays these rates for all its tokens
 *   "per_request_usd":0.01    a fee on every request
 *   "per_second_usd":0.000225 compute time (e.g. Replicate models billed by the second)
 *   "retired":"2025-10-22"    the provider retires the model on that date (pickers hide it)
 *   "deprecated":"2026-02-01" retirement announced ("" when no date is given)
 *   "price_source":"…"        where and when the price came from; by default "catalog
 *                             <price_checked>" for the built-in catalog and "<file name>
 *                             <price_checked>" for other files
 *   "imported":true           the model was added by a price import
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
 * send_credentials_to_base_url: true lets a built-in provider's key go to this entry's
 * base_url host (see jx-credential-policy.h); false or absent: it does not.
 *
 * Options the built-in catalog uses (all optional, read with jx_provider_get_option):
 *   max_tokens_field   "max_completion_tokens" or "max_tokens" (OpenAI-compatible)
 *   stream_options     false: never send stream_options.include_usage (OpenAI-compatible)
 *   include_obfuscation  false: ask OpenAI not to pad stream chunks (OpenAI-compatible)
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
 * Error lines come from jx-json-locator.c; when the member is missing the line of the
 * enclosing object is used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "jx-adapter.h"
#include "jx-catalog-error.h"
#include "jx-json-locator.h"
#include "jx-json.h"
#include "jx-provider-private.h"
#include "jx-providers-file.h"
#include "jx-simulator.h"

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
  JxJsonPathElement path[5];
  guint n = 0;
  guint line;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  path[n++] = (JxJsonPathElement) { "providers", 0 };
  path[n++] = (JxJsonPathElement) { NULL, loc->provider_index };
  if (loc->model_index >= 0)
    {
      path[n++] = (JxJsonPathElement) { "models", 0 };
      path[n++] = (JxJsonPathElement) { NULL, (guint) loc->model_index };
    }
  if (field != NULL)
    path[n++] = (JxJsonPathElement) { field, 0 };

  line = jx_json_locate_line (loc->ctx->text, loc->ctx->len, path, n);

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

/* "tiers": an array of long-context tiers replacing the model's; null or [] removes them. */
static gboolean
read_tiers (const Loc  *loc,
            JsonObject *object,
            JxPrice    *price,
            gboolean   *present,
            GError    **error)
{
  JsonNode *node = json_object_get_member (object, "tiers");
  JsonArray *array;
  JxPrice parsed = *price;

  *present = node != NULL;
  if (node == NULL)
    return TRUE;

  parsed.n_tiers = 0;
  memset (parsed.tiers, 0, sizeof parsed.tiers);
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *price = parsed;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return loc_error (loc, error, "tiers", "expected an array, got %s", describe_node (node));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *tobject;
      JxPriceTier tier = { 0, -1, -1, -1, -1 };
      gboolean changed = FALSE, has;
      double above = -1;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return loc_error (loc, error, "tiers", "expected an object, got %s",
                          describe_node (element));
      tobject = json_node_get_object (element);
      if (!read_number (loc, tobject, "above_input_tokens", -1.0, &above, &has, error) ||
          !read_price (loc, tobject, "input_per_mtok", &tier.input_per_mtok, &changed, error) ||
          !read_price (loc, tobject, "cached_input_per_mtok", &tier.cached_input_per_mtok,
                       &changed, error) ||
          !read_price (loc, tobject, "cache_write_per_mtok", &tier.cache_write_per_mtok,
                       &changed, error) ||
          !read_price (loc, tobject, "output_per_mtok", &tier.output_per_mtok, &changed, error))
        return FALSE;
      if (above <= 0 || above != floor (above) || above > (double) G_MAXINT64 / 2)
        return loc_error (loc, error, "tiers",
                          "above_input_tokens must be a whole number of tokens above 0");
      if (tier.input_per_mtok < 0 || tier.output_per_mtok < 0)
        return loc_error (loc, error, "tiers", "a tier needs input_per_mtok and output_per_mtok");
      tier.above_input_tokens = (gint64) above;
      if (!jx_price_add_tier (&parsed, &tier))
        return loc_error (loc, error, "tiers", "at most %d tiers", JX_PRICE_MAX_TIERS);
    }

  *price = parsed;
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
check_base_url (const char       *url,
                const JxAdapter  *adapter,
                char            **reason)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) probe = NULL;
  const char *scheme;
  const char *host;

  if (adapter->is_simulated && g_str_has_prefix (url, JX_SIMULATOR_SCHEME "://"))
    return TRUE;

  if (url[0] == '\0')
    {
      if (adapter->endpoint_in_credential)
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
  if (g_ascii_strcasecmp (scheme, JX_SIMULATOR_SCHEME) == 0)
    {
      *reason = g_strdup ("simulated:// is only valid with the simulated protocol");
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

  merged = jx_provider_copy_options (provider->options);
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

  if (!read_number (&loc, object, "per_request_usd", 0.0, &model->price.per_request_usd,
                    &present, error))
    return FALSE;
  if (present && model->price.per_request_usd < 0)
    return loc_error (&loc, error, "per_request_usd", "a fee cannot be negative");
  price_changed |= present;
  if (!read_number (&loc, object, "per_second_usd", 0.0, &model->price.per_second_usd,
                    &present, error))
    return FALSE;
  if (present && model->price.per_second_usd < 0)
    return loc_error (&loc, error, "per_second_usd", "a price cannot be negative");
  price_changed |= present;
  if (!read_tiers (&loc, object, &model->price, &present, error))
    return FALSE;
  price_changed |= present;

  if (!read_string (&loc, object, "retired", TRUE, &model->retired, error) ||
      !read_string (&loc, object, "deprecated", TRUE, &model->deprecated, error))
    return FALSE;
  if (json_object_has_member (object, "imported"))
    model->imported = json_object_get_boolean_member_with_default (object, "imported", FALSE);

  if (json_object_has_member (object, "price_source"))
    {
      if (!read_string (&loc, object, "price_source", TRUE, &model->price_source, error))
        return FALSE;
    }
  else if (price_changed || fresh != NULL)
    {
      g_autofree char *base = ctx->builtin ? g_strdup ("catalog") : g_path_get_basename (ctx->source);

      g_free (model->price_source);
      model->price_source = model->price_checked != NULL
                            ? g_strdup_printf ("%s %s", base, model->price_checked)
                            : g_steal_pointer (&base);
    }

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
  const JxAdapter *adapter;
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
      if (jx_adapter_lookup (protocol) == NULL)
        {
          g_autofree char *expected = join_strv (jx_adapter_list_protocols ());

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

  adapter = jx_adapter_lookup (provider->protocol);

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
      const char *fallback = adapter->default_base_url;

      if (fallback == NULL)
        return loc_error (&loc, error, "base_url",
                          "missing (required for the new provider “%s”)", id);
      provider->base_url = g_strdup (fallback);
    }
  if (!check_base_url (provider->base_url, adapter, &reason))
    return loc_error (&loc, error,
                      json_object_has_member (object, "base_url") ? "base_url" : "protocol",
                      "invalid base URL “%s”: %s", provider->base_url, reason);

  /* auth_kind */
  if (!read_string (&loc, object, "auth_kind", FALSE, &auth_kind, error))
    return FALSE;
  if (auth_kind != NULL)
    {
      if (!jx_auth_kind_from_string (auth_kind, &provider->auth_kind))
        {
          g_autofree char *expected = join_strv (jx_auth_kind_list ());

          return loc_error (&loc, error, "auth_kind", "unknown auth kind “%s” (expected one of %s)",
                            auth_kind, expected);
        }
    }
  else if (base == NULL)
    {
      provider->auth_kind = adapter->default_auth;
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

  /* send_credentials_to_base_url: the user's explicit opt-in (jx-credential-policy.h) */
  node = json_object_get_member (object, "send_credentials_to_base_url");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    return loc_error (&loc, error, "send_credentials_to_base_url", "expected true or false, got %s",
                      describe_node (node));
  if (node != NULL)
    provider->send_credentials_to_base_url = json_node_get_boolean (node);

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

/* loc_error for functions that return a pointer. */
#define loc_fail(...) (loc_error (__VA_ARGS__), NULL)

GPtrArray *
jx_providers_file_parse (const char  *data,
                         gssize       len,
                         const char  *source_name,
                         gboolean     builtin,
                         GHashTable  *known,
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
      g_autofree char *valid = NULL;

      /* json-glib says "<data>:LINE:COL: Parse error: …"; put the file name in. */
      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");

      /* json-glib may quote the offending bytes, which need not be UTF-8. */
      valid = g_utf8_make_valid (message, -1);
      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE,
                   "%s:%s", source_name, valid);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_PARSE,
                   "%s:%u: expected a JSON object with a “providers” array, got %s",
                   source_name, jx_json_locate_line (data, len, NULL, 0),
                   root == NULL ? "an empty file" : describe_node (root));
      return NULL;
    }

  node = json_object_get_member (json_node_get_object (root), "providers");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      JxJsonPathElement path[] = { { "providers", 0 } };

      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID,
                   "%s:%u: field “providers”: %s%s",
                   source_name, jx_json_locate_line (data, len, path, G_N_ELEMENTS (path)),
                   node == NULL ? "missing" : "expected an array, got ",
                   node == NULL ? "" : describe_node (node));
      return NULL;
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
        return loc_fail (&top_loc, error, NULL, "expected an object, got %s",
                          describe_node (element));

      object = json_node_get_object (element);
      id_node = json_object_get_member (object, "id");
      if (id_node == NULL)
        return loc_fail (&top_loc, error, "id", "missing");
      if (!node_is_string (id_node))
        return loc_fail (&top_loc, error, "id", "expected a string, got %s",
                          describe_node (id_node));

      id = json_node_get_string (id_node);
      if (!is_valid_provider_id (id))
        return loc_fail (&top_loc, error, "id",
                          "invalid provider id “%s” (use letters, digits, “-”, “_” and “.”)", id);
      if (!g_hash_table_add (seen, (gpointer) id))
        return loc_fail (&top_loc, error, "id", "provider “%s” is listed twice", id);

      if (!parse_provider (&ctx, i, object, id, g_hash_table_lookup (known, id),
                           &provider, error))
        return NULL;

      g_ptr_array_add (staged, provider);
    }

  return g_steal_pointer (&staged);
}

/* ------------------------------------------------------------------------------------ */
/* Writer                                                                               */
/* ------------------------------------------------------------------------------------ */

char *
jx_providers_file_get_user_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "juxta", "providers.json", NULL);
}
