/* test-cli-history.c — `juxta history` and the rounds `juxta compare` stores: real
 * processes against a fake provider, with their own $XDG_DATA_HOME
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "jx-test-util.h"

typedef struct
{
  JxFakeServer *server;
  char         *dir;
  char         *providers_file;
} Fixture;

/* The fixture's folder: every juxta started by a test keeps its history there. */
static const char *data_home;

static const char *stream_body[] = {
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there, \\\"friend\\\"\"}}]}\n\n",
  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n\n",
  "data: [DONE]\n\n",
};

static void
queue_streams (Fixture *f,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");

      for (guint j = 0; j < G_N_ELEMENTS (stream_body); j++)
        jx_fake_response_add (r, j == 1 ? 30 : 2, stream_body[j], -1);
      jx_fake_server_add (f->server, "POST", "/v1/chat/completions", r);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  f->server = jx_fake_server_new ();
  f->dir = g_dir_make_tmp ("juxta-cli-history-XXXXXX", &error);
  g_assert_no_error (error);
  f->providers_file = g_build_filename (f->dir, "providers.json", NULL);
  data_home = f->dir;
  json = g_strdup_printf ("{\"providers\":[\n"
                          "  {\"id\":\"local\",\"name\":\"Local vLLM\",\"protocol\":\"openai\",\n"
                          "   \"base_url\":\"%s/v1\",\"api_key_env\":\"JX_CLI_TEST_KEY\",\n"
                          "   \"models\":[{\"id\":\"m\",\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2.0}]},\n"
                          "  {\"id\":\"broken\",\"protocol\":\"openai\",\"base_url\":\"%s/broken/v1\"},\n"
                          "  {\"id\":\"slow\",\"protocol\":\"openai\",\"base_url\":\"%s/slow/v1\",\n"
                          "   \"models\":[{\"id\":\"a-very-long-model-identifier-that-does-not-fit-in-24-columns-at-all\"}]}\n"
                          "]}\n",
                          jx_fake_server_get_url (f->server), jx_fake_server_get_url (f->server),
                          jx_fake_server_get_url (f->server));
  g_file_set_contents (f->providers_file, json, -1, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->providers_file);
  g_free (f->dir);
  jx_fake_server_free (f->server);
}

/* Starts juxta with @args; @env is NAME=VALUE pairs added to the environment. Never with
 * a display: no command-line path may need one. */
static GSubprocess *
spawn_juxta (const char * const *args,
             const char * const *env)
{
  g_autofree char *juxta = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "juxta", NULL);
  g_autoptr(GStrvBuilder) argv_builder = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  GSubprocess *process;

  g_strv_builder_add (argv_builder, juxta);
  g_strv_builder_addv (argv_builder, (const char **) args);
  argv = g_strv_builder_end (argv_builder);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_setenv (launcher, "JX_CLI_TEST_KEY", "cli-secret", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "COLUMNS");
  /* The history goes to $XDG_DATA_HOME/juxta/history.db, in the test's own folder. */
  g_subprocess_launcher_unsetenv (launcher, "JUXTA_HISTORY_FILE");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  return process;
}

/* Waits for @process; its standard output and error must be valid UTF-8 whatever the
 * locale. */
static int
communicate (GSubprocess *process,
             const char  *stdin_text,
             char       **out,
             char       **err)
{
  g_autoptr(GBytes) in = g_bytes_new (stdin_text, stdin_text != NULL ? strlen (stdin_text) : 0);
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate (process, in, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  /* An empty GBytes may have NULL data. */
  *out = g_strndup (g_bytes_get_size (out_bytes) > 0 ? g_bytes_get_data (out_bytes, NULL) : "",
                    g_bytes_get_size (out_bytes));
  *err = g_strndup (g_bytes_get_size (err_bytes) > 0 ? g_bytes_get_data (err_bytes, NULL) : "",
                    g_bytes_get_size (err_bytes));
  g_assert_cmpuint (strlen (*out), ==, g_bytes_get_size (out_bytes));
  g_assert_true (g_utf8_validate (*out, -1, NULL));
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static int
run_juxta_env (const char * const *args,
               const char * const *env,
               const char         *stdin_text,
               char              **out,
               char              **err)
{
  g_autoptr(GSubprocess) process = spawn_juxta (args, env);

  return communicate (process, stdin_text, out, err);
}

static int
run_juxta (const char * const *args,
           const char         *stdin_text,
           char              **out,
           char              **err)
{
  return run_juxta_env (args, NULL, stdin_text, out, err);
}

static GPtrArray *
parse_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (*lines[i] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
sleep_ms (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_cb, loop);
  g_main_loop_run (loop);
}

/* Only the records of @type. */
static GPtrArray *
records_of (GPtrArray  *objects,
            const char *type)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < objects->len; i++)
    if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (objects, i), "type"), type) == 0)
      g_ptr_array_add (records, json_object_ref (g_ptr_array_index (objects, i)));
  return records;
}

