/* test-all-protocols.c — one pane per protocol, all streaming at once from one fake server
 *
 * Anthropic, Gemini, Vertex (Gemini and Claude), Azure, Bedrock (SigV4 and API key), Cohere,
 * Replicate, Ollama native and an OpenAI-compatible server, started together in one main loop
 * like `juxta compare` starts its panes. The routes live in jx-fake-routes.c, shared with
 * the fake-providers program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "jx-fake-routes.h"
#include "jx-test-util.h"

#define PER_EVENT_MS 2
/* Long enough that every pane's first token comes before any pane's end, even with
 * ASan tests overloading two cores four to one (300 ms was not). */
#define TAIL_MS      700

static char *key_pem;
static char *env_dir;
static char *env_vertex_file;

typedef struct
{
  GMainLoop  *loop;
  guint       pending;
  JxRequest  *requests[JX_FAKE_N_PANES];
  JxResponse *responses[JX_FAKE_N_PANES];
} Round;

static void
round_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Round *round = user_data;

  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    if (round->requests[i] == (JxRequest *) object)
      round->responses[i] = jx_request_run_finish (JX_REQUEST (object), result, NULL);

  if (--round->pending == 0)
    g_main_loop_quit (round->loop);
}

static gboolean
round_timeout_cb (gpointer user_data)
{
  g_error ("the panes did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

/* Starts every pane in `panes` (a bit mask) before running the loop, as the CLI does.
 * vertex_credentials NULL: every credential is looked up like the app does. */
static void
run_round (JxEngine   *engine,
           guint       panes,
           const char *vertex_credentials,
           Round      *round)
{
  JxCatalog *catalog = jx_engine_get_catalog (engine);
  JxPrompt prompt;
  guint timeout_id;

  memset (round, 0, sizeof *round);
  jx_prompt_init (&prompt);
  prompt.system = (char *) "You are terse.";
  prompt.user = (char *) "Say hi";
  prompt.max_tokens = 64;
  prompt.temperature = 0.5;

  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    {
      const JxFakePane *pane = &jx_fake_panes[i];
      JxProvider *provider;

      if (!(panes & (1u << i)))
        continue;
      provider = jx_catalog_lookup (catalog, pane->provider_id);
      g_assert_nonnull (provider);
      round->requests[i] = jx_request_new (engine, provider, pane->model, &prompt);
      if (vertex_credentials != NULL)
        {
          g_autofree char *credential = jx_fake_routes_credential (i, vertex_credentials);

          if (credential != NULL)
            jx_request_set_credential (round->requests[i], credential);
        }
    }

  round->loop = g_main_loop_new (NULL, FALSE);
  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    if (round->requests[i] != NULL)
      round->pending++;
  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    if (round->requests[i] != NULL)
      jx_request_run_async (round->requests[i], NULL, round_done_cb, round);

  timeout_id = g_timeout_add_seconds (30, round_timeout_cb, NULL);
  g_main_loop_run (round->loop);
  g_source_remove (timeout_id);
  g_main_loop_unref (round->loop);
}

static void
round_clear (Round *round)
{
  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    {
      g_clear_object (&round->requests[i]);
      g_clear_pointer (&round->responses[i], jx_response_unref);
    }
}

#define ALL_PANES ((1u << JX_FAKE_N_PANES) - 1)

static void
assert_header_prefix (JxFakeServer *server,
                      const char   *path,
                      const char   *name,
                      const char   *prefix)
{
  g_autofree char *value = jx_fake_server_get_last_header (server, path, name);

  if (prefix == NULL)
    {
      g_assert_null (value);
      return;
    }
  g_assert_nonnull (value);
  if (!g_str_has_prefix (value, prefix))
    g_error ("%s: header %s is “%s”, expected it to start with “%s”", path, name, value, prefix);
}

/* How each provider carries its key. */
static void
assert_auth (JxFakeServer *server,
             guint         i,
             gboolean      bedrock_key_checked)
{
  const JxFakePane *pane = &jx_fake_panes[i];
  g_autofree char *bearer = pane->key != NULL ? g_strconcat ("Bearer ", pane->key, NULL) : NULL;

  switch (i)
    {
    case JX_FAKE_PANE_ANTHROPIC:
      assert_header_prefix (server, pane->path, "x-api-key", pane->key);
      assert_header_prefix (server, pane->path, "Authorization", NULL);
      break;
    case JX_FAKE_PANE_GEMINI:
      assert_header_prefix (server, pane->path, "x-goog-api-key", pane->key);
      assert_header_prefix (server, pane->path, "Authorization", NULL);
      break;
    case JX_FAKE_PANE_VERTEX_GEMINI:
    case JX_FAKE_PANE_VERTEX_CLAUDE:
      assert_header_prefix (server, pane->path, "Authorization", "Bearer ya29.fake");
      break;
    case JX_FAKE_PANE_AZURE:
      assert_header_prefix (server, pane->path, "api-key", pane->key);
      assert_header_prefix (server, pane->path, "Authorization", NULL);
      break;
    case JX_FAKE_PANE_BEDROCK_SIGV4:
      assert_header_prefix (server, pane->path, "Authorization",
                            "AWS4-HMAC-SHA256 Credential=" JX_FAKE_AWS_ACCESS_KEY_ID "/");
      assert_header_prefix (server, pane->path, "X-Amz-Date", "2");
      break;
    case JX_FAKE_PANE_BEDROCK_KEY:
      if (bedrock_key_checked)
        assert_header_prefix (server, pane->path, "Authorization", bearer);
      break;
    case JX_FAKE_PANE_OLLAMA:
      assert_header_prefix (server, pane->path, "Authorization", NULL);
      break;
    default:
      assert_header_prefix (server, pane->path, "Authorization", bearer);
      break;
    }
}

static void
check_answers (JxFakeServer *server,
               Round        *round,
               gboolean      bedrock_key_checked)
{
  gint64 max_start = G_MININT64, min_first_token = G_MAXINT64;
  gint64 max_first_token = G_MININT64, min_end = G_MAXINT64;

  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    {
      const JxFakePane *pane = &jx_fake_panes[i];
      JxResponse *r = round->responses[i];
      const char *stream_path = i == JX_FAKE_PANE_REPLICATE ? "/v1/files/bcwr-stream-abc" : pane->path;
      gint64 first_write = jx_fake_server_get_last_first_write_time (server, stream_path);

      g_assert_nonnull (r);
      /* Where TTFT goes: request transit, the server's own wait, and the read after the write. */
      g_test_message ("%s:%s  ttft %.1f ms (sent→received %.1f, received→first write %.1f, "
                      "first write→first byte %.1f)  e2e %.1f ms  in %" G_GINT64_FORMAT "  out %" G_GINT64_FORMAT
                      "  $%.9f", pane->provider_id, pane->model, jx_timing_ttft_ms (&r->timing),
                      (jx_fake_server_get_last_request_time (server, pane->path) - r->timing.t_start) / 1000.0,
                      (first_write - jx_fake_server_get_last_request_time (server, stream_path)) / 1000.0,
                      (r->timing.t_first_byte - first_write) / 1000.0,
                      jx_timing_e2e_ms (&r->timing), r->usage.input_tokens, r->usage.output_tokens, r->cost_usd);
      g_assert_no_error (r->error);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
      g_assert_cmpstr (r->provider_id, ==, pane->provider_id);
      g_assert_cmpstr (r->model, ==, pane->model);
      g_assert_cmpstr (r->text->str, ==, pane->text);
      g_assert_cmpint (r->http_status, ==, 200);
      g_assert_cmpuint (r->retries, ==, 0);

      g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
      g_assert_cmpint (r->usage.input_tokens, ==, pane->input_tokens);
      g_assert_cmpint (r->usage.output_tokens, ==, pane->output_tokens);
      g_assert_false (r->cost_from_provider);
      g_assert_cmpfloat_with_epsilon (r->cost_usd, pane->cost_usd, 1e-12);

      /* Timings: the first token cannot precede the server's first write, which came
       * first_delay_ms after the request; the end comes after the delayed last piece. */
      g_assert_cmpuint (r->timing.content_times->len, >=, 1);
      g_assert_cmpint (r->timing.t_start, >, 0);
      g_assert_cmpint (first_write, >, r->timing.t_start - JX_TEST_STAMP_SLACK_US);
      g_assert_cmpint (r->timing.t_first_byte, >=, first_write);
      g_assert_cmpint (r->timing.t_first_token, >=, r->timing.t_first_byte);
      g_assert_cmpint (r->timing.t_last_token, >=, r->timing.t_first_token);
      g_assert_cmpint (r->timing.t_end, >=, r->timing.t_last_token);
      /* Less a stamping slack: t_start is read just after the request's write returns. */
      g_assert_cmpfloat (jx_timing_ttft_ms (&r->timing), >, pane->first_delay_ms - JX_TEST_STAMP_SLACK_MS);
      g_assert_cmpfloat (jx_timing_e2e_ms (&r->timing), >=, pane->first_delay_ms + TAIL_MS - JX_TEST_STAMP_SLACK_MS);

      assert_auth (server, i, bedrock_key_checked);

      max_start = MAX (max_start, r->timing.t_start);
      min_first_token = MIN (min_first_token, r->timing.t_first_token);
      max_first_token = MAX (max_first_token, r->timing.t_first_token);
      min_end = MIN (min_end, r->timing.t_end);
    }

  /* Concurrent, not one after another: every pane had started before any first token, and
   * every pane had its first token before any pane finished. */
  g_assert_cmpint (max_start, <, min_first_token);
  g_assert_cmpint (max_first_token, <, min_end);

  /* One request per hop; Vertex fetched one token for both of its panes. */
  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    if (i != JX_FAKE_PANE_VERTEX_GEMINI && i != JX_FAKE_PANE_VERTEX_CLAUDE)
      g_assert_cmpuint (jx_fake_server_get_request_count (server, jx_fake_panes[i].path), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, jx_fake_panes[JX_FAKE_PANE_VERTEX_GEMINI].path), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, jx_fake_panes[JX_FAKE_PANE_VERTEX_CLAUDE].path), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/v1/files/bcwr-stream-abc"), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/v1/predictions/qpt5abc"), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, JX_FAKE_VERTEX_TOKEN_PATH), >=, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, JX_FAKE_VERTEX_TOKEN_PATH), <=, 2);
}

