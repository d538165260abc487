/* jx-cli.c — `juxta compare`, `juxta demo`: the engine without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "jx-cli.h"
#include "jx-plan-cli.h"
#include "jx-request.h"

#define EXIT_USAGE 2

typedef enum
{
  FORMAT_TABLE,
  FORMAT_JSON,
  FORMAT_CSV,
} OutputFormat;

typedef struct
{
  JxProvider *provider;
  char       *model;
  char       *label;       /* "provider:model" */
  GPtrArray  *responses;   /* JxResponse*, one per run */
} Pane;

typedef struct
{
  JxEngine     *engine;
  GPtrArray    *panes;
  GPtrArray    *requests;  /* current round */
  JxPrompt      prompt;
  OutputFormat  format;
  guint         runs;
  guint         pending;
  GMainLoop    *loop;
  gboolean      tty;
  gboolean      any_failed;
} Compare;

static void
pane_free (Pane *pane)
{
  jx_provider_unref (pane->provider);
  g_free (pane->model);
  g_free (pane->label);
  g_ptr_array_unref (pane->responses);
  g_free (pane);
}

gboolean
jx_cli_is_command (const char *arg)
{
  return g_strcmp0 (arg, "compare") == 0 || g_strcmp0 (arg, "demo") == 0 ||
         g_strcmp0 (arg, "plan") == 0;
}

/* ---- output --------------------------------------------------------------------------- */

static void
add_number_or_null (JsonBuilder *builder,
                    const char  *name,
                    double       value,
                    double       scale)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value) || isinf (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, round (value * scale) / scale);
}

static void
add_count_or_null (JsonBuilder *builder,
                   const char  *name,
                   gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

/* Up to 9 decimals (costs are fractions of a cent), trailing zeros trimmed. */
static const char *
format_double (char   *buf,
               gsize   size,
               double  value)
{
  char *end;

  g_ascii_formatd (buf, size, "%.9f", value);
  end = buf + strlen (buf) - 1;
  while (end > buf && *end == '0' && end[-1] != '.')
    *end-- = '\0';
  return buf;
}

/* json-glib prints doubles with 17 significant digits (250.27199999999999); figures are
 * rounded to what was measured, so print them the short way. */
static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_autoptr(JsonNode) key_node = json_node_init_string (json_node_alloc (), l->data);
            g_autofree char *key = json_to_string (key_node, FALSE);

            if (l != members)
              g_string_append_c (out, ',');
            g_string_append (out, key);
            g_string_append_c (out, ':');
            append_json_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, format_double (buf, sizeof buf, json_node_get_double (node)));
        }
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }
      break;

    case JSON_NODE_ARRAY:
    case JSON_NODE_NULL:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);
        g_string_append (out, text);
      }
      break;
    }
}

static void
print_json_line (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(GString) line = g_string_new (NULL);

  append_json_node (line, root);
  g_print ("%s\n", line->str);
}

static void
build_response_object (JsonBuilder *builder,
                       JxResponse  *r)
{
  gint64 output_tokens = r->usage.output_tokens;

  json_builder_begin_object (builder);
  add_string_or_null (builder, "type", "response");
  add_string_or_null (builder, "provider", r->provider_id);
  add_string_or_null (builder, "model", r->model);
  json_builder_set_member_name (builder, "run");
  json_builder_add_int_value (builder, r->run);
  add_string_or_null (builder, "status", jx_response_status_to_string (r->status));
  add_string_or_null (builder, "text", r->text->str);
  add_string_or_null (builder, "error", r->error);
  add_count_or_null (builder, "http_status", r->http_status > 0 ? (gint64) r->http_status : -1);
  add_number_or_null (builder, "ttft_ms", jx_timing_ttft_ms (&r->timing), 1000);
  add_number_or_null (builder, "e2e_ms", jx_timing_e2e_ms (&r->timing), 1000);
  add_number_or_null (builder, "itl_ms_mean", jx_timing_itl_mean_ms (&r->timing, output_tokens), 1000);
  add_number_or_null (builder, "itl_ms_p95", jx_timing_itl_gap_ms (&r->timing, 95), 1000);
  add_number_or_null (builder, "itl_ms_max", jx_timing_itl_max_ms (&r->timing), 1000);
  add_number_or_null (builder, "decode_tokens_per_s", jx_timing_decode_tps (&r->timing, output_tokens), 100);
  add_count_or_null (builder, "input_tokens", r->usage.input_tokens);
  add_count_or_null (builder, "cached_input_tokens", r->usage.cached_input_tokens);
  add_count_or_null (builder, "output_tokens", r->usage.output_tokens);
  add_count_or_null (builder, "reasoning_tokens", r->usage.reasoning_tokens);
  add_string_or_null (builder, "usage_source",
                      r->usage.source == JX_USAGE_SOURCE_PROVIDER ? "provider" : "estimate");
  add_number_or_null (builder, "cost_usd", r->cost_usd, 1e9);
  json_builder_set_member_name (builder, "retries");
  json_builder_add_int_value (builder, r->retries);
  add_count_or_null (builder, "ratelimit_remaining_requests", r->ratelimit_remaining_requests);
  add_count_or_null (builder, "ratelimit_remaining_tokens", r->ratelimit_remaining_tokens);
  json_builder_end_object (builder);
}

