/* test-engine-limits.c — hostile servers: deep JSON, endless or huge streams, echoed keys,
 * broken escapes, web pages, giant error texts, and retry hints only in the body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-engine.h"
#include "jx-test-util.h"

#define KEY "gsk-test-secret-0123456789"

#define PROVIDERS_JSON \
  "{\"providers\":[" \
  "{\"id\":\"groq\",\"base_url\":\"@URL@/v1\",\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":2}]}," \
  "{\"id\":\"ollama\",\"base_url\":\"@URL@\",\"models\":[{\"id\":\"llama3.2\"}]}," \
  "{\"id\":\"replicate\",\"base_url\":\"@URL@\",\"models\":[{\"id\":\"meta/test-llm\"}]}," \
  "{\"id\":\"gemini\",\"base_url\":\"@URL@\",\"models\":[{\"id\":\"test-model\"}]}]}"

#define CHAT_PATH      "/v1/chat/completions"
#define GEMINI_PATH    "/v1beta/models/test-model:streamGenerateContent"
#define DEEP_LEVELS    200000

static const char *chunk_hi = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
static const char *chunk_done = "data: [DONE]\n\n";

static JxResponse *
run (JxTestFixture *f)
{
  return jx_test_run (f->engine, "groq", "m", KEY, NULL);
}

static char *
deep_json (void)
{
  char *deep = g_malloc (DEEP_LEVELS + 1);

  memset (deep, '[', DEEP_LEVELS);
  deep[DEEP_LEVELS] = '\0';
  return deep;
}

/* 200 000 nested brackets in an event: one clear error, no stack overflow. */
static void
test_deep_sse_event (JxTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *deep = deep_json ();
  g_autofree char *event = g_strdup_printf ("data: {\"choices\":%s\n\n", deep);
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_response_add (fake, 1, event, -1);
  jx_fake_response_add (fake, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "Groq", "nested deeper than 256 levels");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

static void
test_deep_ndjson_line (JxTestFixture *f,
                       gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *deep = deep_json ();
  g_autofree char *line = g_strdup_printf ("{\"message\":%s\n", deep);
  JxFakeResponse *fake = jx_fake_response_new (200, "application/x-ndjson");

  jx_fake_response_add (fake, 1, line, -1);
  jx_fake_server_add (f->server, "POST", "/api/chat", fake);

  r = jx_test_run (f->engine, "ollama", "llama3.2", NULL, NULL);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "nested deeper than 256 levels");
}

/* Replicate's first response is read whole and parsed: too deep is refused before that. */
static void
test_deep_replicate_body (JxTestFixture *f,
                          gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autofree char *deep = deep_json ();
  g_autofree char *body = g_strdup_printf ("{\"id\":\"x\",\"urls\":%s", deep);

  jx_fake_server_add (f->server, "POST", "/v1/models/meta/test-llm/predictions",
                      jx_fake_response_new_json (201, body));

  r = jx_test_run (f->engine, "replicate", "meta/test-llm", "r8_test_key_0123456789", NULL);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "nested deeper than 256 levels");
}

/* 64 MiB of tokens with a 1 MiB cap: stops at the cap, keeps what fits. */
static void
test_output_cap (JxTestFixture *f,
                 gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GString) event = g_string_new ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
  g_autoptr(GString) body = g_string_new (NULL);
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  gsize total = 0;

  for (guint i = 0; i < 4095; i++)
    g_string_append_c (event, 'a' + i % 26);
  g_string_append (event, "é\"}}]}\n\n");   /* 4097 bytes of text, the last character 2 bytes */
  while (body->len < 4 * 1024 * 1024)
    g_string_append (body, event->str);
  for (guint i = 0; i < 16; i++)
    {
      jx_fake_response_add (fake, 0, body->str, body->len);
      total += body->len;
    }
  g_assert_cmpuint (total, >=, 64 * 1024 * 1024);
  jx_fake_response_add (fake, 0, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);
  jx_engine_set_max_output_bytes (f->engine, 1024 * 1024);
  g_assert_cmpuint (jx_engine_get_max_output_bytes (f->engine), ==, 1024 * 1024);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TOO_LARGE, "Groq", "answer larger than 1.0", "MiB");
  g_assert_cmpstr (jx_request_error_get_name (r->error), ==, "too_large");
  g_assert_cmpuint (r->text->len, <=, 1024 * 1024);
  g_assert_cmpuint (r->text->len, >, 1024 * 1024 - 4097);
  g_assert_true (g_str_has_prefix (r->text->str, "abcdefghijklmnopqrstuvwxyz"));
  g_assert_true (g_utf8_validate (r->text->str, r->text->len, NULL));
}