static JxEngine *
new_engine (JxFakeServer *server)
{
  g_autofree char *json = jx_fake_routes_providers_json (jx_fake_server_get_url (server));

  return jx_test_engine_new (server, json);
}

/* Credentials handed to each request, random splits of every stream. */
static void
test_concurrent (void)
{
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      g_autoptr(JxFakeServer) server = jx_fake_server_new ();
      g_autoptr(JxEngine) engine = new_engine (server);
      g_autofree char *vertex = jx_fake_routes_vertex_credentials (jx_fake_server_get_url (server), key_pem);
      Round round;

      jx_fake_routes_add_streams (server, PER_EVENT_MS, TAIL_MS, seed * 100);
      run_round (engine, ALL_PANES, vertex, &round);
      check_answers (server, &round, TRUE);
      round_clear (&round);
    }
}

/* Credentials looked up like `juxta compare` does: from the variables the providers file
 * names (main() set them), the Vertex credentials from the file its variable points at. */
static void
test_from_environment (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxEngine) engine = new_engine (server);
  g_autofree char *vertex = jx_fake_routes_vertex_credentials (jx_fake_server_get_url (server), key_pem);
  g_autoptr(GError) error = NULL;
  Round round;

  g_file_set_contents (env_vertex_file, vertex, -1, &error);
  g_assert_no_error (error);

  jx_fake_routes_add_streams (server, PER_EVENT_MS, TAIL_MS, 7);
  run_round (engine, ALL_PANES, NULL, &round);
  /* Each Bedrock entry reads its own variables: SigV4 for one, the API key for the other. */
  check_answers (server, &round, TRUE);
  round_clear (&round);
}

