/* test-engine-errors.c — every way a stream can fail, and what the user is told
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-util.h"

#define LOCAL_JSON \
  "{\"providers\":[{\"id\":\"groq\",\"base_url\":\"@URL@/v1\"," \
  "\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":2}]}]}"

static const char *chunk_hi = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
static const char *chunk_there = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"}}]}\n\n";
static const char *chunk_done = "data: [DONE]\n\n";

static JxResponse *
run (JxTestFixture *f)
{
  return jx_test_run (f->engine, "groq", "m", "gsk-test", NULL);
}

static void
add_ok_stream (JxTestFixture *f)
{
  JxFakeResponse *ok = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (ok, 1, chunk_hi, -1);
  jx_fake_response_add (ok, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", ok);
}

static void
test_key_rejected (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", "/v1/chat/completions",
                      jx_fake_response_new_json (401, "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
  r = run (f);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_AUTH, "Groq", "Invalid API Key");
  g_assert_cmpuint (r->http_status, ==, 401);
  g_assert_cmpuint (r->retries, ==, 0);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/chat/completions"), ==, 1);
}

static void
test_bad_model (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", "/v1/chat/completions",
                      jx_fake_response_new_json (404, "{\"error\":{\"message\":\"The model `m` does not exist or you do not have access to it.\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}"));
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_NOT_FOUND, "Groq", "m", "The model `m` does not exist or you do not have access to it.");
}

static void
test_rate_limited_then_ok (JxTestFixture *f,
                           gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *limited = jx_fake_response_new_json (429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}");

  jx_fake_response_add_header (limited, "retry-after-ms", "50");
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", limited);
  add_ok_stream (f);

  r = run (f);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "Hi");
  g_assert_cmpuint (r->retries, ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/chat/completions"), ==, 2);
}

static void
test_rate_limited_gives_up (JxTestFixture *f,
                            gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *limited = jx_fake_response_new_json (429, "{\"error\":{\"message\":\"Rate limit reached\"}}");

  /* The last queued response repeats for every further request. */
  jx_fake_response_add_header (limited, "retry-after", "0.05");
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", limited);

  r = run (f);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpuint (r->retries, ==, JX_REQUEST_MAX_RETRIES);
  jx_assert_request_error (r, JX_REQUEST_ERROR_RATE_LIMITED, "Groq", "1 s");
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/chat/completions"), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (r->ratelimit_headers, "retry-after"), ==, "0.05");
}

/* An error page is read only far enough to explain itself: one that never ends must not
 * turn a retryable 503 into a timeout. */
static void
test_endless_error_page (JxTestFixture *f,
                         gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *endless = jx_fake_response_new (503, "text/html");
  g_autoptr(GString) page = g_string_new ("<html><body><h1>Service Unavailable</h1>");

  while (page->len < 80 * 1024)
    g_string_append (page, "<p>The server is busy. Please try again later.</p>\n");
  jx_fake_response_add_header (endless, "retry-after-ms", "10");
  jx_fake_response_add (endless, 0, page->str, page->len);
  jx_fake_response_add (endless, 60 * 1000, "</body></html>", -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", endless);
  jx_engine_set_timeouts (f->engine, 2, 2);

  r = run (f);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_OVERLOADED, "Groq");
  g_assert_cmpuint (r->retries, ==, JX_REQUEST_MAX_RETRIES);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/chat/completions"), ==, 4);
}

static void
test_quota_not_retried (JxTestFixture *f,
                        gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", "/v1/chat/completions",
                      jx_fake_response_new_json (429, "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\",\"type\":\"insufficient_quota\"}}"));
  r = run (f);
  g_assert_cmpuint (r->retries, ==, 0);
  jx_assert_request_error (r, JX_REQUEST_ERROR_QUOTA, "Groq", "You exceeded your current quota");
}

