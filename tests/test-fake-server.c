/* test-fake-server.c — self-test for the loopback fake provider
 *
 * Copyright 2025 The Juxta authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jx-fake-server.h"

#define MS(us) ((us) / 1000.0)

static const char *fixtures[] = {
  "anthropic-basic.sse",
  "anthropic-midstream-error.sse",
  "azure-filter.sse",
  "cohere-basic.sse",
  "fireworks-basic.sse",
  "gemini-basic.sse",
  "groq-basic.sse",
  "huggingface-basic.sse",
  "mistral-basic.sse",
  "ollama-native.ndjson",
  "ollama-v1-basic.sse",
  "openai-basic.sse",
  "openai-midstream-error.sse",
  "openrouter-basic.sse",
  "replicate-basic.sse",
  "together-basic.sse",
  "vertex-gemini-basic.sse",
};

/* ---------------------------------------------------------------------------------------- */
/* A raw streaming client: g_input_stream_read_async in the test's main loop, one timestamp
 * per network read. */

typedef struct
{
  SoupMessage  *msg;
  GInputStream *in;
  gint64        t_send;
  gint64        t_headers;
  GArray       *read_times;  /* gint64 */
  GPtrArray    *reads;       /* GBytes */
  GByteArray   *body;
  GError       *error;
  guint         status;
  gboolean      done;
  guint8        buf[8192];
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_clear_object (&f->msg);
  g_clear_object (&f->in);
  g_array_unref (f->read_times);
  g_ptr_array_unref (f->reads);
  g_byte_array_unref (f->body);
  g_clear_error (&f->error);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void fetch_read_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
fetch_read_next (Fetch *f)
{
  g_input_stream_read_async (f->in, f->buf, sizeof f->buf, G_PRIORITY_DEFAULT, NULL,
                             fetch_read_cb, f);
}

static void
fetch_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *f = user_data;
  gint64 now = g_get_monotonic_time ();
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &f->error);
  if (n <= 0)
    {
      /* Closing releases the connection back to the session's pool. */
      g_input_stream_close (f->in, NULL, NULL);
      f->done = TRUE;
      return;
    }

  g_array_append_val (f->read_times, now);
  g_ptr_array_add (f->reads, g_bytes_new (f->buf, n));
  g_byte_array_append (f->body, f->buf, n);
  fetch_read_next (f);
}

static void
fetch_send_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *f = user_data;

  f->t_headers = g_get_monotonic_time ();
  f->in = soup_session_send_finish (SOUP_SESSION (object), result, &f->error);
  if (f->in == NULL)
    {
      f->done = TRUE;
      return;
    }

  f->status = soup_message_get_status (f->msg);
  fetch_read_next (f);
}

static Fetch *
fetch_start_full (SoupSession  *session,
                  JxFakeServer *server,
                  const char   *method,
                  const char   *path_and_query,
                  const char   *body,
                  const char   *first_header,
                  ...)
{
  g_autofree char *url = g_strconcat (jx_fake_server_get_url (server), path_and_query, NULL);
  Fetch *f = g_new0 (Fetch, 1);
  SoupMessageHeaders *headers;
  const char *name;
  va_list args;

  f->read_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->reads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  f->body = g_byte_array_new ();
  f->msg = soup_message_new (method, url);
  g_assert_nonnull (f->msg);
  headers = soup_message_get_request_headers (f->msg);
  soup_message_headers_replace (headers, "Accept-Encoding", "identity");

  va_start (args, first_header);
  for (name = first_header; name != NULL; name = va_arg (args, const char *))
    soup_message_headers_append (headers, name, va_arg (args, const char *));
  va_end (args);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (f->msg, "application/json", bytes);
    }

  f->t_send = g_get_monotonic_time ();
  soup_session_send_async (session, f->msg, G_PRIORITY_DEFAULT, NULL, fetch_send_cb, f);
  return f;
}

