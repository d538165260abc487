/* test-request-error.c — the code and the exact wording of each way a request fails
 *
 * The other tests assert codes; the English sentence of each code is pinned here, once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "jx-sse-parser.h"
#include "jx-test-util.h"

#define LOCAL_JSON \
  "{\"providers\":[{\"id\":\"groq\",\"base_url\":\"@URL@/v1\"," \
  "\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":2}]}]}"

#define PATH "/v1/chat/completions"

static const char *chunk_hi = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";

static JxResponse *
run (JxTestFixture *f)
{
  return jx_test_run (f->engine, "groq", "m", "gsk-test", NULL);
}

/* Asserts the code and the whole message of a failed response. */
#define assert_failed(r, code, text) \
  G_STMT_START { \
    g_assert_cmpint ((r)->status, ==, JX_RESPONSE_ERROR); \
    g_assert_error ((r)->error, JX_REQUEST_ERROR, (gint) (code)); \
    g_assert_cmpstr ((r)->error->message, ==, (text)); \
  } G_STMT_END

/* An HTTP error that is not retried (a retry-after beyond the longest wait). */
static JxResponse *
run_http_error (JxTestFixture *f,
                guint          status,
                const char    *json)
{
  JxFakeResponse *fake = jx_fake_response_new_json (status, json);

  jx_fake_response_add_header (fake, "retry-after", "3600");
  jx_fake_server_add (f->server, "POST", PATH, fake);
  return run (f);
}

static void
test_names (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_autoptr(GError) limited = g_error_new_literal (JX_REQUEST_ERROR, JX_REQUEST_ERROR_RATE_LIMITED, "x");

  /* Stable, distinct snake_case names: they are JSON and CSV values. */
  for (guint code = JX_REQUEST_ERROR_FAILED; code <= JX_REQUEST_ERROR_UNSUPPORTED; code++)
    {
      const char *name = jx_request_error_code_to_string (code);

      g_assert_nonnull (name);
      for (const char *p = name; *p != '\0'; p++)
        g_assert_true (g_ascii_islower (*p) || *p == '_');
      g_assert_true (g_hash_table_add (seen, (gpointer) name));
    }
  g_assert_cmpstr (jx_request_error_code_to_string (JX_REQUEST_ERROR_RATE_LIMITED), ==, "rate_limited");
  g_assert_cmpstr (jx_request_error_code_to_string (JX_REQUEST_ERROR_NO_KEY), ==, "no_key");
  g_assert_cmpstr (jx_request_error_code_to_string (JX_REQUEST_ERROR_REFUSED_BY_POLICY), ==, "refused_by_policy");
  g_assert_cmpstr (jx_request_error_code_to_string (JX_REQUEST_ERROR_BAD_REQUEST), ==, "bad_request");
  g_assert_cmpstr (jx_request_error_code_to_string (JX_REQUEST_ERROR_NOT_FOUND), ==, "not_found");

  g_assert_cmpstr (jx_request_error_get_name (limited), ==, "rate_limited");
  g_assert_cmpstr (jx_request_error_get_name (cancelled), ==, "cancelled");
  g_assert_cmpstr (jx_request_error_get_name (other), ==, "failed");
  g_assert_null (jx_request_error_get_name (NULL));
}