typedef double (*ResponseFigure) (JxResponse *r);

static double
figure_ttft (JxResponse *r)
{
  return jx_timing_ttft_ms (&r->timing);
}

static double
figure_e2e (JxResponse *r)
{
  return jx_timing_e2e_ms (&r->timing);
}

static double
figure_tps (JxResponse *r)
{
  return jx_timing_decode_tps (&r->timing, r->usage.output_tokens);
}

/* Percentiles over the successful runs only: a failed run has no meaningful latency. */
static GArray *
collect (Pane           *pane,
         ResponseFigure  figure)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < pane->responses->len; i++)
    {
      JxResponse *r = g_ptr_array_index (pane->responses, i);
      double v;

      if (r->status != JX_RESPONSE_OK)
        continue;
      v = figure (r);
      if (!isnan (v))
        g_array_append_val (values, v);
    }

  return values;
}

static void
add_percentiles (JsonBuilder    *builder,
                 const char     *name,
                 Pane           *pane,
                 ResponseFigure  figure)
{
  g_autoptr(GArray) values = collect (pane, figure);
  const double *data = (const double *) (gpointer) values->data;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  add_number_or_null (builder, "p50", jx_stats_percentile (data, values->len, 50), 1000);
  add_number_or_null (builder, "p95", jx_stats_percentile (data, values->len, 95), 1000);
  add_number_or_null (builder, "p99", jx_stats_percentile (data, values->len, 99), 1000);
  json_builder_end_object (builder);
}

static double
pane_cost_total (Pane *pane)
{
  double total = 0;

  for (guint i = 0; i < pane->responses->len; i++)
    {
      JxResponse *r = g_ptr_array_index (pane->responses, i);

      if (isnan (r->cost_usd))
        return NAN;
      total += r->cost_usd;
    }

  return total;
}

static guint
pane_ok_count (Pane *pane)
{
  guint ok = 0;

  for (guint i = 0; i < pane->responses->len; i++)
    ok += ((JxResponse *) g_ptr_array_index (pane->responses, i))->status == JX_RESPONSE_OK;

  return ok;
}

static void
print_json_summaries (Compare *compare)
{
  for (guint i = 0; i < compare->panes->len; i++)
    {
      Pane *pane = g_ptr_array_index (compare->panes, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      guint ok = pane_ok_count (pane);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "type", "summary");
      add_string_or_null (builder, "provider", pane->provider->id);
      add_string_or_null (builder, "model", pane->model);
      json_builder_set_member_name (builder, "runs");
      json_builder_add_int_value (builder, pane->responses->len);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_int_value (builder, ok);
      json_builder_set_member_name (builder, "errors");
      json_builder_add_int_value (builder, pane->responses->len - ok);
      add_percentiles (builder, "ttft_ms", pane, figure_ttft);
      add_percentiles (builder, "e2e_ms", pane, figure_e2e);
      add_percentiles (builder, "decode_tokens_per_s", pane, figure_tps);
      add_number_or_null (builder, "cost_usd_total", pane_cost_total (pane), 1e9);
      json_builder_end_object (builder);
      print_json_line (builder);
    }
}

static const char * const csv_columns[] = {
  "provider", "model", "run", "status", "text", "error", "http_status", "ttft_ms", "e2e_ms",
  "itl_ms_mean", "itl_ms_p95", "itl_ms_max", "decode_tokens_per_s", "input_tokens",
  "cached_input_tokens", "output_tokens", "reasoning_tokens", "usage_source", "cost_usd",
  "retries", "ratelimit_remaining_requests", "ratelimit_remaining_tokens",
  NULL  /* for g_strjoinv() */
};