#define fetch_start(session, server, method, path) \
  fetch_start_full (session, server, method, path, NULL, NULL)

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
fetch_wait_all (Fetch **fetches,
                guint   n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  for (guint i = 0; i < n; i++)
    while (!fetches[i]->done && !timed_out)
      g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
fetch_wait (Fetch *f)
{
  fetch_wait_all (&f, 1);
}

static char *
fetch_body (Fetch *f)
{
  return g_strndup ((const char *) f->body->data, f->body->len);
}

static SoupSession *
new_session (int max_conns_per_host)
{
  SoupSession *session;

  session = soup_session_new_with_options ("max-conns", 64,
                                           "max-conns-per-host", max_conns_per_host,
                                           "timeout", 20,
                                           NULL);
  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

/* ---------------------------------------------------------------------------------------- */

static void
test_fake_server_url (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  const char *url = jx_fake_server_get_url (server);
  g_autoptr(GUri) uri = NULL;

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (url, "/"));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  /* Freeing straight after creating must not hang or crash. */
  jx_fake_server_free (jx_fake_server_new ());
}

static void
test_fake_server_not_found (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (4);
  g_autoptr(Fetch) f = NULL;
  g_autoptr(Fetch) f2 = NULL;
  g_autofree char *body = NULL;

  jx_fake_server_add (server, "GET", "/v1/models", jx_fake_response_new_json (200, "{}"));

  f = fetch_start (session, server, "GET", "/v1/nope");
  fetch_wait (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->status, ==, 404);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (f->msg),
                                                          NULL), ==, "application/json");
  body = fetch_body (f);
  g_assert_true (g_str_has_prefix (body, "{\"error\":{\"message\":\"Unknown request URL: GET /v1/nope."));
  g_assert_nonnull (strstr (body, "\"type\":\"invalid_request_error\""));
  g_assert_nonnull (strstr (body, "\"code\":\"unknown_url\"}}"));
  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/v1/nope"), ==, 1);

  /* The route exists for GET only. */
  f2 = fetch_start (session, server, "POST", "/v1/models");
  fetch_wait (f2);
  g_assert_cmpuint (f2->status, ==, 404);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/v1/models"), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, NULL), ==, 2);
}

static void
test_fake_server_timing (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (4);
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream; charset=utf-8");
  const char *pieces[] = { "data: first\n\n", "data: second\n\n", "data: third\n\n" };
  g_autoptr(Fetch) f = NULL;
  gint64 t_req, t_write;
  double first, gap1, gap2;

  jx_fake_response_add_header (r, "x-request-id", "req_123");
  jx_fake_response_add (r, 120, pieces[0], -1);
  jx_fake_response_add (r, 100, pieces[1], -1);
  jx_fake_response_add (r, 100, pieces[2], -1);
  jx_fake_server_add (server, "POST", "/v1/chat/completions", r);

  f = fetch_start_full (session, server, "POST", "/v1/chat/completions", "{}", NULL);
  fetch_wait (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_response_headers (f->msg)),
                   ==, SOUP_ENCODING_CHUNKED);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (f->msg),
                                                 "X-Request-Id"), ==, "req_123");
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (f->msg),
                                                 "Content-Type"), ==,
                   "text/event-stream; charset=utf-8");


  /* Each piece arrives on its own, promptly (pause/unpause + TCP_NODELAY). */
  g_assert_cmpuint (f->reads->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      GBytes *b = g_ptr_array_index (f->reads, i);

      g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), pieces[i], strlen (pieces[i]));
    }

  t_req = jx_fake_server_get_last_request_time (server, "/v1/chat/completions");
  t_write = jx_fake_server_get_last_first_write_time (server, "/v1/chat/completions");
  first = MS (g_array_index (f->read_times, gint64, 0) - t_req);
  gap1 = MS (g_array_index (f->read_times, gint64, 1) - g_array_index (f->read_times, gint64, 0));
  gap2 = MS (g_array_index (f->read_times, gint64, 2) - g_array_index (f->read_times, gint64, 1));
  g_test_message ("request at %.2f ms, headers at %.2f ms (after send); first piece written "
                  "%.2f ms and read %.2f ms after the request; gaps %.2f ms, %.2f ms",
                  MS (t_req - f->t_send), MS (f->t_headers - f->t_send),
                  MS (t_write - t_req), first, gap1, gap2);
  /* Headers are sent at once, not held back until the first piece. */
  g_assert_cmpint (t_req, >=, f->t_send);
  g_assert_cmpint (t_req, <=, f->t_headers);
  g_assert_cmpfloat (MS (f->t_headers - t_req), <, 60);
  g_assert_cmpfloat (first, >=, 119);
  g_assert_cmpfloat (first, <=, 165);
  g_assert_cmpfloat (gap1, >=, 90);
  g_assert_cmpfloat (gap1, <=, 140);
  g_assert_cmpfloat (gap2, >=, 90);
  g_assert_cmpfloat (gap2, <=, 140);

  /* Server-side timestamps are on the same monotonic clock. */
  g_assert_cmpfloat (MS (t_write - t_req), >=, 119.9);
  g_assert_cmpfloat (MS (t_write - t_req), <=, 160);
  g_assert_cmpint (t_write, <=, g_array_index (f->read_times, gint64, 0));
}

