/* bench-history.c — the history store with 100 000 responses: store, open, list, search
 *
 * Prints figures; asserts only that the answers are right, never a time.
 *   bench-history [n-responses [keep]]   (default 100000, 4 panes per round; "keep" leaves
 *                                         the file for a look with sqlite3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jx-history.h"

#define PANES 4

static const char * const words[] = {
  "latency", "token", "stream", "model", "answer", "prime", "number", "cache", "river",
  "mountain", "quantum", "ledger", "harbour", "violet", "engine", "signal", "lantern",
  "orchard", "kestrel", "basalt", "meadow", "copper", "summit", "thistle", "glacier",
};

static const char * const providers[PANES] = { "openai", "anthropic", "gemini", "mistral" };
static const char * const models[PANES] = { "gpt-4o-mini", "claude-haiku", "gemini-flash",
                                             "mistral-small" };

static char *
random_text (GRand *rand,
             guint  n_words)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  return g_string_free (text, FALSE);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static double
ms_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / 1000.0;
}

static void
time_list (JxHistory            *history,
           const char           *label,
           const JxHistoryQuery *query,
           const char           *search_text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (search_text != NULL)
    {
      jx_history_search_async (history, search_text, query, NULL, store_result_cb, &result);
      rounds = jx_history_search_finish (history, wait_for (&result), &error);
    }
  else
    {
      jx_history_list_rounds_async (history, query, NULL, store_result_cb, &result);
      rounds = jx_history_list_rounds_finish (history, wait_for (&result), &error);
    }
  g_assert_no_error (error);
  g_print ("%-44s %8.2f ms  (%u rounds)\n", label, ms_since (start), rounds->len);
}

int
main (int   argc,
      char *argv[])
{
  guint n_responses = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint n_rounds = MAX (n_responses / PANES, 1);
  g_autofree char *dir = g_dir_make_tmp ("juxta-bench-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(JxHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_round = 0;
  gint64 start;
  double ms;
  GStatBuf st;

  g_assert_nonnull (dir);
  g_print ("history benchmark: %u rounds x %d panes = %u responses, %s\n",
           n_rounds, PANES, n_rounds * PANES, path);

  /* Store: what the main thread pays (queue) and the worker's throughput (flush). */
  history = jx_history_new (path);
  g_assert_true (jx_history_flush (history, &error));
  start = g_get_monotonic_time ();
  {
    double queue_ms = 0;

    for (guint i = 0; i < n_rounds; i++)
      {
        g_autofree char *user = random_text (rand, 20);
        g_autoptr(JxHistoryPrompt) prompt = jx_history_prompt_new ("Be brief.", user);
        gint64 id;

        for (guint p = 0; p < PANES; p++)
          jx_history_prompt_add_pane (prompt, providers[p], NULL, models[p]);
        id = jx_history_begin_round (history, prompt, &error);
        g_assert_no_error (error);
        last_round = id;

        for (guint p = 0; p < PANES; p++)
          {
            g_autoptr(JxResponse) r = jx_response_new ();
            g_autofree char *text = random_text (rand, 60);
            gint64 t0 = 1000000;
            gint64 queued;

            r->provider_id = g_strdup (providers[p]);
            r->model = g_strdup (models[p]);
            r->status = g_rand_int_range (rand, 0, 50) == 0 ? JX_RESPONSE_ERROR : JX_RESPONSE_OK;
            g_string_assign (r->text, text);
            r->timing.t_queued = t0;
            r->timing.t_start = t0 + 100;
            for (guint k = 0; k < 60; k++)
              jx_timing_add_content (&r->timing, t0 + 200000 + g_rand_int_range (rand, 0, 1000) + k * 15000);
            r->timing.t_end = t0 + 200000 + 61 * 15000;
            r->usage.input_tokens = 30;
            r->usage.output_tokens = 60 + p;
            r->usage.source = JX_USAGE_SOURCE_PROVIDER;
            r->cost_usd = 0.0001 * (p + 1);

            queued = g_get_monotonic_time ();
            jx_history_add_response (history, id, p, r, "catalog");
            queue_ms += ms_since (queued);
          }
      }
    g_assert_true (jx_history_flush (history, &error));
    ms = ms_since (start);
    g_print ("%-44s %8.2f us per response on the caller's thread\n", "store: queue add_response",
             queue_ms * 1000.0 / (n_rounds * PANES));
    g_print ("%-44s %8.0f ms total, %.0f responses/s (one transaction each)\n",
             "store: begin_round + add_response, flushed", ms, n_rounds * PANES / (ms / 1000.0));
  }
  g_clear_object (&history);

  if (g_stat (path, &st) == 0)
    g_print ("%-44s %8.1f MB\n", "file size", st.st_size / 1e6);

  /* Open: the integrity check and the schema version read. */
  start = g_get_monotonic_time ();
  history = jx_history_new (path);
  g_assert_true (jx_history_flush (history, &error));
  g_print ("%-44s %8.2f ms\n", "open (quick_check, migrations)", ms_since (start));

  time_list (history, "list: newest 100", NULL, NULL);
  {
    JxHistoryQuery query = { .limit = 100, .offset = 10000 };

    time_list (history, "list: 100 at offset 10000", &query, NULL);
  }
  {
    JxHistoryQuery query = { .provider_id = "mistral", .model = "mistral-small" };

    time_list (history, "list: provider + model", &query, NULL);
  }
  {
    JxHistoryQuery query = { .outcome = JX_HISTORY_OUTCOME_SOME_ERROR };

    time_list (history, "list: rounds with an error", &query, NULL);
  }
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
    JxHistoryQuery query = { .since = hour_ago };

    time_list (history, "list: last hour", &query, NULL);
  }
  time_list (history, "search: one common word", NULL, "kestrel");
  time_list (history, "search: three words", NULL, "kestrel basalt glacier");
  time_list (history, "search: no match", NULL, "xylophone");

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JxHistoryRound) round = NULL;

    start = g_get_monotonic_time ();
    jx_history_get_round_async (history, last_round, NULL, store_result_cb, &result);
    round = jx_history_get_round_finish (history, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (round->responses->len, ==, PANES);
    g_print ("%-44s %8.2f ms\n", "get one round with its responses", ms_since (start));
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    double input, output;
    guint n;

    start = g_get_monotonic_time ();
    jx_history_median_tokens_async (history, "gemini", "gemini-flash", 200, NULL,
                                    store_result_cb, &result);
    g_assert_true (jx_history_median_tokens_finish (history, wait_for (&result), &input, &output,
                                                    &n, &error));
    g_assert_cmpfloat (output, ==, 62);
    g_print ("%-44s %8.2f ms\n", "median tokens of one model (200 samples)", ms_since (start));
  }
  if (argc <= 2)
    {
      g_autoptr(GAsyncResult) result = NULL;

      start = g_get_monotonic_time ();
      jx_history_delete_all_async (history, NULL, store_result_cb, &result);
      g_assert_cmpint (jx_history_delete_finish (history, wait_for (&result), &error), ==, n_rounds);
      g_print ("%-44s %8.2f ms\n", "delete all", ms_since (start));
    }
  g_clear_object (&history);

  if (argc > 2 && g_str_equal (argv[2], "keep"))
    return 0;

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return 0;
}
