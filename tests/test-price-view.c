/* test-price-view.c — the price table: filter, sort, edit, reset and import
 *
 * Needs a display (run under Xvfb). XDG_DATA_HOME is a fresh temporary directory, so the
 * overrides file ($XDG_DATA_HOME/juxta/prices.json) starts out absent. Saves
 * $G_TEST_BUILDDIR/screenshots/price-view.png and price-edit-dialog.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "jx-test-ui.h"
#include "jx-price-edit-dialog.h"
#include "jx-price-item.h"
#include "jx-price-view-private.h"
#include "jx-price-overrides.h"
#include "jx-model-picker.h"

static char *data_home;

static const char litellm_json[] =
  "{\n"
  "  \"sample_spec\": {\"max_tokens\": \"LEGACY parameter\", \"input_cost_per_token\": 0.0,\n"
  "                  \"output_cost_per_token\": 0.0,\n"
  "                  \"litellm_provider\": \"one of https://docs.litellm.ai/docs/providers\"},\n"
  "  \"gpt-4o\": {\"litellm_provider\": \"openai\", \"mode\": \"chat\", \"max_input_tokens\": 128000,\n"
  "             \"input_cost_per_token\": 2e-06, \"output_cost_per_token\": 8e-06,\n"
  "             \"cache_read_input_token_cost\": 1e-06},\n"
  "  \"groq/llama-3.3-70b-versatile\": {\"litellm_provider\": \"groq\", \"mode\": \"chat\",\n"
  "             \"input_cost_per_token\": 5e-07, \"output_cost_per_token\": 7e-07},\n"
  "  \"not-in-the-catalog\": {\"litellm_provider\": \"openai\",\n"
  "             \"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 1e-06}\n"
  "}\n";

static const char juxta_json[] =
  "{\"providers\":[{\"id\":\"mistral\",\"models\":[{\"id\":\"mistral-small-latest\","
  "\"input_per_mtok\":0.3,\"output_per_mtok\":0.9}]}]}";

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_tooltip_containing (GtkWidget  *widget,
                        const char *text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip != NULL && strstr (tooltip, text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_tooltip_containing (child, text))
      return TRUE;

  return FALSE;
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s|", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* The on-screen row that shows @model_name. */
static GtkWidget *
row_widget (GtkWidget  *view,
            const char *model_name)
{
  GtkWidget *column_view = find_widget (view, GTK_TYPE_COLUMN_VIEW);
  GtkWidget *widget = find_label (column_view, model_name);

  g_assert_nonnull (widget);
  /* Up to the row widget: the child of the column view's inner list view. */
  while (widget != NULL && !GTK_IS_LIST_VIEW (gtk_widget_get_parent (widget)))
    widget = gtk_widget_get_parent (widget);
  g_assert_nonnull (widget);

  return widget;
}

/* The cell texts of the on-screen row that shows @model_name, as "cell|cell|…|". */
static char *
row_text (GtkWidget  *view,
          const char *model_name)
{
  GString *out = g_string_new ("|");

  collect_labels (row_widget (view, model_name), out);

  return g_string_free (out, FALSE);
}

static gboolean
is_reset_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Reset to Catalog") == 0;
}

/* Whether the Reset button of the on-screen row that shows @model_name can be pressed. */
static gboolean
row_can_reset (GtkWidget  *view,
               const char *model_name)
{
  GtkWidget *button = jx_test_find_widget (row_widget (view, model_name), is_reset_button, NULL);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static JxPriceItem *
row_at (JxPriceView *view,
        guint        position)
{
  JxPriceItem *row = g_list_model_get_item (jx_price_view_get_model (view), position);

  g_assert_nonnull (row);
  g_object_unref (row); /* still held by the model */
  return row;
}

static JxPriceItem *
find_row (JxPriceView *view,
          const char  *provider_id,
          const char  *model_id)
{
  GListModel *model = jx_price_view_get_model (view);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      JxPriceItem *row = row_at (view, i);

      if (g_str_equal (jx_price_item_get_provider_id (row), provider_id) &&
          g_str_equal (jx_price_item_get_model_id (row), model_id))
        return row;
    }

  return NULL;
}

