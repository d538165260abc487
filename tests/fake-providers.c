/* fake-providers.c — local servers speaking every protocol, for a hand-run `juxta compare`
 *
 *   _build/tests/fake-providers DIR
 *
 * Starts three fake servers on 127.0.0.1: one that streams a recorded answer for every
 * protocol, one that answers every keyed request the way that provider answers a wrong key,
 * and an OpenAI-compatible one for load: 500 tokens, the first after exactly 200 ms.
 * Writes the providers files and Vertex service-account credentials into DIR, prints the
 * `juxta compare` command lines to run against each, then serves until interrupted. Every
 * request is logged to DIR/requests.log with the way it carried its key (never the key).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "jx-fake-routes.h"
#include "jx-test-util.h"

typedef struct
{
  JxFakeServer *server;
  const char   *label;
  guint         counts[64];
} Watched;

typedef struct
{
  GMainLoop    *loop;
  Watched       watched[2];
  FILE         *log;
  JxFakeServer *load;
  GArray       *load_delays;       /* µs, of the batch not yet reported */
  gint64        load_last_change;
} App;

static gboolean
has_fixtures (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "streams", "anthropic-basic.sse", NULL);

  return g_file_test (probe, G_FILE_TEST_IS_REGULAR);
}

/* G_TEST_SRCDIR, else the source tree's tests/ next to a build directory inside it, else
 * ./tests (run from the source root). */
static char *
find_tests_srcdir (const char *exe_path)
{
  const char *env = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *exe_dir = g_path_get_dirname (exe_path);
  g_autofree char *beside = g_build_filename (exe_dir, "..", "..", "tests", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *here = g_build_filename (cwd, "tests", NULL);

  if (env != NULL && has_fixtures (env))
    return g_strdup (env);
  if (has_fixtures (beside))
    return g_canonicalize_filename (beside, NULL);
  if (has_fixtures (here))
    return g_steal_pointer (&here);
  return NULL;
}

static char *
describe_auth (JxFakeServer *server,
               const char   *path)
{
  static const char * const key_headers[] = { "x-api-key", "x-goog-api-key", "api-key" };
  g_autofree char *authorization = jx_fake_server_get_last_header (server, path, "Authorization");

  if (authorization != NULL)
    {
      const char *space = strchr (authorization, ' ');

      return g_strdup_printf ("Authorization: %.*s …", space != NULL ? (int) (space - authorization)
                                                                     : (int) strlen (authorization),
                              authorization);
    }
  for (guint i = 0; i < G_N_ELEMENTS (key_headers); i++)
    {
      g_autofree char *value = jx_fake_server_get_last_header (server, path, key_headers[i]);

      if (value != NULL)
        return g_strdup_printf ("%s: …", key_headers[i]);
    }
  return g_strdup ("no key");
}

static gboolean
log_requests_cb (gpointer user_data)
{
  App *app = user_data;
  const char * const *routes = jx_fake_routes_all ();

  for (guint w = 0; w < G_N_ELEMENTS (app->watched); w++)
    {
      Watched *watched = &app->watched[w];

      for (guint r = 0; r < G_N_ELEMENTS (watched->counts) && routes[2 * r] != NULL; r++)
        {
          const char *path = routes[2 * r + 1];
          guint count = jx_fake_server_get_request_count (watched->server, path);

          if (count != watched->counts[r])
            {
              g_autofree char *method = jx_fake_server_get_last_method (watched->server, path);
              g_autofree char *auth = describe_auth (watched->server, path);

              watched->counts[r] = count;
              fprintf (app->log, "[%s] %s %s (%s)\n", watched->label, method, path, auth);
              fflush (app->log);
            }
        }
    }

  return G_SOURCE_CONTINUE;
}

/* After a batch of load requests (none new for half a second), what the server really
 * waited before each first token: TTFTs are to be compared with these, not with the
 * nominal delay. */
static gboolean
report_load_cb (gpointer user_data)
{
  App *app = user_data;
  g_autoptr(GArray) delays = jx_fake_server_take_first_write_delays (app->load, "/v1/chat/completions");
  gint64 now = g_get_monotonic_time ();
  gint64 min = G_MAXINT64, max = 0;

  if (delays->len > 0)
    {
      g_array_append_vals (app->load_delays, delays->data, delays->len);
      app->load_last_change = now;
      return G_SOURCE_CONTINUE;
    }
  if (app->load_delays->len == 0 || now - app->load_last_change < G_USEC_PER_SEC / 2)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < app->load_delays->len; i++)
    {
      min = MIN (min, g_array_index (app->load_delays, gint64, i));
      max = MAX (max, g_array_index (app->load_delays, gint64, i));
    }
  g_print ("[load] %u requests: the server wrote each first token %.2f to %.2f ms after the request "
           "arrived\n", app->load_delays->len, min / 1000.0, max / 1000.0);
  g_array_set_size (app->load_delays, 0);

  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  App *app = user_data;

  g_main_loop_quit (app->loop);
  return G_SOURCE_REMOVE;
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_printerr ("fake-providers: %s\n", error->message);
      exit (1);
    }
}

