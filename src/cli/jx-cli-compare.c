/* jx-cli-compare.c — `juxta compare`, `juxta demo`: the engine without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "jx-cli.h"
#include "jx-cli-output.h"
#include "jx-context.h"
#include "jx-history.h"
#include "jx-request.h"
#include "jx-round.h"

/* One provider:model the prompt goes to, and what it answered in each run. */
typedef struct
{
  JxProvider *provider;
  char       *model;
  char       *label;       /* "provider:model" */
  GPtrArray  *responses;   /* JxResponse*, one per run */
  GPtrArray  *request_ids; /* char*, one per run */
  GArray     *started_at;  /* gint64 wall-clock µs the request was sent, one per run */
} JxCompareEntry;

/* What the command line asked for. */
typedef struct
{
  GStrv        entry_specs;
  char        *providers_file;
  char        *system;
  char        *prompt_text;
  char        *temperature_text;
  JxCliFormat  format;
  int          max_tokens;
  double       temperature;
  int          runs;
  int          timeout;
  int          idle_timeout;
  int          max_time;
  int          max_output_mib;
  gboolean     no_history;
} CompareOptions;

typedef struct
{
  JxEngine     *engine;
  GPtrArray    *entries;   /* JxCompareEntry* */
  GPtrArray    *requests;  /* current round */
  JxPrompt      prompt;
  JxCliFormat   format;
  guint         runs;
  guint         pending;
  GMainLoop    *loop;
  GCancellable *cancellable;  /* the current round's */
  gboolean      tty;
  gboolean      any_failed;
  gboolean      interrupted;  /* SIGINT or SIGTERM: the round was stopped */
  JxHistory    *history;      /* NULL with --no-history, for the demo, or when it failed */
  gint64        history_round;
  char         *series_id;    /* shared by the stored rounds of --runs N */
} Compare;

static void
compare_entry_free (JxCompareEntry *entry)
{
  jx_provider_unref (entry->provider);
  g_free (entry->model);
  g_free (entry->label);
  g_ptr_array_unref (entry->responses);
  g_ptr_array_unref (entry->request_ids);
  g_array_unref (entry->started_at);
  g_free (entry);
}

static void
compare_options_clear (CompareOptions *options)
{
  g_clear_pointer (&options->entry_specs, g_strfreev);
  g_clear_pointer (&options->providers_file, g_free);
  g_clear_pointer (&options->system, g_free);
  g_clear_pointer (&options->prompt_text, g_free);
  g_clear_pointer (&options->temperature_text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CompareOptions, compare_options_clear)

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

/* "2026-12-06T04:28:20.123Z" */
static char *
format_iso8601 (gint64 real_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) (real_us % G_USEC_PER_SEC / 1000));
}

/* One flat record a response: every key is a string, a number or null. `juxta history`
 * prints stored responses with it too, so both print the same keys and figures. */
