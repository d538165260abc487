/* jx-price-item.c — one provider/model in the price table (an item of its list model)
 *
 * A row copies what it shows from the catalog: the catalog replaces its JxProvider and
 * JxModel structs when prices are loaded, so a row keeps only ids and values, and the
 * view calls jx_price_item_update () after every change. Unknown prices are NAN here
 * (the catalog's negative values), so sorters and closures need no special sentinel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-price-item.h"
#include "jx-planner.h"

struct _JxPriceItem
{
  GObject   parent_instance;

  char     *provider_id;
  char     *model_id;
  char     *provider_name;
  char     *model_name;
  char     *search_text;
  JxPrice   price;
  double    batch_discount;
  gint64    context_window;
  char     *price_checked;
  char     *price_source;
  char     *status;
  gboolean  overridden;
  gboolean  simulated;
};

G_DEFINE_FINAL_TYPE (JxPriceItem, jx_price_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROVIDER_ID,
  PROP_MODEL_ID,
  PROP_PROVIDER_NAME,
  PROP_MODEL_NAME,
  PROP_SEARCH_TEXT,
  PROP_INPUT_PRICE,
  PROP_CACHED_PRICE,
  PROP_OUTPUT_PRICE,
  PROP_BLEND_PRICE,
  PROP_BATCH_DISCOUNT,
  PROP_CONTEXT_WINDOW,
  PROP_PRICE_CHECKED,
  PROP_PRICE_SOURCE,
  PROP_STATUS,
  PROP_OVERRIDDEN,
  PROP_SIMULATED,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static double
known_or_nan (double value)
{
  return value >= 0 ? value : NAN;
}

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

static void
jx_price_item_finalize (GObject *object)
{
  JxPriceItem *self = JX_PRICE_ITEM (object);

  g_free (self->provider_id);
  g_free (self->model_id);
  g_free (self->provider_name);
  g_free (self->model_name);
  g_free (self->search_text);
  g_free (self->price_checked);
  g_free (self->price_source);
  g_free (self->status);

  G_OBJECT_CLASS (jx_price_item_parent_class)->finalize (object);
}

static void
jx_price_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  JxPriceItem *self = JX_PRICE_ITEM (object);

  switch (prop_id)
    {
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;

    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;

    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;

    case PROP_MODEL_NAME:
      g_value_set_string (value, self->model_name);
      break;

    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;

    case PROP_INPUT_PRICE:
      g_value_set_double (value, jx_price_item_get_input_price (self));
      break;

    case PROP_CACHED_PRICE:
      g_value_set_double (value, jx_price_item_get_cached_price (self));
      break;

    case PROP_OUTPUT_PRICE:
      g_value_set_double (value, jx_price_item_get_output_price (self));
      break;

    case PROP_BLEND_PRICE:
      g_value_set_double (value, jx_price_item_get_blend_price (self));
      break;

    case PROP_BATCH_DISCOUNT:
      g_value_set_double (value, self->batch_discount);
      break;

    case PROP_CONTEXT_WINDOW:
      g_value_set_int64 (value, self->context_window);
      break;

    case PROP_PRICE_CHECKED:
      g_value_set_string (value, self->price_checked);
      break;

    case PROP_PRICE_SOURCE:
      g_value_set_string (value, self->price_source);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_OVERRIDDEN:
      g_value_set_boolean (value, self->overridden);
      break;

    case PROP_SIMULATED:
      g_value_set_boolean (value, self->simulated);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_price_item_class_init (JxPriceItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = jx_price_item_finalize;
  object_class->get_property = jx_price_item_get_property;

  properties[PROP_PROVIDER_ID] = g_param_spec_string ("provider-id", NULL, NULL, NULL, flags);
  properties[PROP_MODEL_ID] = g_param_spec_string ("model-id", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_NAME] = g_param_spec_string ("provider-name", NULL, NULL, NULL, flags);
  properties[PROP_MODEL_NAME] = g_param_spec_string ("model-name", NULL, NULL, NULL, flags);
  /* Provider and model, names and ids, for the search entry's GtkStringFilter. */
  properties[PROP_SEARCH_TEXT] = g_param_spec_string ("search-text", NULL, NULL, NULL, flags);
  properties[PROP_INPUT_PRICE] =
    g_param_spec_double ("input-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_CACHED_PRICE] =
    g_param_spec_double ("cached-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_OUTPUT_PRICE] =
    g_param_spec_double ("output-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_BLEND_PRICE] =
    g_param_spec_double ("blend-price", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_BATCH_DISCOUNT] =
    g_param_spec_double ("batch-discount", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_CONTEXT_WINDOW] =
    g_param_spec_int64 ("context-window", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PRICE_CHECKED] = g_param_spec_string ("price-checked", NULL, NULL, "", flags);
  /* Where and when the price came from: "catalog 2026-07", "LiteLLM 2026-12-06". */
  properties[PROP_PRICE_SOURCE] = g_param_spec_string ("price-source", NULL, NULL, "", flags);
  /* "Retired 2025-10-22", "Deprecated 2026-06-01", "Imported" or "". */
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, "", flags);
  properties[PROP_OVERRIDDEN] = g_param_spec_boolean ("overridden", NULL, NULL, FALSE, flags);
  properties[PROP_SIMULATED] = g_param_spec_boolean ("simulated", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jx_price_item_init (JxPriceItem *self)
{
  jx_price_init (&self->price);
  self->price_checked = g_strdup ("");
  self->price_source = g_strdup ("");
  self->status = g_strdup ("");
}

static char *
model_status (const JxModel *model)
{
  if (jx_model_is_retired (model))
    /* Translators: a model the provider no longer serves, then the date */
    return g_strdup_printf (_("Retired %s"), model->retired);
  if (model->retired != NULL && model->retired[0] != '\0')
    /* Translators: a model the provider will stop serving on a date */
    return g_strdup_printf (_("Retires %s"), model->retired);
  if (model->deprecated != NULL && model->deprecated[0] != '\0')
    return g_strdup_printf (_("Deprecated %s"), model->deprecated);
  if (model->deprecated != NULL)
    return g_strdup (_("Deprecated"));
  if (model->imported)
    /* Translators: a model added by a price import, not listed in the catalog */
    return g_strdup (_("Imported"));
  return g_strdup ("");
}

static void
set_string (JxPriceItem  *self,
            char        **field,
            const char   *value,
            guint         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

JxPriceItem *
jx_price_item_new (JxProvider *provider,
                   JxModel    *model)
{
  JxPriceItem *self;

  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  self = g_object_new (JX_TYPE_PRICE_ITEM, NULL);
  self->provider_id = g_strdup (provider->id);
  self->model_id = g_strdup (model->id);
  self->simulated = jx_provider_is_simulated (provider);
  self->provider_name = g_strdup (self->simulated ? _("Simulated")
                                  : provider->name != NULL ? provider->name : provider->id);
  self->model_name = g_strdup (model->name != NULL ? model->name : model->id);
  self->search_text = g_strjoin (" ", self->provider_name, self->provider_id,
                                 self->model_name, self->model_id, NULL);
  jx_price_item_update (self, provider, model);

  return self;
}

void
jx_price_item_update (JxPriceItem *self,
                      JxProvider  *provider,
                      JxModel     *model)
{
  const char *checked;
  JxPrice old;

  g_return_if_fail (JX_IS_PRICE_ITEM (self));
  g_return_if_fail (provider != NULL && model != NULL);
  g_return_if_fail (g_strcmp0 (provider->id, self->provider_id) == 0);
  g_return_if_fail (g_strcmp0 (model->id, self->model_id) == 0);

  g_object_freeze_notify (G_OBJECT (self));

  old = self->price;
  self->price = model->price;
  if (!same_double (known_or_nan (old.input_per_mtok), known_or_nan (model->price.input_per_mtok)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_PRICE]);
  if (!same_double (known_or_nan (old.cached_input_per_mtok),
                    known_or_nan (model->price.cached_input_per_mtok)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHED_PRICE]);
  if (!same_double (known_or_nan (old.output_per_mtok),
                    known_or_nan (model->price.output_per_mtok)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_PRICE]);
  if (!same_double (jx_price_blended (&old), jx_price_blended (&model->price)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLEND_PRICE]);

  if (self->batch_discount != model->batch_discount)
    {
      self->batch_discount = model->batch_discount;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_DISCOUNT]);
    }

  if (self->context_window != model->context_window)
    {
      self->context_window = MAX (model->context_window, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT_WINDOW]);
    }

  checked = model->price_checked != NULL ? model->price_checked : "";
  if (g_strcmp0 (self->price_checked, checked) != 0)
    {
      g_free (self->price_checked);
      self->price_checked = g_strdup (checked);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRICE_CHECKED]);
    }

  set_string (self, &self->price_source, model->price_source != NULL ? model->price_source : "",
              PROP_PRICE_SOURCE);
  {
    g_autofree char *status = model_status (model);

    set_string (self, &self->status, status, PROP_STATUS);
  }

  if (self->overridden != !!model->price_overridden)
    {
      self->overridden = !!model->price_overridden;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERRIDDEN]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