/* The overrides file's entry for one model, or NULL. */
static JsonObject *
read_override (JsonParser *parser,
               const char *provider_id,
               const char *model_id)
{
  g_autofree char *path = g_build_filename (data_home, "juxta", "prices.json", NULL);
  g_autoptr(GError) error = NULL;
  JsonArray *providers;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  providers = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "providers");
  for (guint i = 0; i < json_array_get_length (providers); i++)
    {
      JsonObject *provider = json_array_get_object_element (providers, i);
      JsonArray *models;

      if (!g_str_equal (json_object_get_string_member (provider, "id"), provider_id))
        continue;
      models = json_object_get_array_member (provider, "models");
      for (guint j = 0; j < json_array_get_length (models); j++)
        {
          JsonObject *model = json_array_get_object_element (models, j);

          if (g_str_equal (json_object_get_string_member (model, "id"), model_id))
            return model;
        }
    }

  return NULL;
}

static gboolean
contains_nocase (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

/* A price table of its own on a fresh built-in catalog in a window, and no overrides file. */
typedef struct
{
  JxCatalog   *catalog;
  GtkWidget   *window;
  GtkWidget   *widget;
  JxPriceView *view;
  JsonParser  *parser;
  guint        n_models;
  guint        n_groq;   /* rows that mention Groq */
} Fixture;

static void
remove_files (void)
{
  g_autofree char *prices = g_build_filename (data_home, "juxta", "prices.json", NULL);
  g_autofree char *litellm = g_build_filename (data_home, "model_prices_and_context_window.json", NULL);
  g_autofree char *own = g_build_filename (data_home, "my-prices.json", NULL);

  g_remove (prices);
  g_remove (litellm);
  g_remove (own);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *providers;

  remove_files ();
  f->catalog = jx_catalog_new_builtin (&error);
  g_assert_no_error (error);
  f->parser = json_parser_new ();

  providers = jx_catalog_get_providers (f->catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      JxProvider *provider = g_ptr_array_index (providers, i);

      for (guint j = 0; j < provider->models->len; j++)
        {
          JxModel *model = g_ptr_array_index (provider->models, j);

          f->n_models++;
          if (contains_nocase (provider->name, "groq") || contains_nocase (provider->id, "groq") ||
              contains_nocase (model->name, "groq") || contains_nocase (model->id, "groq"))
            f->n_groq++;
        }
    }
  g_assert_cmpuint (f->n_models, >, 40);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1240, 720);
  f->widget = jx_price_view_new (f->catalog);
  f->view = JX_PRICE_VIEW (f->widget);
  gtk_window_set_child (GTK_WINDOW (f->window), f->widget);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->parser);
  g_clear_object (&f->catalog);
  remove_files ();
}