/* Every keyed provider answering a wrong key its own way (401, Gemini's 400, AWS's 403):
 * each pane names its provider and says the key was rejected; nothing is retried. */
static void
test_bad_keys (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxEngine) engine = new_engine (server);
  g_autofree char *vertex = jx_fake_routes_vertex_credentials (jx_fake_server_get_url (server), key_pem);
  Round round;

  jx_fake_routes_add_bad_keys (server, FALSE);
  run_round (engine, ALL_PANES, vertex, &round);

  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    {
      const JxFakePane *pane = &jx_fake_panes[i];
      JxResponse *r = round.responses[i];
      g_autofree char *prefix = NULL;

      g_assert_nonnull (r);
      if (pane->bad_key_status == 0)
        {
          /* Keyless Ollama is unaffected and still streams next to the failures. */
          g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
          g_assert_cmpstr (r->text->str, ==, pane->text);
          continue;
        }

      prefix = g_strdup_printf ("key rejected by %s (%u): ", pane->name, pane->bad_key_status);
      g_assert_nonnull (r->error);
      g_test_message ("%s: %s", pane->provider_id, r->error->message);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      g_assert_cmpint (r->http_status, ==, pane->bad_key_status);
      g_assert_error (r->error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_AUTH);
      if (!g_str_has_prefix (r->error->message, prefix))
        g_error ("%s: “%s” does not start with “%s”", pane->provider_id, r->error->message, prefix);
      /* The provider's own reason follows, on one line. */
      g_assert_cmpuint (strlen (r->error->message), >, strlen (prefix) + 5);
      g_assert_null (strchr (r->error->message, '\n'));
      g_assert_cmpstr (r->text->str, ==, "");
      g_assert_cmpuint (r->retries, ==, 0);
      g_assert_cmpuint (jx_fake_server_get_request_count (server, pane->path), ==, 1);
    }
  /* A failed Replicate create never reaches the stream. */
  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/v1/files/bcwr-stream-abc"), ==, 0);
  round_clear (&round);
}