jx_price_item_get_price_source (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NULL);

  return self->price_source;
}

const char *
jx_price_item_get_status (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NULL);

  return self->status;
}

const char *
jx_price_item_get_provider_id (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NULL);

  return self->provider_id;
}

const char *
jx_price_item_get_model_id (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NULL);

  return self->model_id;
}

const char *
jx_price_item_get_provider_name (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NULL);

  return self->provider_name;
}

const char *
jx_price_item_get_model_name (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NULL);

  return self->model_name;
}

void
jx_price_item_get_price (JxPriceItem *self,
                         JxPrice     *price)
{
  g_return_if_fail (JX_IS_PRICE_ITEM (self));
  g_return_if_fail (price != NULL);

  *price = self->price;
}

double
jx_price_item_get_input_price (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NAN);

  return known_or_nan (self->price.input_per_mtok);
}

double
jx_price_item_get_cached_price (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NAN);

  return known_or_nan (self->price.cached_input_per_mtok);
}

double
jx_price_item_get_output_price (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NAN);

  return known_or_nan (self->price.output_per_mtok);
}

double
jx_price_item_get_blend_price (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NAN);

  return jx_price_blended (&self->price);
}

double
jx_price_item_get_batch_discount (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), 0);

  return self->batch_discount;
}

gint64
jx_price_item_get_context_window (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), 0);

  return self->context_window;
}