/* Imports @contents as a file named @name, which must bring in @n_expected prices. */
static void
import_file (Fixture    *f,
             const char *name,
             const char *contents,
             guint       n_expected)
{
  g_autofree char *path = g_build_filename (data_home, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint n_imported = 0;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_assert_true (jx_price_view_import_file (f->view, file, &n_imported, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_imported, ==, n_expected);
}

/* Gives Groq's llama-3.3-70b-versatile a new input and output price, cached unknown,
 * through the edit dialog's own apply; saves a screenshot of the dialog when @screenshot. */
static void
edit_llama_price (Fixture  *f,
                  gboolean  screenshot)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  JxPrice price;

  jx_price_view_set_filter (f->view, "llama-3.3-70b-versatile");
  g_assert_cmpuint (jx_price_view_get_n_visible (f->view), ==, 1);
  dialog = jx_price_view_edit_price (f->view, "groq", "llama-3.3-70b-versatile");
  g_assert_true (JX_IS_PRICE_EDIT_DIALOG (dialog));
  jx_price_edit_dialog_get_price (JX_PRICE_EDIT_DIALOG (dialog), &price);
  g_assert_cmpfloat_with_epsilon (price.input_per_mtok, 0.59, 1e-9);
  g_assert_cmpfloat (price.cached_input_per_mtok, <, 0);
  price.input_per_mtok = 1.2345;
  price.output_per_mtok = 6.789;
  jx_price_edit_dialog_set_price (JX_PRICE_EDIT_DIALOG (dialog), &price);
  gtk_test_widget_wait_for_draw (dialog);
  if (screenshot)
    g_free (jx_test_save_screenshot (dialog, "price-edit-dialog.png"));
  g_assert_true (jx_price_edit_dialog_apply (JX_PRICE_EDIT_DIALOG (dialog), &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* One row per catalog model; simulated models say so. */
static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  JxPriceItem *row;

  g_assert_cmpuint (jx_price_view_get_n_visible (f->view), ==, f->n_models);
  row = find_row (f->view, "simulated", "sim-fast");
  g_assert_nonnull (row);
  g_assert_cmpstr (jx_price_item_get_provider_name (row), ==, "Simulated");
  g_assert_true (jx_price_item_get_simulated (row));
  g_assert_true (has_tooltip_containing (f->widget, "3 input tokens for each output token"));
}

static void
test_format (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = jx_price_item_format_price (2.5);
  g_autofree char *b = jx_price_item_format_price (0.075);
  g_autofree char *c = jx_price_item_format_price (NAN);
  g_autofree char *d = jx_price_item_format_discount (0.5);
  g_autofree char *e = jx_price_item_format_discount (0);
  g_autofree char *g = jx_price_item_format_context (1050000);
  g_autofree char *h = jx_price_item_format_context (128000);
  g_autofree char *i = jx_price_item_format_context (1000000);

  g_assert_cmpstr (a, ==, "2.50");
  g_assert_cmpstr (b, ==, "0.075");
  g_assert_cmpstr (c, ==, "—");
  g_assert_cmpstr (d, ==, "50 %");
  g_assert_cmpstr (e, ==, "—");
  g_assert_cmpstr (g, ==, "1.05M");
  g_assert_cmpstr (h, ==, "128K");
  g_assert_cmpstr (i, ==, "1M");
}

/* Only rows that mention Groq (the Groq provider, and the Hugging Face route to Groq);
 * every Groq model is among them. */
static void
test_filter (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *count_text = NULL;

  jx_price_view_set_filter (f->view, "groq");
  g_assert_cmpuint (jx_price_view_get_n_visible (f->view), ==, f->n_groq);
  g_assert_cmpuint (f->n_groq, >=, jx_catalog_lookup (f->catalog, "groq")->models->len);
  for (guint i = 0; i < jx_price_view_get_n_visible (f->view); i++)
    {
      JxPriceItem *row = row_at (f->view, i);

      g_assert_true (g_str_equal (jx_price_item_get_provider_id (row), "groq") ||
                     contains_nocase (jx_price_item_get_model_name (row), "groq") ||
                     contains_nocase (jx_price_item_get_model_id (row), "groq"));
    }
  gtk_test_widget_wait_for_draw (f->window);
  count_text = g_strdup_printf ("%u of %u models", f->n_groq, f->n_models);
  g_assert_nonnull (find_label (f->widget, count_text));

  jx_price_view_set_filter (f->view, NULL);
  g_assert_cmpuint (jx_price_view_get_n_visible (f->view), ==, f->n_models);
}

/* By output price, ascending: known prices in order, unknown ones last. */
static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  jx_price_view_sort_by (f->view, JX_PRICE_COLUMN_OUTPUT, GTK_SORT_ASCENDING);
  g_assert_cmpfloat (jx_price_item_get_output_price (row_at (f->view, 0)), <=,
                     jx_price_item_get_output_price (row_at (f->view, 1)));
  for (guint i = 1; i < f->n_models; i++)
    {
      double prev = jx_price_item_get_output_price (row_at (f->view, i - 1));
      double cur = jx_price_item_get_output_price (row_at (f->view, i));

      if (!isnan (cur))
        g_assert_true (!isnan (prev) && prev <= cur);
    }
}

/* Through the dialog: the row and the overrides file have the new price. */
static void
test_edit (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *text = NULL;
  JxPriceItem *row;
  JsonObject *entry;

  edit_llama_price (f, TRUE);

  row = find_row (f->view, "groq", "llama-3.3-70b-versatile");
  g_assert_nonnull (row);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_input_price (row), 1.2345, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_output_price (row), 6.789, 1e-9);
  g_assert_true (isnan (jx_price_item_get_cached_price (row)));
  g_assert_true (jx_price_item_get_overridden (row));
  gtk_test_widget_wait_for_draw (f->window);
  text = row_text (f->widget, jx_price_item_get_model_name (row));
  g_test_message ("edited row: %s", text);
  g_assert_nonnull (strstr (text, "|Groq|"));
  g_assert_nonnull (strstr (text, "|1.2345|—|6.789|"));
  g_assert_nonnull (strstr (text, "|Edited|"));
  g_assert_true (row_can_reset (f->widget, jx_price_item_get_model_name (row)));

  entry = read_override (f->parser, "groq", "llama-3.3-70b-versatile");
  g_assert_nonnull (entry);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "input_per_mtok"), 1.2345, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "output_per_mtok"), 6.789, 1e-9);
}