static GPtrArray *
history_json (const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_strv_builder_add_many (builder, "history", "list", "--format", "json", NULL);
  if (extra != NULL)
    g_strv_builder_addv (builder, (const char **) extra);
  args = g_strv_builder_end (builder);
  g_assert_cmpint (run_juxta ((const char * const *) args, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return parse_lines (out);
}

/* Two compare rounds, then `history list --format json`: both rounds, and each response
 * with every key and value compare printed, except what cannot match (request_id is not
 * stored; started_at is the round's). */
static void
test_list_matches_compare (Fixture       *f,
                           gconstpointer  data)
{
  const char *args1[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-p", "broken:x",
                          "--format", "json", "--max-tokens", "32", "First question", NULL };
  const char *args2[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                          "--format", "json", "--temperature", "0.5", "Second question", NULL };
  g_autoptr(GPtrArray) printed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  char *out = NULL, *err = NULL;

  queue_streams (f, 2);
  jx_fake_server_add (f->server, "POST", "/broken/v1/chat/completions",
                      jx_fake_response_new_json (401, "{\"error\":{\"message\":\"bad key\"}}"));
  g_assert_cmpint (run_juxta (args1, NULL, &out, &err), ==, 1);
  {
    g_autoptr(GPtrArray) objects = parse_lines (out);
    g_autoptr(GPtrArray) r = records_of (objects, "response");

    g_ptr_array_extend_and_steal (printed, g_steal_pointer (&r));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (args2, NULL, &out, &err), ==, 0);
  {
    g_autoptr(GPtrArray) objects = parse_lines (out);
    g_autoptr(GPtrArray) r = records_of (objects, "response");

    g_ptr_array_extend_and_steal (printed, g_steal_pointer (&r));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpuint (printed->len, ==, 3);

  listed = history_json (NULL);
  rounds = records_of (listed, "round");
  responses = records_of (listed, "response");
  g_assert_cmpuint (rounds->len, ==, 2);
  g_assert_cmpuint (responses->len, ==, 3);
  /* Oldest first, as compare printed them. */
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rounds, 0), "prompt"), ==, "First question");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rounds, 1), "prompt"), ==, "Second question");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rounds, 0), "errors"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rounds, 1), "errors"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rounds, 1), "models"), ==, "local/m");
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (rounds, 1), "parameters"), "0.5"));

  for (guint i = 0; i < printed->len; i++)
    {
      JsonObject *p = g_ptr_array_index (printed, i);
      JsonObject *h = g_ptr_array_index (responses, i);
      g_autoptr(GList) members = json_object_get_members (p);
      guint compared = 0;

      for (GList *m = members; m != NULL; m = m->next)
        {
          const char *key = m->data;
          g_autofree char *want = NULL, *got = NULL;

          if (g_str_equal (key, "request_id") || g_str_equal (key, "started_at"))
            continue;
          g_assert_true (json_object_has_member (h, key));
          want = json_to_string (json_object_get_member (p, key), FALSE);
          got = json_to_string (json_object_get_member (h, key), FALSE);
          if (g_strcmp0 (want, got) != 0)
            g_error ("response %u, %s: compare printed %s, history has %s", i, key, want, got);
          compared++;
        }
      g_assert_cmpuint (compared, >=, 20);
      g_assert_true (g_date_time_new_from_iso8601 (json_object_get_string_member (h, "started_at"), NULL) != NULL);
      g_assert_cmpint (json_object_get_int_member (h, "round_id"), ==,
                       json_object_get_int_member (g_ptr_array_index (rounds, i < 2 ? 0 : 1), "round_id"));
    }
  /* The failed answer kept its error. */
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (responses, 1), "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (responses, 1), "error_code"), ==, "auth");
}

