/* test-cli.c — `juxta compare` as a user runs it: a real process against a fake provider
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
  f->dir = g_dir_make_tmp ("juxta-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->providers_file = g_build_filename (f->dir, "providers.json", NULL);
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
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_unlink (f->providers_file);
  g_rmdir (f->dir);
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

/* With @data_home set, the child reads its prices.json from there. */
static int
run_juxta_in (const char * const *args,
              const char         *data_home,
              const char         *stdin_text,
              char              **out,
              char              **err)
{
  g_autofree char *xdg = data_home != NULL ? g_strconcat ("XDG_DATA_HOME=", data_home, NULL) : NULL;
  const char *env[] = { xdg, NULL };

  return run_juxta_env (args, env, stdin_text, out, err);
}

static int
run_juxta (const char * const *args,
           const char         *stdin_text,
           char              **out,
           char              **err)
{
  return run_juxta_in (args, NULL, stdin_text, out, err);
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

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-p", "local",
                         "--format", "json", "--max-tokens", "32", "Say hi", NULL };
  g_autofree char *auth = NULL;
  gint64 before = g_get_real_time ();
  JsonObject *o;

  queue_streams (f, 2);
  g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 0);
  objects = parse_lines (out);
  g_assert_cmpuint (objects->len, ==, 4);

  for (guint i = 0; i < 2; i++)
    {
      o = g_ptr_array_index (objects, i);
      g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "response");
      g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "local");
      g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "m");
      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "ok");
      g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "Hi there, \"friend\"");
      g_assert_true (json_object_get_null_member (o, "error"));
      g_assert_true (json_object_get_null_member (o, "error_code"));
      g_assert_cmpint (json_object_get_int_member (o, "http_status"), ==, 200);
      g_assert_cmpint (json_object_get_int_member (o, "input_tokens"), ==, 10);
      g_assert_cmpint (json_object_get_int_member (o, "output_tokens"), ==, 5);
      g_assert_cmpstr (json_object_get_string_member (o, "usage_source"), ==, "provider");
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "cost_usd"), (10 * 1.0 + 5 * 2.0) / 1e6, 1e-12);
      g_assert_cmpfloat (json_object_get_double_member (o, "ttft_ms"), >=, 30.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "e2e_ms"), >=, json_object_get_double_member (o, "ttft_ms"));
      g_assert_cmpint (json_object_get_int_member (o, "retries"), ==, 0);
      g_assert_true (json_object_has_member (o, "itl_ms_p95"));
      /* No reasoning: the first answer token is the first token. No finish_reason in the
       * stream, [DONE] only: a complete answer of unknown finish. */
      g_assert_cmpfloat (json_object_get_double_member (o, "ttfat_ms"), ==, json_object_get_double_member (o, "ttft_ms"));
      g_assert_cmpstr (json_object_get_string_member (o, "decode_basis"), ==, "all");
      g_assert_cmpstr (json_object_get_string_member (o, "finish_reason"), ==, "unknown");
      g_assert_true (json_object_get_null_member (o, "finish_reason_raw"));
      /* Two reads of text: too fast to measure, null rather than a number. */
      g_assert_true (json_object_get_null_member (o, "decode_tokens_per_s"));
      g_assert_true (json_object_get_null_member (o, "itl_ms_mean"));
      g_assert_true (json_object_has_member (o, "ratelimit_remaining_tokens"));
      /* Every response record is flat and says which request and when. */
      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (o, "request_id")));
      {
        g_autoptr(GDateTime) started = g_date_time_new_from_iso8601 (json_object_get_string_member (o, "started_at"), NULL);

        g_assert_nonnull (started);
        g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "started_at"), "Z"));
        g_assert_cmpint (g_date_time_to_unix (started), >=, before / G_USEC_PER_SEC - 1);
        g_assert_cmpint (g_date_time_to_unix (started), <=, g_get_real_time () / G_USEC_PER_SEC + 1);
      }
      {
        g_autoptr(GList) members = json_object_get_members (o);

        for (GList *m = members; m != NULL; m = m->next)
          g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (o, m->data)) ||
                         JSON_NODE_HOLDS_NULL (json_object_get_member (o, m->data)));
      }
    }
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (objects, 0), "request_id"), !=,
                   json_object_get_string_member (g_ptr_array_index (objects, 1), "request_id"));

  o = g_ptr_array_index (objects, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "summary");
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "ok"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "errors"), ==, 0);
  /* Summary figures are flat too, named apart from the response's own ttft_ms. */
  g_assert_cmpfloat (json_object_get_double_member (o, "ttft_ms_p50"), >=, 30.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "ttft_ms_p99"), >=, 30.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "e2e_ms_p95"), >=, 30.0);
  g_assert_true (json_object_has_member (o, "decode_tokens_per_s_p50"));
  g_assert_false (json_object_has_member (o, "ttft_ms"));

  auth = jx_fake_server_get_last_header (f->server, "/v1/chat/completions", "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer cli-secret");
  /* The key is never echoed. */
  g_assert_null (strstr (out, "cli-secret"));
  g_assert_null (strstr (err, "cli-secret"));
}