static void
print_csv_field (GString    *line,
                 JsonObject *object,
                 const char *column)
{
  JsonNode *node = json_object_get_member (object, column);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      /* RFC 4180: quote everything textual, double the quotes. */
      g_string_append_c (line, '"');
      for (const char *p = s; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (line, format_double (buf, sizeof buf, json_node_get_double (node)));
    }
  else
    g_string_append_printf (line, "%" G_GINT64_FORMAT, json_node_get_int (node));
}

static void
print_csv_row (JxResponse *r)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  JsonObject *object;

  build_response_object (builder, r);
  root = json_builder_get_root (builder);
  object = json_node_get_object (root);

  for (guint i = 0; csv_columns[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      print_csv_field (line, object, csv_columns[i]);
    }
  g_print ("%s\r\n", line->str);
}

static char *
format_ms (double ms)
{
  if (isnan (ms))
    return g_strdup ("–");
  if (ms >= 10000)
    return g_strdup_printf ("%.1f s", ms / 1000);
  return g_strdup_printf ("%.0f ms", ms);
}

static char *
format_cost (double usd,
             gboolean estimate)
{
  if (isnan (usd))
    return g_strdup ("–");
  return g_strdup_printf ("%s$%.6f", estimate ? "~" : "", usd);
}

static char *
format_count (gint64 n,
              gboolean estimate)
{
  if (n < 0)
    return g_strdup ("–");
  return g_strdup_printf ("%s%" G_GINT64_FORMAT, estimate ? "~" : "", n);
}

/* Counts characters, not bytes: labels may hold non-ASCII. */
void
jx_cli_append_cell (GString    *line,
                    const char *text,
                    glong       width,
                    gboolean    right)
{
  glong chars = g_utf8_strlen (text, -1);
  g_autofree char *cut = NULL;

  if (chars > width)
    {
      const char *end = g_utf8_offset_to_pointer (text, width - 1);

      cut = g_strdup_printf ("%.*s…", (int) (end - text), text);
      text = cut;
      chars = width;
    }
  if (right)
    for (glong i = chars; i < width; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (glong i = chars; i < width; i++)
      g_string_append_c (line, ' ');
}

static void
print_table (Compare *compare)
{
  g_autoptr(GString) line = g_string_new (NULL);

  /* The answers first, then figures that line up in 80 columns. */
  if (compare->runs == 1)
    for (guint i = 0; i < compare->panes->len; i++)
      {
        Pane *pane = g_ptr_array_index (compare->panes, i);
        JxResponse *r = g_ptr_array_index (pane->responses, 0);

        g_print ("── %s %s\n", pane->label,
                 jx_provider_is_simulated (pane->provider) ? _("(simulated)") : "");
        if (r->text->len > 0)
          g_print ("%s\n", r->text->str);
        if (r->error != NULL)
          g_print ("%s %s\n", r->status == JX_RESPONSE_CANCELLED ? "⏹" : "✗", r->error);
        g_print ("\n");
      }

  g_string_append (line, "");
  jx_cli_append_cell (line, _("Provider:model"), 24, FALSE);
  jx_cli_append_cell (line, _("TTFT"), 8, TRUE);
  jx_cli_append_cell (line, _("E2E"), 9, TRUE);
  jx_cli_append_cell (line, _("tok/s"), 8, TRUE);
  jx_cli_append_cell (line, _("ITL"), 7, TRUE);
  jx_cli_append_cell (line, _("in"), 7, TRUE);
  jx_cli_append_cell (line, _("out"), 6, TRUE);
  jx_cli_append_cell (line, _("cost"), 11, TRUE);
  g_print ("%s\n", line->str);

  for (guint i = 0; i < compare->panes->len; i++)
    {
      Pane *pane = g_ptr_array_index (compare->panes, i);
      g_autoptr(GArray) ttft = collect (pane, figure_ttft);
      g_autoptr(GArray) e2e = collect (pane, figure_e2e);
      g_autoptr(GArray) tps = collect (pane, figure_tps);
      JxResponse *last = g_ptr_array_index (pane->responses, pane->responses->len - 1);
      gboolean estimate = last->usage.source != JX_USAGE_SOURCE_PROVIDER;
      double itl = jx_timing_itl_mean_ms (&last->timing, last->usage.output_tokens);
      double tps50 = jx_stats_percentile ((double *) (gpointer) tps->data, tps->len, 50);
      g_autofree char *ttft_s = format_ms (jx_stats_percentile ((double *) (gpointer) ttft->data, ttft->len, 50));
      g_autofree char *e2e_s = format_ms (jx_stats_percentile ((double *) (gpointer) e2e->data, e2e->len, 50));
      g_autofree char *tps_s = isnan (tps50) ? g_strdup ("–") : g_strdup_printf ("%.1f", tps50);
      g_autofree char *itl_s = isnan (itl) ? g_strdup ("–") : g_strdup_printf ("%.1f", itl);
      g_autofree char *in_s = format_count (last->usage.input_tokens, estimate);
      g_autofree char *out_s = format_count (last->usage.output_tokens, estimate);
      g_autofree char *cost_s = format_cost (pane_cost_total (pane), estimate);

      g_string_truncate (line, 0);
      jx_cli_append_cell (line, pane->label, 24, FALSE);
      if (pane_ok_count (pane) == 0)
        {
          g_autofree char *err = g_strdup_printf ("✗ %s", last->error != NULL ? last->error : "");

          jx_cli_append_cell (line, err, 56, FALSE);
        }
      else
        {
          jx_cli_append_cell (line, ttft_s, 8, TRUE);
          jx_cli_append_cell (line, e2e_s, 9, TRUE);
          jx_cli_append_cell (line, tps_s, 8, TRUE);
          jx_cli_append_cell (line, itl_s, 7, TRUE);
          jx_cli_append_cell (line, in_s, 7, TRUE);
          jx_cli_append_cell (line, out_s, 6, TRUE);
          jx_cli_append_cell (line, cost_s, 11, TRUE);
        }
      g_print ("%s\n", line->str);
    }

  if (compare->runs > 1)
    g_print (_("Figures are medians (P50) over %u runs; use --format json for P95/P99.\n"), compare->runs);
  g_print (_("TTFT: time to first token. ITL: mean inter-token latency (ms). ~ marks an estimate.\n"));
}

/* ---- running -------------------------------------------------------------------------- */

static void
print_progress (Compare *compare,
                guint    run)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (!compare->tty || compare->format != FORMAT_TABLE)
    return;

  g_string_append_printf (line, "\r\033[K%u/%u ", run, compare->runs);
  for (guint i = 0; i < compare->requests->len; i++)
    {
      JxRequest *request = g_ptr_array_index (compare->requests, i);
      JxResponse *r = jx_request_get_response (request);
      const char *mark;

      switch (jx_request_get_state (request))
        {
        case JX_REQUEST_STATE_DONE: mark = "✓"; break;
        case JX_REQUEST_STATE_FAILED: mark = "✗"; break;
        case JX_REQUEST_STATE_RETRYING: mark = "↻"; break;
        case JX_REQUEST_STATE_STREAMING: mark = "▸"; break;
        default: mark = "…"; break;
        }
      g_string_append_printf (line, " %s%s %u", mark, r->provider_id, r->timing.content_times->len);
    }
  if (line->len > 200)
    g_string_truncate (line, 200);
  g_printerr ("%s", line->str);
}

