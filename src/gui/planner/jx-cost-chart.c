/* jx-cost-chart.c — horizontal bars of monthly cost, cheapest marked
 *
 * One row per plan row: the label on the left, a bar whose length is the monthly cost
 * relative to the most expensive row, and the amount after the bar. The cheapest rows are
 * green and carry a "cheapest" tag; rows without a price show "no price".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "jx-cost-chart.h"

#define ROW_HEIGHT   26
#define BAR_HEIGHT   16
#define LABEL_WIDTH  220
#define VALUE_WIDTH  150
#define PADDING      8

struct _JxCostChart
{
  GtkWidget  parent_instance;

  GPtrArray *rows;   /* JxPlanRow* (borrowed from the owner's array, which we ref) */
};

G_DEFINE_FINAL_TYPE (JxCostChart, jx_cost_chart, GTK_TYPE_WIDGET)

static void
jx_cost_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  JxCostChart *self = JX_COST_CHART (widget);
  guint n = self->rows != NULL ? self->rows->len : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + VALUE_WIDTH + 80;
      *natural = LABEL_WIDTH + VALUE_WIDTH + 400;
    }
  else
    *minimum = *natural = 2 * PADDING + MAX (n, 1) * ROW_HEIGHT;
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const char    *text,
             float          x,
             float          y,
             int            max_width,
             const GdkRGBA *color)
{
  int height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, max_width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
  pango_layout_get_pixel_size (layout, NULL, &height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + (ROW_HEIGHT - height) / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
jx_cost_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  JxCostChart *self = JX_COST_CHART (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  int width = gtk_widget_get_width (widget);
  float bar_max = MAX (width - LABEL_WIDTH - VALUE_WIDTH - 3 * PADDING, 20);
  GdkRGBA fg, bar = { 0.208f, 0.518f, 0.894f, 1 }, cheap = { 0.149f, 0.635f, 0.412f, 1 };
  double max = 0;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  if (self->rows == NULL || self->rows->len == 0)
    {
      GdkRGBA dim = fg;

      dim.alpha = 0.55f;
      append_text (snapshot, layout, _("No model to compare"), PADDING, PADDING, width, &dim);
      return;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (self->rows, i);

      if (row->price_known)
        max = MAX (max, row->monthly_usd);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (self->rows, i);
      float y = PADDING + i * ROW_HEIGHT;
      g_autofree char *label = g_strdup_printf ("%s · %s", row->provider_name, row->model_name);
      g_autofree char *value = NULL;
      float length = 0;

      append_text (snapshot, layout, label, PADDING, y, LABEL_WIDTH - PADDING, &fg);

      if (row->price_known)
        {
          length = max > 0 ? (float) (row->monthly_usd / max) * bar_max : 0;
          length = MAX (length, 2);
          gtk_snapshot_append_color (snapshot, row->cheapest ? &cheap : &bar,
                                     &GRAPHENE_RECT_INIT (LABEL_WIDTH + PADDING,
                                                          y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0f,
                                                          length, BAR_HEIGHT));
          value = row->cheapest ? g_strdup_printf (_("$%.2f ✓ cheapest"), row->monthly_usd)
                                : g_strdup_printf ("$%.2f", row->monthly_usd);
        }
      else
        value = g_strdup (_("no price"));

      append_text (snapshot, layout, value, LABEL_WIDTH + 2 * PADDING + length, y,
                   VALUE_WIDTH, row->cheapest ? &cheap : &fg);
    }
}

static void
jx_cost_chart_dispose (GObject *object)
{
  JxCostChart *self = JX_COST_CHART (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (jx_cost_chart_parent_class)->dispose (object);
}

static void
jx_cost_chart_class_init (JxCostChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_cost_chart_dispose;
  widget_class->measure = jx_cost_chart_measure;
  widget_class->snapshot = jx_cost_chart_snapshot;
  gtk_widget_class_set_css_name (widget_class, "jx-cost-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
jx_cost_chart_init (JxCostChart *self)
{
}

void
jx_cost_chart_set_rows (JxCostChart *self,
                        GPtrArray   *rows)
{
  g_return_if_fail (JX_IS_COST_CHART (self));

  if (rows != NULL)
    g_ptr_array_ref (rows);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = rows;

  gtk_widget_queue_resize (GTK_WIDGET (self));
}