void
jx_cli_compare_response_record (JsonBuilder *builder,
                                JxResponse  *r,
                                const char  *request_id,
                                const char  *started_at)
{

  json_builder_begin_object (builder);
  add_string_or_null (builder, "type", "response");
  add_string_or_null (builder, "request_id", request_id);
  add_string_or_null (builder, "started_at", started_at);
  add_string_or_null (builder, "provider", r->provider_id);
  add_string_or_null (builder, "model", r->model);
  json_builder_set_member_name (builder, "run");
  json_builder_add_int_value (builder, r->run);
  add_string_or_null (builder, "status", jx_response_status_to_string (r->status));
  add_string_or_null (builder, "text", r->text->str);
  add_string_or_null (builder, "error", jx_cli_output_response_error (r));
  add_string_or_null (builder, "error_code", jx_cli_output_response_error_code (r));
  add_count_or_null (builder, "http_status", r->http_status > 0 ? (gint64) r->http_status : -1);
  add_number_or_null (builder, "ttft_ms", jx_timing_ttft_ms (&r->timing), 1000);
  add_number_or_null (builder, "ttfat_ms", jx_timing_ttfat_ms (&r->timing), 1000);
  add_number_or_null (builder, "e2e_ms", jx_timing_e2e_ms (&r->timing), 1000);
  add_number_or_null (builder, "itl_ms_mean", jx_round_itl_mean_ms (r), 1000);
  add_number_or_null (builder, "itl_ms_p95", jx_timing_itl_gap_ms (&r->timing, 95), 1000);
  add_number_or_null (builder, "itl_ms_max", jx_timing_itl_max_ms (&r->timing), 1000);
  add_number_or_null (builder, "decode_tokens_per_s", jx_round_decode_tps (r), 100);
  add_string_or_null (builder, "decode_basis", jx_decode_basis_to_string (jx_round_decode_basis (r)));
  add_string_or_null (builder, "finish_reason", jx_finish_reason_to_string (jx_response_get_finish (r)));
  add_string_or_null (builder, "finish_reason_raw", r->finish_reason);
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

static void
build_response_object (JsonBuilder    *builder,
                       JxCompareEntry *entry,
                       guint           index)
{
  g_autofree char *started_at = format_iso8601 (g_array_index (entry->started_at, gint64, index));

  jx_cli_compare_response_record (builder, g_ptr_array_index (entry->responses, index),
                                  g_ptr_array_index (entry->request_ids, index), started_at);
}

/* NAME_p50, NAME_p95, NAME_p99: flat, and named apart from the response's NAME, so no key
 * is a number in one record type and an object in another. */
static void
add_percentiles (JsonBuilder    *builder,
                 const char     *name,
                 JxCompareEntry *entry,
                 JxRoundFigure   figure)
{
  g_autofree char *p50 = g_strconcat (name, "_p50", NULL);
  g_autofree char *p95 = g_strconcat (name, "_p95", NULL);
  g_autofree char *p99 = g_strconcat (name, "_p99", NULL);
  JxRoundPercentiles p;

  jx_round_percentiles (entry->responses, figure, &p);
  add_number_or_null (builder, p50, p.p50, 1000);
  add_number_or_null (builder, p95, p.p95, 1000);
  add_number_or_null (builder, p99, p.p99, 1000);
}

static void
print_json_object (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  jx_cli_output_json_line (root);
}

static void
print_json_summaries (Compare *compare)
{
  for (guint i = 0; i < compare->entries->len; i++)
    {
      JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      guint ok = jx_round_count_ok (entry->responses);
      JxRoundLeftOut left_out;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "type", "summary");
      add_string_or_null (builder, "provider", entry->provider->id);
      add_string_or_null (builder, "model", entry->model);
      json_builder_set_member_name (builder, "runs");
      json_builder_add_int_value (builder, entry->responses->len);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_int_value (builder, ok);
      json_builder_set_member_name (builder, "errors");
      json_builder_add_int_value (builder, entry->responses->len - ok);
      /* Percentiles are over complete answers only; what they leave out, by kind. */
      jx_round_count_left_out (entry->responses, &left_out);
      json_builder_set_member_name (builder, "complete");
      json_builder_add_int_value (builder, entry->responses->len - left_out.total);
      for (JxFinishReason k = JX_FINISH_LENGTH; k <= JX_FINISH_TOOL_CALLS; k++)
        {
          g_autofree char *name = g_strconcat ("left_out_", jx_finish_reason_to_string (k), NULL);

          json_builder_set_member_name (builder, name);
          json_builder_add_int_value (builder, left_out.by_finish[k]);
        }
      add_percentiles (builder, "ttft_ms", entry, JX_ROUND_FIGURE_TTFT_MS);
      add_percentiles (builder, "e2e_ms", entry, JX_ROUND_FIGURE_E2E_MS);
      add_percentiles (builder, "decode_tokens_per_s", entry, JX_ROUND_FIGURE_DECODE_TPS);
      add_number_or_null (builder, "cost_usd_total", jx_round_cost_total (entry->responses), 1e9);
      json_builder_end_object (builder);
      print_json_object (builder);
    }
}