static void
test_fake_server_header_delay (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (4);
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(Fetch) f = NULL;
  double headers, first;
  gint64 t_req;

  jx_fake_response_set_header_delay (r, 80);
  jx_fake_response_add (r, 150, "data: x\n\n", -1);
  jx_fake_server_add (server, "POST", "/slow", r);

  f = fetch_start (session, server, "POST", "/slow");
  fetch_wait (f);
  g_assert_no_error (f->error);
  t_req = jx_fake_server_get_last_request_time (server, "/slow");
  headers = MS (f->t_headers - t_req);
  first = MS (g_array_index (f->read_times, gint64, 0) - t_req);
  g_test_message ("after the request: headers %.2f ms, first piece %.2f ms", headers, first);
  g_assert_cmpfloat (headers, >=, 79.9);
  g_assert_cmpfloat (headers, <=, 125);
  g_assert_cmpfloat (first, >=, 149.9);
  g_assert_cmpfloat (first, <=, 195);
}

static void
check_random_split (const char *fixture,
                    guint32     seed,
                    gsize       max_piece)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (4);
  g_autoptr(GBytes) expected = jx_fake_load_fixture (fixture);
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(Fetch) f = NULL;
  g_autoptr(Fetch) f2 = NULL;

  jx_fake_response_add_file (r, 0, 2, fixture);
  jx_fake_response_set_random_split (r, seed, max_piece);
  jx_fake_server_add (server, "POST", "/stream", r);

  f = fetch_start (session, server, "POST", "/stream");
  fetch_wait (f);
  g_assert_no_error (f->error);
  g_assert_cmpmem (f->body->data, f->body->len,
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_cmpuint (f->reads->len, >, 1);

  /* The same response again (last one repeats), same bytes. */
  f2 = fetch_start (session, server, "POST", "/stream");
  fetch_wait (f2);
  g_assert_no_error (f2->error);
  g_assert_cmpmem (f2->body->data, f2->body->len,
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_test_message ("%s: %u and %u client reads for %" G_GSIZE_FORMAT " bytes", fixture,
                  f->reads->len, f2->reads->len, g_bytes_get_size (expected));
}

static void
test_fake_server_random_split (void)
{
  check_random_split ("openai-basic.sse", 1234, 7);
  check_random_split ("gemini-basic.sse", 42, 1);
  check_random_split ("ollama-native.ndjson", 7, 3);
  check_random_split ("anthropic-basic.sse", 99, 64);
}

static void
test_fake_server_sequence (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (4);
  const char *bodies[] = { "one", "two", "three" };
  const char *expected[] = { "one", "two", "three", "three" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      JxFakeResponse *r = jx_fake_response_new (200 + i, "text/plain");

      jx_fake_response_add (r, 0, bodies[i], -1);
      jx_fake_server_add (server, "GET", "/seq", r);
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(Fetch) f = fetch_start (session, server, "GET", "/seq?n=1");
      g_autofree char *body = NULL;

      fetch_wait (f);
      g_assert_no_error (f->error);
      body = fetch_body (f);
      g_assert_cmpstr (body, ==, expected[i]);
      g_assert_cmpuint (f->status, ==, 200 + MIN (i, 2));
    }

  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/seq"), ==, 4);
}

static void
check_abort (gboolean content_length)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (4);
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(Fetch) f = NULL;
  g_autoptr(Fetch) f2 = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body2 = NULL;

  jx_fake_response_add (r, 0, "data: {\"partial\":", -1);
  jx_fake_response_add (r, 20, " true", -1);
  jx_fake_response_set_abort (r, TRUE);
  jx_fake_response_set_content_length (r, content_length);
  jx_fake_server_add (server, "POST", "/drop", r);
  jx_fake_server_add (server, "GET", "/ok", jx_fake_response_new_json (200, "{\"ok\":true}"));

  f = fetch_start (session, server, "POST", "/drop");
  fetch_wait (f);
  g_assert_cmpuint (f->status, ==, 200);
  g_assert_nonnull (f->error);
  g_test_message ("abort (%s): %s", content_length ? "content-length" : "chunked",
                  f->error->message);
  body = fetch_body (f);
  g_assert_cmpstr (body, ==, "data: {\"partial\": true");

  /* The server keeps serving. */
  f2 = fetch_start (session, server, "GET", "/ok");
  fetch_wait (f2);
  g_assert_no_error (f2->error);
  body2 = fetch_body (f2);
  g_assert_cmpstr (body2, ==, "{\"ok\":true}");
}

