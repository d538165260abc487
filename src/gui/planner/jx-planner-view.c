/* jx-planner-view.c — monthly cost of a workload across models, with a bar chart
 *
 * The arithmetic is jx_pricing_plan ()'s (jx-planner.h); this view only gathers the
 * workload, shows the sorted rows and the chart, and exports them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "jx-cost-chart.h"
#include "jx-planner-view-private.h"

struct _JxPlannerView
{
  GtkWidget       parent_instance;

  JxCatalog      *catalog;
  GArray         *measured;   /* JxPlanItem, NULL = no round yet */
  GPtrArray      *rows;       /* JxPlanRow* */
  GArray         *subscriptions; /* JxSubscription from the subscription row */
  gboolean        filling;    /* set_workload in progress: one refresh at the end */

  /* Template widgets */
  GtkSpinButton  *requests_spin;
  GtkSpinButton  *input_spin;
  GtkSpinButton  *output_spin;
  GtkSpinButton  *cached_spin;
  GtkSpinButton  *seconds_spin;
  AdwEntryRow    *subscription_row;
  GtkSwitch      *batch_switch;
  GtkSwitch      *measured_switch;
  AdwActionRow   *measured_row;
  JxCostChart    *chart;
  GtkListBox     *list;
};

G_DEFINE_FINAL_TYPE (JxPlannerView, jx_planner_view, GTK_TYPE_WIDGET)

static void
get_workload (JxPlannerView *self,
              JxWorkload    *workload)
{
  jx_workload_init (workload);
  jx_workload_set_requests_per_day (workload, gtk_spin_button_get_value (self->requests_spin));
  workload->input_tokens = (gint64) gtk_spin_button_get_value (self->input_spin);
  workload->output_tokens = (gint64) gtk_spin_button_get_value (self->output_spin);
  workload->cached_share = gtk_spin_button_get_value (self->cached_spin) / 100.0;
  workload->batch = gtk_switch_get_active (self->batch_switch);
  /* 0 s: not given; models billed per second then use the round's measured time. */
  if (gtk_spin_button_get_value (self->seconds_spin) > 0)
    workload->seconds_per_request = gtk_spin_button_get_value (self->seconds_spin);
  workload->subscriptions = (JxSubscription *) (gpointer) self->subscriptions->data;
  workload->n_subscriptions = self->subscriptions->len;
}

/* "team:20:1000:0.01; pro:200:50M:0.000004:tokens" → self->subscriptions; a part that does
 * not parse marks the row as an error and is left out. */
static void
parse_subscriptions (JxPlannerView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->subscription_row));
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);
  gboolean ok = TRUE;

  g_array_set_size (self->subscriptions, 0);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      JxSubscription subscription;
      char *spec = g_strstrip (parts[i]);

      if (spec[0] == '\0')
        continue;
      if (jx_subscription_parse (&subscription, spec, NULL))
        g_array_append_val (self->subscriptions, subscription);
      else
        ok = FALSE;
    }

  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->subscription_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->subscription_row), "error");
}

static GtkWidget *
create_row (JxPlanRow *row)
{
  GtkWidget *action_row = adw_action_row_new ();
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *amount;
  GtkWidget *detail;
  g_autoptr(GString) subtitle = g_string_new (row->provider_name);
  g_autofree char *monthly = NULL;
  g_autofree char *per_request = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), row->model_name);
  if (row->measured && row->measured_estimated)
    g_string_append_printf (subtitle, _(" · estimated %lld in / %lld out"),
                            (long long) row->input_tokens, (long long) row->output_tokens);
  else if (row->measured)
    g_string_append_printf (subtitle, _(" · measured %lld in / %lld out"),
                            (long long) row->input_tokens, (long long) row->output_tokens);
  if (!isnan (row->ttft_ms))
    g_string_append_printf (subtitle, _(" · TTFT %.0f ms"), row->ttft_ms);
  if (!isnan (row->tokens_per_s))
    g_string_append_printf (subtitle, _(" · %.0f tok/s"), row->tokens_per_s);
  if (row->batch_unavailable && row->billing != JX_PLAN_BILLING_SUBSCRIPTION)
    g_string_append (subtitle, _(" · no batch price"));
  if (row->tier_above >= 0)
    g_string_append_printf (subtitle, _(" · long context (>%lldk input)"),
                            (long long) row->tier_above / 1000);
  if (row->billing == JX_PLAN_BILLING_PER_SECOND && !isnan (row->seconds))
    g_string_append_printf (subtitle, _(" · %.1f s billed per second"), row->seconds);
  else if (row->billing == JX_PLAN_BILLING_PER_SECOND)
    g_string_append (subtitle, _(" · billed per second: give the seconds per request"));
  if (row->billing == JX_PLAN_BILLING_SUBSCRIPTION)
    g_string_append_printf (subtitle, _(" · %.0f over the included quota"), row->overage_units);
  if (row->price_source != NULL)
    g_string_append_printf (subtitle, " · %s", row->price_source);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle->str);

  if (row->price_known)
    {
      monthly = g_strdup_printf (_("$%.2f / month"), row->monthly_usd);
      per_request = g_strdup_printf (_("$%.6f / request"), row->per_request_usd);
    }
  else
    {
      monthly = g_strdup (_("No price"));
      per_request = g_strdup ("");
    }

  amount = gtk_label_new (monthly);
  gtk_widget_add_css_class (amount, "numeric");
  gtk_label_set_xalign (GTK_LABEL (amount), 1);
  detail = gtk_label_new (per_request);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_label_set_xalign (GTK_LABEL (detail), 1);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (suffix), amount);
  gtk_box_append (GTK_BOX (suffix), detail);

  if (row->cheapest)
    {
      GtkWidget *tag = gtk_label_new (_("Cheapest"));

      gtk_widget_add_css_class (tag, "success");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), tag);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), suffix);

  return action_row;
}