static void
test_runs_and_stdin (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                         "--runs", "3", "--format", "json", "-", NULL };
  JsonObject *summary;

  queue_streams (f, 3);
  g_assert_cmpint (run_juxta (args, "prompt from stdin", &out, &err), ==, 0);
  objects = parse_lines (out);
  g_assert_cmpuint (objects->len, ==, 4);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (objects, i), "run"), ==, i + 1);
  summary = g_ptr_array_index (objects, 3);
  g_assert_cmpint (json_object_get_int_member (summary, "runs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (summary, "ok"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (summary, "cost_usd_total"), 3 * 20.0 / 1e6, 1e-12);

  body = jx_fake_server_get_last_body (f->server, "/v1/chat/completions");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "prompt from stdin"));
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                         "--format", "csv", "hi", NULL };

  queue_streams (f, 1);
  g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 0);
  lines = g_strsplit (out, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "request_id,started_at,provider,model,run,status,text,error,error_code,http_status,ttft_ms,e2e_ms,"
                                 "itl_ms_mean,itl_ms_p95,itl_ms_max,decode_tokens_per_s,input_tokens,"
                                 "cached_input_tokens,output_tokens,reasoning_tokens,usage_source,cost_usd,"
                                 "retries,ratelimit_remaining_requests,ratelimit_remaining_tokens,"
                                 "ttfat_ms,decode_basis,finish_reason,finish_reason_raw");
  /* RFC 4180 quoting of the answer's own quotes. */
  g_assert_nonnull (strstr (lines[1], "Z\",\"local\",\"m\",1,\"ok\",\"Hi there, \"\"friend\"\"\",,,200,"));
  g_assert_cmpstr (lines[2], ==, "");
}

/* How each answer ended, in every format: a max-tokens cut and a refusal (OpenAI
 * delta.refusal, finish_reason "stop"). They are left out of the percentiles. */
static const char *length_body[] = {
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once upon\"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}\n\n",
  "data: [DONE]\n\n",
};
static const char *refusal_body[] = {
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"refusal\":\"\"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can't help\"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\" with that.\"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4}}\n\n",
  "data: [DONE]\n\n",
};