/* After an edit: the catalog price again, not edited, gone from the file. */
static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JxCatalog) pristine = jx_catalog_new_builtin (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JxModel *catalog_model;
  JxPriceItem *row;

  edit_llama_price (f, FALSE);
  row = find_row (f->view, "groq", "llama-3.3-70b-versatile");
  g_assert_true (jx_price_item_get_overridden (row));
  g_assert_nonnull (read_override (f->parser, "groq", "llama-3.3-70b-versatile"));

  g_assert_true (jx_price_view_reset_price (f->view, "groq", "llama-3.3-70b-versatile", &error));
  g_assert_no_error (error);
  catalog_model = jx_provider_find_model (jx_catalog_lookup (pristine, "groq"),
                                          "llama-3.3-70b-versatile");
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_input_price (row),
                                  catalog_model->price.input_per_mtok, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_output_price (row),
                                  catalog_model->price.output_per_mtok, 1e-9);
  g_assert_false (jx_price_item_get_overridden (row));
  gtk_test_widget_wait_for_draw (f->window);
  text = row_text (f->widget, jx_price_item_get_model_name (row));
  g_assert_nonnull (strstr (text, "|0.59|—|0.79|"));
  g_assert_null (strstr (text, "|Edited|"));
  g_assert_false (row_can_reset (f->widget, jx_price_item_get_model_name (row)));
  g_assert_null (read_override (f->parser, "groq", "llama-3.3-70b-versatile"));
}

/* LiteLLM's format: two of its models are in the catalog. */
static void
test_import_litellm (Fixture       *f,
                     gconstpointer  data)
{
  JxPriceItem *row;

  import_file (f, "model_prices_and_context_window.json", litellm_json, 2);
  g_assert_cmpstr (jx_price_view_get_import_message (f->view), ==,
                   "Imported 2 prices from model_prices_and_context_window.json");
  gtk_test_widget_wait_for_draw (f->window);
  g_assert_nonnull (find_label (f->widget, jx_price_view_get_import_message (f->view)));
  row = find_row (f->view, "openai", "gpt-4o");
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_input_price (row), 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_cached_price (row), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_output_price (row), 8.0, 1e-9);
  g_assert_true (jx_price_item_get_overridden (row));
  row = find_row (f->view, "azure-openai", "gpt-4o");
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_output_price (row), 10.0, 1e-9);
  g_assert_false (jx_price_item_get_overridden (row));
  row = find_row (f->view, "groq", "llama-3.3-70b-versatile");
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_output_price (row), 0.7, 1e-9);
  g_assert_nonnull (read_override (f->parser, "openai", "gpt-4o"));
}

static void
count_signal (guint *n)
{
  (*n)++;
}

/* A LiteLLM chat model the catalog lacks is added: the Prices view lists it with its
 * source and date, and the model picker offers it; a retired model is marked in the view
 * and not offered. */