/* A wrong service-account key is refused by Google's token endpoint: both Vertex panes say
 * so and name Vertex, and no model request is made. */
static void
test_vertex_token_rejected (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(JxEngine) engine = new_engine (server);
  g_autofree char *vertex = jx_fake_routes_vertex_credentials (jx_fake_server_get_url (server), key_pem);
  Round round;

  jx_fake_routes_add_bad_keys (server, TRUE);
  run_round (engine, (1u << JX_FAKE_PANE_VERTEX_GEMINI) | (1u << JX_FAKE_PANE_VERTEX_CLAUDE), vertex, &round);

  for (guint i = JX_FAKE_PANE_VERTEX_GEMINI; i <= JX_FAKE_PANE_VERTEX_CLAUDE; i++)
    {
      JxResponse *r = round.responses[i];

      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      jx_assert_request_error (r, JX_REQUEST_ERROR_AUTH, "Google Vertex AI", "Google rejected the service-account credentials: invalid_grant (Invalid JWT Signature.)");
      g_assert_cmpuint (jx_fake_server_get_request_count (server, jx_fake_panes[i].path), ==, 0);
    }
  round_clear (&round);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before any thread exists: setenv is not thread-safe. The file's contents are written
   * once the fake server (and so the token_uri) exists. */
  env_dir = g_dir_make_tmp ("jx-all-protocols-XXXXXX", &error);
  g_assert_no_error (error);
  env_vertex_file = g_build_filename (env_dir, "vertex-sa.json", NULL);
  for (guint i = 0; i < JX_FAKE_N_PANES; i++)
    if (jx_fake_panes[i].key_env != NULL && jx_fake_panes[i].key != NULL)
      g_setenv (jx_fake_panes[i].key_env, jx_fake_panes[i].key, TRUE);
  g_setenv (JX_FAKE_VERTEX_KEY_ENV, env_vertex_file, TRUE);
  /* The bedrock entry names its own access-key variable (the built-in host rule wants one). */
  g_setenv ("FAKE_BEDROCK_ACCESS_KEY_ID", JX_FAKE_AWS_ACCESS_KEY_ID, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", JX_FAKE_AWS_SECRET, TRUE);
  g_setenv ("AWS_REGION", JX_FAKE_AWS_REGION, TRUE);
  g_unsetenv ("AWS_SESSION_TOKEN");
  g_unsetenv ("AWS_BEARER_TOKEN_BEDROCK");
  g_unsetenv ("AZURE_OPENAI_ENDPOINT");

  g_test_init (&argc, &argv, NULL);
  key_pem = jx_fake_routes_generate_key ();

  g_test_add_func ("/juxta/adapter/all-protocols/concurrent", test_concurrent);
  g_test_add_func ("/juxta/adapter/all-protocols/from-environment", test_from_environment);
  g_test_add_func ("/juxta/adapter/all-protocols/bad-keys", test_bad_keys);
  g_test_add_func ("/juxta/adapter/all-protocols/vertex-token-rejected", test_vertex_token_rejected);

  status = g_test_run ();

  g_unlink (env_vertex_file);
  g_rmdir (env_dir);
  g_free (env_vertex_file);
  g_free (env_dir);
  g_free (key_pem);

  return status;
}
