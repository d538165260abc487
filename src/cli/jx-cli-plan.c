/* jx-cli-plan.c — `juxta plan`: monthly cost of a workload across models
 *
 *   juxta plan --requests-per-day N | --requests-per-month N
 *              --input-tokens N --output-tokens N [--cached-share F] [--batch]
 *              [-p PROVIDER:MODEL …] [--providers-file F] [--format table|json|csv]
 *
 * Without -p every catalog model with a known price is listed (simulated ones excluded).
 * -p PROVIDER alone lists that provider's priced models. Months have 30 days. The
 * arithmetic is jx_pricing_plan ()'s (jx-pricing.h). Table: 80 columns; json: one object a
 * line; csv: RFC 4180 with a header and CRLF line ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-cli.h"
#include "jx-cli-output.h"
#include "jx-context.h"
#include "jx-pricing.h"

static const char * const csv_columns[] = {
  "provider", "model", "requests_per_month", "input_tokens", "output_tokens",
  "cached_share", "per_request_usd", "monthly_usd", "cheapest", "batch",
  NULL  /* for g_strjoinv() */
};

static int
usage_error (const char *message)
{
  g_printerr ("juxta plan: %s\n", message);
  g_printerr (_("Try “juxta plan --help” for more information.\n"));
  return JX_CLI_EXIT_USAGE;
}

/* "12,345.67" */
static char *
format_thousands (double value,
                  int    decimals)
{
  g_autofree char *plain = g_strdup_printf ("%.*f", decimals, fabs (value));
  const char *dot = strchr (plain, '.');
  gsize int_len = dot != NULL ? (gsize) (dot - plain) : strlen (plain);
  GString *out = g_string_new (value < 0 ? "-" : "");

  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, plain[i]);
    }
  if (dot != NULL)
    g_string_append (out, dot);

  return g_string_free (out, FALSE);
}

static const char *
batch_state (const JxPlanRow *row)
{
  if (row->batch_applied)
    return "applied";
  if (row->batch_unavailable)
    return "unavailable";
  return "off";
}

