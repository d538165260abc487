/* jx-price-view.c — the price table: every catalog model's prices, editable
 *
 * A GtkColumnView over GListStore (JxPriceItem) → GtkFilterListModel (the search entry) →
 * GtkSortListModel (the column headers). Cells are GtkBuilderListItemFactory templates in
 * jx-price-view.ui that format through the closures below; only the row buttons are built
 * in C, because their accessible labels name the model.
 *
 * Prices are changed through jx-price-overrides.h and jx-litellm.h only (overrides file + catalog); after each
 * change the rows copy the catalog again and the sorter is told to re-sort.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "jx-price-edit-dialog.h"
#include "jx-price-item.h"
#include "jx-price-view-private.h"
#include "jx-litellm.h"
#include "jx-planner.h"
#include "jx-price-overrides.h"

struct _JxPriceView
{
  GtkWidget             parent_instance;

  JxCatalog            *catalog;
  char                 *import_message;

  /* Template widgets and objects */
  AdwToastOverlay      *toast_overlay;
  GtkSearchEntry       *search_entry;
  GtkColumnView        *column_view;
  GListStore           *store;
  GtkStringFilter      *filter;
  GtkSortListModel     *sort_model;
  GtkLabel             *count_label;
  GtkLabel             *import_label;
  GtkColumnViewColumn  *provider_column;
  GtkColumnViewColumn  *model_column;
  GtkColumnViewColumn  *input_column;
  GtkColumnViewColumn  *cached_column;
  GtkColumnViewColumn  *output_column;
  GtkColumnViewColumn  *blend_column;
  GtkColumnViewColumn  *batch_column;
  GtkColumnViewColumn  *context_column;
  GtkColumnViewColumn  *checked_column;
  GtkColumnViewColumn  *source_column;
  GtkColumnViewColumn  *edited_column;
};

G_DEFINE_FINAL_TYPE (JxPriceView, jx_price_view, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------------------------ */
/* Cell closures (jx-price-view.ui)                                                     */
/* ------------------------------------------------------------------------------------ */

static char *
format_price_cb (gpointer unused,
                 double   per_mtok)
{
  return jx_price_item_format_price (per_mtok);
}

static char *
format_discount_cb (gpointer unused,
                    double   discount)
{
  return jx_price_item_format_discount (discount);
}

static char *
format_context_cb (gpointer unused,
                   gint64   tokens)
{
  return jx_price_item_format_context (tokens);
}

static char *
format_checked_cb (gpointer    unused,
                   const char *checked)
{
  return g_strdup (checked != NULL && checked[0] != '\0' ? checked : "—");
}

/* "catalog 2026-07", and the model's status when it has one: "LiteLLM 2026-12-06 · Imported". */
static char *
format_source_cb (gpointer    unused,
                  const char *source,
                  const char *status)
{
  const char *shown = source != NULL && source[0] != '\0' ? source : "—";

  if (status == NULL || status[0] == '\0')
    return g_strdup (shown);
  return g_strdup_printf ("%s · %s", shown, status);
}

/* The full name (ellipsized in its cell) and the id the API uses. */
static char *
model_tooltip_cb (gpointer    unused,
                  const char *name,
                  const char *id)
{
  if (name == NULL || g_strcmp0 (name, id) == 0)
    return g_strdup (id);

  return g_strdup_printf ("%s\n%s", name, id);
}

static char *
edited_text_cb (gpointer unused,
                gboolean overridden)
{
  return g_strdup (overridden ? _("Edited") : "");
}

/* Unknown prices sort after every known one (ascending). */
static double
price_sort_key_cb (gpointer unused,
                   double   per_mtok)
{
  return isnan (per_mtok) ? INFINITY : per_mtok;
}

/* ------------------------------------------------------------------------------------ */
/* Rows                                                                                 */
/* ------------------------------------------------------------------------------------ */

static void
toast (JxPriceView *self,
       const char  *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
update_count (JxPriceView *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (ngettext ("%u model", "%u models", total), total);
  else
    /* Translators: "5 of 98 models" match the search. */
    text = g_strdup_printf (ngettext ("%u of %u model", "%u of %u models", total), shown, total);
  gtk_label_set_label (self->count_label, text);
}

static void
sort_model_items_changed_cb (JxPriceView *self,
                             guint        position,
                             guint        removed,
                             guint        added,
                             GListModel  *model)
{
  update_count (self);
}

static guint
count_catalog_models (JxCatalog *catalog)
{
  GPtrArray *providers = jx_catalog_get_providers (catalog);
  guint n = 0;

  for (guint i = 0; i < providers->len; i++)
    n += ((JxProvider *) g_ptr_array_index (providers, i))->models->len;
  return n;
}

enum {
  PRICES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh_rows_and_sort (JxPriceView *self);

/* Copies the catalog's current values into the rows, re-sorts, and tells the window
 * (pickers, planner) that the catalog's prices or models changed. */
static void
refresh_rows (JxPriceView *self)
{
  refresh_rows_and_sort (self);
  g_signal_emit (self, signals[PRICES_CHANGED], 0);
}

static void
refresh_rows_and_sort (JxPriceView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  /* An import added models: start over. */
  if (n != count_catalog_models (self->catalog))
    {
      jx_price_view_reload (self);
      gtk_sorter_changed (gtk_column_view_get_sorter (self->column_view), GTK_SORTER_CHANGE_DIFFERENT);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JxPriceItem) row = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      JxProvider *provider = jx_catalog_lookup (self->catalog, jx_price_item_get_provider_id (row));
      JxModel *model = NULL;

      if (provider != NULL)
        model = jx_provider_find_model (provider, jx_price_item_get_model_id (row));
      if (model == NULL)
        {
          /* The catalog lost a model: start over. */
          jx_price_view_reload (self);
          return;
        }
      jx_price_item_update (row, provider, model);
    }

  gtk_sorter_changed (gtk_column_view_get_sorter (self->column_view), GTK_SORTER_CHANGE_DIFFERENT);
}

void
jx_price_view_reload (JxPriceView *self)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *providers;

  g_return_if_fail (JX_IS_PRICE_VIEW (self));

  providers = jx_catalog_get_providers (self->catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);

      for (guint j = 0; j < provider->models->len; j++)
        g_ptr_array_add (rows, jx_price_item_new (provider, g_ptr_array_index (provider->models, j)));
    }

  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);
}