static void
test_classify_http (void)
{
  static const struct { guint status; const char *detail; JxRequestErrorCode code; gboolean retryable; } cases[] = {
    { 400, "bad", JX_REQUEST_ERROR_BAD_REQUEST, FALSE },
    { 401, NULL, JX_REQUEST_ERROR_AUTH, FALSE },
    { 403, NULL, JX_REQUEST_ERROR_FORBIDDEN, FALSE },
    { 404, NULL, JX_REQUEST_ERROR_NOT_FOUND, FALSE },
    { 422, NULL, JX_REQUEST_ERROR_BAD_REQUEST, FALSE },
    { 429, "Rate limit reached", JX_REQUEST_ERROR_RATE_LIMITED, TRUE },
    { 429, "You exceeded your current QUOTA", JX_REQUEST_ERROR_QUOTA, TRUE },
    { 429, "Monthly limit: 1000 requests / month", JX_REQUEST_ERROR_QUOTA, TRUE },
    { 500, NULL, JX_REQUEST_ERROR_SERVER, FALSE },
    { 502, NULL, JX_REQUEST_ERROR_SERVER, FALSE },
    { 503, NULL, JX_REQUEST_ERROR_OVERLOADED, TRUE },
    { 529, "Overloaded", JX_REQUEST_ERROR_OVERLOADED, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (jx_request_error_classify_http (cases[i].status, cases[i].detail), ==, cases[i].code);
      g_assert_cmpint (jx_request_error_status_is_retryable (cases[i].status), ==, cases[i].retryable);
    }
}

static void
test_retry_after (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 30);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

  g_assert_cmpint (jx_request_error_parse_retry_after_ms (headers), ==, -1);
  soup_message_headers_replace (headers, "retry-after", "2");
  g_assert_cmpint (jx_request_error_parse_retry_after_ms (headers), ==, 2000);
  soup_message_headers_replace (headers, "retry-after-ms", "150");
  g_assert_cmpint (jx_request_error_parse_retry_after_ms (headers), ==, 150);
  soup_message_headers_remove (headers, "retry-after-ms");
  soup_message_headers_replace (headers, "retry-after", date);
  g_assert_cmpint (jx_request_error_parse_retry_after_ms (headers), >, 28000);
  g_assert_cmpint (jx_request_error_parse_retry_after_ms (headers), <=, 30000);
}

static void
test_auth (JxTestFixture *f,
           gconstpointer  data)
{
  g_autoptr(JxResponse) r = run_http_error (f, 401, "{\"error\":{\"message\":\"Invalid API Key\"}}");

  assert_failed (r, JX_REQUEST_ERROR_AUTH, "key rejected by Groq (401): Invalid API Key");
}

static void
test_forbidden (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = run_http_error (f, 403, "{\"error\":{\"message\":\"Project has no access\"}}");

  assert_failed (r, JX_REQUEST_ERROR_FORBIDDEN, "access denied by Groq (403): Project has no access");
}

static void
test_not_found (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = run_http_error (f, 404, "{\"error\":{\"message\":\"no such model\"}}");

  assert_failed (r, JX_REQUEST_ERROR_NOT_FOUND, "Groq does not know model “m” or this endpoint (404): no such model");
}

static void
test_rate_limited (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GError) without_wait = NULL;
  JxFakeResponse *limited = jx_fake_response_new_json (429, "{\"error\":{\"message\":\"Rate limit reached\"}}");

  jx_fake_response_add_header (limited, "retry-after", "0.05");
  jx_fake_server_add (f->server, "POST", PATH, limited);
  r = run (f);
  assert_failed (r, JX_REQUEST_ERROR_RATE_LIMITED, "rate limited by Groq — retry in 1 s");
  g_assert_cmpuint (r->retries, ==, JX_REQUEST_MAX_RETRIES);

  /* When the provider says nothing about the wait, its own words are shown. */
  without_wait = jx_request_error_new_http (JX_REQUEST_ERROR_RATE_LIMITED, "Groq", "m", 429,
                                            "Rate limit reached", -1);
  g_assert_error (without_wait, JX_REQUEST_ERROR, JX_REQUEST_ERROR_RATE_LIMITED);
  g_assert_cmpstr (without_wait->message, ==, "rate limited by Groq (429): Rate limit reached");
}

static void
test_quota (JxTestFixture *f,
            gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", PATH,
                      jx_fake_response_new_json (429, "{\"error\":{\"message\":\"You exceeded your current quota.\"}}"));
  r = run (f);
  assert_failed (r, JX_REQUEST_ERROR_QUOTA, "the quota at Groq is used up (429): You exceeded your current quota.");
  g_assert_cmpuint (r->retries, ==, 0);
}

