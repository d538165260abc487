/* test-json.c — the guards in front of json-glib, float casts, redaction and text caps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "jx-catalog.h"
#include "jx-http-log.h"
#include "jx-json.h"
#include "jx-price-overrides.h"
#include "jx-redact.h"
#include "jx-request-error.h"

static char *
nested (guint levels, char open)
{
  char *s = g_malloc (levels + 1);

  memset (s, open, levels);
  s[levels] = '\0';
  return s;
}

static void
test_depth (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = nested (JX_JSON_MAX_DEPTH, '[');
  g_autofree char *deep = nested (200000, '[');
  g_autofree char *objects = g_strnfill (JX_JSON_MAX_DEPTH + 1, '{');
  g_autofree char *balanced = NULL;
  g_autoptr(JsonNode) root = NULL;
  GString *closed = g_string_new (ok);

  for (guint i = 0; i < JX_JSON_MAX_DEPTH; i++)
    g_string_append_c (closed, ']');
  balanced = g_string_free (closed, FALSE);

  g_assert_true (jx_json_check_depth (ok, -1, NULL));
  g_assert_true (jx_json_check_depth (balanced, -1, NULL));
  root = jx_json_parse (balanced, -1);
  g_assert_nonnull (root);

  g_assert_false (jx_json_check_depth (deep, -1, &error));
  g_assert_error (error, JX_JSON_ERROR, JX_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "256"));
  g_assert_false (jx_json_check_depth (objects, -1, NULL));
  /* The parser itself refuses it instead of overflowing the stack. */
  g_assert_null (jx_json_parse (deep, -1));

  /* Brackets in strings don't count, escaped quotes don't end the string. */
  g_autofree char *in_string = g_strdup_printf ("{\"a\":\"\\\"%s\"}", deep);
  g_assert_true (jx_json_check_depth (in_string, -1, NULL));
  /* Sequential siblings don't add up. */
  g_autoptr(GString) siblings = g_string_new ("[");
  for (guint i = 0; i < 1000; i++)
    g_string_append (siblings, "[[]],");
  g_string_append (siblings, "[]]");
  g_assert_true (jx_json_check_depth (siblings->str, siblings->len, NULL));
}

static void
test_sanitize (void)
{
  const char *clean = "{\"a\":\"\\ud83d\\ude00 \\n \\\\u0000\"}";
  const char *broken = "{\"a\":\"x\\u0000y\\ud800z\\udc00\\uDBFF\"}";
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = nested (1000, '{');
  const char *out;

  /* Nothing to fix (an escaped backslash before "u0000" is no escape): the same pointer. */
  g_assert_true (jx_json_sanitize (clean, strlen (clean), &copy, NULL) == clean);
  g_assert_null (copy);

  out = jx_json_sanitize (broken, strlen (broken), &copy, NULL);
  g_assert_true (out == copy);
  g_assert_cmpstr (out, ==, "{\"a\":\"x\\ufffdy\\ufffdz\\ufffd\\ufffd\"}");
  g_clear_pointer (&copy, g_free);

  g_assert_null (jx_json_sanitize (deep, strlen (deep), &copy, &error));
  g_assert_error (error, JX_JSON_ERROR, JX_JSON_ERROR_TOO_DEEP);
  g_assert_null (copy);

  /* Not JSON at all, or cut mid-escape: unchanged, no overread. */
  g_assert_true (jx_json_sanitize ("[DONE]", 6, &copy, NULL) != NULL);
  g_assert_true (jx_json_sanitize ("\"\\u00", 5, &copy, NULL) != NULL);
  g_assert_null (copy);
}

static void
test_get_int (void)
{
  g_autoptr(JsonNode) root = jx_json_parse ("{\"big\":1e300,\"small\":-1e300,\"x\":12.9,\"i\":9223372036854775807}", -1);
  JsonObject *object = json_node_get_object (root);

  g_assert_cmpint (jx_json_get_int (object, "big", 0), ==, G_MAXINT64);
  g_assert_cmpint (jx_json_get_int (object, "small", 0), ==, G_MININT64);
  g_assert_cmpint (jx_json_get_int (object, "x", 0), ==, 12);
  g_assert_cmpint (jx_json_get_int (object, "i", 0), ==, G_MAXINT64);
}

static void
test_retry_hint (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  g_assert_cmpint (jx_request_error_parse_retry_hint_ms ("Resource has been exhausted (retry in 1 s)"), ==, 1000);
  g_assert_cmpint (jx_request_error_parse_retry_hint_ms ("Rate limit reached. Please try again in 1.5s."), ==, 1500);
  g_assert_cmpint (jx_request_error_parse_retry_hint_ms ("Please try again in 20ms."), ==, 20);
  g_assert_cmpint (jx_request_error_parse_retry_hint_ms ("try again later"), ==, -1);
  g_assert_cmpint (jx_request_error_parse_retry_hint_ms ("retry in 1e300 s"), ==, -1);
  g_assert_cmpint (jx_request_error_parse_retry_hint_ms (NULL), ==, -1);

  /* Huge header values are clamped, not cast out of range. */
  soup_message_headers_replace (headers, "retry-after", "1e300");
  g_assert_cmpint (jx_request_error_parse_retry_after_ms (headers), ==, G_MAXINT32);
  soup_message_headers_replace (headers, "retry-after-ms", "1e300");
  g_assert_cmpint (jx_request_error_parse_retry_after_ms (headers), ==, G_MAXINT32);
}