static const char * const csv_columns[] = {
  "request_id", "started_at",
  "provider", "model", "run", "status", "text", "error", "error_code", "http_status", "ttft_ms", "e2e_ms",
  "itl_ms_mean", "itl_ms_p95", "itl_ms_max", "decode_tokens_per_s", "input_tokens",
  "cached_input_tokens", "output_tokens", "reasoning_tokens", "usage_source", "cost_usd",
  "retries", "ratelimit_remaining_requests", "ratelimit_remaining_tokens",
  "ttfat_ms", "decode_basis", "finish_reason", "finish_reason_raw",
  NULL  /* for g_strjoinv() */
};

const char * const *
jx_cli_compare_csv_columns (void)
{
  return csv_columns;
}

static void
print_csv_row (JxCompareEntry *entry,
               guint           index)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  build_response_object (builder, entry, index);
  root = json_builder_get_root (builder);
  jx_cli_output_csv_row (json_node_get_object (root), csv_columns);
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
  if (!isfinite (usd))
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

/* Width of the figures after the label column. */
#define FIGURES_WIDTH 56

static void
print_table (Compare *compare)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint terminal_width = jx_cli_output_terminal_width ();
  glong label_width = 24;

  /* The answers first, then figures that line up in the terminal's width. Everything a
   * server sent is sanitized: no escape sequence reaches the terminal. */
  if (compare->runs == 1 || compare->interrupted)
    for (guint i = 0; i < compare->entries->len; i++)
      {
        JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);
        JxResponse *r;
        g_autofree char *label = jx_cli_output_sanitize (entry->label, FALSE);
        g_autofree char *text = NULL;
        g_autofree char *error = NULL;

        if (entry->responses->len == 0)
          continue;
        r = g_ptr_array_index (entry->responses, entry->responses->len - 1);
        text = jx_cli_output_sanitize (r->text->str, TRUE);
        error = jx_cli_output_sanitize (jx_cli_output_response_error (r), FALSE);
        jx_cli_output_printf ("── %s %s\n", label,
                              jx_provider_is_simulated (entry->provider) ? _("(simulated)") : "");
        if (*text != '\0')
          jx_cli_output_printf ("%s\n", text);
        if (r->status == JX_RESPONSE_CANCELLED)
          jx_cli_output_printf ("⏹ %s\n", error != NULL ? error : _("stopped"));
        else if (error != NULL)
          jx_cli_output_printf ("✗ %s\n", error);
        else if (!jx_response_is_complete (r))
          {
            g_autofree char *raw = jx_cli_output_sanitize (r->finish_reason, FALSE);

            /* Translators: %s is how the answer ended (refusal, length, content_filter,
             * tool_calls), then the provider's own word for it */
            jx_cli_output_printf (_("⚑ finish: %s (%s)\n"),
                                  jx_finish_reason_to_string (jx_response_get_finish (r)),
                                  raw != NULL ? raw : "—");
          }
        jx_cli_output_printf ("\n");
      }

  /* The label column fits the longest provider:model, cut only to fit the terminal. */
  for (guint i = 0; i < compare->entries->len; i++)
    {
      JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);

      label_width = MAX (label_width, g_utf8_strlen (entry->label, -1) + 1);
    }
  label_width = MIN (label_width, MAX (24, (glong) terminal_width - FIGURES_WIDTH));

  /* One space always separates the label, even a cut one, from the figures. */
  jx_cli_output_cell (line, _("Provider:model"), label_width - 1, FALSE);
  g_string_append_c (line, ' ');
  jx_cli_output_cell (line, _("TTFT"), 8, TRUE);
  jx_cli_output_cell (line, _("E2E"), 9, TRUE);
  jx_cli_output_cell (line, _("tok/s"), 8, TRUE);
  jx_cli_output_cell (line, _("ITL"), 7, TRUE);
  jx_cli_output_cell (line, _("in"), 7, TRUE);
  jx_cli_output_cell (line, _("out"), 6, TRUE);
  jx_cli_output_cell (line, _("cost"), 11, TRUE);
  jx_cli_output_printf ("%s\n", line->str);

  for (guint i = 0; i < compare->entries->len; i++)
    {
      JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);
      JxRoundPercentiles ttft, e2e, tps;
      JxResponse *last;
      double itl;
      g_autofree char *label = jx_cli_output_sanitize (entry->label, FALSE);
      g_autofree char *ttft_s = NULL;
      g_autofree char *e2e_s = NULL;
      g_autofree char *tps_s = NULL;
      g_autofree char *itl_s = NULL;
      g_autofree char *in_s = NULL;
      g_autofree char *out_s = NULL;
      g_autofree char *cost_s = NULL;
      g_autofree char *error = NULL;
      gboolean estimate;

      if (entry->responses->len == 0)
        continue;
      last = g_ptr_array_index (entry->responses, entry->responses->len - 1);
      estimate = last->usage.source != JX_USAGE_SOURCE_PROVIDER;
      itl = jx_round_itl_mean_ms (last);
      itl_s = isnan (itl) ? g_strdup ("–") : g_strdup_printf ("%.1f", itl);
      in_s = format_count (last->usage.input_tokens, estimate);
      out_s = format_count (last->usage.output_tokens, estimate);
      cost_s = format_cost (jx_round_cost_total (entry->responses), estimate);
      error = jx_cli_output_sanitize (jx_cli_output_response_error (last), FALSE);

      jx_round_percentiles (entry->responses, JX_ROUND_FIGURE_TTFT_MS, &ttft);
      jx_round_percentiles (entry->responses, JX_ROUND_FIGURE_E2E_MS, &e2e);
      jx_round_percentiles (entry->responses, JX_ROUND_FIGURE_DECODE_TPS, &tps);
      ttft_s = format_ms (ttft.p50);
      e2e_s = format_ms (e2e.p50);
      tps_s = isnan (tps.p50) ? g_strdup ("–") : g_strdup_printf ("%.1f", tps.p50);

      g_string_truncate (line, 0);
      jx_cli_output_cell (line, label, label_width - 1, FALSE);
      g_string_append_c (line, ' ');
      if (jx_round_count_ok (entry->responses) == 0)
        {
          g_autofree char *err = g_strdup_printf ("%s %s", last->status == JX_RESPONSE_CANCELLED ? "⏹" : "✗",
                                                  error != NULL ? error : _("stopped"));

          jx_cli_output_cell (line, err, FIGURES_WIDTH, FALSE);
        }
      else
        {
          jx_cli_output_cell (line, ttft_s, 8, TRUE);
          jx_cli_output_cell (line, e2e_s, 9, TRUE);
          jx_cli_output_cell (line, tps_s, 8, TRUE);
          jx_cli_output_cell (line, itl_s, 7, TRUE);
          jx_cli_output_cell (line, in_s, 7, TRUE);
          jx_cli_output_cell (line, out_s, 6, TRUE);
          jx_cli_output_cell (line, cost_s, 11, TRUE);
        }
      jx_cli_output_printf ("%s\n", line->str);
    }

  /* Refusals, cut answers, filtered answers and tool calls are not in the figures. */
  for (guint i = 0; i < compare->entries->len; i++)
    {
      JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);
      JxRoundLeftOut left_out;
      g_autofree char *label = jx_cli_output_sanitize (entry->label, FALSE);
      g_autofree char *described = NULL;
      g_autofree char *note = NULL;

      jx_round_count_left_out (entry->responses, &left_out);
      left_out.total -= left_out.by_finish[JX_FINISH_ERROR] + left_out.by_finish[JX_FINISH_CANCELLED];
      left_out.by_finish[JX_FINISH_ERROR] = left_out.by_finish[JX_FINISH_CANCELLED] = 0;
      if ((described = jx_round_describe_left_out (&left_out)) == NULL)
        continue;
      note = g_strdup_printf ("⚑ %s: %s", label, described);
      g_string_truncate (line, 0);
      jx_cli_output_cell (line, note, MAX ((glong) terminal_width, 24) - 1, FALSE);
      jx_cli_output_printf ("%s\n", g_strchomp (line->str));
    }

  if (compare->runs > 1)
    jx_cli_output_printf (_("Figures are medians (P50) over %u runs; use --format json for P95/P99.\n"),
                          compare->runs);
  jx_cli_output_printf (_("TTFT: time to first token. ITL: mean inter-token latency (ms). ~ marks an estimate.\n"));
}