const char *
jx_price_item_get_price_checked (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), NULL);

  return self->price_checked;
}

gboolean
jx_price_item_get_overridden (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), FALSE);

  return self->overridden;
}

gboolean
jx_price_item_get_simulated (JxPriceItem *self)
{
  g_return_val_if_fail (JX_IS_PRICE_ITEM (self), FALSE);

  return self->simulated;
}

/* Strips trailing zeros after the second decimal: 2.5000 → "2.50", 0.0750 → "0.075". */
static char *
trim_decimals (char *text,
               guint keep)
{
  char *point = strpbrk (text, ".,");
  char *end;

  if (point == NULL)
    return text;

  end = text + strlen (text) - 1;
  while (end > point + keep && *end == '0')
    *end-- = '\0';
  if (end == point)
    *end = '\0';

  return text;
}

/**
 * jx_price_item_format_price:
 * @per_mtok: USD per 1M tokens, NAN or negative when unknown
 *
 * Returns: (transfer full): "2.50", "0.075", or "—" when unknown
 */
char *
jx_price_item_format_price (double per_mtok)
{
  if (isnan (per_mtok) || per_mtok < 0)
    return g_strdup ("—");

  return trim_decimals (g_strdup_printf ("%.4f", per_mtok), 2);
}

/**
 * jx_price_item_format_discount:
 * @discount: fraction off for batch, 0 = none
 *
 * Returns: (transfer full): "50 %", or "—" without a batch discount
 */
char *
jx_price_item_format_discount (double discount)
{
  g_autofree char *number = NULL;

  if (!(discount > 0))
    return g_strdup ("—");

  number = trim_decimals (g_strdup_printf ("%.1f", discount * 100), 0);
  /* Translators: a batch discount, e.g. "50 %". */
  return g_strdup_printf (_("%s %%"), number);
}

/**
 * jx_price_item_format_context:
 * @tokens: context window, 0 = unknown
 *
 * Returns: (transfer full): "1.05M", "128K", "512", or "—" when unknown
 */
char *
jx_price_item_format_context (gint64 tokens)
{
  if (tokens <= 0)
    return g_strdup ("—");
  if (tokens >= 1000000)
    {
      g_autofree char *number = trim_decimals (g_strdup_printf ("%.2f", tokens / 1e6), 0);

      /* Translators: a context window in millions of tokens, e.g. "1.05M". */
      return g_strdup_printf (_("%sM"), number);
    }
  if (tokens >= 1000)
    {
      g_autofree char *number = trim_decimals (g_strdup_printf ("%.1f", tokens / 1e3), 0);

      /* Translators: a context window in thousands of tokens, e.g. "128K". */
      return g_strdup_printf (_("%sK"), number);
    }

  return g_strdup_printf ("%" G_GINT64_FORMAT, tokens);
}