static void
test_overloaded_backoff (JxTestFixture *f,
                         gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  gint64 before = g_get_monotonic_time ();

  jx_fake_server_add (f->server, "POST", "/v1/chat/completions",
                      jx_fake_response_new_json (503, "{\"error\":{\"message\":\"Service Overloaded\"}}"));
  add_ok_stream (f);

  r = run (f);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->retries, ==, 1);
  /* No retry-after: the first backoff is 500 ms plus up to 500 ms of jitter. */
  g_assert_cmpint (g_get_monotonic_time () - before, >=, 500 * 1000);
}

static void
test_midstream_error_keeps_text (JxTestFixture *f,
                                 gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add_file (fake, 1, 1, "openai-midstream-error.sse");
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", fake);

  r = run (f);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpstr (r->text->str, ==, "Hi");
  jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Groq", "The server had an error while processing your request. Sorry about that!");
  /* Nothing is retried once a token has arrived. */
  g_assert_cmpuint (r->retries, ==, 0);
}

static void
test_truncated_stream (JxTestFixture *f,
                       gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_response_add (fake, 1, chunk_there, -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", fake);

  r = run (f);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpstr (r->text->str, ==, "Hi there");
  jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, "Groq");
}

static void
test_dropped_connection (JxTestFixture *f,
                         gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_response_add (fake, 1, "data: {\"choi", -1);
  jx_fake_response_set_abort (fake, TRUE);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", fake);

  r = run (f);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpstr (r->text->str, ==, "Hi");
  jx_assert_request_error (r, JX_REQUEST_ERROR_NETWORK, "Groq");
}

