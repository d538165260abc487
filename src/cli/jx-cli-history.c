/* jx-cli-history.c — `juxta history list|show|export|delete`: the stored rounds
 *
 * Stored responses print with the record builder of `juxta compare`, so a round listed here
 * has the keys and figures compare printed for it (plus round_id and pane; request_id is
 * not stored, and started_at is the round's).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "jx-cli.h"
#include "jx-cli-output.h"
#include "jx-history.h"
#include "jx-stats.h"

/* ---- the store ------------------------------------------------------------------------ */

JxHistory *
jx_cli_history_open (void)
{
  const char *path = g_getenv ("JUXTA_HISTORY_FILE");

  return jx_history_new (path != NULL && *path != '\0' ? path : NULL);
}

void
jx_cli_history_close (JxHistory *history)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  if (!jx_history_flush (history, &error))
    g_printerr (_("%s: history not stored: %s\n"), g_get_prgname (), error->message);
  else if ((warning = jx_history_dup_warning (history)) != NULL)
    g_printerr ("%s: %s\n", g_get_prgname (), warning);
}

char *
jx_cli_history_parameters_json (double temperature,
                                int    max_tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (isnan (temperature) && max_tokens <= 0)
    return NULL;
  json_builder_begin_object (builder);
  if (!isnan (temperature))
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, temperature);
    }
  if (max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, max_tokens);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return jx_cli_output_json_to_string (root);
}

/* The CLI has no main loop running: each call runs one until its callback. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_run (Wait *wait)
{
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
  return wait->result;
}

#define WAIT_INIT { g_main_loop_new (NULL, FALSE), NULL }

static GPtrArray *
list_rounds (JxHistory            *history,
             const char           *search,
             const JxHistoryQuery *query,
             GError              **error)
{
  Wait wait = WAIT_INIT;
  g_autoptr(GAsyncResult) result = NULL;

  if (search != NULL)
    {
      jx_history_search_async (history, search, query, NULL, wait_cb, &wait);
      result = wait_run (&wait);
      return jx_history_search_finish (history, result, error);
    }
  jx_history_list_rounds_async (history, query, NULL, wait_cb, &wait);
  result = wait_run (&wait);
  return jx_history_list_rounds_finish (history, result, error);
}

static JxHistoryRound *
get_round (JxHistory  *history,
           gint64      id,
           GError    **error)
{
  Wait wait = WAIT_INIT;
  g_autoptr(GAsyncResult) result = NULL;

  jx_history_get_round_async (history, id, NULL, wait_cb, &wait);
  result = wait_run (&wait);
  return jx_history_get_round_finish (history, result, error);
}

/* ---- records -------------------------------------------------------------------------- */

static JsonObject *
response_record (JxHistoryRound *round,
                 guint           i)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  jx_cli_compare_response_record (builder, g_ptr_array_index (round->responses, i), NULL, round->started_at);
  root = json_builder_get_root (builder);
  object = json_object_ref (json_node_get_object (root));
  json_object_remove_member (object, "request_id");
  json_object_set_int_member (object, "round_id", round->id);
  json_object_set_int_member (object, "pane", g_array_index (round->pane_indices, guint, i));
  return object;
}

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_string_member (object, name, value);
}

static JsonObject *
round_record (JxHistoryRound *round)
{
  JsonObject *object = json_object_new ();
  g_autofree char *models = g_strjoinv (" ", round->models);

  json_object_set_string_member (object, "type", "round");
  json_object_set_int_member (object, "round_id", round->id);
  set_string_or_null (object, "started_at", round->started_at);
  set_string_or_null (object, "app_version", round->app_version);
  set_string_or_null (object, "series_id", round->prompt->series_id);
  set_string_or_null (object, "system_prompt", round->prompt->system_prompt);
  set_string_or_null (object, "prompt", round->prompt->user_prompt);
  set_string_or_null (object, "parameters", round->prompt->parameters_json);
  json_object_set_string_member (object, "models", models);
  json_object_set_int_member (object, "responses", round->n_responses);
  json_object_set_int_member (object, "errors", round->n_errors);
  return object;
}

static void
print_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  jx_cli_output_json_line (node);
}