/* ---- running -------------------------------------------------------------------------- */

static void
print_progress (Compare *compare,
                guint    run)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (!compare->tty || compare->format != JX_CLI_FORMAT_TABLE)
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
  /* Bytes, like standard output: g_printerr() would turn the marks into "?" under LC_ALL=C. */
  fputs (line->str, stderr);
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
  g_autoptr(JxResponse) response = jx_request_run_finish (JX_REQUEST (object), result, NULL);
  JxCompareEntry *entry;
  gint64 queued = response->timing.t_queued;
  gint64 started;
  guint index;

  g_ptr_array_find (compare->requests, object, &index);
  entry = g_ptr_array_index (compare->entries, index);
  /* The wall-clock time of the monotonic moment the request was handed to HTTP. */
  started = g_get_real_time () - (queued > 0 ? g_get_monotonic_time () - queued : 0);
  g_ptr_array_add (entry->responses, jx_response_ref (response));
  g_ptr_array_add (entry->request_ids, g_uuid_string_random ());
  g_array_append_val (entry->started_at, started);
  if (response->status != JX_RESPONSE_OK)
    compare->any_failed = TRUE;
  /* Stored as soon as it ended: a killed process keeps it. */
  if (compare->history != NULL)
    jx_history_add_response (compare->history, compare->history_round, index, response, NULL);

  if (--compare->pending == 0)
    g_main_loop_quit (compare->loop);
}