static void
test_fake_server_abort (void)
{
  check_abort (FALSE);
  check_abort (TRUE);
}

static void
test_fake_server_recording (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (4);
  const char *path = "/openai/deployments/gpt4o/chat/completions";
  const char *bedrock = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream";
  const char *json = "{\"model\":\"m\",\"stream\":true,\"text\":\"é日本\"}";
  g_autoptr(Fetch) f = NULL;
  g_autoptr(Fetch) f2 = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *auth_lower = NULL;
  g_autofree char *custom = NULL;
  g_autofree char *absent = NULL;
  g_autofree char *query = NULL;
  g_autofree char *method = NULL;
  g_autofree char *resp = NULL;
  gint64 t_req;

  jx_fake_server_add (server, "POST", path, jx_fake_response_new_json (200, "{\"ok\":true}"));
  jx_fake_server_add (server, "POST", bedrock, jx_fake_response_new_json (200, "{}"));

  f = fetch_start_full (session, server, "POST", "/openai/deployments/gpt4o/chat/completions"
                        "?api-version=2024-10-21", json,
                        "api-key", "azure-key",
                        "Authorization", "Bearer sk-test",
                        "X-Custom", "a",
                        "X-Custom", "b",
                        NULL);
  fetch_wait (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_response_headers (f->msg)),
                   ==, SOUP_ENCODING_CONTENT_LENGTH);
  resp = fetch_body (f);
  g_assert_cmpstr (resp, ==, "{\"ok\":true}");

  g_assert_cmpuint (jx_fake_server_get_request_count (server, path), ==, 1);
  auth = jx_fake_server_get_last_header (server, path, "Authorization");
  auth_lower = jx_fake_server_get_last_header (server, path, "authorization");
  custom = jx_fake_server_get_last_header (server, path, "x-custom");
  absent = jx_fake_server_get_last_header (server, path, "x-goog-api-key");
  g_assert_cmpstr (auth, ==, "Bearer sk-test");
  g_assert_cmpstr (auth_lower, ==, "Bearer sk-test");
  g_assert_cmpstr (custom, ==, "a, b");
  g_assert_null (absent);
  g_clear_pointer (&absent, g_free);
  absent = jx_fake_server_get_last_header (server, "/never", "Authorization");
  g_assert_null (absent);

  query = jx_fake_server_get_last_query (server, path);
  g_assert_cmpstr (query, ==, "api-version=2024-10-21");
  method = jx_fake_server_get_last_method (server, path);
  g_assert_cmpstr (method, ==, "POST");
  body = jx_fake_server_get_last_body (server, path);
  g_assert_nonnull (body);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), json, strlen (json));
  g_assert_null (jx_fake_server_get_last_body (server, "/never"));
  g_assert_cmpint (jx_fake_server_get_last_request_time (server, "/never"), ==, 0);

  t_req = jx_fake_server_get_last_request_time (server, path);
  g_assert_cmpint (t_req, >=, f->t_send);
  g_assert_cmpint (t_req, <=, f->t_headers);

  /* Paths are compared percent-decoded (SoupServer decodes them). */
  f2 = fetch_start_full (session, server, "POST", bedrock, "{\"messages\":[]}", NULL);
  fetch_wait (f2);
  g_assert_no_error (f2->error);
  g_assert_cmpuint (f2->status, ==, 200);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, bedrock), ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (
                      server, "/model/anthropic.claude-3-haiku-20240307-v1:0/converse-stream"),
                    ==, 1);
  g_clear_pointer (&query, g_free);
  query = jx_fake_server_get_last_query (server, bedrock);
  g_assert_null (query);
}