static const char * const round_csv_prefix[] = { "round_id", "pane", NULL };

static GStrv
csv_columns (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) round_csv_prefix);
  g_strv_builder_addv (builder, (const char **) jx_cli_compare_csv_columns ());
  return g_strv_builder_end (builder);
}

/* ---- table and Markdown --------------------------------------------------------------- */

static char *
format_figure (double value,
               int    decimals)
{
  if (!isfinite (value))
    return g_strdup ("–");
  return g_strdup_printf ("%.*f", decimals, value);
}

static char *
format_count (gint64 n)
{
  return n < 0 ? g_strdup ("–") : g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

/* The figures of one response, as the cells of a table row. */
static GStrv
response_cells (JxResponse *r)
{
  GPtrArray *cells = g_ptr_array_new ();
  gint64 out = r->usage.output_tokens;

  g_ptr_array_add (cells, g_strdup_printf ("%s:%s", r->provider_id, r->model));
  g_ptr_array_add (cells, g_strdup (jx_response_status_to_string (r->status)));
  g_ptr_array_add (cells, format_figure (jx_timing_ttft_ms (&r->timing), 0));
  g_ptr_array_add (cells, format_figure (jx_timing_e2e_ms (&r->timing), 0));
  g_ptr_array_add (cells, format_figure (jx_timing_decode_tps (&r->timing, out), 1));
  g_ptr_array_add (cells, format_count (r->usage.input_tokens));
  g_ptr_array_add (cells, format_count (out));
  g_ptr_array_add (cells, format_figure (r->cost_usd, 6));
  g_ptr_array_add (cells, NULL);
  return (GStrv) g_ptr_array_free (cells, FALSE);
}

static const char *figure_headers[] = {
  N_("Provider:model"), N_("status"), N_("TTFT ms"), N_("E2E ms"), N_("tok/s"), N_("in"), N_("out"),
  N_("cost $"),
};
static const glong figure_widths[] = { 0, 10, 8, 9, 8, 7, 6, 11 };

static void
print_round_table (JxHistoryRound *round)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *prompt = jx_cli_output_sanitize (round->prompt->user_prompt, TRUE);
  glong label_width = 24;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, round->id);

  jx_cli_output_printf (_("Round %s, %s\n"), id, round->started_at);
  jx_cli_output_printf ("» %s\n\n", prompt);
  for (guint i = 0; i < round->responses->len; i++)
    {
      JxResponse *r = g_ptr_array_index (round->responses, i);
      g_autofree char *text = jx_cli_output_sanitize (r->text->str, TRUE);
      g_autofree char *error = jx_cli_output_sanitize (jx_cli_output_response_error (r), FALSE);
      g_autofree char *label = jx_cli_output_sanitize (r->provider_id, FALSE);
      g_autofree char *model = jx_cli_output_sanitize (r->model, FALSE);

      jx_cli_output_printf ("── %s:%s\n", label, model);
      if (*text != '\0')
        jx_cli_output_printf ("%s\n", text);
      if (error != NULL)
        jx_cli_output_printf ("%s %s\n", r->status == JX_RESPONSE_CANCELLED ? "⏹" : "✗", error);
      jx_cli_output_printf ("\n");
      label_width = MAX (label_width, g_utf8_strlen (label, -1) + g_utf8_strlen (model, -1) + 2);
    }

  label_width = MIN (label_width, 40);
  for (guint c = 0; c < G_N_ELEMENTS (figure_headers); c++)
    jx_cli_output_cell (line, _(figure_headers[c]), c == 0 ? label_width : figure_widths[c], c > 1);
  jx_cli_output_printf ("%s\n", line->str);
  for (guint i = 0; i < round->responses->len; i++)
    {
      g_auto(GStrv) cells = response_cells (g_ptr_array_index (round->responses, i));

      g_string_truncate (line, 0);
      for (guint c = 0; cells[c] != NULL; c++)
        {
          g_autofree char *cell = jx_cli_output_sanitize (cells[c], FALSE);

          jx_cli_output_cell (line, cell, c == 0 ? label_width : figure_widths[c], c > 1);
        }
      jx_cli_output_printf ("%s\n", line->str);
    }
}

