/* jx-price-edit-dialog.c — edit one model's input, cached and output price
 *
 * Three spin buttons with four decimals, in US dollars per million tokens. A value below
 * zero means "unknown" (the catalog's convention) and is shown as "—", so a model whose
 * cached price is unknown does not silently become free when another price is edited.
 * "Save" goes through jx_price_edit_dialog_apply (), which tests call directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-price-edit-dialog.h"
#include "jx-price-overrides.h"

struct _JxPriceEditDialog
{
  AdwMessageDialog  parent_instance;

  JxCatalog        *catalog;
  char             *provider_id;
  char             *model_id;
  double            cache_write_per_mtok;

  /* Template widgets */
  GtkSpinButton    *input_spin;
  GtkSpinButton    *cached_spin;
  GtkSpinButton    *output_spin;
};

G_DEFINE_FINAL_TYPE (JxPriceEditDialog, jx_price_edit_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  APPLIED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static int
spin_input_cb (GtkSpinButton *spin,
               double        *new_value)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));

  if (text[0] == '\0' || g_str_equal (text, "—") || g_str_equal (text, "-"))
    {
      *new_value = -1;
      return TRUE;
    }

  return FALSE;
}

static gboolean
spin_output_cb (GtkSpinButton *spin)
{
  if (gtk_spin_button_get_value (spin) < 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (spin), "—");
      return TRUE;
    }

  return FALSE;
}

static double
spin_price (GtkSpinButton *spin)
{
  double value;

  gtk_spin_button_update (spin);
  value = gtk_spin_button_get_value (spin);

  /* Four decimals, as shown; anything below zero is "unknown". */
  return value < 0 ? -1 : round (value * 1e4) / 1e4;
}

void
jx_price_edit_dialog_get_price (JxPriceEditDialog *self,
                                JxPrice           *price)
{
  g_return_if_fail (JX_IS_PRICE_EDIT_DIALOG (self));
  g_return_if_fail (price != NULL);

  jx_price_init (price);
  price->input_per_mtok = spin_price (self->input_spin);
  price->cached_input_per_mtok = spin_price (self->cached_spin);
  price->cache_write_per_mtok = self->cache_write_per_mtok;
  price->output_per_mtok = spin_price (self->output_spin);
}

void
jx_price_edit_dialog_set_price (JxPriceEditDialog *self,
                                const JxPrice     *price)
{
  g_return_if_fail (JX_IS_PRICE_EDIT_DIALOG (self));
  g_return_if_fail (price != NULL);

  gtk_spin_button_set_value (self->input_spin, MAX (price->input_per_mtok, -1));
  gtk_spin_button_set_value (self->cached_spin, MAX (price->cached_input_per_mtok, -1));
  gtk_spin_button_set_value (self->output_spin, MAX (price->output_per_mtok, -1));
}

gboolean
jx_price_edit_dialog_apply (JxPriceEditDialog  *self,
                            GError            **error)
{
  JxPrice price;

  g_return_val_if_fail (JX_IS_PRICE_EDIT_DIALOG (self), FALSE);

  jx_price_edit_dialog_get_price (self, &price);
  if (!jx_pricing_set_override (self->catalog, self->provider_id, self->model_id, &price, error))
    return FALSE;

  g_signal_emit (self, signals[APPLIED], 0);

  return TRUE;
}

static void
jx_price_edit_dialog_response (AdwMessageDialog *dialog,
                               const char       *response)
{
  JxPriceEditDialog *self = JX_PRICE_EDIT_DIALOG (dialog);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "save") == 0 && !jx_price_edit_dialog_apply (self, &error))
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
      GtkWidget *alert = adw_message_dialog_new (parent, _("Could Not Save the Price"),
                                                 error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (alert));
    }

  if (ADW_MESSAGE_DIALOG_CLASS (jx_price_edit_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (jx_price_edit_dialog_parent_class)->response (dialog, response);
}

static void
jx_price_edit_dialog_dispose (GObject *object)
{
  JxPriceEditDialog *self = JX_PRICE_EDIT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_PRICE_EDIT_DIALOG);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (jx_price_edit_dialog_parent_class)->dispose (object);
}

static void
jx_price_edit_dialog_finalize (GObject *object)
{
  JxPriceEditDialog *self = JX_PRICE_EDIT_DIALOG (object);

  g_free (self->provider_id);
  g_free (self->model_id);

  G_OBJECT_CLASS (jx_price_edit_dialog_parent_class)->finalize (object);
}

static void
jx_price_edit_dialog_class_init (JxPriceEditDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = jx_price_edit_dialog_dispose;
  object_class->finalize = jx_price_edit_dialog_finalize;
  dialog_class->response = jx_price_edit_dialog_response;

  /**
   * JxPriceEditDialog::applied:
   *
   * The price was stored as an override and applied to the catalog.
   */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-price-edit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPriceEditDialog, input_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPriceEditDialog, cached_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPriceEditDialog, output_spin);
  gtk_widget_class_bind_template_callback (widget_class, spin_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_output_cb);
}

static void
jx_price_edit_dialog_init (JxPriceEditDialog *self)
{
  self->cache_write_per_mtok = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

JxPriceEditDialog *
jx_price_edit_dialog_new (GtkWindow  *parent,
                          JxCatalog  *catalog,
                          const char *provider_id,
                          const char *model_id)
{
  JxPriceEditDialog *self;
  JxProvider *provider;
  JxModel *model;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (JX_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, NULL);

  provider = jx_catalog_lookup (catalog, provider_id);
  model = provider != NULL ? jx_provider_find_model (provider, model_id) : NULL;
  g_return_val_if_fail (model != NULL, NULL);

  self = g_object_new (JX_TYPE_PRICE_EDIT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->catalog = g_object_ref (catalog);
  self->provider_id = g_strdup (provider_id);
  self->model_id = g_strdup (model_id);
  self->cache_write_per_mtok = model->price.cache_write_per_mtok;

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self), "%s — %s",
                                  jx_provider_is_simulated (provider)
                                    ? _("Simulated") : provider->name,
                                  model->name != NULL ? model->name : model->id);
  jx_price_edit_dialog_set_price (self, &model->price);

  return self;
}