static void
add_keepalives (JxFakeResponse *fake,
                const char     *keepalive,
                guint           gap_ms,
                guint           n)
{
  for (guint i = 0; i < n; i++)
    jx_fake_response_add (fake, gap_ms, keepalive, -1);
}

/* Keepalives every 100 ms after the first token: the idle rule ignores them. */
static void
test_keepalive_only_idle (JxTestFixture *f,
                          gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  gint64 before;

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  add_keepalives (fake, ": keepalive\n\n", 100, 60);
  jx_fake_response_add (fake, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);
  jx_engine_set_timeouts (f->engine, 30, 1);
  jx_engine_set_max_time (f->engine, 0);

  before = g_get_monotonic_time ();
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TIMEOUT, "Groq", "idle timeout");
  g_assert_cmpstr (r->text->str, ==, "Hi");
  g_assert_cmpint (g_get_monotonic_time () - before, <, 4 * G_USEC_PER_SEC);
}

/* One byte every 200 ms never makes an event: the idle watchdog is not fooled. */
static void
test_trickle_idle (JxTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  const char *slow = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"never\"}}]}\n\n";

  jx_fake_response_add (fake, 1, chunk_hi, -1);
  for (const char *p = slow; *p != '\0'; p++)
    jx_fake_response_add (fake, 200, p, 1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);
  jx_engine_set_timeouts (f->engine, 30, 1);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TIMEOUT, "Groq", "idle timeout");
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

/* Tokens every 100 ms for ever: max-time ends it with the text so far. */
static void
test_max_time (JxTestFixture *f,
               gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  gint64 before;

  add_keepalives (fake, chunk_hi, 100, 100);
  jx_fake_response_add (fake, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);
  jx_engine_set_max_time (f->engine, 1);
  g_assert_cmpuint (jx_engine_get_max_time (f->engine), ==, 1);

  before = g_get_monotonic_time ();
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TIMEOUT, "Groq", "max time");
  g_assert_true (g_str_has_prefix (r->text->str, "HiHi"));
  g_assert_cmpint (g_get_monotonic_time () - before, <, 4 * G_USEC_PER_SEC);
}

/* Keepalives before the first token count for the idle rule, max-time bounds them. */
static void
test_keepalive_before_first_token (JxTestFixture *f,
                                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  add_keepalives (fake, ": OPENROUTER PROCESSING\n\n", 300, 100);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);
  jx_engine_set_timeouts (f->engine, 30, 1);
  jx_engine_set_max_time (f->engine, 2);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TIMEOUT, "Groq", "max time");
  g_assert_cmpstr (r->text->str, ==, "");
}

/* A key the provider echoes never reaches the response. */
static void
test_echoed_key_redacted (JxTestFixture *f,
                          gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(JxResponse) r2 = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_server_add (f->server, "POST", CHAT_PATH,
                      jx_fake_response_new_json (401, "{\"error\":{\"message\":\"Incorrect API key provided: Bearer "
                                                 KEY ".\",\"type\":\"invalid_request_error\"}}"));
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_AUTH, "Groq", "Incorrect API key provided: Bearer [redacted].");
  g_assert_null (strstr (r->error->message, KEY));

  jx_fake_response_add (fake, 1, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"your key is " KEY "\"}}]}\n\n", -1);
  jx_fake_response_add (fake, 1, "data: {\"error\":{\"message\":\"bad key " KEY "\"}}\n\n", -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);
  r2 = run (f);
  g_assert_cmpstr (r2->text->str, ==, "your key is [redacted]");
  g_assert_nonnull (r2->error);
  g_assert_null (strstr (r2->error->message, KEY));
}