/* A Markdown table cell: one line, pipes escaped. */
static char *
markdown_cell (const char *text)
{
  g_autofree char *clean = jx_cli_output_sanitize (text, FALSE);
  g_auto(GStrv) parts = g_strsplit (clean, "|", -1);

  return g_strjoinv ("\\|", parts);
}

static void
print_round_markdown (JxHistoryRound *round)
{
  g_autofree char *prompt = jx_cli_output_sanitize (round->prompt->user_prompt, TRUE);
  g_auto(GStrv) quoted = g_strsplit (prompt, "\n", -1);

  jx_cli_output_printf ("## %s %" G_GINT64_FORMAT " (%s)\n\n", _("Round"), round->id, round->started_at);
  for (guint i = 0; quoted[i] != NULL; i++)
    jx_cli_output_printf ("> %s\n", quoted[i]);
  jx_cli_output_printf ("\n|");
  for (guint c = 0; c < G_N_ELEMENTS (figure_headers); c++)
    jx_cli_output_printf (" %s |", _(figure_headers[c]));
  jx_cli_output_printf ("\n|");
  for (guint c = 0; c < G_N_ELEMENTS (figure_headers); c++)
    jx_cli_output_printf (c > 1 ? " ---: |" : " --- |");
  jx_cli_output_printf ("\n");
  for (guint i = 0; i < round->responses->len; i++)
    {
      g_auto(GStrv) cells = response_cells (g_ptr_array_index (round->responses, i));

      jx_cli_output_printf ("|");
      for (guint c = 0; cells[c] != NULL; c++)
        {
          g_autofree char *cell = markdown_cell (cells[c]);

          jx_cli_output_printf (" %s |", cell);
        }
      jx_cli_output_printf ("\n");
    }
  jx_cli_output_printf ("\n");
  for (guint i = 0; i < round->responses->len; i++)
    {
      JxResponse *r = g_ptr_array_index (round->responses, i);
      g_autofree char *text = jx_cli_output_sanitize (r->text->str, TRUE);
      g_autofree char *error = jx_cli_output_sanitize (jx_cli_output_response_error (r), FALSE);
      g_autofree char *label = markdown_cell (r->provider_id);
      g_autofree char *model = markdown_cell (r->model);

      jx_cli_output_printf ("### %s:%s\n\n", label, model);
      /* Quoted, so the answer's own headings stay inside it. */
      if (*text != '\0')
        {
          g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

          for (guint l = 0; lines[l] != NULL; l++)
            jx_cli_output_printf (*lines[l] != '\0' ? "> %s\n" : ">%s\n", lines[l]);
          jx_cli_output_printf ("\n");
        }
      if (error != NULL)
        jx_cli_output_printf ("*%s*\n\n", error);
    }
}

static void
print_list_table (GPtrArray *rounds)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint width = jx_cli_output_terminal_width ();

  jx_cli_output_cell (line, _("ID"), 6, TRUE);
  g_string_append_c (line, ' ');
  jx_cli_output_cell (line, _("Started (UTC)"), 19, FALSE);
  jx_cli_output_cell (line, _("Answers"), 8, TRUE);
  jx_cli_output_cell (line, _("Errors"), 7, TRUE);
  g_string_append (line, "  ");
  jx_cli_output_cell (line, _("Prompt"), MAX (10, (glong) width - 44), FALSE);
  jx_cli_output_printf ("%s\n", line->str);
  for (guint i = 0; i < rounds->len; i++)
    {
      JxHistoryRound *round = g_ptr_array_index (rounds, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, round->id);
      g_autofree char *started = g_strndup (round->started_at, 19);
      g_autofree char *n = g_strdup_printf ("%u", round->n_responses);
      g_autofree char *errors = g_strdup_printf ("%u", round->n_errors);
      g_autofree char *excerpt = jx_cli_output_sanitize (round->excerpt, FALSE);

      g_strdelimit (started, "T", ' ');
      g_string_truncate (line, 0);
      jx_cli_output_cell (line, id, 6, TRUE);
      g_string_append_c (line, ' ');
      jx_cli_output_cell (line, started, 19, FALSE);
      jx_cli_output_cell (line, n, 8, TRUE);
      jx_cli_output_cell (line, errors, 7, TRUE);
      g_string_append (line, "  ");
      jx_cli_output_cell (line, excerpt, MAX (10, (glong) width - 44), FALSE);
      jx_cli_output_printf ("%s\n", line->str);
    }
}