static void
queue_body (Fixture            *f,
            const char * const *body,
            gsize               n)
{
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");

  for (gsize j = 0; j < n; j++)
    jx_fake_response_add (r, 2, body[j], -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", r);
}

static void
test_finish_reasons (Fixture       *f,
                     gconstpointer  data)
{
  const char *formats[] = { "json", "csv", "table" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                             "--format", formats[i], "hi", NULL };

      queue_body (f, length_body, G_N_ELEMENTS (length_body));
      g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 0);
      if (i == 0)
        {
          g_autoptr(GPtrArray) objects = parse_lines (out);
          JsonObject *o = g_ptr_array_index (objects, 0);
          JsonObject *summary = g_ptr_array_index (objects, 1);

          g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "Once upon");
          g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "ok");
          g_assert_cmpstr (json_object_get_string_member (o, "finish_reason"), ==, "length");
          g_assert_cmpstr (json_object_get_string_member (o, "finish_reason_raw"), ==, "length");
          g_assert_cmpint (json_object_get_int_member (summary, "complete"), ==, 0);
          g_assert_cmpint (json_object_get_int_member (summary, "left_out_length"), ==, 1);
          g_assert_cmpint (json_object_get_int_member (summary, "left_out_refusal"), ==, 0);
          g_assert_true (json_object_get_null_member (summary, "ttft_ms_p50"));
        }
      else if (i == 1)
        g_assert_nonnull (strstr (out, ",\"length\",\"length\"\r\n"));
      else
        {
          g_assert_nonnull (strstr (out, "⚑ finish: length (length)\n"));
          g_assert_nonnull (strstr (out, "⚑ local:m: 1 left out: 1 cut at max tokens\n"));
        }
    }

  {
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GPtrArray) objects = NULL;
    JsonObject *o;
    const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                           "--format", "json", "hi", NULL };

    queue_body (f, refusal_body, G_N_ELEMENTS (refusal_body));
    g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 0);
    objects = parse_lines (out);
    o = g_ptr_array_index (objects, 0);
    /* The refusal is the answer, marked as one. */
    g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "I can't help with that.");
    g_assert_cmpstr (json_object_get_string_member (o, "finish_reason"), ==, "refusal");
    g_assert_cmpstr (json_object_get_string_member (o, "finish_reason_raw"), ==, "stop");
  }
}

static void
test_table_and_failure (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-p", "broken:x",
                         "hi", NULL };

  queue_streams (f, 1);
  /* One pane fails (unknown route → 404): exit 1, the other pane still reports. */
  g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "Hi there, \"friend\""));
  g_assert_nonnull (strstr (out, "TTFT"));
  g_assert_nonnull (strstr (out, "local:m"));
  g_assert_nonnull (strstr (out, "broken does not know model “x” or this endpoint (404)"));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "local:m") != NULL && strstr (lines[i], "ms") != NULL)
      g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 80);
}