/* --no-history stores nothing; the demo stores nothing either. */
static void
test_no_history (Fixture       *f,
                 gconstpointer  data)
{
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "--no-history",
                         "--format", "json", "hi", NULL };
  const char *demo[] = { "demo", "--max-tokens", "5", "--format", "json", NULL };
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *db = g_build_filename (data_home, "juxta", "history.db", NULL);
  char *out = NULL, *err = NULL;

  queue_streams (f, 1);
  g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Hi there"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_juxta (demo, NULL, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  listed = history_json (NULL);
  g_assert_cmpuint (listed->len, ==, 0);
}

/* SIGKILL in the middle of a round: the answer that had ended is stored. */
static void
test_kill_keeps_finished (Fixture       *f,
                          gconstpointer  data)
{
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-p", "slow",
                         "--format", "json", "Race", NULL };
  JxFakeResponse *slow = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autofree char *round_id = NULL;
  char *out = NULL, *err = NULL;

  queue_streams (f, 1);
  jx_fake_response_add (slow, 2, stream_body[0], -1);
  jx_fake_response_add (slow, 30000, stream_body[1], -1);
  jx_fake_server_add (f->server, "POST", "/slow/v1/chat/completions", slow);

  process = spawn_juxta (args, NULL);
  /* Wait until the fast answer is in the store, while the slow one still streams. */
  for (guint waited = 0;; waited += 100)
    {
      g_autoptr(GPtrArray) objects = NULL;

      g_assert_cmpuint (waited, <, 20000);
      sleep_ms (100);
      objects = history_json (NULL);
      responses = records_of (objects, "response");
      if (responses->len > 0)
        break;
      g_clear_pointer (&responses, g_ptr_array_unref);
    }
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);

  listed = history_json (NULL);
  g_assert_cmpuint (listed->len, ==, 2);
  round_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                              json_object_get_int_member (g_ptr_array_index (listed, 0), "round_id"));
  {
    const char *show[] = { "history", "show", round_id, "--format", "json", NULL };

    g_assert_cmpint (run_juxta (show, NULL, &out, &err), ==, 0);
    shown = parse_lines (out);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpuint (shown->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (shown, 1), "provider"), ==, "local");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (shown, 1), "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (shown, 1), "text"), ==, "Hi there, \"friend\"");
  {
    const char *show[] = { "history", "show", round_id, NULL };

    g_assert_cmpint (run_juxta (show, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "Race"));
    g_assert_nonnull (strstr (out, "Hi there"));
    g_assert_nonnull (strstr (out, "local:m"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
}

/* SIGINT in the middle of a round: the finished answer and the stopped one, with its
 * partial text, are stored before the process exits. */
static void
test_interrupt_stores_partial (Fixture       *f,
                               gconstpointer  data)
{
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-p", "slow",
                         "--format", "json", "Race", NULL };
  JxFakeResponse *slow = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  char *out = NULL, *err = NULL;

  queue_streams (f, 1);
  jx_fake_response_add (slow, 2, stream_body[0], -1);
  jx_fake_response_add (slow, 2, stream_body[1], -1);
  jx_fake_response_add (slow, 30000, stream_body[2], -1);
  jx_fake_server_add (f->server, "POST", "/slow/v1/chat/completions", slow);

  process = spawn_juxta (args, NULL);
  for (guint waited = 0;; waited += 100)
    {
      g_autoptr(GPtrArray) objects = NULL;
      g_autoptr(GPtrArray) r = NULL;

      g_assert_cmpuint (waited, <, 20000);
      sleep_ms (100);
      objects = history_json (NULL);
      r = records_of (objects, "response");
      if (r->len > 0)
        break;
    }
  /* The slow answer's first words are in. */
  sleep_ms (300);
  g_subprocess_send_signal (process, SIGINT);
  g_assert_cmpint (communicate (process, NULL, &out, &err), ==, 130);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  listed = history_json (NULL);
  responses = records_of (listed, "response");
  g_assert_cmpuint (responses->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (responses, 0), "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (responses, 1), "provider"), ==, "slow");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (responses, 1), "status"), ==, "cancelled");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (responses, 1), "text"), ==, "Hi");
}

/* Filters, export to CSV, JSON Lines and Markdown (read back by pandas when it is there),
 * and delete. */
static void
test_filters_export_delete (Fixture       *f,
                            gconstpointer  data)
{
  const char *ok[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                       "--runs", "2", "--format", "csv", "Tell me about otters", NULL };
  const char *bad[] = { "compare", "--providers-file", f->providers_file, "-p", "broken:x",
                        "Tell me about badgers", NULL };
  g_autofree char *csv = g_build_filename (data_home, "export.csv", NULL);
  g_autofree char *jsonl = g_build_filename (data_home, "export.jsonl", NULL);
  g_autofree char *md = g_build_filename (data_home, "export.md", NULL);
  g_autofree char *series = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  char *out = NULL, *err = NULL;

  queue_streams (f, 2);
  jx_fake_server_add (f->server, "POST", "/broken/v1/chat/completions",
                      jx_fake_response_new_json (500, "{\"error\":{\"message\":\"boom\"}}"));
  g_assert_cmpint (run_juxta (ok, NULL, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (bad, NULL, &out, &err), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Filters. */
  {
    const char *outcome_error[] = { "--outcome", "error", NULL };
    const char *outcome_ok[] = { "--outcome", "ok", NULL };
    const char *provider[] = { "--provider", "broken", NULL };
    const char *search[] = { "--search", "otters", NULL };
    const char *limit[] = { "--limit", "1", NULL };
    const char *since[] = { "--since", "2999-01-01", NULL };
    g_autoptr(GPtrArray) a = history_json (outcome_error);
    g_autoptr(GPtrArray) b = history_json (outcome_ok);
    g_autoptr(GPtrArray) c = history_json (provider);
    g_autoptr(GPtrArray) d = history_json (search);
    g_autoptr(GPtrArray) e = history_json (limit);
    g_autoptr(GPtrArray) s = history_json (since);
    g_autoptr(GPtrArray) a_rounds = records_of (a, "round");
    g_autoptr(GPtrArray) b_rounds = records_of (b, "round");
    g_autoptr(GPtrArray) c_rounds = records_of (c, "round");
    g_autoptr(GPtrArray) d_rounds = records_of (d, "round");
    g_autoptr(GPtrArray) e_rounds = records_of (e, "round");

    g_assert_cmpuint (a_rounds->len, ==, 1);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (a_rounds, 0), "prompt"), ==, "Tell me about badgers");
    g_assert_cmpuint (b_rounds->len, ==, 2);
    g_assert_cmpuint (c_rounds->len, ==, 1);
    g_assert_cmpuint (d_rounds->len, ==, 2);
    g_assert_cmpuint (e_rounds->len, ==, 1);
    g_assert_cmpuint (s->len, ==, 0);
    /* The two runs of one command are a series. */
    g_assert_false (json_object_get_null_member (g_ptr_array_index (d_rounds, 0), "series_id"));
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (d_rounds, 0), "series_id"), ==,
                     json_object_get_string_member (g_ptr_array_index (d_rounds, 1), "series_id"));
    series = g_strdup (json_object_get_string_member (g_ptr_array_index (d_rounds, 0), "series_id"));
  }

  /* The table lists every round, newest first. */
  {
    const char *list[] = { "history", "list", NULL };

    g_assert_cmpint (run_juxta (list, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "badgers"));
    g_assert_cmpint (strstr (out, "badgers") - out, <, strstr (out, "otters") - out);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Exports. */
  {
    const char *to_csv[] = { "history", "export", "--series", series, "--format", "csv", "-o", csv, NULL };
    const char *to_json[] = { "history", "export", "--search", "otters badgers", "--format", "json", "-o", jsonl, NULL };
    const char *to_all_json[] = { "history", "export", "--search", "tell", "--format", "json", "-o", jsonl, NULL };
    const char *to_md[] = { "history", "export", "--search", "otters", "--format", "markdown", "-o", md, NULL };
    g_autoptr(GPtrArray) objects = NULL;

    g_assert_cmpint (run_juxta (to_csv, NULL, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "round_id,pane,request_id,started_at,provider,model,run,status,text,"));
    g_assert_nonnull (strstr (contents, "\"Hi there, \"\"friend\"\"\""));
    g_assert_nonnull (strstr (contents, "\r\n"));
    g_clear_pointer (&contents, g_free);

    /* Every word must appear: no round has both. */
    g_assert_cmpint (run_juxta (to_json, NULL, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_file_get_contents (jsonl, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "");
    g_clear_pointer (&contents, g_free);
    g_assert_cmpint (run_juxta (to_all_json, NULL, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_file_get_contents (jsonl, &contents, NULL, NULL));
    objects = parse_lines (contents);
    g_clear_pointer (&contents, g_free);
    g_assert_cmpuint (objects->len, ==, 6);

    g_assert_cmpint (run_juxta (to_md, NULL, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_file_get_contents (md, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "> Tell me about otters"));
    g_assert_nonnull (strstr (contents, "| Provider:model | status | TTFT ms |"));
    g_assert_nonnull (strstr (contents, "| local:m | ok |"));
    g_assert_nonnull (strstr (contents, "### local:m\n\n> Hi there, \"friend\"\n"));
    g_clear_pointer (&contents, g_free);
  }

  /* pandas reads both exports: Debian's python3, where python3-pandas installs (a missing
   * module fails the test, as in test-cli-pandas.py). */
  {
    const char *script =
      "import sys\n"
      "import pandas\n"
      "j = pandas.read_json(sys.argv[1], lines=True)\n"
      "assert set(j['type']) == {'round', 'response'}, j['type']\n"
      "r = j[j['type'] == 'response']\n"
      "assert len(r) == 3 and r['ttft_ms'].notna().sum() == 2, r\n"
      "assert pandas.api.types.is_float_dtype(r['ttft_ms'])\n"
      "c = pandas.read_csv(sys.argv[2])\n"
      "assert len(c) == 2 and list(c['run']) == [1, 2], c\n"
      "assert (c['text'] == 'Hi there, \"friend\"').all(), c['text']\n"
      "assert (c['ttft_ms'] > 0).all()\n"
      "print('pandas ok')\n";
    const char *argv[] = { "/usr/bin/python3", "-c", script, jsonl, csv, NULL };
    g_autoptr(GError) error = NULL;
    g_autofree char *py_out = NULL, *py_err = NULL;
    int status;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &py_out, &py_err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("pandas: %s%s", py_out, py_err);
    g_test_message ("%s", py_out);
  }

  /* Usage errors. */
  {
    const char *no_format[] = { "history", "export", "1", NULL };
    const char *two[] = { "history", "export", "1", "--series", "x", "--format", "csv", NULL };
    const char *all[] = { "history", "delete", "--all", NULL };
    const char *bad_id[] = { "history", "show", "abc", NULL };
    const char *bad_outcome[] = { "history", "list", "--outcome", "maybe", NULL };
    const char *bad_since[] = { "history", "list", "--since", "yesterday", NULL };
    const char *unknown[] = { "history", "frobnicate", NULL };
    const char * const *cases[] = { no_format, two, all, bad_id, bad_outcome, bad_since, unknown };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_assert_cmpint (run_juxta (cases[i], NULL, &out, &err), ==, 2);
        g_assert_nonnull (strstr (err, "juxta history"));
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
  }

  /* Delete one round, then every round. */
  listed = history_json (NULL);
  rounds = records_of (listed, "round");
  g_assert_cmpuint (rounds->len, ==, 3);
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                           json_object_get_int_member (g_ptr_array_index (rounds, 2), "round_id"));
    const char *del[] = { "history", "delete", id, NULL };
    const char *show[] = { "history", "show", id, NULL };
    const char *all[] = { "history", "delete", "--all", "--yes", NULL };
    g_autoptr(GPtrArray) after = NULL;
    g_autoptr(GPtrArray) after_rounds = NULL;

    g_assert_cmpint (run_juxta (del, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "1"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_juxta (del, NULL, &out, &err), ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_juxta (show, NULL, &out, &err), ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    after = history_json (NULL);
    after_rounds = records_of (after, "round");
    g_assert_cmpuint (after_rounds->len, ==, 2);

    g_assert_cmpint (run_juxta (all, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "2"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&after, g_ptr_array_unref);
    after = history_json (NULL);
    g_assert_cmpuint (after->len, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/juxta/cli/history/list-matches-compare", test_list_matches_compare);
  ADD ("/juxta/cli/history/no-history", test_no_history);
  ADD ("/juxta/cli/history/kill-keeps-finished", test_kill_keeps_finished);
  ADD ("/juxta/cli/history/interrupt-stores-partial", test_interrupt_stores_partial);
  ADD ("/juxta/cli/history/filters-export-delete", test_filters_export_delete);
#undef ADD

  return g_test_run ();
}