/* One shell command, continued over lines. */
static void
print_command (const char *juxta,
               const char *providers_file,
               const char *vertex_file,
               gboolean    wrong,
               gboolean    with_ollama)
{
  g_autoptr(GString) cmd = g_string_new ("env -u AWS_BEARER_TOKEN_BEDROCK -u AWS_SESSION_TOKEN \\\n");
  const char *aws_key = wrong ? "AKIDWRONGKEY" : JX_FAKE_AWS_ACCESS_KEY_ID;

  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    {
      const JxFakePane *pane = &jx_fake_panes[i];

      if (pane->key != NULL)
        g_string_append_printf (cmd, "  %s=%s%s \\\n", pane->key_env, wrong ? "wrong-" : "", pane->key);
    }
  g_string_append_printf (cmd, "  %s=%s \\\n", JX_FAKE_VERTEX_KEY_ENV, vertex_file);
  g_string_append_printf (cmd, "  FAKE_BEDROCK_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_REGION=%s \\\n",
                          aws_key, JX_FAKE_AWS_SECRET, JX_FAKE_AWS_REGION);
  g_string_append_printf (cmd, "  %s compare --providers-file %s \\\n", juxta, providers_file);
  g_string_append (cmd, "  --system 'You are terse.' --max-tokens 64 --temperature 0.5 \\\n ");
  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    {
      if (i == JX_FAKE_PANE_OLLAMA && !with_ollama)
        continue;
      g_string_append_printf (cmd, " -p %s:%s", jx_fake_panes[i].provider_id, jx_fake_panes[i].model);
      if (i == JX_FAKE_PANE_BEDROCK_SIGV4)
        g_string_append (cmd, " \\\n ");
    }
  g_string_append (cmd, " \\\n  'Say hi'\n");
  g_print ("%s", cmd->str);
}

#define LOAD_FIRST_MS 200
#define LOAD_GAP_MS   2
#define LOAD_TOKENS   500