static void
test_import_new_model (Fixture       *f,
                       gconstpointer  data)
{
  static const char json[] =
    "{\"gpt-imported-test\": {\"litellm_provider\": \"openai\", \"mode\": \"chat\",\n"
    "   \"input_cost_per_token\": 4e-06, \"output_cost_per_token\": 1.6e-05,\n"
    "   \"cache_read_input_token_cost\": 4e-07, \"max_input_tokens\": 400000,\n"
    "   \"input_cost_per_token_above_272k_tokens\": 8e-06,\n"
    "   \"output_cost_per_token_above_272k_tokens\": 2.4e-05}}\n";
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *source = g_strdup_printf ("LiteLLM %s", today);
  g_autofree char *shown = g_strdup_printf ("LiteLLM %s · Imported", today);
  GtkWidget *window;
  GtkWidget *picker;
  JxPriceItem *row;
  guint n_before = g_list_model_get_n_items (jx_price_view_get_model (f->view));
  guint n_changed = 0;

  /* The window refills its pickers on this signal. */
  g_signal_connect_swapped (f->view, "prices-changed", G_CALLBACK (count_signal), &n_changed);

  /* Before: catalog prices say so, and the retired model is marked. */
  row = find_row (f->view, "openai", "gpt-4o");
  g_assert_cmpstr (jx_price_item_get_price_source (row), ==, "catalog 2026-07");
  row = find_row (f->view, "anthropic", "claude-3-5-sonnet-20241022");
  g_assert_cmpstr (jx_price_item_get_status (row), ==, "Retired 2025-10-22");
  g_assert_null (find_row (f->view, "openai", "gpt-imported-test"));

  import_file (f, "model_prices_and_context_window.json", json, 1);
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (jx_price_view_get_model (f->view)), ==, n_before + 1);
  row = find_row (f->view, "openai", "gpt-imported-test");
  g_assert_nonnull (row);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_input_price (row), 4.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_cached_price (row), 0.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_output_price (row), 16.0, 1e-9);
  g_assert_cmpstr (jx_price_item_get_price_source (row), ==, source);
  g_assert_cmpstr (jx_price_item_get_price_checked (row), ==, today);
  g_assert_cmpstr (jx_price_item_get_status (row), ==, "Imported");

  /* On screen: the Source column shows where and when. */
  jx_price_view_set_filter (f->view, "gpt-imported-test");
  gtk_test_widget_wait_for_draw (f->window);
  g_assert_nonnull (find_label (f->widget, shown));

  /* The picker offers the imported model, not the retired one. */
  window = gtk_window_new ();
  picker = jx_model_picker_new ();
  gtk_window_set_child (GTK_WINDOW (window), picker);
  jx_model_picker_fill (JX_MODEL_PICKER (picker), f->catalog, NULL, NULL, NULL);
  g_assert_true (jx_model_picker_select (JX_MODEL_PICKER (picker), "openai", "gpt-imported-test"));
  g_assert_false (jx_model_picker_select (JX_MODEL_PICKER (picker), "anthropic",
                                          "claude-3-5-sonnet-20241022"));
  g_assert_true (jx_model_picker_select (JX_MODEL_PICKER (picker), "anthropic", "claude-sonnet-4-5"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Our own format is told apart by its top-level "providers" array. */
static void
test_import_own (Fixture       *f,
                 gconstpointer  data)
{
  JxPriceItem *row;

  import_file (f, "my-prices.json", juxta_json, 1);
  g_assert_cmpstr (jx_price_view_get_import_message (f->view), ==,
                   "Imported 1 price from my-prices.json");
  row = find_row (f->view, "mistral", "mistral-small-latest");
  g_assert_cmpfloat_with_epsilon (jx_price_item_get_output_price (row), 0.9, 1e-9);
  g_assert_true (jx_price_item_get_overridden (row));
}

/* Not a prices file at all. */
static void
test_import_invalid (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (data_home, "my-prices.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint n_imported = 0;

  g_assert_true (g_file_set_contents (path, "[1, 2]", -1, NULL));
  g_assert_false (jx_price_view_import_file (f->view, file, &n_imported, &error));
  g_assert_nonnull (error);
}

/* Everything, by provider, edited and imported rows first; the screenshot. */
static void
test_sort_edited_first (Fixture       *f,
                        gconstpointer  data)
{
  import_file (f, "model_prices_and_context_window.json", litellm_json, 2);
  import_file (f, "my-prices.json", juxta_json, 1);

  jx_price_view_sort_by (f->view, JX_PRICE_COLUMN_PROVIDER, GTK_SORT_ASCENDING);
  jx_price_view_sort_by (f->view, JX_PRICE_COLUMN_EDITED, GTK_SORT_DESCENDING);
  g_assert_true (jx_price_item_get_overridden (row_at (f->view, 0)));
  g_assert_true (jx_price_item_get_overridden (row_at (f->view, 2)));
  g_assert_false (jx_price_item_get_overridden (row_at (f->view, 3)));
  gtk_test_widget_wait_for_draw (f->window);
  g_free (jx_test_save_screenshot (f->widget, "price-view.png"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *prices = NULL;
  g_autofree char *juxta = NULL;
  int ret;

  /* Before anything calls g_get_user_data_dir (), which caches it. */
  data_home = g_dir_make_tmp ("jx-price-view-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_unsetenv ("LANGUAGE");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);

#define add_test(name, func) \
  g_test_add ("/juxta/gui/price-view/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  add_test ("rows", test_rows);
  add_test ("format", test_format);
  add_test ("filter", test_filter);
  add_test ("sort", test_sort);
  add_test ("edit", test_edit);
  add_test ("reset", test_reset);
  add_test ("import-litellm", test_import_litellm);
  add_test ("import-own", test_import_own);
  add_test ("import-new-model", test_import_new_model);
  add_test ("import-invalid", test_import_invalid);
  add_test ("sort-edited-first", test_sort_edited_first);
#undef add_test

  ret = g_test_run ();

  prices = g_build_filename (data_home, "juxta", "prices.json", NULL);
  juxta = g_build_filename (data_home, "juxta", NULL);
  g_remove (prices);
  g_rmdir (juxta);
  g_rmdir (data_home);
  g_free (data_home);

  return ret;
}