static void
test_cap_text (void)
{
  g_autofree char *short_text = jx_request_error_cap_text ("abc", 10);
  g_autofree char *cut = jx_request_error_cap_text ("aé", 2);   /* would cut é in half */

  g_assert_cmpstr (short_text, ==, "abc");
  g_assert_cmpstr (cut, ==, "a…");
  g_assert_null (jx_request_error_cap_text (NULL, 10));
}

static void
test_redact (void)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  jx_redact_add_credential (secrets, "sk-0123456789abcdef");
  jx_redact_add_credential (secrets, "{\"access_key_id\":\"AKIAEXAMPLE1234\",\"secret_access_key\":\"wJalrXUtnFEMI/K7MDENG\","
                                     "\"region\":\"us-east-1-long-name\"}");
  jx_redact_add_credential (secrets, "client-id-12345:client-secret-67890");
  jx_redact_add_credential (secrets, NULL);

  a = jx_redact ("Incorrect API key provided: Bearer sk-0123456789abcdef.", secrets);
  g_assert_cmpstr (a, ==, "Incorrect API key provided: Bearer [redacted].");
  b = jx_redact ("signature of wJalrXUtnFEMI/K7MDENG for AKIAEXAMPLE1234 in us-east-1-long-name", secrets);
  g_assert_cmpstr (b, ==, "signature of [redacted] for [redacted] in us-east-1-long-name");
  c = jx_redact ("secret client-secret-67890", secrets);
  g_assert_cmpstr (c, ==, "secret [redacted]");
  g_assert_null (jx_redact ("nothing to see", secrets));
}

/* A deep providers or prices file is one clear error; /dev/zero is not read for ever. */
static void
test_files (void)
{
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = nested (200000, '[');
  g_autofree char *doc = g_strdup_printf ("{\"providers\":%s", deep);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  int fd = g_file_open_tmp ("juxta-deep-XXXXXX.json", &path, NULL);
  guint n = 0;

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, doc, -1, NULL));

  g_assert_false (jx_catalog_load_file (catalog, path, &error));
  g_assert_nonnull (strstr (error->message, "nested deeper than 256 levels"));
  g_clear_error (&error);

  g_assert_false (jx_pricing_import_file (catalog, path, &n, &error));
  g_assert_nonnull (strstr (error->message, "nested deeper than 256 levels"));
  g_clear_error (&error);
  g_unlink (path);

  g_assert_false (jx_catalog_load_file (catalog, "/dev/zero", &error));
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_clear_error (&error);

  g_assert_false (jx_json_read_file ("/nonexistent/juxta", 10, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_true (jx_json_read_file ("/dev/null", 10, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "");
}

static void
assert_log (char        direction,
            const char *line,
            const char *expected)
{
  g_autofree char *logged = jx_http_log_redact (direction, line);

  g_assert_cmpstr (logged, ==, expected);
}

/* JUXTA_DEBUG_HTTP=1 shows no credential, whichever header carries it. */
static void
test_http_log (void)
{
  assert_log ('>', "Authorization: Bearer sk-secret", "Authorization: [redacted]");
  assert_log ('>', "Helicone-Auth: Bearer sk-helicone", "Helicone-Auth: [redacted]");
  assert_log ('>', "X-Portkey-Virtual-Key: vk-123", "X-Portkey-Virtual-Key: [redacted]");
  assert_log ('>', "x-goog-api-key: AIza123", "x-goog-api-key: [redacted]");
  assert_log ('>', "Content-Type: application/json", "Content-Type: application/json");
  assert_log ('>', "anthropic-version: 2023-06-01", "anthropic-version: 2023-06-01");
  assert_log ('>', "POST /v1beta/models/m:streamGenerateContent?alt=sse&key=AIza123 HTTP/1.1",
              "POST /v1beta/models/m:streamGenerateContent?alt=sse&key=[redacted] HTTP/1.1");
  assert_log ('<', "HTTP/1.1 200 OK", "HTTP/1.1 200 OK");
  assert_log ('<', "Set-Cookie: session=abc", "Set-Cookie: [redacted]");
  assert_log ('<', "x-ratelimit-remaining-requests: 99", "x-ratelimit-remaining-requests: 99");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/json/depth", test_depth);
  g_test_add_func ("/juxta/core/json/sanitize", test_sanitize);
  g_test_add_func ("/juxta/core/json/get-int", test_get_int);
  g_test_add_func ("/juxta/core/json/files", test_files);
  g_test_add_func ("/juxta/core/request-error/retry-hint", test_retry_hint);
  g_test_add_func ("/juxta/core/request-error/cap-text", test_cap_text);
  g_test_add_func ("/juxta/core/redact/credentials", test_redact);
  g_test_add_func ("/juxta/core/http-log/redact", test_http_log);

  return g_test_run ();
}