static gboolean
progress_cb (gpointer user_data)
{
  Compare *compare = user_data;

  print_progress (compare, compare->runs);
  return G_SOURCE_CONTINUE;
}

static void
request_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Compare *compare = user_data;
  g_autoptr(JxResponse) response = jx_request_run_finish (JX_REQUEST (object), result);
  guint index;

  g_ptr_array_find (compare->requests, object, &index);
  g_ptr_array_add (((Pane *) g_ptr_array_index (compare->panes, index))->responses,
                   jx_response_ref (response));
  if (response->status != JX_RESPONSE_OK)
    compare->any_failed = TRUE;

  if (--compare->pending == 0)
    g_main_loop_quit (compare->loop);
}

static void
run_round (Compare *compare,
           guint    run)
{
  guint progress = 0;

  g_ptr_array_set_size (compare->requests, 0);
  for (guint i = 0; i < compare->panes->len; i++)
    {
      Pane *pane = g_ptr_array_index (compare->panes, i);
      JxRequest *request = jx_request_new (compare->engine, pane->provider, pane->model, &compare->prompt);

      jx_request_set_run (request, run);
      g_ptr_array_add (compare->requests, request);
    }

  /* Start every pane before running the loop so none gets a head start. */
  compare->pending = compare->requests->len;
  for (guint i = 0; i < compare->requests->len; i++)
    jx_request_run_async (g_ptr_array_index (compare->requests, i), NULL, request_done_cb, compare);

  if (compare->tty && compare->format == FORMAT_TABLE)
    progress = g_timeout_add (100, progress_cb, compare);
  if (compare->pending > 0)
    g_main_loop_run (compare->loop);
  g_clear_handle_id (&progress, g_source_remove);
  if (compare->tty && compare->format == FORMAT_TABLE)
    g_printerr ("\r\033[K");

  for (guint i = 0; i < compare->panes->len; i++)
    {
      Pane *pane = g_ptr_array_index (compare->panes, i);
      JxResponse *r = g_ptr_array_index (pane->responses, pane->responses->len - 1);

      if (compare->format == FORMAT_JSON)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          build_response_object (builder, r);
          print_json_line (builder);
        }
      else if (compare->format == FORMAT_CSV)
        print_csv_row (r);
    }
}