static JsonNode *
row_to_json (const JxPlanRow  *row,
             const JxWorkload *workload)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, row->provider_id);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, row->model_id);
  json_builder_set_member_name (builder, "requests_per_month");
  json_builder_add_double_value (builder, round (workload->requests_per_month * 1e6) / 1e6);
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, row->input_tokens);
  json_builder_set_member_name (builder, "output_tokens");
  json_builder_add_int_value (builder, row->output_tokens);
  json_builder_set_member_name (builder, "cached_share");
  json_builder_add_double_value (builder, workload->cached_share);
  json_builder_set_member_name (builder, "per_request_usd");
  if (row->price_known)
    json_builder_add_double_value (builder, round (row->per_request_usd * 1e10) / 1e10);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "monthly_usd");
  if (row->price_known)
    json_builder_add_double_value (builder, round (row->monthly_usd * 1e6) / 1e6);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "cheapest");
  json_builder_add_boolean_value (builder, row->cheapest);
  json_builder_set_member_name (builder, "batch");
  json_builder_add_string_value (builder, batch_state (row));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_table (GPtrArray        *rows,
             const JxWorkload *workload,
             double            per_day)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *requests = format_thousands (workload->requests_per_month, 0);
  guint terminal_width = jx_cli_output_terminal_width ();
  glong label_width = 0;

  if (per_day >= 0)
    {
      g_autofree char *day = format_thousands (per_day, 0);

      jx_cli_output_printf (_("%s requests/month (%s/day × %d days), %lld input + %lld output tokens each"),
                            requests, day, JX_PRICING_DAYS_PER_MONTH, (long long) workload->input_tokens,
                            (long long) workload->output_tokens);
    }
  else
    jx_cli_output_printf (_("%s requests/month, %lld input + %lld output tokens each"),
                          requests, (long long) workload->input_tokens, (long long) workload->output_tokens);
  jx_cli_output_printf (_(", %.0f%% cached, %s\n\n"), workload->cached_share * 100,
                        workload->batch ? _("batch") : _("no batch"));

  /* The label column fits the longest id, within the terminal's width. */
  for (guint i = 0; i < rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (rows, i);

      label_width = MAX (label_width, g_utf8_strlen (row->provider_id, -1) + 1 + g_utf8_strlen (row->model_id, -1));
    }
  label_width = CLAMP (label_width, 32, MAX (32, (glong) terminal_width - 48));

  jx_cli_output_cell (line, _("PROVIDER:MODEL"), label_width, FALSE);
  g_string_append (line, "  ");
  jx_cli_output_cell (line, _("$/REQUEST"), 11, TRUE);
  g_string_append (line, "  ");
  jx_cli_output_cell (line, _("$/MONTH"), 13, TRUE);
  g_string_append (line, "  ");
  g_string_append (line, _("NOTE"));
  jx_cli_output_printf ("%s\n", line->str);

  for (guint i = 0; i < rows->len; i++)
    {
      JxPlanRow *row = g_ptr_array_index (rows, i);
      g_autofree char *raw_label = g_strdup_printf ("%s:%s", row->provider_id, row->model_id);
      g_autofree char *label = jx_cli_output_sanitize (raw_label, FALSE);
      g_autofree char *per_request = NULL;
      g_autofree char *monthly = NULL;
      g_autoptr(GPtrArray) notes = g_ptr_array_new ();

      if (row->price_known)
        {
          g_autofree char *m = format_thousands (row->monthly_usd, 2);

          per_request = g_strdup_printf ("$%.6f", row->per_request_usd);
          monthly = g_strdup_printf ("$%s", m);
        }
      else
        {
          per_request = g_strdup ("–");
          monthly = g_strdup ("–");
          g_ptr_array_add (notes, (gpointer) _("no price"));
        }
      if (row->cheapest)
        g_ptr_array_add (notes, (gpointer) _("cheapest"));
      if (row->batch_applied)
        g_ptr_array_add (notes, (gpointer) _("batch"));
      if (row->batch_unavailable)
        g_ptr_array_add (notes, (gpointer) _("no batch price"));
      g_ptr_array_add (notes, NULL);

      g_string_truncate (line, 0);
      jx_cli_output_cell (line, label, label_width, FALSE);
      g_string_append (line, "  ");
      jx_cli_output_cell (line, per_request, 11, TRUE);
      g_string_append (line, "  ");
      jx_cli_output_cell (line, monthly, 13, TRUE);
      if (notes->len > 1)
        {
          g_autofree char *joined = g_strjoinv (", ", (char **) notes->pdata);

          g_string_append (line, "  ");
          g_string_append (line, joined);
        }
      jx_cli_output_printf ("%s\n", line->str);
    }

  if (rows->len == 0)
    jx_cli_output_printf (_("No model with a known price.\n"));
}

/* "openai:gpt-4o" → one item; "openai" → every priced model of the provider. Only the first
 * colon separates: Bedrock and Ollama model ids contain colons. */
static gboolean
add_items (JxCatalog   *catalog,
           const char  *spec,
           GArray      *items,
           GError     **error)
{
  const char *colon = strchr (spec, ':');
  g_autofree char *provider_id = colon != NULL ? g_strndup (spec, colon - spec) : g_strdup (spec);
  JxProvider *provider = jx_catalog_lookup (catalog, provider_id);
  JxPlanItem item;

  if (provider == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("unknown provider “%s” in -p %s"), provider_id, spec);
      return FALSE;
    }

  if (colon != NULL && colon[1] != '\0')
    {
      if (jx_provider_find_model (provider, colon + 1) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("provider “%s” has no model “%s” in its catalog (prices are known only "
                         "for catalog models)"), provider_id, colon + 1);
          return FALSE;
        }
      jx_plan_item_init (&item, provider_id, colon + 1);
      g_array_append_val (items, item);
      return TRUE;
    }

  for (guint i = 0; i < provider->models->len; i++)
    {
      JxModel *model = g_ptr_array_index (provider->models, i);

      if (!jx_price_is_known (&model->price))
        continue;
      jx_plan_item_init (&item, provider_id, model->id);
      g_array_append_val (items, item);
    }

  if (items->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("provider “%s” has no model with a known price"), provider_id);
      return FALSE;
    }

  return TRUE;
}