#define N_CONCURRENT 16

static void
test_fake_server_concurrent (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = new_session (N_CONCURRENT);
  Fetch *fetches[N_CONCURRENT];
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");
  gint64 t_start;
  double lo = G_MAXDOUBLE, hi = 0;

  jx_fake_response_add (r, 200, "data: a\n\n", -1);
  jx_fake_response_add (r, 50, "data: b\n\n", -1);
  jx_fake_server_add (server, "POST", "/v1/chat/completions", r);

  t_start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CONCURRENT; i++)
    fetches[i] = fetch_start_full (session, server, "POST", "/v1/chat/completions", "{}", NULL);
  fetch_wait_all (fetches, N_CONCURRENT);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      Fetch *f = fetches[i];
      double first;
      g_autofree char *body = NULL;

      g_assert_no_error (f->error);
      g_assert_cmpuint (f->status, ==, 200);
      body = fetch_body (f);
      g_assert_cmpstr (body, ==, "data: a\n\ndata: b\n\n");
      first = MS (g_array_index (f->read_times, gint64, 0) - t_start);
      lo = MIN (lo, first);
      hi = MAX (hi, first);
    }

  g_test_message ("first bytes of %d streams between %.2f and %.2f ms", N_CONCURRENT, lo, hi);
  /* All within one delay window; serialised (2 connections per host, libsoup's default),
   * the last would arrive after 8 × 250 ms. */
  g_assert_cmpfloat (lo, >=, 199);
  g_assert_cmpfloat (hi - lo, <=, 150);
  g_assert_cmpfloat (hi, <=, 600);
  g_assert_cmpuint (jx_fake_server_get_request_count (server, "/v1/chat/completions"), ==,
                    N_CONCURRENT);

  for (guint i = 0; i < N_CONCURRENT; i++)
    fetch_free (fetches[i]);
}

