/* test-cli.c — `juxta compare` as a user runs it: a real process against a fake provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

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
                          "  {\"id\":\"broken\",\"protocol\":\"openai\",\"base_url\":\"%s/broken/v1\"}\n"
                          "]}\n",
                          jx_fake_server_get_url (f->server), jx_fake_server_get_url (f->server));
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

/* With @data_home set, the child reads its prices.json from there. */
static int
run_juxta_in (const char * const *args,
              const char         *data_home,
              const char         *stdin_text,
              char              **out,
              char              **err)
{
  g_autofree char *juxta = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "juxta", NULL);
  g_autoptr(GStrvBuilder) argv_builder = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (argv_builder, juxta);
  g_strv_builder_addv (argv_builder, (const char **) args);
  argv = g_strv_builder_end (argv_builder);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_setenv (launcher, "JX_CLI_TEST_KEY", "cli-secret", TRUE);
  if (data_home != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
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
      g_assert_true (json_object_has_member (o, "ratelimit_remaining_tokens"));
    }

  o = g_ptr_array_index (objects, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "summary");
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "ok"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "errors"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o, "ttft_ms"), "p50"), >=, 30.0);

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
  g_assert_cmpstr (lines[0], ==, "provider,model,run,status,text,error,error_code,http_status,ttft_ms,e2e_ms,"
                                 "itl_ms_mean,itl_ms_p95,itl_ms_max,decode_tokens_per_s,input_tokens,"
                                 "cached_input_tokens,output_tokens,reasoning_tokens,usage_source,cost_usd,"
                                 "retries,ratelimit_remaining_requests,ratelimit_remaining_tokens");
  /* RFC 4180 quoting of the answer's own quotes. */
  g_assert_true (g_str_has_prefix (lines[1], "\"local\",\"m\",1,\"ok\",\"Hi there, \"\"friend\"\"\",,,200,"));
  g_assert_cmpstr (lines[2], ==, "");
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/compare/json", test_json);
  ADD ("/cli/compare/runs-stdin", test_runs_and_stdin);
  ADD ("/cli/compare/csv", test_csv);
  ADD ("/cli/compare/table-failure", test_table_and_failure);
  ADD ("/juxta/cli/compare/json-failure", test_json_failure);
  ADD ("/cli/compare/usage-errors", test_usage_errors);
  ADD ("/cli/compare/prices-override", test_prices_override);
  ADD ("/cli/short-doubles", test_short_doubles);
#undef ADD
  g_test_add_func ("/cli/demo", test_demo);

  return g_test_run ();
}