int
jx_cli_plan_main (int    argc,
                  char **argv)
{
  double per_day = -1;
  double per_month = -1;
  gint64 input_tokens = -1;
  gint64 output_tokens = -1;
  double cached_share = 0;
  gboolean batch = FALSE;
  g_auto(GStrv) specs = NULL;
  g_autofree char *providers_file = NULL;
  g_autofree char *format = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JxContext) jx_context = NULL;
  JxContextStage stage = JX_CONTEXT_STAGE_PROVIDERS;
  JxCliFormat output_format;
  JxCatalog *catalog;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (JxPlanItem));
  g_autoptr(GPtrArray) rows = NULL;
  JxWorkload workload;
  const GOptionEntry entries[] = {
    { "requests-per-day", 0, 0, G_OPTION_ARG_DOUBLE, &per_day,
      N_("Requests a day (a month is 30 days)"), N_("N") },
    { "requests-per-month", 0, 0, G_OPTION_ARG_DOUBLE, &per_month, N_("Requests a month"), N_("N") },
    { "input-tokens", 0, 0, G_OPTION_ARG_INT64, &input_tokens, N_("Input tokens per request"), N_("N") },
    { "output-tokens", 0, 0, G_OPTION_ARG_INT64, &output_tokens, N_("Output tokens per request"), N_("N") },
    { "cached-share", 0, 0, G_OPTION_ARG_DOUBLE, &cached_share,
      N_("Share of input tokens read from the prompt cache, 0 to 1"), N_("F") },
    { "batch", 0, 0, G_OPTION_ARG_NONE, &batch, N_("Use the batch (asynchronous) price"), NULL },
    /* Bytes, not converted from the locale's charset (LC_ALL=C would refuse UTF-8). */
    { "pane", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &specs,
      N_("A provider and model to price (repeat for more; default: every priced model)"),
      N_("PROVIDER[:MODEL]") },
    { "providers-file", 0, 0, G_OPTION_ARG_FILENAME, &providers_file,
      N_("Extra provider definitions (JSON)"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: table, json or csv"), N_("FORMAT") },
    { NULL }
  };

  g_array_set_clear_func (items, (GDestroyNotify) jx_plan_item_clear);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Estimate the monthly cost of a workload on every model, cheapest "
                                  "first, from the catalog prices and your price overrides."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("juxta plan");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 1)
    return usage_error (_("unexpected argument"));

  if ((per_day >= 0) == (per_month >= 0))
    return usage_error (_("give exactly one of --requests-per-day and --requests-per-month"));
  if (!isfinite (per_day) || !isfinite (per_month))
    return usage_error (_("the request rate must be a finite number"));
  if (input_tokens < 0 || output_tokens < 0)
    return usage_error (_("--input-tokens and --output-tokens are required (0 or more)"));
  if (!(cached_share >= 0 && cached_share <= 1))
    return usage_error (_("--cached-share must be between 0 and 1"));
  if (!jx_cli_format_parse (format, &output_format))
    return usage_error (_("--format must be table, json or csv"));

  jx_workload_init (&workload);
  if (per_day >= 0)
    jx_workload_set_requests_per_day (&workload, per_day);
  else
    workload.requests_per_month = per_month;
  workload.input_tokens = input_tokens;
  workload.output_tokens = output_tokens;
  workload.cached_share = cached_share;
  workload.batch = batch;

  if ((jx_context = jx_context_new (providers_file, &stage, &error)) == NULL)
    {
      if (stage == JX_CONTEXT_STAGE_PROVIDERS)
        return usage_error (error->message);
      g_printerr ("juxta plan: %s\n", error->message);
      return 1;
    }
  catalog = jx_context_get_catalog (jx_context);

  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    if (!add_items (catalog, specs[i], items, &error))
      return usage_error (error->message);

  rows = jx_pricing_plan (catalog, &workload, (JxPlanItem *) (gpointer) items->data,
                          items->len, &error);
  if (rows == NULL)
    return usage_error (error->message);

  if (output_format == JX_CLI_FORMAT_TABLE)
    print_table (rows, &workload, per_day);
  else
    {
      if (output_format == JX_CLI_FORMAT_CSV)
        jx_cli_output_csv_header (csv_columns);
      for (guint i = 0; i < rows->len; i++)
        {
          g_autoptr(JsonNode) root = row_to_json (g_ptr_array_index (rows, i), &workload);

          if (output_format == JX_CLI_FORMAT_CSV)
            jx_cli_output_csv_row (json_node_get_object (root), csv_columns);
          else
            jx_cli_output_json_line (root);
        }
    }

  return 0;
}