static void
check_split (const char  *fixture,
             guint        n_events,
             const char  *terminator)
{
  g_autoptr(GBytes) data = jx_fake_load_fixture (fixture);
  g_autoptr(GPtrArray) events = jx_fake_split_events (data, jx_fake_split_mode_for_name (fixture));
  g_autoptr(GByteArray) joined = g_byte_array_new ();

  g_assert_cmpuint (events->len, ==, n_events);
  for (guint i = 0; i < events->len; i++)
    {
      gsize len;
      const char *p = g_bytes_get_data (g_ptr_array_index (events, i), &len);
      g_autofree char *s = g_strndup (p, len);

      g_assert_true (g_str_has_suffix (s, terminator));
      /* Exactly one terminator: no event swallowed the next one. */
      g_assert_true (strstr (s, terminator) == s + len - strlen (terminator));
      g_byte_array_append (joined, (const guint8 *) p, len);
    }
  g_assert_cmpmem (joined->data, joined->len, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

static GBytes *
bytes_from_hex (const char *hex)
{
  gsize n = strlen (hex) / 2;
  guint8 *buf = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    buf[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);
  return g_bytes_new_take (buf, n);
}

static void
test_fake_server_split_events (void)
{
  /* AWS's own example frame (61 bytes) and Bedrock's messageStop (122 bytes). */
  g_autoptr(GBytes) frames = bytes_from_hex (
    "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e"
    "7b27666f6f273a27626172277d8d9c08b1"
    "0000007a00000051ca2c46650b3a6576656e742d7479706507000b6d65737361676553746f700d3a636f6e74"
    "656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d74797065070005"
    "6576656e747b2273746f70526561736f6e223a22656e645f7475726e227d5fbf09fc"
    "000000");
  g_autoptr(GPtrArray) pieces = NULL;
  g_autoptr(GBytes) crlf = g_bytes_new_static ("a: 1\r\n\r\nb: 2\r\r:c\n\nd", 19);
  g_autoptr(GPtrArray) crlf_events = NULL;

  check_split ("openai-basic.sse", 7, "\n\n");
  check_split ("openrouter-basic.sse", 7, "\n\n");
  check_split ("anthropic-basic.sse", 8, "\n\n");
  check_split ("replicate-basic.sse", 3, "\n\n");
  check_split ("gemini-basic.sse", 3, "\r\n\r\n");
  check_split ("vertex-gemini-basic.sse", 2, "\r\n\r\n");
  check_split ("ollama-native.ndjson", 4, "\n");

  g_assert_cmpint (jx_fake_split_mode_for_name ("bedrock.eventstream"), ==,
                   JX_FAKE_SPLIT_EVENTSTREAM);
  pieces = jx_fake_split_events (frames, JX_FAKE_SPLIT_EVENTSTREAM);
  g_assert_cmpuint (pieces->len, ==, 3);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (pieces, 0)), ==, 61);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (pieces, 1)), ==, 122);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (pieces, 2)), ==, 3);

  crlf_events = jx_fake_split_events (crlf, JX_FAKE_SPLIT_SSE);
  g_assert_cmpuint (crlf_events->len, ==, 4);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (crlf_events, 0)), ==, 8);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (crlf_events, 1)), ==, 6);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (crlf_events, 2)), ==, 4);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (crlf_events, 3)), ==, 1);
}

/* The JSON payload of one event (NDJSON: its line), or NULL when it has none to parse:
 * no data, the [DONE] marker, or Replicate's plain-text output events. */
static GString *
event_payload (GBytes          *event,
               JxFakeSplitMode  mode)
{
  gsize elen;
  const char *e = g_bytes_get_data (event, &elen);
  g_autofree char *text = g_strndup (e, elen);
  g_auto(GStrv) lines = g_regex_split_simple ("\r\n|\n", text, 0, 0);
  g_autoptr(GString) payload = NULL;
  const char *event_name = NULL;

  for (guint k = 0; lines[k] != NULL; k++)
    {
      const char *line = lines[k];

      if (mode == JX_FAKE_SPLIT_LINES)
        {
          if (*line != '\0')
            payload = g_string_new (line);
          continue;
        }
      if (g_str_has_prefix (line, "event: "))
        event_name = line + strlen ("event: ");
      if (g_str_has_prefix (line, "data:"))
        {
          const char *v = line + 5;

          if (*v == ' ')
            v++;
          if (payload == NULL)
            payload = g_string_new (v);
          else
            g_string_append_printf (payload, "\n%s", v);
        }
    }

  if (payload == NULL || g_str_equal (payload->str, "[DONE]") ||
      g_strcmp0 (event_name, "output") == 0)
    return NULL;
  return g_steal_pointer (&payload);
}

