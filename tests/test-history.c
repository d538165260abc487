/* test-history.c — the SQLite history store, on real files in a temporary folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>

#include "jx-compare-stats.h"
#include "jx-history.h"
#include "jx-request-error.h"

#define EPS 1e-9

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */
/* ------------------------------------------------------------------------------------ */

static char *
history_path (const char *name)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own data folder (not created yet). */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gint64
begin_round (JxHistory       *history,
             JxHistoryPrompt *prompt)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  jx_history_begin_round_async (history, prompt, NULL, store_result_cb, &result);
  id = jx_history_begin_round_finish (history, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static JxHistoryRound *
get_round (JxHistory *history,
           gint64     id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JxHistoryRound *round;

  jx_history_get_round_async (history, id, NULL, store_result_cb, &result);
  round = jx_history_get_round_finish (history, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (round);
  return round;
}

static GPtrArray *
list_rounds (JxHistory            *history,
             const JxHistoryQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rounds;

  jx_history_list_rounds_async (history, query, NULL, store_result_cb, &result);
  rounds = jx_history_list_rounds_finish (history, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (rounds);
  return rounds;
}

static GPtrArray *
search (JxHistory            *history,
        const char           *text,
        const JxHistoryQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rounds;

  jx_history_search_async (history, text, query, NULL, store_result_cb, &result);
  rounds = jx_history_search_finish (history, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (rounds);
  return rounds;
}

static gint64
delete_finish (JxHistory     *history,
               GAsyncResult **slot)
{
  g_autoptr(GError) error = NULL;
  gint64 n = jx_history_delete_finish (history, wait_for (slot), &error);

  g_assert_no_error (error);
  g_clear_object (slot);
  return n;
}

static JxHistoryPrompt *
two_pane_prompt (const char *user)
{
  JxHistoryPrompt *prompt = jx_history_prompt_new ("Be brief.", user);

  jx_history_prompt_add_pane (prompt, "openai", "OpenAI", "gpt-4o-mini");
  jx_history_prompt_add_pane (prompt, "anthropic", "Anthropic", "claude-haiku");
  return prompt;
}

/* A response with every field set; timestamps in the monotonic clock of "some run". */
static JxResponse *
full_response (const char *text,
               gint64      ttft_us,
               double      cost)
{
  JxResponse *r = jx_response_new ();
  const gint64 base = 987654321;
  double ms = 12.5;

  r->provider_id = g_strdup ("openai");
  r->provider_name = g_strdup ("OpenAI");
  r->model = g_strdup ("gpt-4o-mini");
  r->run = 1;
  r->status = JX_RESPONSE_OK;
  g_string_assign (r->text, text);
  g_string_assign (r->reasoning, "thinking about it");
  r->finish_reason = g_strdup ("stop");
  r->http_status = 200;
  r->timing.t_queued = base;
  r->timing.t_start = base + 1000;
  r->timing.t_headers = base + 50000;
  r->timing.t_first_byte = base + 60000;
  jx_timing_add_content (&r->timing, base + 1000 + ttft_us);
  jx_timing_add_content (&r->timing, base + 1000 + ttft_us + 20000);
  jx_timing_add_content (&r->timing, base + 1000 + ttft_us + 50000);
  r->timing.t_end = base + 1000 + ttft_us + 60000;
  r->usage.input_tokens = 120;
  r->usage.cached_input_tokens = 100;
  r->usage.cache_write_tokens = 0;
  r->usage.output_tokens = 7;
  r->usage.reasoning_tokens = 3;
  r->usage.source = JX_USAGE_SOURCE_PROVIDER;
  r->cost_usd = cost;
  r->cost_from_provider = TRUE;
  r->retries = 2;
  jx_response_take_ratelimit_header (r, "X-RateLimit-Remaining-Requests", "99");
  jx_response_take_ratelimit_header (r, "x-ratelimit-remaining-tokens", "15000");
  g_hash_table_insert (r->server_timings, g_strdup ("openai-processing-ms"),
                       g_memdup2 (&ms, sizeof ms));
  return r;
}

static JxResponse *
failed_response (const char *partial_text)
{
  JxResponse *r = jx_response_new ();

  r->provider_id = g_strdup ("anthropic");
  r->model = g_strdup ("claude-haiku");
  r->status = JX_RESPONSE_ERROR;
  g_string_assign (r->text, partial_text);
  r->error = g_error_new_literal (JX_REQUEST_ERROR, JX_REQUEST_ERROR_TRUNCATED, "Anthropic: the connection was closed");
  r->http_status = 200;
  r->timing.t_queued = 5000;
  r->timing.t_start = 6000;
  jx_timing_add_content (&r->timing, 106000);
  r->timing.t_end = 206000;
  return r;
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* ------------------------------------------------------------------------------------ */
/* Tests                                                                                */
/* ------------------------------------------------------------------------------------ */

static void
test_history_default_path (void)
{
  g_autoptr(JxHistory) history = jx_history_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "juxta", "history.db",
                                                NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = NULL;

  g_assert_cmpstr (jx_history_get_path (history), ==, expected);
  g_assert_true (jx_history_flush (history, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (expected, G_FILE_TEST_EXISTS));
  g_assert_null (jx_history_dup_warning (history));

  db = open_raw (expected);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, JX_HISTORY_SCHEMA_VERSION);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
}

static void
test_history_round_trip (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = jx_history_new (path);
  g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("Name a prime.");
  g_autoptr(JxResponse) ok = full_response ("Seven.", 250000, 0.0012);
  g_autoptr(JxResponse) failed = failed_response ("Eleven is");
  g_autoptr(JxHistoryRound) round = NULL;
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GError) error = NULL;
  JxResponse *r;
  gint64 id;

  prompt->parameters_json = g_strdup ("{\"temperature\":0.2}");
  prompt->variant = g_strdup ("B");
  prompt->variables_json = g_strdup ("{\"topic\":\"primes\"}");
  prompt->series_id = g_strdup ("series-1");

  id = begin_round (history, prompt);
  jx_history_add_response (history, id, 0, ok, "catalog");
  jx_history_add_response_async (history, id, 1, failed, NULL, NULL, store_result_cb, &added);
  g_assert_true (jx_history_add_response_finish (history, wait_for (&added), &error));
  g_assert_no_error (error);

  round = get_round (history, id);
  g_assert_cmpint (round->id, ==, id);
  g_assert_cmpstr (round->app_version, ==, PACKAGE_VERSION);
  g_assert_true (g_str_has_suffix (round->started_at, "Z"));
  {
    g_autoptr(GDateTime) started = g_date_time_new_from_iso8601 (round->started_at, NULL);

    g_assert_nonnull (started);
  }
  g_assert_cmpstr (round->prompt->system_prompt, ==, "Be brief.");
  g_assert_cmpstr (round->prompt->user_prompt, ==, "Name a prime.");
  g_assert_cmpstr (round->prompt->parameters_json, ==, "{\"temperature\":0.2}");
  g_assert_cmpstr (round->prompt->variant, ==, "B");
  g_assert_cmpstr (round->prompt->variables_json, ==, "{\"topic\":\"primes\"}");
  g_assert_cmpstr (round->prompt->series_id, ==, "series-1");
  g_assert_cmpuint (round->prompt->panes->len, ==, 2);
  g_assert_cmpstr (((JxHistoryPane *) round->prompt->panes->pdata[1])->provider_name, ==,
                   "Anthropic");
  g_assert_cmpstr (round->models[0], ==, "openai/gpt-4o-mini");
  g_assert_cmpstr (round->models[1], ==, "anthropic/claude-haiku");
  g_assert_null (round->models[2]);
  g_assert_cmpuint (round->n_responses, ==, 2);
  g_assert_cmpuint (round->n_errors, ==, 1);
  g_assert_cmpint (round->fastest_pane, ==, 0);
  g_assert_cmpfloat_with_epsilon (round->fastest_ttft_ms, 250.0, EPS);
  g_assert_cmpint (round->cheapest_pane, ==, 0);
  g_assert_cmpfloat_with_epsilon (round->cheapest_cost_usd, 0.0012, EPS);

  g_assert_cmpuint (round->responses->len, ==, 2);
  g_assert_cmpuint (g_array_index (round->pane_indices, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (round->pane_indices, guint, 1), ==, 1);
  g_assert_cmpstr (round->price_sources->pdata[0], ==, "catalog");
  g_assert_null (round->price_sources->pdata[1]);

  r = round->responses->pdata[0];
  g_assert_cmpstr (r->provider_id, ==, "openai");
  g_assert_cmpstr (r->provider_name, ==, "OpenAI");
  g_assert_cmpstr (r->model, ==, "gpt-4o-mini");
  g_assert_cmpuint (r->run, ==, 1);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpstr (r->text->str, ==, "Seven.");
  g_assert_cmpstr (r->reasoning->str, ==, "thinking about it");
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->finish_reason, ==, "stop");
  g_assert_cmpuint (r->http_status, ==, 200);
  /* Differences are as measured, whatever the origin. */
  g_assert_cmpint (r->timing.t_start - r->timing.t_queued, ==, ok->timing.t_start - ok->timing.t_queued);
  g_assert_cmpint (r->timing.t_headers - r->timing.t_queued, ==, 50000);
  g_assert_cmpint (r->timing.t_first_byte - r->timing.t_queued, ==, 60000);
  g_assert_cmpint (r->timing.t_last_token - r->timing.t_first_token, ==, 50000);
  g_assert_cmpint (r->timing.t_end - r->timing.t_start, ==, 250000 + 60000);
  g_assert_cmpuint (r->timing.content_times->len, ==, 3);
  g_assert_cmpint (g_array_index (r->timing.content_times, gint64, 1) - r->timing.t_first_token, ==, 20000);
  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&r->timing), jx_timing_ttft_ms (&ok->timing), EPS);
  g_assert_cmpfloat_with_epsilon (jx_timing_itl_gap_ms (&r->timing, 95),
                                  jx_timing_itl_gap_ms (&ok->timing, 95), EPS);
  g_assert_cmpint (r->usage.input_tokens, ==, 120);
  g_assert_cmpint (r->usage.cached_input_tokens, ==, 100);
  g_assert_cmpint (r->usage.cache_write_tokens, ==, 0);
  g_assert_cmpint (r->usage.output_tokens, ==, 7);
  g_assert_cmpint (r->usage.reasoning_tokens, ==, 3);
  g_assert_cmpint (r->usage.billed_input_tokens, ==, -1);
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, 0.0012, EPS);
  g_assert_true (r->cost_from_provider);
  g_assert_cmpuint (r->retries, ==, 2);
  g_assert_cmpint (r->ratelimit_remaining_requests, ==, 99);
  g_assert_cmpint (r->ratelimit_remaining_tokens, ==, 15000);
  g_assert_cmpstr (g_hash_table_lookup (r->ratelimit_headers, "x-ratelimit-remaining-requests"), ==, "99");
  g_assert_cmpuint (g_hash_table_size (r->ratelimit_headers), ==, 2);
  g_assert_cmpfloat_with_epsilon (*(double *) g_hash_table_lookup (r->server_timings, "openai-processing-ms"),
                                  12.5, EPS);

  r = round->responses->pdata[1];
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpstr (r->text->str, ==, "Eleven is");
  g_assert_error (r->error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_TRUNCATED);
  g_assert_cmpstr (r->error->message, ==, "Anthropic: the connection was closed");
  g_assert_cmpstr (r->provider_name, ==, "Anthropic");   /* from the pane */
  g_assert_true (isnan (r->cost_usd));
  g_assert_cmpint (r->usage.input_tokens, ==, -1);
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_NONE);
  g_assert_cmpint (r->ratelimit_remaining_requests, ==, -1);
  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&r->timing), 100.0, EPS);

  /* Derived figures are stored for queries that never rebuild a response. */
  {
    g_autoptr(sqlite3) db = open_raw (path);

    g_assert_cmpint (query_int (db, "SELECT round (ttft_ms * 1000) FROM responses WHERE pane_index = 0"),
                     ==, 250000);
    g_assert_cmpint (query_int (db, "SELECT round (itl_max_ms * 1000) FROM responses WHERE pane_index = 0"),
                     ==, 30000);
    g_assert_cmpint (query_int (db, "SELECT round (e2e_ms * 1000) FROM responses WHERE pane_index = 1"),
                     ==, 200000);
    g_assert_cmpint (query_int (db, "SELECT text_chars FROM responses WHERE pane_index = 1"), ==, 9);
  }

  /* A missing round is an error, not a crash. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) missing = NULL;

    jx_history_get_round_async (history, id + 100, NULL, store_result_cb, &result);
    g_assert_null (jx_history_get_round_finish (history, wait_for (&result), &missing));
    g_assert_error (missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

static void
test_history_list_filters (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = jx_history_new (path);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) some = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) day_ago = g_date_time_add_days (now, -1);
  g_autoptr(GError) error = NULL;
  JxHistoryQuery query = { 0 };
  gint64 ids[4];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *user = g_strdup_printf ("Question %u", i);
      g_autoptr(JxHistoryPrompt) prompt = jx_history_prompt_new (NULL, user);
      g_autoptr(JxResponse) response = NULL;

      /* 0, 2: OpenAI; 1, 3: Mistral. 1 fails, 3 is cancelled. */
      if (i % 2 == 0)
        jx_history_prompt_add_pane (prompt, "openai", "OpenAI", "gpt-4o");
      else
        jx_history_prompt_add_pane (prompt, "mistral", "Mistral", "mistral-small");
      if (i >= 2)
        prompt->series_id = g_strdup ("run-x2");
      ids[i] = begin_round (history, prompt);

      response = i == 1 ? failed_response ("par") : full_response ("answer", 1000 * (i + 1), 0.01);
      if (i == 3)
        response->status = JX_RESPONSE_CANCELLED;
      g_clear_pointer (&response->provider_id, g_free);
      g_clear_pointer (&response->model, g_free);
      jx_history_add_response (history, ids[i], 0, response, NULL);
    }
  g_assert_true (jx_history_flush (history, &error));
  g_assert_no_error (error);

  /* Newest first. */
  all = list_rounds (history, NULL);
  g_assert_cmpuint (all->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (((JxHistoryRound *) all->pdata[i])->id, ==, ids[3 - i]);
  g_assert_cmpstr (((JxHistoryRound *) all->pdata[0])->excerpt, ==, "Question 3");
  g_assert_cmpuint (((JxHistoryRound *) all->pdata[0])->responses->len, ==, 0);

  query.provider_id = "mistral";
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 2);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[0])->id, ==, ids[3]);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[1])->id, ==, ids[1]);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .model = "gpt-4o" };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 2);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .provider_id = "openai", .model = "mistral-small" };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 0);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .outcome = JX_HISTORY_OUTCOME_ALL_OK };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 2);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[0])->id, ==, ids[2]);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[1])->id, ==, ids[0]);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .outcome = JX_HISTORY_OUTCOME_SOME_ERROR };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[0])->id, ==, ids[1]);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .outcome = JX_HISTORY_OUTCOME_SOME_CANCELLED };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[0])->id, ==, ids[3]);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .series_id = "run-x2" };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 2);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .limit = 2, .offset = 1 };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 2);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[0])->id, ==, ids[2]);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[1])->id, ==, ids[1]);
  g_clear_pointer (&some, g_ptr_array_unref);

  /* Dates: move round 0 a day back. */
  {
    g_autoptr(sqlite3) db = open_raw (path);
    g_autofree char *old = g_date_time_format (day_ago, "%Y-%m-%dT%H:%M:%S.%fZ");
    g_autofree char *sql = g_strdup_printf ("UPDATE rounds SET started_at = '%s' WHERE id = %"
                                            G_GINT64_FORMAT, old, ids[0]);

    exec_raw (db, sql);
  }
  query = (JxHistoryQuery) { .since = hour_ago };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 3);
  g_clear_pointer (&some, g_ptr_array_unref);

  query = (JxHistoryQuery) { .until = hour_ago };
  some = list_rounds (history, &query);
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpint (((JxHistoryRound *) some->pdata[0])->id, ==, ids[0]);
  g_clear_pointer (&some, g_ptr_array_unref);
}