typedef enum
{
  OUTPUT_TABLE,
  OUTPUT_JSON,
  OUTPUT_CSV,
  OUTPUT_MARKDOWN,
} Output;

/* Every response of each round: JSON Lines (a round record, then its responses), CSV (one
 * row a response), Markdown or tables. */
static gboolean
print_rounds (JxHistory  *history,
              GPtrArray  *summaries,
              Output      output,
              GError    **error)
{
  g_auto(GStrv) columns = csv_columns ();

  if (output == OUTPUT_CSV)
    jx_cli_output_csv_header ((const char * const *) columns);
  /* Oldest first, like compare printed them. */
  for (guint i = summaries->len; i-- > 0;)
    {
      JxHistoryRound *summary = g_ptr_array_index (summaries, i);
      g_autoptr(JxHistoryRound) round = get_round (history, summary->id, error);

      if (round == NULL)
        return FALSE;
      switch (output)
        {
        case OUTPUT_TABLE:
          print_round_table (round);
          if (i > 0)
            jx_cli_output_printf ("\n");
          break;
        case OUTPUT_MARKDOWN:
          print_round_markdown (round);
          break;
        case OUTPUT_JSON:
          {
            g_autoptr(JsonObject) record = round_record (round);

            print_object (record);
          }
          G_GNUC_FALLTHROUGH;
        case OUTPUT_CSV:
          for (guint r = 0; r < round->responses->len; r++)
            {
              g_autoptr(JsonObject) record = response_record (round, r);

              if (output == OUTPUT_JSON)
                print_object (record);
              else
                jx_cli_output_csv_row (record, (const char * const *) columns);
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

/* ---- options -------------------------------------------------------------------------- */

static int
usage_error (const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Try “%s --help” for more information.\n"), g_get_prgname ());
  return JX_CLI_EXIT_USAGE;
}

static int
failure (const GError *error)
{
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  return JX_CLI_EXIT_FAILURE;
}

/* "2026-12-06" (midnight UTC) or a full ISO 8601 time. */
static GDateTime *
parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *midnight = NULL;
  GDateTime *time;

  if ((time = g_date_time_new_from_iso8601 (text, utc)) != NULL)
    return time;
  midnight = g_strconcat (text, "T00:00:00", NULL);
  return g_date_time_new_from_iso8601 (midnight, utc);
}

static gboolean
parse_round_id (const char *text,
                gint64     *id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

typedef struct
{
  char   *provider;
  char   *model;
  char   *since;
  char   *until;
  char   *outcome;
  char   *search;
  char   *series;
  char   *format;
  char   *output;
  int     limit;
  gboolean all;
  gboolean yes;
  JxHistoryQuery query;
} HistoryOptions;

static void
history_options_clear (HistoryOptions *o)
{
  g_free (o->provider);
  g_free (o->model);
  g_free (o->since);
  g_free (o->until);
  g_free (o->outcome);
  g_free (o->search);
  g_free (o->series);
  g_free (o->format);
  g_free (o->output);
  g_clear_pointer (&o->query.since, g_date_time_unref);
  g_clear_pointer (&o->query.until, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HistoryOptions, history_options_clear)

static const char *subcommand_summary =
  N_("Subcommands:\n"
     "  list [FILTERS]                    Stored rounds, newest first\n"
     "  show ROUND_ID                     One round: its prompt, answers and figures\n"
     "  export ROUND_ID|--series ID|--search TEXT --format csv|json|markdown [-o FILE]\n"
     "  delete ROUND_ID|--all --yes       Delete rounds\n"
     "\n"
     "The history is $JUXTA_HISTORY_FILE, else $XDG_DATA_HOME/juxta/history.db; "
     "`juxta compare` stores every round unless given --no-history.");

/* Parses the options of every subcommand (each takes the ones that apply to it). */
static gboolean
parse_options (int             *argc,
               char          ***argv,
               HistoryOptions  *o,
               int             *status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &o->provider, N_("Only rounds with this provider"), N_("ID") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &o->model, N_("Only rounds with this model"), N_("MODEL") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &o->since, N_("Only rounds started at or after (ISO 8601, UTC)"), N_("TIME") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &o->until, N_("Only rounds started before (ISO 8601, UTC)"), N_("TIME") },
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &o->outcome, N_("ok: every answer succeeded; error: one failed"), N_("OUTCOME") },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &o->search, N_("Only rounds whose prompt or answers have every word"), N_("TEXT") },
    { "series", 0, 0, G_OPTION_ARG_STRING, &o->series, N_("Only the rounds of one repeated run"), N_("ID") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &o->limit, N_("At most N rounds (default 100)"), N_("N") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, N_("Output format: table, json, csv or markdown"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &o->all, N_("delete: every round"), NULL },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &o->yes, N_("delete --all: do not ask"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("list|show|export|delete [ROUND_ID] — the stored rounds"));
  g_option_context_set_summary (context, _("Rounds that “juxta compare” and the window stored."));
  g_option_context_set_description (context, _(subcommand_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("juxta history");

#define FAIL(message) G_STMT_START { *status = usage_error (message); return FALSE; } G_STMT_END

  if (!g_option_context_parse (context, argc, argv, &error))
    FAIL (error->message);
  if (o->limit < 0)
    FAIL (_("--limit cannot be negative"));
  if (o->since != NULL && (o->query.since = parse_time (o->since)) == NULL)
    FAIL (_("--since must be a date or time in ISO 8601, e.g. 2026-12-06"));
  if (o->until != NULL && (o->query.until = parse_time (o->until)) == NULL)
    FAIL (_("--until must be a date or time in ISO 8601, e.g. 2026-12-06"));
  if (o->outcome == NULL)
    o->query.outcome = JX_HISTORY_OUTCOME_ANY;
  else if (g_str_equal (o->outcome, "ok"))
    o->query.outcome = JX_HISTORY_OUTCOME_ALL_OK;
  else if (g_str_equal (o->outcome, "error"))
    o->query.outcome = JX_HISTORY_OUTCOME_SOME_ERROR;
  else
    FAIL (_("--outcome must be ok or error"));
  if (o->search != NULL && !g_utf8_validate (o->search, -1, NULL))
    FAIL (_("--search is not valid UTF-8"));

#undef FAIL

  o->query.provider_id = o->provider;
  o->query.model = o->model;
  o->query.series_id = o->series;
  o->query.limit = (guint) o->limit;
  return TRUE;
}

static gboolean
parse_output (const char *format,
              gboolean    markdown,
              Output     *output)
{
  if (format == NULL || g_str_equal (format, "table"))
    *output = OUTPUT_TABLE;
  else if (g_str_equal (format, "json"))
    *output = OUTPUT_JSON;
  else if (g_str_equal (format, "csv"))
    *output = OUTPUT_CSV;
  else if (markdown && g_str_equal (format, "markdown"))
    *output = OUTPUT_MARKDOWN;
  else
    return FALSE;
  return TRUE;
}

/* Standard output goes to @path from here on. */
static gboolean
redirect_output (const char  *path,
                 GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  int saved_errno = errno;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  fflush (stdout);
  dup2 (fd, STDOUT_FILENO);
  close (fd);
  return TRUE;
}

/* ---- subcommands ---------------------------------------------------------------------- */

static int
history_list (JxHistory      *history,
              HistoryOptions *o,
              int             argc)
{
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GError) error = NULL;
  Output output;

  if (argc != 2)
    return usage_error (_("list takes no ROUND_ID; filter with --provider, --since…"));
  if (!parse_output (o->format, FALSE, &output))
    return usage_error (_("--format must be table, json or csv"));
  if ((rounds = list_rounds (history, o->search, &o->query, &error)) == NULL)
    return failure (error);
  if (output == OUTPUT_TABLE)
    print_list_table (rounds);
  else if (!print_rounds (history, rounds, output, &error))
    return failure (error);
  return 0;
}

static int
history_show (JxHistory      *history,
              HistoryOptions *o,
              int             argc,
              char          **argv,
              gboolean        export)
{
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  Output output;

  if (export)
    {
      if (o->format == NULL || !parse_output (o->format, TRUE, &output) || output == OUTPUT_TABLE)
        return usage_error (_("export needs --format csv, json or markdown"));
      if ((argc == 3) + (o->series != NULL) + (o->search != NULL) != 1)
        return usage_error (_("export takes one of ROUND_ID, --series ID or --search TEXT"));
    }
  else
    {
      if (!parse_output (o->format, FALSE, &output))
        return usage_error (_("--format must be table, json or csv"));
      if (argc != 3)
        return usage_error (_("missing ROUND_ID"));
    }
  if (argc > 3)
    return usage_error (_("give one ROUND_ID"));

  if (argc == 3)
    {
      g_autoptr(JxHistoryRound) round = NULL;

      if (!parse_round_id (argv[2], &id))
        return usage_error (_("ROUND_ID must be a positive number"));
      /* Fails at once on an unknown id, before an -o file is created. */
      if ((round = get_round (history, id, &error)) == NULL)
        return failure (error);
      rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_history_round_unref);
      g_ptr_array_add (rounds, g_steal_pointer (&round));
    }
  else
    {
      if (o->limit == 0)
        o->query.limit = 10000;
      if ((rounds = list_rounds (history, o->search, &o->query, &error)) == NULL)
        return failure (error);
    }

  if (o->output != NULL && !redirect_output (o->output, &error))
    return failure (error);
  if (!print_rounds (history, rounds, output, &error))
    return failure (error);
  return 0;
}

static int
history_delete (JxHistory      *history,
                HistoryOptions *o,
                int             argc,
                char          **argv)
{
  Wait wait = WAIT_INIT;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  gint64 n;

  if (o->all == (argc == 3) || argc > 3)
    return usage_error (_("delete takes a ROUND_ID or --all"));
  if (o->all && !o->yes)
    return usage_error (_("delete --all removes every stored round: confirm with --yes"));
  if (!o->all && !parse_round_id (argv[2], &id))
    return usage_error (_("ROUND_ID must be a positive number"));

  if (o->all)
    jx_history_delete_all_async (history, NULL, wait_cb, &wait);
  else
    jx_history_delete_round_async (history, id, NULL, wait_cb, &wait);
  result = wait_run (&wait);
  if ((n = jx_history_delete_finish (history, result, &error)) < 0 || error != NULL)
    return failure (error);
  if (!o->all && n == 0)
    {
      g_printerr (_("%s: no round %s\n"), g_get_prgname (), argv[2]);
      return JX_CLI_EXIT_FAILURE;
    }
  jx_cli_output_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %d round.\n", "Deleted %d rounds.\n", (gulong) n),
                        (int) n);
  return 0;
}

int
jx_cli_history_main (int    argc,
                     char **argv)
{
  g_auto(HistoryOptions) o = { 0 };
  g_autoptr(JxHistory) history = NULL;
  const char *command;
  int status = 0;

  if (!parse_options (&argc, &argv, &o, &status))
    return status;
  /* argv[0] is "history", argv[1] the subcommand. */
  command = argc > 1 ? argv[1] : NULL;
  if (command == NULL)
    return usage_error (_("missing subcommand: list, show, export or delete"));
  if (!g_str_equal (command, "list") && !g_str_equal (command, "show") &&
      !g_str_equal (command, "export") && !g_str_equal (command, "delete"))
    return usage_error (_("unknown subcommand: use list, show, export or delete"));

  history = jx_cli_history_open ();
  if (g_str_equal (command, "list"))
    status = history_list (history, &o, argc);
  else if (g_str_equal (command, "show"))
    status = history_show (history, &o, argc, argv, FALSE);
  else if (g_str_equal (command, "export"))
    status = history_show (history, &o, argc, argv, TRUE);
  else
    status = history_delete (history, &o, argc, argv);
  jx_cli_history_close (history);
  return status;
}