/* Each run is one stored round; the runs of one command share a series. */
static void
store_round (Compare *compare)
{
  g_autoptr(JxHistoryPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;

  if (compare->history == NULL)
    return;
  prompt = jx_history_prompt_new (compare->prompt.system, compare->prompt.user);
  prompt->parameters_json = jx_cli_history_parameters_json (compare->prompt.temperature,
                                                            compare->prompt.max_tokens);
  prompt->series_id = g_strdup (compare->series_id);
  for (guint i = 0; i < compare->entries->len; i++)
    {
      JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);

      jx_history_prompt_add_pane (prompt, entry->provider->id, entry->provider->name, entry->model);
    }
  if ((compare->history_round = jx_history_begin_round (compare->history, prompt, &error)) <= 0)
    {
      g_printerr (_("%s: history not stored: %s\n"), g_get_prgname (), error->message);
      g_clear_object (&compare->history);
    }
}

static void
run_round (Compare *compare,
           guint    run)
{
  guint progress = 0;

  g_ptr_array_set_size (compare->requests, 0);
  store_round (compare);
  for (guint i = 0; i < compare->entries->len; i++)
    {
      JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);
      JxRequest *request = jx_request_new (compare->engine, entry->provider, entry->model, &compare->prompt);

      jx_request_set_run (request, run);
      g_ptr_array_add (compare->requests, request);
    }

  /* Start every entry before running the loop so none gets a head start. */
  compare->pending = compare->requests->len;
  for (guint i = 0; i < compare->requests->len; i++)
    jx_request_run_async (g_ptr_array_index (compare->requests, i), compare->cancellable,
                          request_done_cb, compare);

  if (compare->tty && compare->format == JX_CLI_FORMAT_TABLE)
    progress = g_timeout_add (100, progress_cb, compare);
  if (compare->pending > 0)
    g_main_loop_run (compare->loop);
  g_clear_handle_id (&progress, g_source_remove);
  if (compare->tty && compare->format == JX_CLI_FORMAT_TABLE)
    g_printerr ("\r\033[K");

  for (guint i = 0; i < compare->entries->len; i++)
    {
      JxCompareEntry *entry = g_ptr_array_index (compare->entries, i);
      guint last = entry->responses->len - 1;

      if (compare->format == JX_CLI_FORMAT_JSON)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          build_response_object (builder, entry, last);
          print_json_object (builder);
        }
      else if (compare->format == JX_CLI_FORMAT_CSV)
        print_csv_row (entry, last);
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