/* A lone surrogate becomes U+FFFD; \u0000 no longer cuts the rest of the delta off. */
static void
test_broken_escapes (JxTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_fake_response_add (fake, 1, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\ud800b\\u0000c\\ud83d\\ude00\"}}]}\n\n", -1);
  jx_fake_response_add (fake, 1, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\udc00!\"}}]}\n\n", -1);
  jx_fake_response_add (fake, 1, chunk_done, -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = run (f);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->text->str, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xf0\x9f\x98\x80\xef\xbf\xbd!");
}

/* A login page served with 200 says so instead of "no end marker". */
static void
test_html_page (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/html; charset=utf-8");

  jx_fake_response_add (fake, 1, "<!doctype html><html><body>Sign in</body></html>", -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "Groq", "web page (text/html)");
}

/* A 4 MB error message mid-stream is cut, not copied whole. */
static void
test_huge_error_text (JxTestFixture *f,
                      gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  g_autoptr(GString) event = g_string_new ("data: {\"error\":{\"message\":\"");
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  for (guint i = 0; i < 4 * 1024 * 1024; i++)
    g_string_append_c (event, 'x');
  g_string_append (event, "\"}}\n\n");
  jx_fake_response_add (fake, 1, chunk_hi, -1);
  jx_fake_response_add (fake, 1, event->str, event->len);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = run (f);
  g_assert_nonnull (r->error);
  g_assert_cmpuint (strlen (r->error->message), <, 4096);
  g_assert_cmpstr (r->text->str, ==, "Hi");
}

/* Google's generic 429 with RetryInfo 1 s (no Retry-After header) is retried once. */
static void
test_gemini_retry_info (JxTestFixture *f,
                        gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  gint64 before;

  jx_fake_server_add (f->server, "POST", GEMINI_PATH,
                      jx_fake_response_new_json (429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted "
                                                 "(e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
                                                 "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1s\"}]}}"));
  jx_fake_server_add (f->server, "POST", GEMINI_PATH, jx_test_sse_file ("gemini-basic.sse", 0));

  before = g_get_monotonic_time ();
  r = jx_test_run (f->engine, "gemini", "test-model", "AIza-test-0123456789", NULL);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->retries, ==, 1);
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, GEMINI_PATH), ==, 2);
  /* It waited the second RetryInfo asked for, not the 500 ms backoff. */
  g_assert_cmpint (g_get_monotonic_time () - before, >=, 1000 * 1000);
}

/* More panes than connections per host (64): the ones waiting for a connection are not
 * timed out as if the server had not answered. */
static void
test_more_than_64 (JxTestFixture *f,
                   gconstpointer  data)
{
  const guint n = 70;
  JxProvider *provider = jx_catalog_lookup (f->catalog, "groq");
  JxPrompt prompt = { .user = (char *) "Say hi", .temperature = NAN, .max_tokens = -1 };
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  JxTestWait wait = { g_main_loop_new (NULL, FALSE), n };

  for (guint i = 0; i < n; i++)
    {
      JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

      jx_fake_response_set_header_delay (fake, 1200);
      jx_fake_response_add (fake, 1200, chunk_hi, -1);
      jx_fake_response_add (fake, 1, chunk_done, -1);
      jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);
    }
  /* The 6 requests past 64 wait ≈1.2 s for a connection, then 1.2 s for their headers. */
  jx_engine_set_timeouts (f->engine, 2, 60);

  for (guint i = 0; i < n; i++)
    {
      JxRequest *request = jx_request_new (f->engine, provider, "m", &prompt);

      jx_request_set_credential (request, KEY);
      g_ptr_array_add (requests, request);
      jx_request_run_async (request, NULL, jx_test_wait_done_cb, &wait);
    }
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);

  for (guint i = 0; i < n; i++)
    {
      JxResponse *r = jx_request_get_response (requests->pdata[i]);

      g_assert_no_error (r->error);
      g_assert_cmpstr (r->text->str, ==, "Hi");
    }
  g_assert_cmpuint (jx_fake_server_get_request_count (f->server, CHAT_PATH), ==, n);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) jx_test_add (path, PROVIDERS_JSON, func)
  ADD ("/juxta/core/engine-limits/deep-sse-event", test_deep_sse_event);
  ADD ("/juxta/core/engine-limits/deep-ndjson-line", test_deep_ndjson_line);
  ADD ("/juxta/core/engine-limits/deep-replicate-body", test_deep_replicate_body);
  ADD ("/juxta/core/engine-limits/output-cap", test_output_cap);
  ADD ("/juxta/core/engine-limits/keepalive-only-idle", test_keepalive_only_idle);
  ADD ("/juxta/core/engine-limits/trickle-idle", test_trickle_idle);
  ADD ("/juxta/core/engine-limits/max-time", test_max_time);
  ADD ("/juxta/core/engine-limits/keepalive-before-first-token", test_keepalive_before_first_token);
  ADD ("/juxta/core/engine-limits/echoed-key-redacted", test_echoed_key_redacted);
  ADD ("/juxta/core/engine-limits/broken-escapes", test_broken_escapes);
  ADD ("/juxta/core/engine-limits/html-page", test_html_page);
  ADD ("/juxta/core/engine-limits/huge-error-text", test_huge_error_text);
  ADD ("/juxta/core/engine-limits/gemini-retry-info", test_gemini_retry_info);
  ADD ("/juxta/core/engine-limits/more-than-64-panes", test_more_than_64);
#undef ADD

  return g_test_run ();
}