/* ------------------------------------------------------------------------------------ */
/* Row buttons                                                                          */
/* ------------------------------------------------------------------------------------ */

static void
edit_clicked_cb (GtkButton   *button,
                 GtkListItem *item)
{
  JxPriceView *self = JX_PRICE_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                              JX_TYPE_PRICE_VIEW));
  JxPriceItem *row = gtk_list_item_get_item (item);

  if (row != NULL)
    jx_price_view_edit_price (self, jx_price_item_get_provider_id (row),
                              jx_price_item_get_model_id (row));
}

static void
reset_clicked_cb (GtkButton   *button,
                  GtkListItem *item)
{
  JxPriceView *self = JX_PRICE_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                              JX_TYPE_PRICE_VIEW));
  JxPriceItem *row = gtk_list_item_get_item (item);
  g_autoptr(GError) error = NULL;

  if (row == NULL)
    return;

  if (!jx_price_view_reset_price (self, jx_price_item_get_provider_id (row),
                                  jx_price_item_get_model_id (row), &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not reset the price: %s"), error->message);

      toast (self, text);
    }
}

static GtkWidget *
new_row_button (const char *icon_name,
                const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");

  return button;
}

static void
actions_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  JxPriceView              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *edit = new_row_button ("document-edit-symbolic", _("Edit Price…"));
  GtkWidget *reset = new_row_button ("edit-undo-symbolic", _("Reset to Catalog"));
  GtkExpression *overridden;

  /* Reset is for edited prices only; the expression follows the item the row shows. */
  overridden = gtk_property_expression_new (JX_TYPE_PRICE_ITEM,
                                            gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
                                            "overridden");
  gtk_expression_bind (overridden, reset, "sensitive", item);

  g_signal_connect (edit, "clicked", G_CALLBACK (edit_clicked_cb), item);
  g_signal_connect (reset, "clicked", G_CALLBACK (reset_clicked_cb), item);
  gtk_box_append (GTK_BOX (box), edit);
  gtk_box_append (GTK_BOX (box), reset);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, TRUE);
}

static void
actions_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 JxPriceView              *self)
{
  JxPriceItem *row = gtk_list_item_get_item (item);
  GtkWidget *edit = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *reset = gtk_widget_get_next_sibling (edit);
  g_autofree char *edit_label = NULL;
  g_autofree char *reset_label = NULL;

  /* Translators: accessible name of the row's edit button; %s is a model name. */
  edit_label = g_strdup_printf (_("Edit the price of %s"), jx_price_item_get_model_name (row));
  /* Translators: accessible name of the row's reset button; %s is a model name. */
  reset_label = g_strdup_printf (_("Reset the price of %s to the catalog’s"),
                                 jx_price_item_get_model_name (row));
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reset),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, reset_label, -1);
}