/* Every JSON payload in every fixture parses. */
static void
test_fake_server_fixtures (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      const char *name = fixtures[i];
      g_autoptr(GBytes) data = jx_fake_load_fixture (name);
      JxFakeSplitMode mode = jx_fake_split_mode_for_name (name);
      g_autoptr(GPtrArray) events = jx_fake_split_events (data, mode);
      gsize len;
      const char *all = g_bytes_get_data (data, &len);
      guint n_json = 0;

      g_assert_true (g_utf8_validate (all, len, NULL));
      g_assert_cmpuint (events->len, >, 1);

      for (guint j = 0; j < events->len; j++)
        {
          g_autoptr(GString) payload = event_payload (g_ptr_array_index (events, j), mode);
          g_autoptr(JsonParser) parser = NULL;
          g_autoptr(GError) error = NULL;

          if (payload == NULL)
            continue;
          parser = json_parser_new ();
          if (!json_parser_load_from_data (parser, payload->str, -1, &error))
            g_error ("%s event %u: %s\n%s", name, j, error->message, payload->str);
          n_json++;
        }

      g_assert_cmpuint (n_json, >, 0);
      if (mode == JX_FAKE_SPLIT_SSE)
        g_assert_true (g_str_has_suffix (all, "\n\n") || g_str_has_suffix (all, "\r\n\r\n"));
      else
        g_assert_true (g_str_has_suffix (all, "}\n"));
    }
}

static char *
fixture_text (const char *name)
{
  g_autoptr(GBytes) b = jx_fake_load_fixture (name);

  return g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

/* Spot checks of the quirks the fake must reproduce (docs/protocols.md, "Common rules"). */
static void
test_fake_server_fixture_quirks (void)
{
  g_autofree char *gemini = fixture_text ("gemini-basic.sse");
  g_autofree char *anthropic = fixture_text ("anthropic-basic.sse");
  g_autofree char *replicate = fixture_text ("replicate-basic.sse");
  g_autofree char *ollama = fixture_text ("ollama-native.ndjson");
  g_autofree char *openrouter = fixture_text ("openrouter-basic.sse");

  g_assert_nonnull (strstr (gemini, "\xe2\x80\xa8"));  /* Raw U+2028. */
  g_assert_nonnull (strstr (gemini, "\xf0\x9f\x98\x80"));  /* U+1F600. */
  g_assert_null (strstr (gemini, "\n\n"));
  g_assert_nonnull (strstr (gemini, "}\r\n\r\ndata: {"));
  g_assert_nonnull (strstr (gemini, "\"thoughtsTokenCount\": 35"));

  g_assert_nonnull (strstr (anthropic, "event: ping\ndata: {\"type\": \"ping\"}\n\n"));
  g_assert_nonnull (strstr (anthropic, "{\"type\":\"message_stop\"        }\n\n"));

  g_assert_nonnull (strstr (replicate, "\ndata:  there!\n\n"));

  g_assert_nonnull (strstr (ollama, "\\u003cb\\u003e"));

  g_assert_true (g_str_has_prefix (openrouter, ": OPENROUTER PROCESSING\n\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/fake-server/url", test_fake_server_url);
  g_test_add_func ("/juxta/core/fake-server/not-found", test_fake_server_not_found);
  g_test_add_func ("/juxta/core/fake-server/timing", test_fake_server_timing);
  g_test_add_func ("/juxta/core/fake-server/header-delay", test_fake_server_header_delay);
  g_test_add_func ("/juxta/core/fake-server/random-split", test_fake_server_random_split);
  g_test_add_func ("/juxta/core/fake-server/sequence", test_fake_server_sequence);
  g_test_add_func ("/juxta/core/fake-server/abort", test_fake_server_abort);
  g_test_add_func ("/juxta/core/fake-server/recording", test_fake_server_recording);
  g_test_add_func ("/juxta/core/fake-server/concurrent", test_fake_server_concurrent);
  g_test_add_func ("/juxta/core/fake-server/split-events", test_fake_server_split_events);
  g_test_add_func ("/juxta/core/fake-server/fixtures", test_fake_server_fixtures);
  g_test_add_func ("/juxta/core/fake-server/fixture-quirks", test_fake_server_fixture_quirks);

  return g_test_run ();
}