void
jx_planner_view_refresh (JxPlannerView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = NULL;
  JxWorkload workload;
  GtkWidget *child;

  g_return_if_fail (JX_IS_PLANNER_VIEW (self));

  if (self->filling)
    return;

  get_workload (self, &workload);

  if (self->measured != NULL && self->measured->len > 0)
    {
      gboolean use = gtk_switch_get_active (self->measured_switch);

      items = g_array_new (FALSE, TRUE, sizeof (JxPlanItem));
      g_array_set_clear_func (items, (GDestroyNotify) jx_plan_item_clear);
      for (guint i = 0; i < self->measured->len; i++)
        {
          const JxPlanItem *src = &g_array_index (self->measured, JxPlanItem, i);
          JxProvider *provider = jx_catalog_lookup (self->catalog, src->provider_id);
          JxPlanItem item;

          if (provider == NULL || jx_provider_find_model (provider, src->model_id) == NULL)
            continue;
          jx_plan_item_init (&item, src->provider_id, src->model_id);
          item.has_measured = use && src->has_measured;
          item.measured = src->measured;
          item.ttft_ms = src->ttft_ms;
          item.tokens_per_s = src->tokens_per_s;
          item.seconds = src->seconds;
          g_array_append_val (items, item);
        }
    }

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = jx_pricing_plan (self->catalog, &workload,
                                items != NULL ? (JxPlanItem *) (gpointer) items->data : NULL,
                                items != NULL ? items->len : 0, &error);
  if (self->rows == NULL)
    {
      g_warning ("Planner: %s", error->message);
      self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_plan_row_free);
    }

  jx_cost_chart_set_rows (self->chart, self->rows);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_append (self->list, create_row (g_ptr_array_index (self->rows, i)));
}

static void
input_changed_cb (JxPlannerView *self)
{
  jx_planner_view_refresh (self);
}

static void
subscription_changed_cb (JxPlannerView *self)
{
  parse_subscriptions (self);
  jx_planner_view_refresh (self);
}

char *
jx_planner_view_to_csv (JxPlannerView *self)
{
  GString *csv = g_string_new ("provider,model,per_request_usd,monthly_usd,cheapest,batch\r\n");

  g_return_val_if_fail (JX_IS_PLANNER_VIEW (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (self->rows, i);
      char a[G_ASCII_DTOSTR_BUF_SIZE] = "", b[G_ASCII_DTOSTR_BUF_SIZE] = "";
      g_autoptr(GString) model = g_string_new (row->model_id);

      g_string_replace (model, "\"", "\"\"", 0);
      if (row->price_known)
        {
          g_ascii_formatd (a, sizeof a, "%.10f", row->per_request_usd);
          g_ascii_formatd (b, sizeof b, "%.6f", row->monthly_usd);
        }
      g_string_append_printf (csv, "\"%s\",\"%s\",%s,%s,%s,\"%s\"\r\n", row->provider_id,
                              model->str, a, b, row->cheapest ? "true" : "false",
                              row->batch_applied ? "applied"
                              : row->batch_unavailable ? "unavailable" : "off");
    }

  return g_string_free (csv, FALSE);
}

char *
jx_planner_view_to_markdown (JxPlannerView *self)
{
  GString *md = g_string_new (NULL);
  JxWorkload workload;

  g_return_val_if_fail (JX_IS_PLANNER_VIEW (self), NULL);

  get_workload (self, &workload);
  g_string_append_printf (md, _("%.0f requests/month (30-day month), %lld input + %lld output "
                                "tokens, %.0f%% cached%s\n\n"),
                          workload.requests_per_month, (long long) workload.input_tokens,
                          (long long) workload.output_tokens, workload.cached_share * 100,
                          workload.batch ? _(", batch") : "");
  g_string_append (md, _("| Provider | Model | $/request | $/month | |\n"));
  g_string_append (md, "|---|---|---:|---:|---|\n");

  for (guint i = 0; i < self->rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(GString) name = g_string_new (row->model_name);

      g_string_replace (name, "|", "\\|", 0);
      if (row->price_known)
        g_string_append_printf (md, "| %s | %s | $%.6f | $%.2f | %s |\n", row->provider_name,
                                name->str, row->per_request_usd, row->monthly_usd,
                                row->cheapest ? _("cheapest") : "");
      else
        g_string_append_printf (md, "| %s | %s | – | – | %s |\n", row->provider_name, name->str,
                                _("no price"));
    }

  return g_string_free (md, FALSE);
}

static void
copy_markdown_cb (JxPlannerView *self)
{
  g_autofree char *md = jx_planner_view_to_markdown (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), md);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(JxPlannerView) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *csv = jx_planner_view_to_csv (self);
      g_autoptr(GError) error = NULL;

      if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                    G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        g_warning ("Could not export the plan: %s", error->message);
    }

  g_object_unref (dialog);
}