static void
row_activate_cb (JxPriceView *self,
                 guint        position)
{
  g_autoptr(JxPriceItem) row = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);

  if (row != NULL)
    jx_price_view_edit_price (self, jx_price_item_get_provider_id (row),
                              jx_price_item_get_model_id (row));
}

/* ------------------------------------------------------------------------------------ */
/* Edit, reset, import                                                                  */
/* ------------------------------------------------------------------------------------ */

static void
price_applied_cb (JxPriceView       *self,
                  JxPriceEditDialog *dialog)
{
  refresh_rows (self);
}

GtkWidget *
jx_price_view_edit_price (JxPriceView *self,
                          const char  *provider_id,
                          const char  *model_id)
{
  JxPriceEditDialog *dialog;
  GtkRoot *root;

  g_return_val_if_fail (JX_IS_PRICE_VIEW (self), NULL);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = jx_price_edit_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     self->catalog, provider_id, model_id);
  if (dialog == NULL)
    return NULL;

  g_signal_connect_object (dialog, "applied", G_CALLBACK (price_applied_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

gboolean
jx_price_view_reset_price (JxPriceView  *self,
                           const char   *provider_id,
                           const char   *model_id,
                           GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (JX_IS_PRICE_VIEW (self), FALSE);
  g_return_val_if_fail (provider_id != NULL && model_id != NULL, FALSE);

  ok = jx_pricing_reset (self->catalog, provider_id, model_id, error);
  /* Even a failed reset may have rewritten part of the catalog. */
  refresh_rows (self);

  return ok;
}

/* Ours has a top-level "providers" array; LiteLLM's is an object of models. */
static gboolean
is_juxta_prices_file (const char  *path,
                      gboolean    *juxta,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *providers;

  if (!json_parser_load_from_mapped_file (parser, path, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JX_CATALOG_ERROR, JX_CATALOG_ERROR_INVALID,
                   _("%s is neither a Juxta prices file nor LiteLLM’s price list"), path);
      return FALSE;
    }

  providers = json_object_get_member (json_node_get_object (root), "providers");
  *juxta = providers != NULL && JSON_NODE_HOLDS_ARRAY (providers);

  return TRUE;
}

gboolean
jx_price_view_import_file (JxPriceView  *self,
                           GFile        *file,
                           guint        *n_imported,
                           GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  gboolean juxta = FALSE;
  gboolean ok;
  guint n = 0;

  g_return_val_if_fail (JX_IS_PRICE_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (n_imported != NULL)
    *n_imported = 0;

  if ((path = g_file_get_path (file)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only local files can be imported"));
      return FALSE;
    }

  if (!is_juxta_prices_file (path, &juxta, error))
    return FALSE;

  if (juxta)
    ok = jx_pricing_import_file (self->catalog, path, &n, error);
  else
    ok = jx_pricing_import_litellm (self->catalog, path, &n, error);
  refresh_rows (self);
  if (!ok)
    return FALSE;

  basename = g_file_get_basename (file);
  g_free (self->import_message);
  self->import_message = g_strdup_printf (ngettext ("Imported %u price from %s",
                                                    "Imported %u prices from %s", n),
                                          n, basename);
  gtk_label_set_label (self->import_label, self->import_message);
  gtk_widget_set_visible (GTK_WIDGET (self->import_label), TRUE);
  toast (self, self->import_message);

  if (n_imported != NULL)
    *n_imported = n;

  return TRUE;
}

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(JxPriceView) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!jx_price_view_import_file (self, file, NULL, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Could not import prices: %s"),
                                                   error->message);

          toast (self, text);
        }
    }

  g_object_unref (chooser);
}

static void
import_clicked_cb (JxPriceView *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  chooser = gtk_file_chooser_native_new (_("Import Prices"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (json, _("JSON Files"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------------------ */
/* Search and headers                                                                   */
/* ------------------------------------------------------------------------------------ */

/* GTK 4.8 has no gtk_column_view_scroll_to (); its inner list view has the action. Setting
 * the adjustment is not enough: the list keeps its anchor row when the model changes. */
static void
scroll_to_top (JxPriceView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) == 0)
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", 0);
}

static void
search_changed_cb (JxPriceView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  gtk_string_filter_set_search (self->filter, text[0] != '\0' ? text : NULL);
  scroll_to_top (self);
}

/* GtkColumnViewColumn has no tooltip (not in GTK 4.8, nor later), so the tooltips go on the
 * header's title widgets, which GtkColumnView creates in column order. If GTK ever builds
 * the header differently, the columns simply have no tooltip; the status bar repeats the
 * one that matters (the blend). */
static void
set_header_tooltips (JxPriceView *self)
{
  const char *tooltips[] = {
    NULL,
    NULL,
    N_("Price of one million input tokens, in US dollars"),
    N_("Price of one million input tokens read from the prompt cache, in US dollars"),
    N_("Price of one million output tokens, in US dollars"),
    N_("Blended price per million tokens: 3 input tokens for each output token"),
    N_("Discount for asynchronous batch requests"),
    N_("Context window in tokens"),
    N_("When the price was last checked"),
    N_("Where and when the price came from, and whether the model is retired"),
    N_("Prices you edited or imported"),
  };
  GType title_type = g_type_from_name ("GtkColumnViewTitle");

  if (title_type == G_TYPE_INVALID)
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      guint i = 0;

      for (GtkWidget *title = gtk_widget_get_first_child (child);
           title != NULL;
           title = gtk_widget_get_next_sibling (title))
        {
          if (!G_TYPE_CHECK_INSTANCE_TYPE (title, title_type))
            continue;
          if (i < G_N_ELEMENTS (tooltips) && tooltips[i] != NULL)
            gtk_widget_set_tooltip_text (title, _(tooltips[i]));
          i++;
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                           */
/* ------------------------------------------------------------------------------------ */

void
jx_price_view_set_filter (JxPriceView *self,
                          const char  *text)
{
  g_return_if_fail (JX_IS_PRICE_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Now, not after the entry's search delay. */
  search_changed_cb (self);
}

guint
jx_price_view_get_n_visible (JxPriceView *self)
{
  g_return_val_if_fail (JX_IS_PRICE_VIEW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
}

GListModel *
jx_price_view_get_model (JxPriceView *self)
{
  g_return_val_if_fail (JX_IS_PRICE_VIEW (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

void
jx_price_view_sort_by (JxPriceView   *self,
                       JxPriceColumn  column,
                       GtkSortType    order)
{
  GtkColumnViewColumn *columns[] = {
    self->provider_column, self->model_column, self->input_column, self->cached_column,
    self->output_column, self->blend_column, self->batch_column, self->context_column,
    self->checked_column, self->edited_column, self->source_column,
  };

  g_return_if_fail (JX_IS_PRICE_VIEW (self));
  g_return_if_fail (column < G_N_ELEMENTS (columns));

  gtk_column_view_sort_by_column (self->column_view, columns[column], order);
  scroll_to_top (self);
}

const char *
jx_price_view_get_import_message (JxPriceView *self)
{
  g_return_val_if_fail (JX_IS_PRICE_VIEW (self), NULL);

  return self->import_message != NULL ? self->import_message : "";
}

static void
jx_price_view_dispose (GObject *object)
{
  JxPriceView *self = JX_PRICE_VIEW (object);
  GtkWidget *child;

  /* The models die with the template; the count label must not hear about it. */
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_data (self->sort_model, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_PRICE_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (jx_price_view_parent_class)->dispose (object);
}

static void
jx_price_view_finalize (GObject *object)
{
  JxPriceView *self = JX_PRICE_VIEW (object);

  g_free (self->import_message);

  G_OBJECT_CLASS (jx_price_view_parent_class)->finalize (object);
}

static void
jx_price_view_class_init (JxPriceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_price_view_dispose;
  object_class->finalize = jx_price_view_finalize;

  /**
   * JxPriceView::prices-changed:
   *
   * A price was edited, reset or imported; an import may have added models.
   */
  signals[PRICES_CHANGED] = g_signal_new ("prices-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  g_type_ensure (JX_TYPE_PRICE_ITEM);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-price-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, column_view);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, store);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, filter);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, sort_model);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, count_label);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, import_label);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, provider_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, model_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, input_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, cached_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, output_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, blend_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, batch_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, context_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, checked_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, source_column);
  gtk_widget_class_bind_template_child (widget_class, JxPriceView, edited_column);
  gtk_widget_class_bind_template_callback (widget_class, format_price_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_discount_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_context_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_checked_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_source_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, edited_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_sort_key_cb);
  gtk_widget_class_bind_template_callback (widget_class, actions_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, actions_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
}

static void
jx_price_view_init (JxPriceView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_sort_list_model_set_sorter (self->sort_model, gtk_column_view_get_sorter (self->column_view));
  g_signal_connect_object (self->sort_model, "items-changed", G_CALLBACK (sort_model_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  set_header_tooltips (self);
}

GtkWidget *
jx_price_view_new (JxCatalog *catalog)
{
  JxPriceView *self;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), NULL);

  self = g_object_new (JX_TYPE_PRICE_VIEW, NULL);
  self->catalog = g_object_ref (catalog);
  jx_price_view_reload (self);
  update_count (self);

  return GTK_WIDGET (self);
}