static char *
read_stdin (GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buf[4096];
  size_t n;

  while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
    g_string_append_len (text, buf, n);
  if (ferror (stdin))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not read the prompt from standard input");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static Pane *
parse_pane (JxCatalog   *catalog,
            const char  *spec,
            GError     **error)
{
  g_autofree char *provider_id = NULL;
  const char *colon = strchr (spec, ':');
  const char *model = NULL;
  JxProvider *provider;
  Pane *pane;

  /* Only the first colon separates: Bedrock model ids contain colons themselves. */
  provider_id = colon != NULL ? g_strndup (spec, colon - spec) : g_strdup (spec);
  if (colon != NULL && colon[1] != '\0')
    model = colon + 1;

  if ((provider = jx_catalog_lookup (catalog, provider_id)) == NULL)
    {
      g_autoptr(GString) ids = g_string_new (NULL);
      GPtrArray *providers = jx_catalog_get_providers (catalog);

      for (guint i = 0; i < providers->len; i++)
        g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "",
                                ((JxProvider *) g_ptr_array_index (providers, i))->id);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("unknown provider “%s” in --pane %s (known: %s)"), provider_id, spec, ids->str);
      return NULL;
    }

  if (model == NULL)
    {
      JxModel *fallback = jx_provider_default_model (provider);

      if (fallback == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("provider “%s” has no default model: use --pane %s:MODEL"), provider_id, provider_id);
          return NULL;
        }
      model = fallback->id;
    }

  pane = g_new0 (Pane, 1);
  pane->provider = jx_provider_ref (provider);
  pane->model = g_strdup (model);
  pane->label = g_strdup_printf ("%s:%s", provider->id, model);
  pane->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_response_unref);

  return pane;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *prgname = g_strdup (g_get_prgname ());

  g_printerr ("%s: %s\n", prgname, message);
  g_printerr (_("Try “%s --help” for more information.\n"), prgname);
  return EXIT_USAGE;
}