static void
export_csv_cb (JxPlannerView *self)
{
  GtkFileChooserNative *chooser;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  chooser = gtk_file_chooser_native_new (_("Export Plan"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "juxta-plan.csv");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
jx_planner_view_dispose (GObject *object)
{
  JxPlannerView *self = JX_PLANNER_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_PLANNER_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->measured, g_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->subscriptions, g_array_unref);

  G_OBJECT_CLASS (jx_planner_view_parent_class)->dispose (object);
}

static void
jx_planner_view_class_init (JxPlannerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_planner_view_dispose;

  g_type_ensure (JX_TYPE_COST_CHART);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-planner-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, requests_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, input_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, output_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, cached_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, seconds_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, subscription_row);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, batch_switch);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, measured_switch);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, measured_row);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, chart);
  gtk_widget_class_bind_template_child (widget_class, JxPlannerView, list);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, subscription_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_markdown_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_csv_cb);
}

static void
jx_planner_view_init (JxPlannerView *self)
{
  self->subscriptions = g_array_new (FALSE, TRUE, sizeof (JxSubscription));
  g_array_set_clear_func (self->subscriptions, (GDestroyNotify) jx_subscription_clear);
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
}

GtkWidget *
jx_planner_view_new (JxCatalog *catalog)
{
  JxPlannerView *self;

  g_return_val_if_fail (JX_IS_CATALOG (catalog), NULL);

  self = g_object_new (JX_TYPE_PLANNER_VIEW, NULL);
  self->catalog = g_object_ref (catalog);
  jx_planner_view_refresh (self);

  return GTK_WIDGET (self);
}

void
jx_planner_view_set_measured (JxPlannerView *self,
                              GPtrArray     *responses)
{
  g_return_if_fail (JX_IS_PLANNER_VIEW (self));

  g_clear_pointer (&self->measured, g_array_unref);
  if (responses != NULL)
    self->measured = jx_plan_items_from_responses (responses);

  gtk_widget_set_sensitive (GTK_WIDGET (self->measured_row),
                            self->measured != NULL && self->measured->len > 0);
  jx_planner_view_refresh (self);
}

void
jx_planner_view_set_workload (JxPlannerView    *self,
                              const JxWorkload *workload)
{
  g_return_if_fail (JX_IS_PLANNER_VIEW (self));
  g_return_if_fail (workload != NULL);

  self->filling = TRUE;
  gtk_spin_button_set_value (self->requests_spin,
                             workload->requests_per_month / JX_PRICING_DAYS_PER_MONTH);
  gtk_spin_button_set_value (self->input_spin, (double) workload->input_tokens);
  gtk_spin_button_set_value (self->output_spin, (double) workload->output_tokens);
  gtk_spin_button_set_value (self->cached_spin, workload->cached_share * 100);
  gtk_switch_set_active (self->batch_switch, workload->batch);
  gtk_spin_button_set_value (self->seconds_spin, isnan (workload->seconds_per_request)
                                                 ? 0 : workload->seconds_per_request);
  {
    g_autoptr(GString) text = g_string_new (NULL);

    for (guint i = 0; i < workload->n_subscriptions; i++)
      {
        const JxSubscription *sub = &workload->subscriptions[i];
        char fee[G_ASCII_DTOSTR_BUF_SIZE], included[G_ASCII_DTOSTR_BUF_SIZE];
        char overage[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append_printf (text, "%s%s:%s:%s:%s%s", i > 0 ? "; " : "", sub->name,
                                g_ascii_dtostr (fee, sizeof fee, sub->monthly_usd),
                                g_ascii_dtostr (included, sizeof included, sub->included),
                                g_ascii_dtostr (overage, sizeof overage, sub->overage_usd),
                                sub->per_token ? ":tokens" : "");
      }
    gtk_editable_set_text (GTK_EDITABLE (self->subscription_row), text->str);
    parse_subscriptions (self);
  }
  self->filling = FALSE;

  jx_planner_view_refresh (self);
}

GPtrArray *
jx_planner_view_get_rows (JxPlannerView *self)
{
  g_return_val_if_fail (JX_IS_PLANNER_VIEW (self), NULL);

  return self->rows;
}

GtkWidget *
jx_planner_view_get_chart (JxPlannerView *self)
{
  g_return_val_if_fail (JX_IS_PLANNER_VIEW (self), NULL);

  return GTK_WIDGET (self->chart);
}