static JxCompareEntry *
parse_entry (JxCatalog   *catalog,
             const char  *spec,
             GError     **error)
{
  g_autofree char *provider_id = NULL;
  const char *colon = strchr (spec, ':');
  const char *model = NULL;
  JxProvider *provider;
  JxCompareEntry *entry;

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

  entry = g_new0 (JxCompareEntry, 1);
  entry->provider = jx_provider_ref (provider);
  entry->model = g_strdup (model);
  entry->label = g_strdup_printf ("%s:%s", provider->id, model);
  entry->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_response_unref);
  entry->request_ids = g_ptr_array_new_with_free_func (g_free);
  entry->started_at = g_array_new (FALSE, FALSE, sizeof (gint64));

  return entry;
}

static int
usage_error (const char *message)
{
  g_autofree char *prgname = g_strdup (g_get_prgname ());

  g_printerr ("%s: %s\n", prgname, message);
  g_printerr (_("Try “%s --help” for more information.\n"), prgname);
  return JX_CLI_EXIT_USAGE;
}

/* Fills @options from the command line; on a usage error prints it and returns FALSE with
 * *status set. */
static gboolean
parse_options (int             argc,
               char          **argv,
               gboolean        demo,
               CompareOptions *options,
               int            *status)
{
  g_autofree char *format = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    /* Text options are taken as bytes (FILENAME), not converted from the locale's charset:
     * under LC_ALL=C a conversion would refuse "Grüße". UTF-8 is checked below. */
    { "pane", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &options->entry_specs,
      N_("A provider and model to compare (repeat for more panes)"), N_("PROVIDER[:MODEL]") },
    { "providers-file", 0, 0, G_OPTION_ARG_FILENAME, &options->providers_file,
      N_("Extra provider definitions (JSON)"), N_("FILE") },
    { "system", 0, 0, G_OPTION_ARG_FILENAME, &options->system, N_("System prompt"), N_("TEXT") },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT, &options->max_tokens, N_("Maximum output tokens"), N_("N") },
    { "temperature", 0, 0, G_OPTION_ARG_STRING, &options->temperature_text,
      N_("Sampling temperature, 0 to 2 (default: the provider's)"), N_("T") },
    { "runs", 0, 0, G_OPTION_ARG_INT, &options->runs, N_("Sequential rounds; panes run concurrently within a round"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout,
      N_("Seconds to wait for a response to start, 1 or more (default 30)"), N_("S") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &options->idle_timeout,
      N_("Seconds of silence allowed while streaming, 1 or more (default 60)"), N_("S") },
    { "max-time", 0, 0, G_OPTION_ARG_INT, &options->max_time,
      N_("Most seconds one answer may take in all, 0 = no limit (default 1800)"), N_("S") },
    { "max-output", 0, 0, G_OPTION_ARG_INT, &options->max_output_mib,
      N_("Most MiB of text kept per answer, 0 = no limit (default 16)"), N_("MIB") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: table, json or csv"), N_("FORMAT") },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, &options->no_history, N_("Do not store the rounds in the history"), NULL },
    { NULL }
  };

  options->temperature = NAN;
  options->runs = 1;
  options->timeout = JX_ENGINE_DEFAULT_CONNECT_TIMEOUT;
  options->idle_timeout = JX_ENGINE_DEFAULT_IDLE_TIMEOUT;
  options->max_time = JX_ENGINE_DEFAULT_MAX_TIME;
  options->max_output_mib = (int) (JX_ENGINE_DEFAULT_MAX_OUTPUT_BYTES / (1024 * 1024));

  context = g_option_context_new (demo ? "" : _("PROMPT — send PROMPT (or - for standard input) to every pane"));
  g_option_context_set_summary (context,
                                demo ? _("Run the offline demo: simulated providers with realistic timing "
                                         "and prices. No key and no network needed; nothing is a real model.")
                                     : _("Stream one prompt to several LLM providers at once and compare "
                                         "latency, tokens and cost."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname (demo ? "juxta demo" : "juxta compare");

#define FAIL(message) G_STMT_START { *status = usage_error (message); return FALSE; } G_STMT_END

  /* argv[0] is the subcommand from here on. */
  if (!g_option_context_parse (context, &argc, &argv, &error))
    FAIL (error->message);

  if (!jx_cli_format_parse (format, &options->format))
    FAIL (_("--format must be table, json or csv"));

  if (options->runs < 1 || options->runs > 10000)
    FAIL (_("--runs must be between 1 and 10000"));
  if (options->max_tokens < 0)
    FAIL (_("--max-tokens cannot be negative"));
  if (options->timeout < 1 || options->idle_timeout < 1)
    FAIL (_("--timeout and --idle-timeout must be at least 1 second"));
  if (options->max_time < 0 || options->max_output_mib < 0 || options->max_output_mib > 1024 * 1024)
    FAIL (_("--max-time and --max-output cannot be negative (0 means no limit)"));

  if (options->temperature_text != NULL)
    {
      char *end = NULL;

      options->temperature = g_ascii_strtod (options->temperature_text, &end);
      if (end == options->temperature_text || *end != '\0' || !isfinite (options->temperature) ||
          options->temperature < 0 || options->temperature > 2)
        FAIL (_("--temperature must be a number from 0 to 2"));
    }

  if (demo)
    {
      if (argc > 1)
        options->prompt_text = g_strjoinv (" ", argv + 1);
      else
        options->prompt_text = g_strdup ("Which LLM provider should I choose for a chat feature?");
      if (options->entry_specs == NULL)
        options->entry_specs = g_strsplit ("simulated:sim-fast simulated:sim-balanced simulated:sim-large "
                                           "simulated:sim-reasoning", " ", -1);
    }
  else
    {
      if (argc != 2)
        FAIL (argc < 2 ? _("missing PROMPT") : _("give the prompt as one argument (quote it)"));
      if (g_str_equal (argv[1], "-"))
        {
          if ((options->prompt_text = read_stdin (&error)) == NULL)
            FAIL (error->message);
        }
      else
        options->prompt_text = g_strdup (argv[1]);
      if (options->entry_specs == NULL)
        FAIL (_("no panes: add at least one --pane PROVIDER[:MODEL]"));
    }

  /* Providers get JSON, which is UTF-8: say so rather than send garbage. */
  if (!g_utf8_validate (options->prompt_text, -1, NULL))
    FAIL (_("the prompt is not valid UTF-8"));
  if (options->system != NULL && !g_utf8_validate (options->system, -1, NULL))
    FAIL (_("--system is not valid UTF-8"));
  for (guint i = 0; options->entry_specs[i] != NULL; i++)
    if (!g_utf8_validate (options->entry_specs[i], -1, NULL))
      FAIL (_("--pane is not valid UTF-8"));

#undef FAIL

  return TRUE;
}

/* One entry per --pane, looked up in @catalog. */
static GPtrArray *
build_entries (JxCatalog           *catalog,
               const char * const  *specs,
               GError             **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) compare_entry_free);

  for (guint i = 0; specs[i] != NULL; i++)
    {
      JxCompareEntry *entry = parse_entry (catalog, specs[i], error);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }

  return g_steal_pointer (&entries);
}