static void
test_overloaded (JxTestFixture *f,
                 gconstpointer  data)
{
  g_autoptr(JxResponse) r = run_http_error (f, 529, "{\"error\":{\"message\":\"Overloaded\"}}");

  assert_failed (r, JX_REQUEST_ERROR_OVERLOADED, "Groq is overloaded (529): Overloaded");
}

static void
test_server (JxTestFixture *f,
             gconstpointer  data)
{
  g_autoptr(JxResponse) r = run_http_error (f, 500, "{\"error\":{\"message\":\"boom\"}}");

  assert_failed (r, JX_REQUEST_ERROR_SERVER, "Groq had a server error (500): boom");
}

static void
test_bad_request (JxTestFixture *f,
                  gconstpointer  data)
{
  g_autoptr(JxResponse) r = run_http_error (f, 400, "{\"error\":{\"message\":\"max_tokens is too large\"}}");

  assert_failed (r, JX_REQUEST_ERROR_BAD_REQUEST, "Groq rejected the request (400): max_tokens is too large");
}

static void
test_timeout (JxTestFixture *f,
              gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *slow = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_set_header_delay (slow, 2500);
  jx_fake_response_add (slow, 1, chunk_hi, -1);
  jx_fake_server_add (f->server, "POST", PATH, slow);
  g_object_set (f->engine, "connect-timeout", 1, NULL);

  r = run (f);
  assert_failed (r, JX_REQUEST_ERROR_TIMEOUT, "no response from Groq within 1 s (connect timeout)");
}

static JxResponse *
run_refused (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autofree char *url = g_strdup (jx_fake_server_get_url (server));
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;

  /* Nothing listens on the port once the server is gone. */
  g_clear_pointer (&server, jx_fake_server_free);
  catalog = jx_test_catalog (url, LOCAL_JSON);
  engine = jx_engine_new (catalog);
  return jx_test_run (engine, "groq", "m", "gsk-test", NULL);
}

static void
test_network (void)
{
  g_autoptr(JxResponse) r = run_refused ();

  assert_failed (r, JX_REQUEST_ERROR_NETWORK, "could not connect to Groq at 127.0.0.1 (connection refused)");
  g_assert_cmpuint (r->http_status, ==, 0);
}

static void
test_tls (void)
{
  g_autoptr(GError) handshake = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_NOT_TLS, "not TLS");
  g_autoptr(GError) error = jx_request_error_new_transport ("Groq", "api.groq.com", handshake);

  g_assert_error (error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_TLS);
  g_assert_cmpstr (error->message, ==, "secure connection to Groq failed: not TLS");
}