static void
test_history_fts_query (void)
{
  g_autofree char *simple = jx_history_fts_query ("prime numbers");
  g_autofree char *quoted = jx_history_fts_query ("say \"hi\" AND (NEAR*");
  g_autofree char *punct = jx_history_fts_query (" -- !! ");

  g_assert_cmpstr (simple, ==, "\"prime\" \"numbers\"");
  g_assert_cmpstr (quoted, ==, "\"say\" \"\"\"hi\"\"\" \"AND\" \"(NEAR*\"");
  g_assert_null (punct);
  g_assert_null (jx_history_fts_query (""));
  g_assert_null (jx_history_fts_query (NULL));
}

static void
test_history_search (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = jx_history_new (path);
  g_autoptr(JxHistoryPrompt) first = two_pane_prompt ("Explain the Café problem");
  g_autoptr(JxHistoryPrompt) second = two_pane_prompt ("Write a haiku");
  g_autoptr(JxResponse) a = full_response ("Caching helps latency.", 1000, 0.1);
  g_autoptr(JxResponse) b = failed_response ("Autumn moon rises over");
  g_autoptr(GPtrArray) found = NULL;
  gint64 id1, id2;

  id1 = begin_round (history, first);
  id2 = begin_round (history, second);
  jx_history_add_response (history, id1, 0, a, NULL);
  jx_history_add_response (history, id2, 1, b, NULL);

  /* In the prompt, diacritics folded. */
  found = search (history, "cafe", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((JxHistoryRound *) found->pdata[0])->id, ==, id1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* In an answer (partial text of a failed one too), every word required. */
  found = search (history, "autumn MOON", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((JxHistoryRound *) found->pdata[0])->id, ==, id2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = search (history, "autumn latency", NULL);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* In the reasoning. */
  found = search (history, "thinking", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* FTS syntax typed by the user is taken literally: no error. */
  found = search (history, "\"haiku AND (OR NEAR( *", NULL);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = search (history, "haiku,", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = search (history, "?!", NULL);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Search with filters. */
  {
    JxHistoryQuery query = { .outcome = JX_HISTORY_OUTCOME_SOME_ERROR };

    found = search (history, "caching", &query);
    g_assert_cmpuint (found->len, ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
    found = search (history, "haiku", &query);
    g_assert_cmpuint (found->len, ==, 1);
    g_clear_pointer (&found, g_ptr_array_unref);
  }
}

static void
test_history_delete (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = jx_history_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  gint64 ids[3];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("zebra question");
      g_autoptr(JxResponse) response = full_response ("zebra answer", 1000, 0.1);

      ids[i] = begin_round (history, prompt);
      jx_history_add_response (history, ids[i], 0, response, NULL);
    }

  jx_history_delete_round_async (history, ids[1], NULL, store_result_cb, &result);
  g_assert_cmpint (delete_finish (history, &result), ==, 1);
  rounds = search (history, "zebra", NULL);
  g_assert_cmpuint (rounds->len, ==, 2);
  g_clear_pointer (&rounds, g_ptr_array_unref);

  /* Its responses went with it. */
  {
    g_autoptr(sqlite3) db = open_raw (path);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM responses WHERE round_id = %"
                                            G_GINT64_FORMAT, ids[1]);

    g_assert_cmpint (query_int (db, sql), ==, 0);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM responses"), ==, 2);
    /* Move round 0 forty days back. */
    exec_raw (db, "UPDATE rounds SET started_at = '2001-01-01T00:00:00.000000Z'"
                  " WHERE id = (SELECT min(id) FROM rounds)");
  }

  jx_history_forget_older_than_async (history, 30, NULL, store_result_cb, &result);
  g_assert_cmpint (delete_finish (history, &result), ==, 1);
  rounds = list_rounds (history, NULL);
  g_assert_cmpuint (rounds->len, ==, 1);
  g_assert_cmpint (((JxHistoryRound *) rounds->pdata[0])->id, ==, ids[2]);
  g_clear_pointer (&rounds, g_ptr_array_unref);

  jx_history_delete_all_async (history, NULL, store_result_cb, &result);
  g_assert_cmpint (delete_finish (history, &result), ==, 1);
  rounds = list_rounds (history, NULL);
  g_assert_cmpuint (rounds->len, ==, 0);
  g_clear_pointer (&rounds, g_ptr_array_unref);
  rounds = search (history, "zebra", NULL);
  g_assert_cmpuint (rounds->len, ==, 0);

  {
    g_autoptr(sqlite3) db = open_raw (path);

    g_assert_cmpint (query_int (db, "SELECT count(*) FROM responses"), ==, 0);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM panes"), ==, 0);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM responses_fts WHERE responses_fts MATCH 'zebra'"),
                     ==, 0);
  }
}

static void
test_history_without_texts (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = jx_history_new (path);
  g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("Private question");
  g_autoptr(JxResponse) response = full_response ("secret answer", 42000, 0.5);
  g_autoptr(JxHistoryRound) round = NULL;
  g_autoptr(GPtrArray) found = NULL;
  JxResponse *r;
  gint64 id;

  g_assert_true (jx_history_get_keep_texts (history));
  jx_history_set_keep_texts (history, FALSE);
  g_assert_false (jx_history_get_keep_texts (history));

  id = begin_round (history, prompt);
  jx_history_add_response (history, id, 0, response, NULL);

  round = get_round (history, id);
  r = round->responses->pdata[0];
  g_assert_cmpstr (r->text->str, ==, "");
  g_assert_cmpstr (r->reasoning->str, ==, "");
  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&r->timing), 42.0, EPS);
  g_assert_cmpint (r->usage.output_tokens, ==, 7);
  g_assert_cmpfloat_with_epsilon (r->cost_usd, 0.5, EPS);

  found = search (history, "secret", NULL);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_history_median_tokens (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = jx_history_new (path);
  g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("q");
  const gint64 outputs[] = { 10, 40, 20, 60, 1000 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  double input = 0, output = 0;
  guint n = 0;
  gint64 id = begin_round (history, prompt);

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autoptr(JxResponse) response = full_response ("a", 1000, 0.1);

      response->usage.input_tokens = 100 + (gint64) i;
      response->usage.output_tokens = outputs[i];
      /* The last one failed: not a sample. */
      if (i == G_N_ELEMENTS (outputs) - 1)
        response->status = JX_RESPONSE_ERROR;
      jx_history_add_response (history, id, 0, response, NULL);
    }
  {
    /* Estimated usage is not a sample either. */
    g_autoptr(JxResponse) estimated = full_response ("a", 1000, 0.1);

    estimated->usage.output_tokens = 5000;
    estimated->usage.source = JX_USAGE_SOURCE_ESTIMATE;
    jx_history_add_response (history, id, 0, estimated, NULL);
  }

  jx_history_median_tokens_async (history, "openai", "gpt-4o-mini", 0, NULL, store_result_cb, &result);
  g_assert_true (jx_history_median_tokens_finish (history, wait_for (&result), &input, &output, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  /* 100 101 102 103 → 101.5; 10 20 40 60 → 30 */
  g_assert_cmpfloat_with_epsilon (input, 101.5, EPS);
  g_assert_cmpfloat_with_epsilon (output, 30.0, EPS);
  g_clear_object (&result);

  /* The newest 2 samples only: 60 and 20. */
  jx_history_median_tokens_async (history, "openai", "gpt-4o-mini", 2, NULL, store_result_cb, &result);
  g_assert_true (jx_history_median_tokens_finish (history, wait_for (&result), &input, &output, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat_with_epsilon (output, 40.0, EPS);
  g_clear_object (&result);

  jx_history_median_tokens_async (history, "openai", "unknown", 0, NULL, store_result_cb, &result);
  g_assert_true (jx_history_median_tokens_finish (history, wait_for (&result), &input, &output, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (isnan (output));
}

/* The version 1 schema, written by hand as an old Juxta would have left it. */
static void
make_v1_file (const char *path)
{
  g_autoptr(sqlite3) db = open_raw (path);

  exec_raw (db,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE rounds (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
            " app_version TEXT NOT NULL, system_prompt TEXT, user_prompt TEXT NOT NULL,"
            " parameters TEXT, variant TEXT, variables TEXT, series_id TEXT);"
            "CREATE INDEX rounds_started_at ON rounds (started_at);"
            "CREATE INDEX rounds_series ON rounds (series_id) WHERE series_id IS NOT NULL;"
            "CREATE TABLE panes (round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,"
            " pane_index INTEGER NOT NULL, provider_id TEXT NOT NULL, provider_name TEXT,"
            " model TEXT NOT NULL, PRIMARY KEY (round_id, pane_index)) WITHOUT ROWID;"
            "CREATE INDEX panes_provider_model ON panes (provider_id, model);"
            "CREATE TABLE responses (id INTEGER PRIMARY KEY,"
            " round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,"
            " pane_index INTEGER NOT NULL, run INTEGER, provider_id TEXT, provider_name TEXT,"
            " model TEXT, ended_at TEXT NOT NULL, status TEXT NOT NULL, text TEXT, reasoning TEXT,"
            " text_chars INTEGER, error_code TEXT, error_message TEXT, finish_reason TEXT,"
            " http_status INTEGER, t_queued_us INTEGER, t_start_us INTEGER, t_headers_us INTEGER,"
            " t_first_byte_us INTEGER, t_first_token_us INTEGER, t_last_token_us INTEGER,"
            " t_end_us INTEGER, content_times BLOB, ttft_ms REAL, e2e_ms REAL, itl_mean_ms REAL,"
            " itl_p50_ms REAL, itl_p95_ms REAL, itl_max_ms REAL, decode_tps REAL,"
            " input_tokens INTEGER, cached_input_tokens INTEGER, cache_write_tokens INTEGER,"
            " output_tokens INTEGER, reasoning_tokens INTEGER, billed_input_tokens INTEGER,"
            " billed_output_tokens INTEGER, usage_source TEXT, cost_usd REAL,"
            " cost_from_provider INTEGER NOT NULL DEFAULT 0, retries INTEGER NOT NULL DEFAULT 0,"
            " ratelimit_remaining_requests INTEGER, ratelimit_remaining_tokens INTEGER,"
            " ratelimit_headers TEXT, server_timings TEXT);"
            "CREATE INDEX responses_round ON responses (round_id, pane_index);"
            "CREATE INDEX responses_provider_model ON responses (provider_id, model);"
            "INSERT INTO rounds VALUES (7, '2026-01-02T03:04:05.000000Z', '0.1.0', NULL,"
            " 'An old walrus question', NULL, NULL, NULL, NULL);"
            "INSERT INTO panes VALUES (7, 0, 'groq', 'Groq', 'llama-3.1-8b');"
            "INSERT INTO responses (round_id, pane_index, provider_id, model, ended_at, status,"
            " text, t_start_us, t_first_token_us, t_end_us, ttft_ms, output_tokens, usage_source,"
            " cost_usd) VALUES (7, 0, 'groq', 'llama-3.1-8b', '2026-01-02T03:04:06.000000Z', 'ok',"
            " 'A tusked answer', 0, 80000, 300000, 80.0, 12, 'provider', 0.0001);"
            "PRAGMA user_version = 1;");
}

static void
test_history_migrates_v1 (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = NULL;
  g_autoptr(JxHistoryRound) round = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  JxResponse *r;

  make_v1_file (path);
  history = jx_history_new (path);
  g_assert_true (jx_history_flush (history, &error));
  g_assert_no_error (error);
  g_assert_null (jx_history_dup_warning (history));

  {
    g_autoptr(sqlite3) db = open_raw (path);

    g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 3);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info('responses')"
                                    " WHERE name = 'price_source'"), ==, 1);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info('responses')"
                                    " WHERE name = 't_first_answer_token_us'"), ==, 1);
  }

  round = get_round (history, 7);
  g_assert_cmpstr (round->app_version, ==, "0.1.0");
  g_assert_cmpstr (round->prompt->user_prompt, ==, "An old walrus question");
  g_assert_cmpstr (round->models[0], ==, "groq/llama-3.1-8b");
  r = round->responses->pdata[0];
  g_assert_cmpstr (r->text->str, ==, "A tusked answer");
  g_assert_cmpfloat_with_epsilon (jx_timing_ttft_ms (&r->timing), 80.0, EPS);
  g_assert_cmpint (r->usage.output_tokens, ==, 12);
  g_assert_null (round->price_sources->pdata[0]);

  /* Rows written before full-text search existed are indexed by the migration. */
  found = search (history, "walrus", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = search (history, "tusked", NULL);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
warning_notified_cb (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_history_corrupt_moved_aside (void)
{
  g_autofree char *path = history_path ("history.db");
  const char garbage[] = "this is not an SQLite database, just some bytes left by a bad disk\n";
  g_autoptr(JxHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("fresh start");
  const char *name;
  guint notified = 0;

  g_assert_true (g_file_set_contents (path, garbage, -1, &error));

  history = jx_history_new (path);
  g_signal_connect (history, "notify::warning", G_CALLBACK (warning_notified_cb), &notified);
  g_assert_true (jx_history_flush (history, &error));
  g_assert_no_error (error);

  warning = jx_history_dup_warning (history);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "damaged"));
  g_assert_nonnull (strstr (warning, "history.db.corrupt-"));
  while (notified == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (notified, ==, 1);

  dir = g_dir_open (g_get_user_data_dir (), 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "history.db.corrupt-") && !g_str_has_suffix (name, "-wal"))
      aside = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_assert_nonnull (aside);
  g_assert_true (g_file_get_contents (aside, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, garbage);

  /* The new file works. */
  g_assert_cmpint (begin_round (history, prompt), >, 0);
}

static void
test_history_newer_schema_refused (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("q");
  g_autoptr(GAsyncResult) result = NULL;

  {
    g_autoptr(sqlite3) db = open_raw (path);

    exec_raw (db, "CREATE TABLE future (x); PRAGMA user_version = 99;");
  }

  history = jx_history_new (path);
  g_assert_false (jx_history_flush (history, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  /* Not moved aside: a newer Juxta's history is not damaged. */
  g_assert_null (jx_history_dup_warning (history));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  jx_history_begin_round_async (history, prompt, NULL, store_result_cb, &result);
  g_assert_cmpint (jx_history_begin_round_finish (history, wait_for (&result), &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (jx_history_begin_round (history, prompt, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* The window and `juxta compare` each have their own connection to the same file. */
typedef struct
{
  JxHistory *history;
  gint64     round_id;
  guint      n;
} WriterData;

static gpointer
writer_thread (gpointer data)
{
  WriterData *writer = data;

  for (guint i = 0; i < writer->n; i++)
    {
      g_autoptr(JxResponse) response = full_response ("concurrent", 1000 + i, 0.1);

      jx_history_add_response (writer->history, writer->round_id, 0, response, NULL);
    }
  return NULL;
}

static void
test_history_two_writers (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) window = jx_history_new (path);
  g_autoptr(JxHistory) cli = jx_history_new (path);
  g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("together");
  g_autoptr(GError) error = NULL;
  WriterData a = { window, 0, 300 };
  WriterData b = { cli, 0, 300 };
  GThread *ta, *tb;

  a.round_id = jx_history_begin_round (window, prompt, &error);
  g_assert_no_error (error);
  b.round_id = jx_history_begin_round (cli, prompt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a.round_id, !=, b.round_id);

  ta = g_thread_new ("a", writer_thread, &a);
  tb = g_thread_new ("b", writer_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  g_assert_true (jx_history_flush (window, &error));
  g_assert_true (jx_history_flush (cli, &error));
  g_assert_no_error (error);

  {
    g_autoptr(sqlite3) db = open_raw (path);
    g_autofree char *sql_a = g_strdup_printf ("SELECT count(*) FROM responses WHERE round_id = %"
                                              G_GINT64_FORMAT, a.round_id);

    g_assert_cmpint (query_int (db, "SELECT count(*) FROM responses"), ==, 600);
    g_assert_cmpint (query_int (db, sql_a), ==, 300);
  }
}

/* Killed in the middle of a round: what was added before the kill is there. */
static void
test_history_survives_sigkill (void)
{
  g_autofree char *path = history_path ("history.db");

  if (g_test_subprocess ())
    {
      g_autoptr(JxHistory) history = jx_history_new (g_getenv ("JX_TEST_HISTORY_PATH"));
      g_autoptr(JxHistoryPrompt) prompt = two_pane_prompt ("interrupted round");
      g_autoptr(JxResponse) ok = full_response ("complete answer", 1000, 0.1);
      g_autoptr(JxResponse) failed = failed_response ("partial answ");
      g_autoptr(GError) error = NULL;
      gint64 id = jx_history_begin_round (history, prompt, &error);

      g_assert_no_error (error);
      jx_history_add_response (history, id, 0, ok, NULL);
      jx_history_add_response (history, id, 1, failed, NULL);
      /* Wait for the worker (the window's main loop would keep running), then die with
       * the connection open: no close, no checkpoint. */
      jx_history_flush (history, NULL);
      raise (SIGKILL);
      g_assert_not_reached ();
    }

  g_setenv ("JX_TEST_HISTORY_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  {
    g_autoptr(JxHistory) history = jx_history_new (path);
    g_autoptr(GPtrArray) rounds = list_rounds (history, NULL);
    g_autoptr(JxHistoryRound) round = NULL;
    JxResponse *r;

    g_assert_cmpuint (rounds->len, ==, 1);
    round = get_round (history, ((JxHistoryRound *) rounds->pdata[0])->id);
    g_assert_cmpstr (round->prompt->user_prompt, ==, "interrupted round");
    g_assert_cmpuint (round->responses->len, ==, 2);
    r = round->responses->pdata[0];
    g_assert_cmpstr (r->text->str, ==, "complete answer");
    r = round->responses->pdata[1];
    g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
    g_assert_cmpstr (r->text->str, ==, "partial answ");
  }
}

/* No column can hold a credential. */
static void
test_history_no_credential_columns (void)
{
  g_autofree char *path = history_path ("history.db");
  g_autoptr(JxHistory) history = jx_history_new (path);
  g_autoptr(sqlite3) db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_columns = 0;

  g_assert_true (jx_history_flush (history, NULL));
  db = open_raw (path);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT m.name, p.name FROM sqlite_master m,"
                                       " pragma_table_info(m.name) p WHERE m.type = 'table'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *column = g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 1), -1);

      n_columns++;
      g_assert_null (strstr (column, "key"));
      g_assert_null (strstr (column, "secret"));
      g_assert_null (strstr (column, "auth"));
      g_assert_null (strstr (column, "password"));
      g_assert_null (strstr (column, "credential"));
      g_assert_null (strstr (column, "url"));
      g_assert_cmpstr (column, !=, "headers");
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_columns, >, 40);
}

/* ------------------------------------------------------------------------------------ */
/* Repeated runs: is B really faster than A?                                            */
/* ------------------------------------------------------------------------------------ */

static void
test_compare_constant_samples (void)
{
  const double a[] = { 100, 100, 100 };
  const double b[] = { 50, 50, 50 };
  JxCompareResult result;

  /* Every resample of a constant sample has the same median: the interval is a point. */
  g_assert_true (jx_compare_medians (a, 3, b, 3, 0, JX_COMPARE_DEFAULT_SEED, &result));
  g_assert_cmpfloat_with_epsilon (result.median_a, 100, EPS);
  g_assert_cmpfloat_with_epsilon (result.median_b, 50, EPS);
  g_assert_cmpfloat_with_epsilon (result.difference, -50, EPS);
  g_assert_cmpfloat_with_epsilon (result.ci_low, -50, EPS);
  g_assert_cmpfloat_with_epsilon (result.ci_high, -50, EPS);
  g_assert_cmpint (result.verdict, ==, JX_COMPARE_VERDICT_LOWER);
  g_assert_cmpstr (jx_compare_verdict_to_string (result.verdict), ==, "lower");
}

static void
test_compare_separated_samples (void)
{
  const double a[] = { 104, 100, 103, 101, 102 };
  const double b[] = { 200, 204, 201, 203, 202 };
  JxCompareResult result;
  JxCompareResult again;

  g_assert_true (jx_compare_medians (a, 5, b, 5, 0, JX_COMPARE_DEFAULT_SEED, &result));
  g_assert_cmpfloat_with_epsilon (result.median_a, 102, EPS);
  g_assert_cmpfloat_with_epsilon (result.median_b, 202, EPS);
  g_assert_cmpfloat_with_epsilon (result.difference, 100, EPS);
  /* A resample's median lies within its sample's range: a in [100, 104], b in [200, 204],
   * so every difference is in [96, 104]; the observed one is inside the interval. */
  g_assert_cmpfloat (result.ci_low, >=, 96);
  g_assert_cmpfloat (result.ci_high, <=, 104);
  g_assert_cmpfloat (result.ci_low, <=, 100);
  g_assert_cmpfloat (result.ci_high, >=, 100);
  g_assert_cmpint (result.verdict, ==, JX_COMPARE_VERDICT_HIGHER);

  /* Seeded: the same samples give the same interval. */
  g_assert_true (jx_compare_medians (a, 5, b, 5, 0, JX_COMPARE_DEFAULT_SEED, &again));
  g_assert_cmpfloat (again.ci_low, ==, result.ci_low);
  g_assert_cmpfloat (again.ci_high, ==, result.ci_high);
}

static void
test_compare_within_noise (void)
{
  const double a[] = { 10, 60, 20, 50, 30, 40 };
  const double b[] = { 40, 30, 50, 20, 60, 10 };
  JxCompareResult result;

  g_assert_true (jx_compare_medians (a, 6, b, 6, 500, 7, &result));
  /* Sorted 10 20 30 40 50 60: rank 2.5 → 35. */
  g_assert_cmpfloat_with_epsilon (result.median_a, 35, EPS);
  g_assert_cmpfloat_with_epsilon (result.difference, 0, EPS);
  g_assert_cmpfloat (result.ci_low, <, 0);
  g_assert_cmpfloat (result.ci_high, >, 0);
  g_assert_cmpint (result.verdict, ==, JX_COMPARE_VERDICT_WITHIN_NOISE);
}

static void
test_compare_small_and_nan (void)
{
  const double one[] = { 5 };
  const double two[] = { 1, 2 };
  const double with_nan[] = { NAN, 7, 9 };
  const double four[] = { 4, 1, 3, 2 };
  JxCompareResult result;

  g_assert_false (jx_compare_medians (one, 1, two, 2, 0, 1, &result));
  g_assert_cmpint (result.verdict, ==, JX_COMPARE_VERDICT_UNKNOWN);
  g_assert_cmpfloat_with_epsilon (result.median_a, 5, EPS);
  g_assert_cmpfloat_with_epsilon (result.median_b, 1.5, EPS);
  g_assert_true (isnan (result.ci_low));
  g_assert_true (isnan (result.ci_high));

  /* NAN (a failed run has no TTFT) is left out: 7 9 → 8; 1 2 3 4 → 2.5. */
  g_assert_true (jx_compare_medians (four, 4, with_nan, 3, 0, 1, &result));
  g_assert_cmpfloat_with_epsilon (result.median_a, 2.5, EPS);
  g_assert_cmpfloat_with_epsilon (result.median_b, 8, EPS);
  g_assert_cmpfloat_with_epsilon (result.difference, 5.5, EPS);
  /* a's resampled medians are in [1, 4], b's in [7, 9]: every difference is in [3, 8]. */
  g_assert_cmpfloat (result.ci_low, >=, 3);
  g_assert_cmpfloat (result.ci_high, <=, 8);
  g_assert_cmpint (result.verdict, ==, JX_COMPARE_VERDICT_HIGHER);

  g_assert_false (jx_compare_medians (with_nan, 1, two, 2, 0, 1, &result));
  g_assert_true (isnan (result.median_a));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/juxta/core/history/default-path", test_history_default_path);
  g_test_add_func ("/juxta/core/history/round-trip", test_history_round_trip);
  g_test_add_func ("/juxta/core/history/list-filters", test_history_list_filters);
  g_test_add_func ("/juxta/core/history/fts-query", test_history_fts_query);
  g_test_add_func ("/juxta/core/history/search", test_history_search);
  g_test_add_func ("/juxta/core/history/delete", test_history_delete);
  g_test_add_func ("/juxta/core/history/without-texts", test_history_without_texts);
  g_test_add_func ("/juxta/core/history/median-tokens", test_history_median_tokens);
  g_test_add_func ("/juxta/core/history/migrates-v1", test_history_migrates_v1);
  g_test_add_func ("/juxta/core/history/corrupt-moved-aside", test_history_corrupt_moved_aside);
  g_test_add_func ("/juxta/core/history/newer-schema-refused", test_history_newer_schema_refused);
  g_test_add_func ("/juxta/core/history/two-writers", test_history_two_writers);
  g_test_add_func ("/juxta/core/history/survives-sigkill", test_history_survives_sigkill);
  g_test_add_func ("/juxta/core/history/no-credential-columns", test_history_no_credential_columns);

  g_test_add_func ("/juxta/core/compare-stats/constant", test_compare_constant_samples);
  g_test_add_func ("/juxta/core/compare-stats/separated", test_compare_separated_samples);
  g_test_add_func ("/juxta/core/compare-stats/within-noise", test_compare_within_noise);
  g_test_add_func ("/juxta/core/compare-stats/small-and-nan", test_compare_small_and_nan);

  return g_test_run ();
}