static int
compare_main (int       argc,
              char    **argv,
              gboolean  demo)
{
  g_auto(GStrv) pane_specs = NULL;
  g_autofree char *providers_file = NULL;
  g_autofree char *system = NULL;
  g_autofree char *format = NULL;
  int max_tokens = 0;
  double temperature = NAN;
  int runs = 1;
  int timeout = 0;
  int idle_timeout = 0;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(GPtrArray) panes = g_ptr_array_new_with_free_func ((GDestroyNotify) pane_free);
  g_autofree char *prompt_text = NULL;
  Compare compare = { 0 };
  const GOptionEntry entries[] = {
    { "pane", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &pane_specs,
      N_("A provider and model to compare (repeat for more panes)"), N_("PROVIDER[:MODEL]") },
    { "providers-file", 0, 0, G_OPTION_ARG_FILENAME, &providers_file,
      N_("Extra provider definitions (JSON)"), N_("FILE") },
    { "system", 0, 0, G_OPTION_ARG_STRING, &system, N_("System prompt"), N_("TEXT") },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT, &max_tokens, N_("Maximum output tokens"), N_("N") },
    { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &temperature, N_("Sampling temperature"), N_("T") },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, N_("Sequential rounds; panes run concurrently within a round"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Seconds to wait for a response to start (default 30)"), N_("S") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      N_("Seconds of silence allowed while streaming (default 60)"), N_("S") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: table, json or csv"), N_("FORMAT") },
    { NULL }
  };

  context = g_option_context_new (demo ? "" : _("PROMPT — send PROMPT (or - for standard input) to every pane"));
  g_option_context_set_summary (context,
                                demo ? _("Run the offline demo: simulated providers with realistic timing "
                                         "and prices. No key and no network needed; nothing is a real model.")
                                     : _("Stream one prompt to several LLM providers at once and compare "
                                         "latency, tokens and cost."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname (demo ? "juxta demo" : "juxta compare");

  /* argv[0] is the subcommand from here on. */
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (format == NULL || g_str_equal (format, "table"))
    compare.format = FORMAT_TABLE;
  else if (g_str_equal (format, "json"))
    compare.format = FORMAT_JSON;
  else if (g_str_equal (format, "csv"))
    compare.format = FORMAT_CSV;
  else
    return usage_error (context, _("--format must be table, json or csv"));

  if (runs < 1 || runs > 10000)
    return usage_error (context, _("--runs must be between 1 and 10000"));
  if (max_tokens < 0 || timeout < 0 || idle_timeout < 0)
    return usage_error (context, _("--max-tokens and timeouts cannot be negative"));

  if (demo)
    {
      if (argc > 1)
        prompt_text = g_strjoinv (" ", argv + 1);
      else
        prompt_text = g_strdup ("Which LLM provider should I choose for a chat feature?");
      if (pane_specs == NULL)
        pane_specs = g_strsplit ("simulated:sim-fast simulated:sim-balanced simulated:sim-large "
                                 "simulated:sim-reasoning", " ", -1);
    }
  else
    {
      if (argc != 2)
        return usage_error (context, argc < 2 ? _("missing PROMPT") : _("give the prompt as one argument (quote it)"));
      if (g_str_equal (argv[1], "-"))
        {
          if ((prompt_text = read_stdin (&error)) == NULL)
            return usage_error (context, error->message);
        }
      else
        prompt_text = g_strdup (argv[1]);
      if (pane_specs == NULL)
        return usage_error (context, _("no panes: add at least one --pane PROVIDER[:MODEL]"));
    }

  if ((catalog = jx_catalog_new_builtin (&error)) == NULL ||
      !jx_catalog_load_user_file (catalog, &error) ||
      (providers_file != NULL && !jx_catalog_load_file (catalog, providers_file, &error)))
    return usage_error (context, error->message);

  for (guint i = 0; pane_specs[i] != NULL; i++)
    {
      Pane *pane = parse_pane (catalog, pane_specs[i], &error);

      if (pane == NULL)
        return usage_error (context, error->message);
      g_ptr_array_add (panes, pane);
    }

  compare.engine = jx_engine_new (catalog);
  jx_engine_set_timeouts (compare.engine,
                          timeout > 0 ? (guint) timeout : JX_ENGINE_DEFAULT_CONNECT_TIMEOUT,
                          idle_timeout > 0 ? (guint) idle_timeout : JX_ENGINE_DEFAULT_IDLE_TIMEOUT);
  compare.panes = panes;
  compare.requests = g_ptr_array_new_with_free_func (g_object_unref);
  compare.runs = runs;
  compare.loop = g_main_loop_new (NULL, FALSE);
  compare.tty = isatty (STDERR_FILENO);
  jx_prompt_init (&compare.prompt);
  compare.prompt.system = g_steal_pointer (&system);
  compare.prompt.user = g_steal_pointer (&prompt_text);
  compare.prompt.temperature = temperature;
  compare.prompt.max_tokens = max_tokens;

  if (compare.format == FORMAT_CSV)
    {
      g_autofree char *header = g_strjoinv (",", (char **) csv_columns);

      g_print ("%s\r\n", header);
    }

  for (guint run = 1; run <= (guint) runs; run++)
    run_round (&compare, run);

  if (compare.format == FORMAT_JSON)
    print_json_summaries (&compare);
  else if (compare.format == FORMAT_TABLE)
    print_table (&compare);

  g_ptr_array_unref (compare.requests);
  g_main_loop_unref (compare.loop);
  g_object_unref (compare.engine);
  jx_prompt_clear (&compare.prompt);

  return compare.any_failed ? 1 : 0;
}

int
jx_cli_main (int    argc,
             char **argv)
{
  const char *command = argv[1];

  /* Figures print the same in every language (scripts parse them); words are translated. */
  setlocale (LC_NUMERIC, "C");

  /* Drop the program name so the subcommand parses like its own program. */
  if (g_str_equal (command, "compare"))
    return compare_main (argc - 1, argv + 1, FALSE);
  if (g_str_equal (command, "demo"))
    return compare_main (argc - 1, argv + 1, TRUE);
  if (g_str_equal (command, "plan"))
    return jx_plan_main (argc - 1, argv + 1);

  g_printerr ("juxta: unknown command “%s”\n", command);
  return EXIT_USAGE;
}
