/* jx-model-picker.c — the pane's drop-down of every provider's models
 *
 * Copyright 2026 Juxta developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jx-model-picker.h"

/* A GtkDropDown over a GListStore of JxModelChoice. "selected-choice" is notified when the
 * person (or jx_model_picker_select ()) picks another model, not when the list is refilled. */
struct _JxModelPicker
{
  GtkWidget      parent_instance;

  GListStore    *choices;
  GtkDropDown   *dropdown;
  gboolean       filling;
};

G_DEFINE_FINAL_TYPE (JxModelPicker, jx_model_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_CHOICE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
jx_model_picker_new (void)
{
  return g_object_new (JX_TYPE_MODEL_PICKER, NULL);
}

static void
add_choice (GPtrArray  *choices,
            JxProvider *provider,
            const char *model_id,
            const char *provider_id,
            const char *model,
            guint      *selected)
{
  if (g_strcmp0 (provider->id, provider_id) == 0 && g_strcmp0 (model_id, model) == 0)
    *selected = choices->len;
  g_ptr_array_add (choices, jx_model_choice_new (provider, provider->id, model_id));
}

/**
 * jx_model_picker_fill:
 * @self: a #JxModelPicker
 * @catalog: the providers to pick from
 * @listed_models: (nullable): provider id → model ids from the provider's list endpoint
 * @provider_id: (nullable): the provider of the model to select
 * @model: (nullable): the model to select
 *
 * Lists the catalog's models (with prices, imported ones included, retired ones left
 * out) of every provider, then the models the providers report that the catalog lacks,
 * and selects @model of @provider_id. A model neither lists (a fine-tune, a local model,
 * a retired model still selected) is added at the end. Does not notify
 * #JxModelPicker:selected-choice.
 */
void
jx_model_picker_fill (JxModelPicker *self,
                      JxCatalog     *catalog,
                      GHashTable    *listed_models,
                      const char    *provider_id,
                      const char    *model)
{
  g_autoptr(GPtrArray) choices = NULL;
  GPtrArray *providers;
  guint selected = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (JX_IS_MODEL_PICKER (self));
  g_return_if_fail (JX_IS_CATALOG (catalog));

  choices = g_ptr_array_new_with_free_func (g_object_unref);

  providers = jx_catalog_get_providers (catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);
      const char * const *listed = listed_models != NULL
                                   ? g_hash_table_lookup (listed_models, provider->id) : NULL;

      /* The catalog's models (with prices) first, then what the provider itself lists. */
      for (guint j = 0; j < provider->models->len; j++)
        {
          JxModel *catalog_model = g_ptr_array_index (provider->models, j);

          if (!jx_model_is_retired (catalog_model))
            add_choice (choices, provider, catalog_model->id, provider_id, model, &selected);
        }
      for (guint j = 0; listed != NULL && listed[j] != NULL; j++)
        if (jx_provider_find_model (provider, listed[j]) == NULL)
          add_choice (choices, provider, listed[j], provider_id, model, &selected);
    }

  if (selected == GTK_INVALID_LIST_POSITION && provider_id != NULL && model != NULL)
    {
      selected = choices->len;
      g_ptr_array_add (choices, jx_model_choice_new (jx_catalog_lookup (catalog, provider_id),
                                                     provider_id, model));
    }

  self->filling = TRUE;
  g_list_store_splice (self->choices, 0, g_list_model_get_n_items (G_LIST_MODEL (self->choices)),
                       choices->pdata, choices->len);
  gtk_drop_down_set_selected (self->dropdown, selected);
  self->filling = FALSE;
}

/**
 * jx_model_picker_select:
 * @self: a #JxModelPicker
 * @provider_id: a provider id
 * @model: a model id
 *
 * Selects @model of @provider_id.
 *
 * Returns: %TRUE if the picker lists that model
 */
gboolean
jx_model_picker_select (JxModelPicker *self,
                        const char    *provider_id,
                        const char    *model)
{
  GListModel *choices;

  g_return_val_if_fail (JX_IS_MODEL_PICKER (self), FALSE);

  choices = G_LIST_MODEL (self->choices);
  for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
    {
      g_autoptr(JxModelChoice) choice = g_list_model_get_item (choices, i);

      if (jx_model_choice_matches (choice, provider_id, model))
        {
          gtk_drop_down_set_selected (self->dropdown, i);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * jx_model_picker_get_selected_choice:
 * @self: a #JxModelPicker
 *
 * Returns: (nullable) (transfer none): the selected model
 */
JxModelChoice *
jx_model_picker_get_selected_choice (JxModelPicker *self)
{
  g_return_val_if_fail (JX_IS_MODEL_PICKER (self), NULL);
  return gtk_drop_down_get_selected_item (self->dropdown);
}

static void
dropdown_selected_changed_cb (JxModelPicker *self,
                              GParamSpec    *pspec,
                              GtkDropDown   *dropdown)
{
  if (self->filling || gtk_drop_down_get_selected_item (dropdown) == NULL)
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CHOICE]);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  JxModelChoice *choice = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), jx_model_choice_get_title (choice));
}

static GtkListItemFactory *
label_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);

  return factory;
}

static void
jx_model_picker_dispose (GObject *object)
{
  JxModelPicker *self = JX_MODEL_PICKER (object);

  if (self->dropdown != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->dropdown));
      self->dropdown = NULL;
    }

  G_OBJECT_CLASS (jx_model_picker_parent_class)->dispose (object);
}

static void
jx_model_picker_finalize (GObject *object)
{
  JxModelPicker *self = JX_MODEL_PICKER (object);

  g_clear_object (&self->choices);

  G_OBJECT_CLASS (jx_model_picker_parent_class)->finalize (object);
}

static void
jx_model_picker_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JxModelPicker *self = JX_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED_CHOICE:
      g_value_set_object (value, jx_model_picker_get_selected_choice (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_model_picker_class_init (JxModelPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_model_picker_dispose;
  object_class->finalize = jx_model_picker_finalize;
  object_class->get_property = jx_model_picker_get_property;

  /**
   * JxModelPicker:selected-choice:
   *
   * The model picked, notified when another one is picked (not when the list is refilled).
   */
  properties[PROP_SELECTED_CHOICE] =
    g_param_spec_object ("selected-choice", NULL, NULL, JX_TYPE_MODEL_CHOICE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
jx_model_picker_init (JxModelPicker *self)
{
  g_autoptr(GtkListItemFactory) factory = label_factory (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = label_factory (FALSE);
  GtkWidget *dropdown;

  self->choices = g_list_store_new (JX_TYPE_MODEL_CHOICE);

  /* The list model and the expression are taken over by the drop-down. */
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->choices)),
                                gtk_property_expression_new (JX_TYPE_MODEL_CHOICE, NULL, "title"));
  self->dropdown = GTK_DROP_DOWN (dropdown);
  gtk_widget_set_hexpand (dropdown, TRUE);
  gtk_drop_down_set_enable_search (self->dropdown, TRUE);
  gtk_drop_down_set_factory (self->dropdown, factory);
  gtk_drop_down_set_list_factory (self->dropdown, list_factory);
  gtk_widget_set_tooltip_text (dropdown, _("Provider and Model"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Provider and Model"),
                                  -1);
  gtk_widget_add_css_class (dropdown, "flat");
  gtk_widget_add_css_class (dropdown, "jx-model-picker");
  gtk_widget_set_parent (dropdown, GTK_WIDGET (self));

  g_signal_connect_object (dropdown, "notify::selected",
                           G_CALLBACK (dropdown_selected_changed_cb), self, G_CONNECT_SWAPPED);
}