/* A failed pane's JSON carries the error's stable code next to its message. */
static void
test_json_failure (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "broken:x",
                         "--format", "json", "hi", NULL };
  JsonObject *o;

  g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 1);
  objects = parse_lines (out);
  g_assert_cmpuint (objects->len, >=, 1);
  o = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "response");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (o, "error_code"), ==, "not_found");
  g_assert_nonnull (strstr (json_object_get_string_member (o, "error"), "broken"));
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *bad_file = g_build_filename (f->dir, "bad.json", NULL);
  const char *no_panes[] = { "compare", "hi", NULL };
  const char *unknown[] = { "compare", "-p", "nosuch:m", "hi", NULL };
  const char *bad_format[] = { "compare", "-p", "local", "--format", "xml", "hi", NULL };
  const char *bad_providers[] = { "compare", "--providers-file", bad_file, "-p", "x", "hi", NULL };
  char *out = NULL, *err = NULL;

  g_assert_cmpint (run_juxta (no_panes, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "no panes"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_juxta (unknown, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "unknown provider “nosuch”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_juxta (bad_format, NULL, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_file_set_contents (bad_file, "{\"providers\":[\n {\"id\":\"x\",\n  \"protocol\":\"opnai\",\"base_url\":\"http://h/v1\"}]}", -1, NULL);
  g_assert_cmpint (run_juxta (bad_providers, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "bad.json:3: field “protocol”: unknown protocol “opnai”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_unlink (bad_file);
}

/* prices.json overrides reach `compare` as they reach `plan`: sim-fast at 100 $/M both ways. */
static void
test_prices_override (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *data_home = g_build_filename (f->dir, "data", NULL);
  g_autofree char *juxta_dir = g_build_filename (data_home, "juxta", NULL);
  g_autofree char *prices = g_build_filename (juxta_dir, "prices.json", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[] = { "compare", "-p", "simulated:sim-fast", "--max-tokens", "20",
                         "--format", "json", "hi", NULL };
  JsonObject *o;
  gint64 in, out_tokens;

  g_assert_cmpint (g_mkdir_with_parents (juxta_dir, 0700), ==, 0);
  g_file_set_contents (prices,
                       "{\"providers\":[{\"id\":\"simulated\",\"models\":[{\"id\":\"sim-fast\","
                       "\"input_per_mtok\":100,\"output_per_mtok\":100}]}]}\n", -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_juxta_in (args, data_home, NULL, &out, &err), ==, 0);
  objects = parse_lines (out);
  g_assert_cmpuint (objects->len, ==, 2);
  o = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "ok");
  in = json_object_get_int_member (o, "input_tokens");
  out_tokens = json_object_get_int_member (o, "output_tokens");
  g_assert_cmpint (in + out_tokens, >, 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "cost_usd"),
                                  (in + out_tokens) * 100.0 / 1e6, 1e-9);

  g_unlink (prices);
  g_rmdir (juxta_dir);
  g_rmdir (data_home);
}

/* The most significant digits of any number token in @json (strings skipped). */
static guint
max_significant_digits (const char *json)
{
  guint max = 0;

  for (const char *p = json; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          for (p++; *p != '\0' && *p != '"'; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '\0')
            break;
          continue;
        }
      if (*p == '-' || g_ascii_isdigit (*p))
        {
          guint digits = 0;
          gboolean leading = TRUE;

          if (*p == '-')
            p++;
          for (; g_ascii_isdigit (*p) || *p == '.'; p++)
            {
              if (*p == '.' || (leading && *p == '0'))
                continue;
              leading = FALSE;
              digits++;
            }
          g_assert_false (*p == 'e' || *p == 'E');  /* no exponents either */
          max = MAX (max, digits);
          p--;
        }
    }

  return max;
}

/* json-glib prints 0.3 as 0.29999999999999999: every float is short in plan and compare. */
static void
test_short_doubles (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *plan_out = NULL, *plan_err = NULL;
  g_autofree char *csv_out = NULL, *csv_err = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  const char *compare[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                            "--runs", "2", "--format", "json", "hi", NULL };
  const char *plan[] = { "plan", "--requests-per-day", "333.3", "--input-tokens", "1234",
                         "--output-tokens", "567", "--cached-share", "0.3", "--format", "json", NULL };
  const char *plan_csv[] = { "plan", "--requests-per-day", "333.3", "--input-tokens", "1234",
                             "--output-tokens", "567", "--cached-share", "0.3", "--format", "csv", NULL };

  g_assert_cmpuint (max_significant_digits ("{\"a\":\"12345678901234\",\"b\":-0.000123,\"c\":[1.5,250.272]}"), ==, 6);
  g_assert_cmpuint (max_significant_digits ("{\"a\":0.29999999999999999}"), ==, 17);

  queue_streams (f, 2);
  g_assert_cmpint (run_juxta (compare, NULL, &out, &err), ==, 0);
  objects = parse_lines (out);
  g_assert_cmpuint (objects->len, ==, 3);
  g_assert_cmpuint (max_significant_digits (out), >, 0);
  g_assert_cmpuint (max_significant_digits (out), <=, 12);

  g_assert_cmpint (run_juxta (plan, NULL, &plan_out, &plan_err), ==, 0);
  g_assert_nonnull (strstr (plan_out, "\"cached_share\":0.3,"));
  g_assert_cmpuint (max_significant_digits (plan_out), >, 0);
  g_assert_cmpuint (max_significant_digits (plan_out), <=, 12);

  g_assert_cmpint (run_juxta (plan_csv, NULL, &csv_out, &csv_err), ==, 0);
  g_assert_nonnull (strstr (csv_out, ",0.3,"));
  g_assert_null (strstr (csv_out, "0.2999"));
}

static void
test_demo (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  const char *args[] = { "demo", "--max-tokens", "80", "--format", "json", NULL };

  g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 0);
  objects = parse_lines (out);
  g_assert_cmpuint (objects->len, ==, 8);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *o = g_ptr_array_index (objects, i);

      g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "simulated");
      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "ok");
      /* --max-tokens caps the answer; the shorter canned answers end before it. */
      g_assert_cmpint (json_object_get_int_member (o, "output_tokens"), >, 10);
      g_assert_cmpint (json_object_get_int_member (o, "output_tokens"), <=, 80);
      g_assert_cmpfloat (json_object_get_double_member (o, "ttft_ms"), >, 50.0);
    }
}