static JxFakeResponse *
load_stream (guint first_ms,
             guint gap_ms,
             guint n_tokens)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_test_add_openai_tokens (fake, "w", n_tokens, first_ms, gap_ms);
  jx_fake_response_add (fake, 0, "data: {\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\",\"model\":\"m\","
                        "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],"
                        "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":500,\"total_tokens\":512}}\n\n", -1);
  jx_fake_response_add (fake, 0, "data: [DONE]\n\n", -1);

  return fake;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *srcdir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *juxta = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *wrong_pem = NULL;
  g_autofree char *providers_file = NULL, *providers_bad_file = NULL;
  g_autofree char *vertex_file = NULL, *vertex_wrong_file = NULL, *log_file = NULL;
  g_autofree char *json = NULL, *bad_json = NULL, *vertex = NULL, *vertex_wrong = NULL;
  JxFakeServer *good, *bad, *load;
  g_autofree char *load_file = NULL, *load_json = NULL;
  App app = { 0 };

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (argc != 2 || argv[1][0] == '-')
    {
      g_printerr ("usage: %s DIR\n"
                  "Serves every provider protocol on 127.0.0.1 and writes a providers file for\n"
                  "`juxta compare` into DIR. Stop it with Ctrl+C.\n", argv[0]);
      return 2;
    }

  /* Before any thread: setenv is not thread-safe. */
  srcdir = find_tests_srcdir (exe != NULL ? exe : argv[0]);
  if (srcdir == NULL)
    {
      g_printerr ("fake-providers: cannot find the recorded streams: set G_TEST_SRCDIR to the source "
                  "tree's tests/ directory\n");
      return 1;
    }
  g_setenv ("G_TEST_SRCDIR", srcdir, TRUE);

  dir = g_canonicalize_filename (argv[1], NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_printerr ("fake-providers: cannot create %s: %s\n", dir, g_strerror (errno));
      return 1;
    }

  /* The juxta binary of the same build: BUILDDIR/tests/fake-providers → BUILDDIR/src/juxta,
   * spelled as the user spelled this program's path. */
  {
    const char *self = strchr (argv[0], '/') != NULL ? argv[0] : exe;
    g_autofree char *tests_dir = g_path_get_dirname (self);
    g_autofree char *build_dir = g_path_get_dirname (tests_dir);

    juxta = g_build_filename (build_dir, "src", "juxta", NULL);
  }

  key_pem = jx_fake_routes_generate_key ();
  wrong_pem = jx_fake_routes_generate_key ();
  good = jx_fake_server_new ();
  bad = jx_fake_server_new ();

  /* 15 ms between events so inter-token latency shows; random byte splits throughout. */
  jx_fake_routes_add_streams (good, 15, 40, 1);
  jx_fake_routes_add_bad_keys (bad, TRUE);
  load = jx_fake_server_new ();
  jx_fake_server_add (load, "POST", "/v1/chat/completions",
                      load_stream (LOAD_FIRST_MS, LOAD_GAP_MS, LOAD_TOKENS));

  providers_file = g_build_filename (dir, "providers.json", NULL);
  providers_bad_file = g_build_filename (dir, "providers-bad.json", NULL);
  vertex_file = g_build_filename (dir, "vertex-sa.json", NULL);
  vertex_wrong_file = g_build_filename (dir, "vertex-sa-wrong.json", NULL);
  log_file = g_build_filename (dir, "requests.log", NULL);
  json = jx_fake_routes_providers_json (jx_fake_server_get_url (good));
  bad_json = jx_fake_routes_providers_json (jx_fake_server_get_url (bad));
  vertex = jx_fake_routes_vertex_credentials (jx_fake_server_get_url (good), key_pem);
  vertex_wrong = jx_fake_routes_vertex_credentials (jx_fake_server_get_url (bad), wrong_pem);
  write_file (providers_file, json);
  write_file (providers_bad_file, bad_json);
  write_file (vertex_file, vertex);
  write_file (vertex_wrong_file, vertex_wrong);
  load_file = g_build_filename (dir, "providers-load.json", NULL);
  load_json = g_strdup_printf ("{\"providers\":[{\"id\":\"load\",\"name\":\"Load\",\"protocol\":\"openai\","
                               "\"base_url\":\"%s/v1\",\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,"
                               "\"output_per_mtok\":2}]}]}\n", jx_fake_server_get_url (load));
  write_file (load_file, load_json);

  app.log = fopen (log_file, "w");
  if (app.log == NULL)
    {
      g_printerr ("fake-providers: cannot write %s: %s\n", log_file, g_strerror (errno));
      return 1;
    }

  g_print ("Fake providers: %s (answers), %s (wrong-key replies)\n"
           "Recorded streams from %s; requests are logged to %s\n\n",
           jx_fake_server_get_url (good), jx_fake_server_get_url (bad), srcdir, log_file);
  g_print ("# Every protocol streams (add --format json for JSON lines):\n");
  print_command (juxta, providers_file, vertex_file, FALSE, TRUE);
  g_print ("\n# Wrong keys: each keyed provider rejects its key its own way (Ollama needs none):\n");
  print_command (juxta, providers_bad_file, vertex_wrong_file, TRUE, FALSE);
  g_print ("\n# 16 panes at once against one server that waits %u ms, then streams %u tokens "
           "%u ms apart\n# (its timers make that 2-3 ms): every ttft_ms within a few ms of %u (this "
           "program prints\n# what it really waited: [load] ...), and every e2e_ms alike, not 16 "
           "streams one after another:\n%s compare "
           "--providers-file %s --format csv", LOAD_FIRST_MS, LOAD_TOKENS, LOAD_GAP_MS, LOAD_FIRST_MS,
           juxta, load_file);
  for (guint i = 0; i < 16; i++)
    g_print (" -p load:m");
  g_print (" 'Count to 500' | cut -d, -f1-4,8,9\n");
  g_print ("\nServing until interrupted (Ctrl+C).\n");

  app.loop = g_main_loop_new (NULL, FALSE);
  app.watched[0] = (Watched) { good, "answers", { 0 } };
  app.watched[1] = (Watched) { bad, "wrong-key", { 0 } };
  g_timeout_add (20, log_requests_cb, &app);
  app.load = load;
  app.load_delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_timeout_add (50, report_load_cb, &app);
  g_unix_signal_add (SIGINT, quit_cb, &app);
  g_unix_signal_add (SIGTERM, quit_cb, &app);
  g_main_loop_run (app.loop);

  g_main_loop_unref (app.loop);
  g_array_unref (app.load_delays);
  fclose (app.log);
  jx_fake_server_free (good);
  jx_fake_server_free (bad);
  jx_fake_server_free (load);

  return 0;
}