static void
test_truncated (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_server_add (f->server, "POST", PATH, fake);

  r = run (f);
  assert_failed (r, JX_REQUEST_ERROR_TRUNCATED,
                 "the stream from Groq ended before the answer was complete (no end marker)");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

static void
test_stream (JxTestFixture *f,
             gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(GString) huge = g_string_new ("data: \"");

  /* One event larger than the parser takes. */
  while (huge->len <= JX_STREAM_DEFAULT_MAX_EVENT_SIZE)
    g_string_append (huge, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_response_add (fake, 1, huge->str, huge->len);
  jx_fake_server_add (f->server, "POST", PATH, fake);

  r = run (f);
  assert_failed (r, JX_REQUEST_ERROR_STREAM, "Groq sent a malformed stream: server-sent event larger than 8 MiB");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

static void
test_provider (JxTestFixture *f,
               gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add_file (fake, 1, 1, "openai-midstream-error.sse");
  jx_fake_server_add (f->server, "POST", PATH, fake);

  r = run (f);
  assert_failed (r, JX_REQUEST_ERROR_PROVIDER,
                 "Groq: The server had an error while processing your request. Sorry about that!");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

static void
test_refused_by_policy (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", "{\"providers\":[{\"id\":\"groq\",\"base_url\":\"http://203.0.113.9/v1\"}]}");
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = jx_test_run (engine, "groq", "m", "gsk-test", NULL);

  assert_failed (r, JX_REQUEST_ERROR_REFUSED_BY_POLICY,
                 "refusing to send the Groq key over unencrypted HTTP to 203.0.113.9");
}

static void
test_no_key (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = NULL;

  g_unsetenv ("GROQ_API_KEY");
  r = jx_test_run (engine, "groq", "m", NULL, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_error (r->error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_NO_KEY);
  /* Without a session bus, why the keyring could not be asked follows in brackets. */
  g_assert_true (g_str_has_prefix (r->error->message,
                                   "no key for Groq: set GROQ_API_KEY or add one in Preferences"));
}

static void
test_config (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = jx_test_run (engine, "replicate", "llama", "r8_test", NULL);

  assert_failed (r, JX_REQUEST_ERROR_CONFIG,
                 "Replicate: “llama” is not a Replicate model: use owner/name or owner/name:version");
}

/* The message of a failed run_finish() is the response's, as a copy. */
static void
run_finish_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  JxTestRun *run_data = user_data;
  g_autoptr(GError) error = NULL;

  run_data->response = jx_request_run_finish (JX_REQUEST (object), result, &error);
  g_assert_nonnull (run_data->response);
  g_assert_error (error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, run_data->response->error->message);
  g_main_loop_quit (run_data->loop);
}

static void
test_run_finish_error (JxTestFixture *f,
                       gconstpointer  data)
{
  g_autoptr(JxRequest) request = NULL;
  JxTestRun run_data = { g_main_loop_new (NULL, FALSE), NULL };
  JxPrompt prompt;

  jx_fake_server_add (f->server, "POST", PATH, jx_fake_response_new_json (401, "{\"error\":{\"message\":\"no\"}}"));
  jx_prompt_init (&prompt);
  prompt.user = (char *) "hi";
  request = jx_request_new (f->engine, jx_catalog_lookup (f->catalog, "groq"), "m", &prompt);
  jx_request_set_credential (request, "gsk-test");
  jx_request_run_async (request, NULL, run_finish_cb, &run_data);
  g_main_loop_run (run_data.loop);
  g_main_loop_unref (run_data.loop);

  g_assert_cmpint (jx_request_get_state (request), ==, JX_REQUEST_STATE_FAILED);
  jx_response_unref (run_data.response);
}

static void
count_state_cb (JxRequest  *request,
                GParamSpec *pspec,
                GArray     *states)
{
  JxRequestState state;

  g_object_get (request, "state", &state, NULL);
  g_assert_cmpint (state, ==, jx_request_get_state (request));
  g_array_append_val (states, state);
}

/* "state" is notified once per change, in order. */
static void
test_state_property (JxTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JxRequest) request = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (JxRequestState));
  JxTestRun run_data = { g_main_loop_new (NULL, FALSE), NULL };
  JxFakeResponse *ok = jx_fake_response_new (200, "text/event-stream");
  JxPrompt prompt;

  jx_fake_response_add (ok, 1, chunk_hi, -1);
  jx_fake_response_add (ok, 1, "data: [DONE]\n\n", -1);
  jx_fake_server_add (f->server, "POST", PATH, ok);
  jx_prompt_init (&prompt);
  prompt.user = (char *) "hi";
  request = jx_request_new (f->engine, jx_catalog_lookup (f->catalog, "groq"), "m", &prompt);
  jx_request_set_credential (request, "gsk-test");
  g_signal_connect (request, "notify::state", G_CALLBACK (count_state_cb), states);
  jx_request_run_async (request, NULL, jx_test_run_done_cb, &run_data);
  g_main_loop_run (run_data.loop);
  g_main_loop_unref (run_data.loop);

  g_assert_no_error (run_data.response->error);
  g_assert_cmpuint (states->len, ==, 3);
  g_assert_cmpint (g_array_index (states, JxRequestState, 0), ==, JX_REQUEST_STATE_WAITING);
  g_assert_cmpint (g_array_index (states, JxRequestState, 1), ==, JX_REQUEST_STATE_STREAMING);
  g_assert_cmpint (g_array_index (states, JxRequestState, 2), ==, JX_REQUEST_STATE_DONE);
  jx_response_unref (run_data.response);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *notified)
{
  (*notified)++;
}

static void
test_engine_properties (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  guint connect = 0, idle = 0, notified = 0;

  g_object_get (engine, "connect-timeout", &connect, "idle-timeout", &idle, NULL);
  g_assert_cmpuint (connect, ==, JX_ENGINE_DEFAULT_CONNECT_TIMEOUT);
  g_assert_cmpuint (idle, ==, JX_ENGINE_DEFAULT_IDLE_TIMEOUT);

  g_signal_connect (engine, "notify", G_CALLBACK (count_notify_cb), &notified);
  g_object_set (engine, "connect-timeout", 5, NULL);
  g_assert_cmpuint (jx_engine_get_connect_timeout (engine), ==, 5);
  g_assert_cmpuint (notified, ==, 1);
  jx_engine_set_timeouts (engine, 5, 7);
  g_assert_cmpuint (jx_engine_get_idle_timeout (engine), ==, 7);
  g_assert_cmpuint (notified, ==, 2);
  /* No change, no notification. */
  jx_engine_set_timeouts (engine, 5, 7);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_response_boxed (void)
{
  g_autoptr(JxResponse) response = jx_response_new ();
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (JX_TYPE_RESPONSE));
  g_value_init (&value, JX_TYPE_RESPONSE);
  g_value_set_boxed (&value, response);
  g_assert_true (g_value_get_boxed (&value) == response);
  g_value_unset (&value);
}

/* With LANGUAGE=de a connection-refused failure is told in German. */
static void
test_german (void)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *old_locale = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr(JxResponse) r = NULL;

  g_test_message ("Catalogue: %s", mo);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));

  g_setenv ("LANGUAGE", "de", TRUE);
  /* glibc ignores LANGUAGE in the plain "C" locale. */
  if (setlocale (LC_ALL, "en_US.UTF-8") == NULL && setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("Neither en_US.UTF-8 nor C.UTF-8 is available: run build-aux/test");
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  r = run_refused ();
  g_assert_error (r->error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_NETWORK);
  g_assert_cmpstr (r->error->message, ==, "Keine Verbindung zu Groq unter 127.0.0.1 möglich (Verbindung abgelehnt)");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("GROQ_API_KEY");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/request-error/names", test_names);
  g_test_add_func ("/juxta/core/request-error/classify-http", test_classify_http);
  g_test_add_func ("/juxta/core/request-error/retry-after", test_retry_after);
#define ADD(path, func) jx_test_add ("/juxta/core/request-error/" path, LOCAL_JSON, func)
  ADD ("auth", test_auth);
  ADD ("forbidden", test_forbidden);
  ADD ("not-found", test_not_found);
  ADD ("rate-limited", test_rate_limited);
  ADD ("quota", test_quota);
  ADD ("overloaded", test_overloaded);
  ADD ("server", test_server);
  ADD ("bad-request", test_bad_request);
  ADD ("timeout", test_timeout);
  ADD ("truncated", test_truncated);
  ADD ("stream", test_stream);
  ADD ("provider", test_provider);
  ADD ("run-finish", test_run_finish_error);
  ADD ("state-property", test_state_property);
#undef ADD
  g_test_add_func ("/juxta/core/request-error/network", test_network);
  g_test_add_func ("/juxta/core/request-error/tls", test_tls);
  g_test_add_func ("/juxta/core/request-error/refused-by-policy", test_refused_by_policy);
  g_test_add_func ("/juxta/core/request-error/no-key", test_no_key);
  g_test_add_func ("/juxta/core/request-error/config", test_config);
  g_test_add_func ("/juxta/core/engine/properties", test_engine_properties);
  g_test_add_func ("/juxta/core/response/boxed", test_response_boxed);
  g_test_add_func ("/juxta/core/request-error/german", test_german);

  return g_test_run ();
}