static void
assert_lines_fit (const char *out,
                  glong       width)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_utf8_strlen (lines[i], -1) > width)
      g_error ("line wider than %ld columns: %s", width, lines[i]);
}

/* `juxta --help` lists every command without a display; so do -h and COMMAND --help. */
static void
test_help (void)
{
  const char *help[] = { "--help", NULL };
  const char *h[] = { "-h", NULL };
  const char *version[] = { "--version", NULL };
  const char *compare_help[] = { "compare", "--help", NULL };
  const char *plan_help[] = { "plan", "--help", NULL };
  const char *demo_help[] = { "demo", "--help", NULL };
  const char *bogus[] = { "bogus", NULL };
  const char *bogus_option[] = { "bogus", "--help", NULL };
  char *out = NULL, *err = NULL;

  g_assert_cmpint (run_juxta (help, NULL, &out, &err), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_nonnull (strstr (out, "\n  compare "));
      g_assert_nonnull (strstr (out, "\n  plan "));
      g_assert_nonnull (strstr (out, "\n  demo "));
      g_assert_nonnull (strstr (out, "--pane"));
      g_assert_nonnull (strstr (out, "--version"));
      g_assert_nonnull (strstr (out, "130"));
      assert_lines_fit (out, 100);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      if (i == 0)
        g_assert_cmpint (run_juxta (h, NULL, &out, &err), ==, 0);
    }

  g_assert_cmpint (run_juxta (version, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "juxta " PACKAGE_VERSION "\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_juxta (compare_help, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--pane"));
  g_assert_nonnull (strstr (out, "--temperature"));
  g_assert_nonnull (strstr (out, "1 or more"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (plan_help, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--requests-per-day"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (demo_help, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "simulated"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A usage error, never an attempt to open a window. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (run_juxta (i == 0 ? bogus : bogus_option, NULL, &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, "unknown command “bogus”"));
      g_assert_null (strstr (err, "display"));
      g_assert_cmpstr (out, ==, "");
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
}

static const char *hostile_body[] = {
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Grüße \"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half \\ud800 pair \"}}]}\n\n",
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m done\"}}]}\n\n",
  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"cost\":1e308}}\n\n",
  "data: [DONE]\n\n",
};

static void
queue_hostile (Fixture *f)
{
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");

  for (guint j = 0; j < G_N_ELEMENTS (hostile_body); j++)
    jx_fake_response_add (r, 2, hostile_body[j], -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", r);
}

/* What a server sends cannot break the output: UTF-8 in the C locale, a lone surrogate,
 * escape sequences, a cost too large to print. */
static void
test_hostile_server (Fixture       *f,
                     gconstpointer  data)
{
  const char *c_locale[] = { "LC_ALL=C", NULL };
  const char *json[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                         "--system", "Sei höflich", "--format", "json", "Grüße?", NULL };
  const char *csv[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                        "--format", "csv", "hi", NULL };
  const char *table[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "hi", NULL };
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GBytes) body = NULL;
  char *out = NULL, *err = NULL;
  JsonObject *o;
  const char *text;

  queue_hostile (f);
  g_assert_cmpint (run_juxta_env (json, c_locale, NULL, &out, &err), ==, 0);
  body = jx_fake_server_get_last_body (f->server, "/v1/chat/completions");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "Sei höflich"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "Grüße?"));
  /* communicate() checked that it is valid UTF-8. */
  g_assert_nonnull (strstr (out, "Grüße"));
  g_assert_null (strstr (out, "inf"));
  g_assert_null (strchr (out, '\033'));
  objects = parse_lines (out);
  o = g_ptr_array_index (objects, 0);
  text = json_object_get_string_member (o, "text");
  g_assert_true (g_str_has_prefix (text, "Grüße half "));
  g_assert_nonnull (strstr (text, "pwned"));
  g_assert_true (json_object_get_null_member (o, "cost_usd"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  queue_hostile (f);
  g_assert_cmpint (run_juxta_env (csv, c_locale, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Grüße"));
  g_assert_null (strstr (out, "inf"));
  g_assert_null (strstr (out, "null"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The table shows the text without a single control character. */
  queue_hostile (f);
  g_assert_cmpint (run_juxta_env (table, c_locale, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Grüße half "));
  g_assert_nonnull (strstr (out, "pwned"));
  for (const char *p = out; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true (c == '\n' || c >= 0xa0 || (c >= 0x20 && c < 0x7f));
    }
  g_assert_null (strstr (out, "inf"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

/* Numbers and text the providers would get wrong are refused up front: exit 2. */
static void
test_bad_arguments (Fixture       *f,
                    gconstpointer  data)
{
  const char *temperatures[] = { "inf", "nan", "-5", "2.5", "abc", "1e400", "" };
  const char *bad_utf8[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "Gr\xfc\xdf" "e", NULL };
  const char *bad_stdin[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-", NULL };
  const char *bad_system[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                               "--system", "\xff", "hi", NULL };
  const char *timeout0[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                             "--timeout", "0", "hi", NULL };
  const char *idle0[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                          "--idle-timeout", "0", "hi", NULL };
  const char *negative_limit[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                                   "--max-output", "-1", "hi", NULL };
  const char *good[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                         "--temperature", "0.7", "--timeout", "5", "--format", "json", "hi", NULL };
  g_autoptr(GBytes) body = NULL;
  char *out = NULL, *err = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (temperatures); i++)
    {
      const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                             "--temperature", temperatures[i], "hi", NULL };

      g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, "--temperature must be a number from 0 to 2"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }

  g_assert_cmpint (run_juxta (bad_utf8, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "not valid UTF-8"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (bad_stdin, "caf\xe9\n", &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "not valid UTF-8"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (bad_system, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--system is not valid UTF-8"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_juxta (timeout0, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "at least 1 second"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (idle0, NULL, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_juxta (negative_limit, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--max-time and --max-output cannot be negative"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Nothing above reached the server; a valid temperature does. */
  g_assert_null (jx_fake_server_get_last_body (f->server, "/v1/chat/completions"));
  queue_streams (f, 1);
  g_assert_cmpint (run_juxta (good, NULL, &out, &err), ==, 0);
  body = jx_fake_server_get_last_body (f->server, "/v1/chat/completions");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;

    json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)),
                                                                   "temperature"), 0.7, 1e-9);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

/* --max-time reaches the engine: a stream that keeps trickling past it ends as a timeout,
 * with the text that had arrived kept. */
static void
test_max_time (Fixture       *f,
               gconstpointer  data)
{
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m",
                         "--max-time", "1", "--format", "json", "hi", NULL };
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");
  char *out = NULL, *err = NULL;

  /* Every piece comes well within the idle timeout, but the whole takes 3 s. */
  for (guint j = 0; j < 6; j++)
    jx_fake_response_add (r, 500,
                          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick \"}}]}\n\n", -1);
  jx_fake_response_add (r, 0, "data: [DONE]\n\n", -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", r);

  g_assert_cmpint (run_juxta (args, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "\"error_code\":\"timeout\""));
  g_assert_nonnull (strstr (out, "\"text\":\"tick "));
  g_free (out);
  g_free (err);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* SIGINT stops the round: the finished answer is printed, the stopped one reported, 130. */
static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  const char *formats[] = { "table", "json" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-p", "slow",
                             "--runs", "3", "--format", formats[i], "hi", NULL };
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      JxFakeResponse *slow = jx_fake_response_new (200, "text/event-stream");
      g_autofree char *out = NULL, *err = NULL;

      queue_streams (f, 1);
      jx_fake_response_add (slow, 2, stream_body[0], -1);
      jx_fake_response_add (slow, 30000, stream_body[1], -1);
      jx_fake_server_add (f->server, "POST", "/slow/v1/chat/completions", slow);

      guint slow_before = jx_fake_server_get_request_count (f->server, "/slow/v1/chat/completions");

      process = spawn_juxta (args, NULL);
      /* Once the slow request is in, the fast one (sent with it, ~40 ms long) gets 700 ms to
       * finish. */
      for (guint waited = 0;
           jx_fake_server_get_request_count (f->server, "/slow/v1/chat/completions") == slow_before;
           waited += 50)
        {
          g_assert_cmpuint (waited, <, 60000);
          g_timeout_add (50, quit_cb, loop);
          g_main_loop_run (loop);
        }
      g_timeout_add (700, quit_cb, loop);
      g_main_loop_run (loop);
      g_subprocess_send_signal (process, SIGINT);
      g_assert_cmpint (communicate (process, NULL, &out, &err), ==, 130);
      g_assert_nonnull (strstr (err, "interrupted"));

      if (i == 0)
        {
          g_assert_nonnull (strstr (out, "Hi there, \"friend\""));
          g_assert_nonnull (strstr (out, "⏹"));
          g_assert_nonnull (strstr (out, "TTFT"));
        }
      else
        {
          g_autoptr(GPtrArray) objects = parse_lines (out);

          /* One round: two responses and two summaries; the later rounds never started. */
          g_assert_cmpuint (objects->len, ==, 4);
          g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (objects, 0), "status"), ==, "ok");
          g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (objects, 1), "status"), ==, "cancelled");
          g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (objects, 2), "type"), ==, "summary");
        }
    }
}

/* A long model id widens the label column instead of breaking it; a terminal's width cuts it. */
static void
test_long_model_id (Fixture       *f,
                    gconstpointer  data)
{
  const char *args[] = { "compare", "--providers-file", f->providers_file, "-p", "local:m", "-p", "slow",
                         "--timeout", "1", "hi", NULL };
  const char *columns[] = { "COLUMNS=200", NULL };
  const char *id = "slow:a-very-long-model-identifier-that-does-not-fit-in-24-columns-at-all";
  char *out = NULL, *err = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_auto(GStrv) lines = NULL;
      glong header_ttft = -1;

      queue_streams (f, 1);
      jx_fake_server_add (f->server, "POST", "/slow/v1/chat/completions", jx_fake_response_new (500, "text/plain"));
      /* A wide terminal, then no terminal: 80 columns. */
      g_assert_cmpint (run_juxta_env (args, i == 0 ? columns : NULL, NULL, &out, &err), ==, 1);
      lines = g_strsplit (out, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          const char *ttft = strstr (lines[j], "TTFT");
          const char *ms = strstr (lines[j], " ms");

          if (ttft != NULL && g_str_has_prefix (lines[j], "Provider"))
            header_ttft = g_utf8_pointer_to_offset (lines[j], ttft);
          /* The figures of local:m end under the header's TTFT column. */
          if (g_str_has_prefix (lines[j], "local:m ") && ms != NULL)
            {
              g_assert_cmpint (header_ttft, >, 0);
              g_assert_cmpint (g_utf8_pointer_to_offset (lines[j], ms) + 3, ==, header_ttft + 4);
            }
          if (g_str_has_prefix (lines[j], "Provider") || g_str_has_prefix (lines[j], "local:") ||
              g_str_has_prefix (lines[j], "slow:"))
            g_assert_cmpint (g_utf8_strlen (lines[j], -1), <=, i == 0 ? 200 : 80);
        }
      g_assert_cmpint (header_ttft, >, 0);
      if (i == 0)
        {
          g_autofree char *row = g_strconcat ("\n", id, " ", NULL);

          g_assert_nonnull (strstr (out, row));
        }
      else
        g_assert_nonnull (strstr (out, "\nslow:a-very-long-model… "));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
}

/* The man page renders; the bash completion loads and completes command names. */
static void
test_man_and_completion (void)
{
  g_autofree char *man_page = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "juxta.1", NULL);
  g_autofree char *bash_completion = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data",
                                                       "completions", "juxta.bash", NULL);
  g_autofree char *man = g_find_program_in_path ("man");
  g_autofree char *bash = g_find_program_in_path ("bash");
  g_autofree char *script = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (man);
  g_assert_nonnull (bash);
  {
    const char *argv[] = { man, "--warnings", "-E", "UTF-8", "-l", man_page, NULL };
    g_auto(GStrv) envp = g_get_environ ();

    envp = g_environ_setenv (envp, "MANWIDTH", "80", TRUE);
    envp = g_environ_setenv (envp, "MANPAGER", "cat", TRUE);
    envp = g_environ_setenv (envp, "PAGER", "cat", TRUE);
    envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);

    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (err, ==, "");
    g_assert_nonnull (strstr (out, "compare"));
    g_assert_nonnull (strstr (out, "demo"));
    g_assert_nonnull (strstr (out, "EXIT STATUS"));
    g_assert_nonnull (strstr (out, "ttft_ms_p50"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  script = g_strdup_printf ("set -e; source '%s'; "
                            "COMP_WORDS=(juxta co); COMP_CWORD=1; COMP_LINE='juxta co'; COMP_POINT=8; "
                            "_juxta; echo \"${COMPREPLY[*]}\"; "
                            "COMP_WORDS=(juxta compare --fo); COMP_CWORD=2; _juxta; echo \"${COMPREPLY[*]}\"; "
                            "COMP_WORDS=(juxta compare --format ''); COMP_CWORD=3; _juxta; echo \"${COMPREPLY[*]}\"",
                            bash_completion);
  {
    const char *argv[] = { bash, "--norc", "--noprofile", "-c", script, NULL };
    const char *syntax[] = { bash, "-n", bash_completion, NULL };

    g_spawn_sync (NULL, (char **) syntax, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (out, ==, "compare\n--format\ntable json csv\n");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/juxta/cli/compare/json", test_json);
  ADD ("/juxta/cli/compare/runs-stdin", test_runs_and_stdin);
  ADD ("/juxta/cli/compare/csv", test_csv);
  ADD ("/juxta/cli/compare/table-failure", test_table_and_failure);
  ADD ("/juxta/cli/compare/finish-reasons", test_finish_reasons);
  ADD ("/juxta/cli/compare/json-failure", test_json_failure);
  ADD ("/juxta/cli/compare/usage-errors", test_usage_errors);
  ADD ("/juxta/cli/compare/max-time", test_max_time);
  ADD ("/juxta/cli/compare/prices-override", test_prices_override);
  ADD ("/juxta/cli/command/short-doubles", test_short_doubles);
  ADD ("/juxta/cli/compare/hostile-server", test_hostile_server);
  ADD ("/juxta/cli/compare/bad-arguments", test_bad_arguments);
  ADD ("/juxta/cli/compare/interrupt", test_interrupt);
  ADD ("/juxta/cli/compare/long-model-id", test_long_model_id);
#undef ADD
  g_test_add_func ("/juxta/cli/command/demo", test_demo);
  g_test_add_func ("/juxta/cli/command/help", test_help);
  g_test_add_func ("/juxta/cli/command/man-and-completion", test_man_and_completion);

  return g_test_run ();
}