/* SIGINT, SIGTERM: stop the round; what finished is printed, the rest reported stopped.
 * A second one quits at once. */
static gboolean
interrupt_cb (gpointer user_data)
{
  Compare *compare = user_data;

  if (compare->interrupted)
    {
      fflush (stdout);
      if (compare->history != NULL)
        jx_history_flush (compare->history, NULL);
      _exit (JX_CLI_EXIT_INTERRUPTED);
    }
  compare->interrupted = TRUE;
  g_cancellable_cancel (compare->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Runs every round and prints as it goes. Returns the exit status. */
static int
run (JxContext      *context,
     GPtrArray      *entries,
     CompareOptions *options,
     gboolean        demo)
{
  Compare compare = { 0 };
  guint sigint, sigterm;

  compare.engine = g_object_ref (jx_context_get_engine (context));
  jx_engine_set_timeouts (compare.engine, (guint) options->timeout, (guint) options->idle_timeout);
  jx_engine_set_max_time (compare.engine, (guint) options->max_time);
  jx_engine_set_max_output_bytes (compare.engine, (guint64) options->max_output_mib * 1024 * 1024);
  compare.entries = entries;
  compare.requests = g_ptr_array_new_with_free_func (g_object_unref);
  compare.runs = options->runs;
  compare.format = options->format;
  compare.loop = g_main_loop_new (NULL, FALSE);
  compare.cancellable = g_cancellable_new ();
  compare.tty = isatty (STDERR_FILENO);
  if (!options->no_history && !demo)
    {
      compare.history = jx_cli_history_open ();
      if (compare.runs > 1)
        compare.series_id = g_uuid_string_random ();
    }
  jx_prompt_init (&compare.prompt);
  compare.prompt.system = g_steal_pointer (&options->system);
  compare.prompt.user = g_steal_pointer (&options->prompt_text);
  compare.prompt.temperature = options->temperature;
  compare.prompt.max_tokens = options->max_tokens;

  if (compare.format == JX_CLI_FORMAT_CSV)
    jx_cli_output_csv_header (csv_columns);

  sigint = g_unix_signal_add (SIGINT, interrupt_cb, &compare);
  sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, &compare);
  for (guint run = 1; run <= compare.runs && !compare.interrupted; run++)
    run_round (&compare, run);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (compare.history != NULL)
    jx_cli_history_close (compare.history);
  g_clear_object (&compare.history);
  g_free (compare.series_id);

  if (compare.format == JX_CLI_FORMAT_JSON)
    print_json_summaries (&compare);
  else if (compare.format == JX_CLI_FORMAT_TABLE)
    print_table (&compare);

  g_ptr_array_unref (compare.requests);
  g_object_unref (compare.cancellable);
  g_main_loop_unref (compare.loop);
  g_object_unref (compare.engine);
  jx_prompt_clear (&compare.prompt);

  if (compare.interrupted)
    {
      g_printerr (_("%s: interrupted\n"), g_get_prgname ());
      return JX_CLI_EXIT_INTERRUPTED;
    }
  return compare.any_failed ? JX_CLI_EXIT_FAILURE : 0;
}

int
jx_cli_compare_main (int       argc,
                     char    **argv,
                     gboolean  demo)
{
  g_auto(CompareOptions) options = { 0 };
  g_autoptr(JxContext) context = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  JxContextStage stage = JX_CONTEXT_STAGE_PROVIDERS;
  int status = 0;

  if (!parse_options (argc, argv, demo, &options, &status))
    return status;

  if ((context = jx_context_new (options.providers_file, &stage, &error)) == NULL)
    {
      if (stage == JX_CONTEXT_STAGE_PROVIDERS)
        return usage_error (error->message);
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }

  if ((entries = build_entries (jx_context_get_catalog (context),
                                (const char * const *) options.entry_specs, &error)) == NULL)
    return usage_error (error->message);

  return run (context, entries, &options, demo);
}