static void
test_invalid_json_event (JxTestFixture *f,
                         gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_response_add (fake, 1, "data: {not json}\n\n", -1);
  jx_fake_response_add (fake, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", fake);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "Groq", "sent an event that is not valid JSON");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

static void
test_connection_refused (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autofree char *url = g_strdup (jx_fake_server_get_url (server));
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(JxResponse) r = NULL;

  /* Nothing listens on the port once the server is gone. */
  g_clear_pointer (&server, jx_fake_server_free);
  catalog = jx_test_catalog (url, LOCAL_JSON);
  engine = jx_engine_new (catalog);
  r = jx_test_run (engine, "groq", "m", "gsk-test", NULL);

  jx_assert_request_error (r, JX_REQUEST_ERROR_NETWORK, "Groq", "127.0.0.1");
  g_assert_cmpuint (r->http_status, ==, 0);
}

static void
test_dns_failure (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("",
    "{\"providers\":[{\"id\":\"groq\",\"base_url\":\"https://no-such-host.invalid/v1\"}]}");
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = jx_test_run (engine, "groq", "m", "gsk-test", NULL);

  jx_assert_request_error (r, JX_REQUEST_ERROR_NETWORK, "Groq", "no-such-host.invalid");
}

static gboolean
plain_text_incoming_cb (GSocketService    *service,
                        GSocketConnection *connection,
                        GObject           *source,
                        gpointer           user_data)
{
  static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             reply, sizeof reply - 1, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_tls_failure (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A server that answers a TLS handshake in plain text. */
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (plain_text_incoming_cb), NULL);
  g_socket_service_start (service);

  url = g_strdup_printf ("https://127.0.0.1:%u", port);
  catalog = jx_test_catalog (url, LOCAL_JSON);
  engine = jx_engine_new (catalog);
  jx_engine_set_timeouts (engine, 10, 10);
  r = jx_test_run (engine, "groq", "m", "gsk-test", NULL);

  g_test_message ("TLS error: %s", r->error != NULL ? r->error->message : "(none)");
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TLS, "Groq");
  g_socket_service_stop (service);
}

static void
test_connect_timeout (JxTestFixture *f,
                      gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *slow = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_set_header_delay (slow, 2500);
  jx_fake_response_add (slow, 1, chunk_hi, -1);
  jx_fake_response_add (slow, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", slow);
  jx_engine_set_timeouts (f->engine, 1, 60);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TIMEOUT, "Groq", "1 s");
}

static void
test_idle_timeout_keeps_text (JxTestFixture *f,
                              gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *stall = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (stall, 1, chunk_hi, -1);
  jx_fake_response_add (stall, 2500, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", stall);
  jx_engine_set_timeouts (f->engine, 30, 1);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TIMEOUT, "Groq", "1 s");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

static void
cancel_on_first_delta_cb (JxRequest    *request,
                          const char   *text,
                          gboolean      reasoning,
                          GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* A Groq request on the fake, started with @cancellable; @signal_name's handler decides
 * when to cancel. */
static JxRequest *
start_cancellable_request (JxTestFixture *f,
                           GCancellable  *cancellable,
                           const char    *signal_name,
                           GCallback      handler,
                           JxTestRun     *run_data)
{
  JxRequest *request;
  JxPrompt prompt;

  jx_prompt_init (&prompt);
  prompt.user = (char *) "hi";
  request = jx_request_new (f->engine, jx_catalog_lookup (f->catalog, "groq"), "m", &prompt);
  jx_request_set_credential (request, "gsk-test");
  g_signal_connect (request, signal_name, handler, cancellable);
  jx_request_run_async (request, cancellable, jx_test_run_done_cb, run_data);

  return request;
}

/* "Hi", then " there" @gap_ms later and the end; @on_delta stops the request at "Hi". */
static void
check_stopped_at_first_delta (JxTestFixture *f,
                              guint          gap_ms,
                              GCallback      on_delta)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JxRequest) request = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  JxTestRun run_data = { g_main_loop_new (NULL, FALSE), NULL };

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_response_add (fake, gap_ms, chunk_there, -1);
  jx_fake_response_add (fake, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", fake);

  request = start_cancellable_request (f, cancellable, "delta", on_delta, &run_data);
  g_main_loop_run (run_data.loop);
  g_main_loop_unref (run_data.loop);

  g_assert_cmpint (run_data.response->status, ==, JX_RESPONSE_CANCELLED);
  jx_assert_request_stopped (run_data.response);
  g_assert_cmpstr (run_data.response->text->str, ==, "Hi");
  g_assert_cmpint (jx_request_get_state (request), ==, JX_REQUEST_STATE_CANCELLED);
  jx_response_unref (run_data.response);
}

static void
test_cancel_keeps_text (JxTestFixture *f,
                        gconstpointer  data)
{
  check_stopped_at_first_delta (f, 1000, G_CALLBACK (cancel_on_first_delta_cb));
}

static void
stall_then_cancel_cb (JxRequest    *request,
                      const char   *text,
                      gboolean      reasoning,
                      GCancellable *cancellable)
{
  if (g_cancellable_is_cancelled (cancellable))
    return;
  /* A busy main loop: meanwhile the rest of the answer and its end are read and queued. */
  g_usleep (300 * 1000);
  g_cancellable_cancel (cancellable);
}

/* Stop pressed after the network thread already read the end: the pieces still queued
 * are dropped, and the answer is "stopped", not judged as a stream without its end. */
static void
test_cancel_with_end_queued (JxTestFixture *f,
                             gconstpointer  data)
{
  check_stopped_at_first_delta (f, 20, G_CALLBACK (stall_then_cancel_cb));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
cancel_when_retrying_cb (JxRequest    *request,
                         GParamSpec   *pspec,
                         GCancellable *cancellable)
{
  if (jx_request_get_state (request) == JX_REQUEST_STATE_RETRYING)
    g_idle_add_full (G_PRIORITY_DEFAULT, cancel_cb, g_object_ref (cancellable), g_object_unref);
}

/* Stop during a minute's wait before a retry ends the request now, not after the minute. */
static void
test_cancel_while_waiting_to_retry (JxTestFixture *f,
                                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JxRequest) request = NULL;
  JxFakeResponse *limited = jx_fake_response_new_json (429, "{\"error\":{\"message\":\"Rate limit reached\"}}");
  JxTestRun run_data = { g_main_loop_new (NULL, FALSE), NULL };
  guint give_up;

  jx_fake_response_add_header (limited, "retry-after", "59");
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", limited);

  request = start_cancellable_request (f, cancellable, "notify::state",
                                       G_CALLBACK (cancel_when_retrying_cb), &run_data);
  /* Far short of the 59 s wait: the loop only ends this way if Stop did nothing. */
  give_up = g_timeout_add_seconds (20, give_up_cb, run_data.loop);
  g_main_loop_run (run_data.loop);
  g_main_loop_unref (run_data.loop);

  g_assert_nonnull (run_data.response);
  g_source_remove (give_up);
  g_assert_cmpint (run_data.response->status, ==, JX_RESPONSE_CANCELLED);
  jx_assert_request_stopped (run_data.response);
  g_assert_cmpuint (run_data.response->retries, ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, "/v1/chat/completions"), ==, 1);
  g_assert_cmpint (jx_request_get_state (request), ==, JX_REQUEST_STATE_CANCELLED);
  jx_response_unref (run_data.response);
}

static void
test_ratelimit_headers (JxTestFixture *f,
                        gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *ok = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add_header (ok, "x-ratelimit-remaining-requests", "14399");
  jx_fake_response_add_header (ok, "x-ratelimit-remaining-tokens", "5869");
  jx_fake_response_add_header (ok, "x-ratelimit-reset-tokens", "7.66s");
  jx_fake_response_add (ok, 1, chunk_hi, -1);
  jx_fake_response_add (ok, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", "/v1/chat/completions", ok);

  r = run (f);
  g_assert_cmpint (r->ratelimit_remaining_requests, ==, 14399);
  g_assert_cmpint (r->ratelimit_remaining_tokens, ==, 5869);
  g_assert_cmpstr (g_hash_table_lookup (r->ratelimit_headers, "x-ratelimit-reset-tokens"), ==, "7.66s");
}

static void
test_missing_key (void)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog ("", NULL);
  g_autoptr(JxEngine) engine = jx_engine_new (catalog);
  g_autoptr(JxResponse) r = NULL;

  g_unsetenv ("GROQ_API_KEY");
  r = jx_test_run (engine, "groq", "llama-3.3-70b-versatile", NULL, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_NO_KEY, "no key for Groq: set GROQ_API_KEY or add one in Preferences");
  g_assert_cmpint (r->timing.t_start, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("GROQ_API_KEY");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) jx_test_add (path, LOCAL_JSON, func)
  ADD ("/juxta/core/engine-errors/key-rejected", test_key_rejected);
  ADD ("/juxta/core/engine-errors/bad-model", test_bad_model);
  ADD ("/juxta/core/engine-errors/rate-limited-then-ok", test_rate_limited_then_ok);
  ADD ("/juxta/core/engine-errors/rate-limited-gives-up", test_rate_limited_gives_up);
  ADD ("/juxta/core/engine-errors/quota-not-retried", test_quota_not_retried);
  ADD ("/juxta/core/engine-errors/endless-error-page", test_endless_error_page);
  ADD ("/juxta/core/engine-errors/overloaded-backoff", test_overloaded_backoff);
  ADD ("/juxta/core/engine-errors/midstream", test_midstream_error_keeps_text);
  ADD ("/juxta/core/engine-errors/truncated", test_truncated_stream);
  ADD ("/juxta/core/engine-errors/dropped-connection", test_dropped_connection);
  ADD ("/juxta/core/engine-errors/invalid-json", test_invalid_json_event);
  ADD ("/juxta/core/engine-errors/connect-timeout", test_connect_timeout);
  ADD ("/juxta/core/engine-errors/idle-timeout", test_idle_timeout_keeps_text);
  ADD ("/juxta/core/engine-errors/cancel", test_cancel_keeps_text);
  ADD ("/juxta/core/engine-errors/cancel-while-waiting", test_cancel_while_waiting_to_retry);
  ADD ("/juxta/core/engine-errors/cancel-with-end-queued", test_cancel_with_end_queued);
  ADD ("/juxta/core/engine-errors/ratelimit-headers", test_ratelimit_headers);
#undef ADD
  g_test_add_func ("/juxta/core/engine-errors/connection-refused", test_connection_refused);
  g_test_add_func ("/juxta/core/engine-errors/dns", test_dns_failure);
  g_test_add_func ("/juxta/core/engine-errors/tls", test_tls_failure);
  g_test_add_func ("/juxta/core/engine-errors/missing-key", test_missing_key);

  return g_test_run ();
}
