/* test-ndjson-parser.c — NDJSON line splitting, fed at every possible split
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jx-ndjson-parser.h"

/* Ollama native /api/chat stream, documented shape (docs/protocols.md, "Ollama native chat"). */
static const char ollama_stream[] =
  "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-22T11:22:42.180546Z\",\"message\":{\"role\""
  ":\"assistant\",\"content\":\"The\"},\"done\":false}\n"
  "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-22T11:22:42.186813Z\",\"message\":{\"role\""
  ":\"assistant\",\"content\":\" capital\"},\"done\":false}\n"
  "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-22T11:22:42.223184Z\",\"message\":{\"role\""
  ":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":"
  "181553584,\"load_duration\":27906292,\"prompt_eval_count\":36,\"prompt_eval_duration\":1090"
  "00000,\"eval_count\":8,\"eval_duration\":42000000}\n";

static void
collect_cb (const char *line,
            gsize       len,
            gpointer    user_data)
{
  GPtrArray *lines = user_data;

  g_assert_cmpint (line[len], ==, '\0');
  g_ptr_array_add (lines, g_bytes_new (line, len));
}

/* Feeds `stream` in pieces that end at each offset in `cuts` (ascending), then finishes. */
static GPtrArray *
parse_with_cuts (const char  *stream,
                 gsize        len,
                 const gsize *cuts,
                 guint        n_cuts)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(JxNdjsonParser) parser = jx_ndjson_parser_new (collect_cb, lines);
  g_autoptr(GError) error = NULL;
  gsize pos = 0;

  for (guint i = 0; i < n_cuts; i++)
    {
      g_assert_cmpuint (cuts[i], >=, pos);
      g_assert_cmpuint (cuts[i], <=, len);
      g_assert_true (jx_ndjson_parser_feed (parser, stream + pos, cuts[i] - pos, &error));
      g_assert_no_error (error);
      pos = cuts[i];
    }
  g_assert_true (jx_ndjson_parser_feed (parser, stream + pos, len - pos, &error));
  g_assert_true (jx_ndjson_parser_finish (parser, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&lines);
}

static void
assert_lines (GPtrArray         *lines,
              const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (lines->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (lines, i), &len);

      g_assert_cmpmem (data, len, expected[i], strlen (expected[i]));
    }
}

static void
check_all_splits (const char        *stream,
                  gsize              len,
                  const char *const *expected)
{
  g_autoptr(GPtrArray) whole = parse_with_cuts (stream, len, NULL, 0);
  g_autofree gsize *cuts = g_new (gsize, len + 1);

  assert_lines (whole, expected);

  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(GPtrArray) lines = parse_with_cuts (stream, len, &split, 1);

      assert_lines (lines, expected);
    }

  for (guint32 seed = 1; seed <= 8; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) lines = NULL;
      guint n_cuts = 0;
      gsize pos = 0;

      while (pos < len)
        {
          gsize step = g_rand_int_range (rand, 1, 17);

          pos = MIN (len, pos + step);
          cuts[n_cuts++] = pos;
        }
      lines = parse_with_cuts (stream, len, cuts, n_cuts);
      assert_lines (lines, expected);
    }
}

static void
test_ollama (void)
{
  g_auto(GStrv) expected = g_strsplit (ollama_stream, "\n", -1);
  g_autofree char *crlf = NULL;

  /* g_strsplit leaves an empty string after the final newline. */
  g_assert_cmpuint (g_strv_length (expected), ==, 4);
  g_assert_cmpstr (expected[3], ==, "");
  g_clear_pointer (&expected[3], g_free);
  g_assert_true (g_str_has_suffix (expected[2], "\"eval_duration\":42000000}"));

  check_all_splits (ollama_stream, sizeof ollama_stream - 1, (const char *const *) expected);

  crlf = g_strjoinv ("\r\n", expected);
  check_all_splits (crlf, strlen (crlf), (const char *const *) expected);
}

static void
test_blank_lines (void)
{
  static const char stream[] = "\n\r\n{\"a\":1}\n\n  \t\r\n{\"b\":2}\r\n\n";
  static const char *const expected[] = { "{\"a\":1}", "{\"b\":2}", NULL };

  check_all_splits (stream, sizeof stream - 1, expected);
}

static void
test_final_unterminated (void)
{
  static const char stream[] = "{\"a\":1}\n{\"done\":true}";
  static const char stream_cr[] = "{\"a\":1}\r\n{\"done\":true}\r";
  static const char *const expected[] = { "{\"a\":1}", "{\"done\":true}", NULL };
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(JxNdjsonParser) parser = jx_ndjson_parser_new (collect_cb, lines);

  check_all_splits (stream, sizeof stream - 1, expected);
  check_all_splits (stream_cr, sizeof stream_cr - 1, expected);

  /* The last line only arrives at finish(). */
  g_assert_true (jx_ndjson_parser_feed (parser, stream, sizeof stream - 1, NULL));
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_true (jx_ndjson_parser_finish (parser, NULL));
  g_assert_cmpuint (lines->len, ==, 2);
}

static void
test_inner_cr_kept (void)
{
  /* Only LF ends a line; a lone CR inside is data (JSON would reject it, not us). */
  static const char stream[] = "a\rb\nc\r\r\n";
  static const char *const expected[] = { "a\rb", "c\r", NULL };

  check_all_splits (stream, sizeof stream - 1, expected);
}

static void
test_too_large (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(JxNdjsonParser) parser = jx_ndjson_parser_new (collect_cb, lines);
  g_autoptr(GError) error = NULL;
  char buf[101];
  guint i;

  jx_ndjson_parser_set_max_size (parser, 1024);
  memset (buf, 'x', sizeof buf);

  /* Exactly the cap, CRLF-terminated, is accepted. */
  for (i = 0; i < 10; i++)
    g_assert_true (jx_ndjson_parser_feed (parser, buf, 100, &error));
  g_assert_true (jx_ndjson_parser_feed (parser, buf, 24, &error));
  g_assert_true (jx_ndjson_parser_feed (parser, "\r\n", 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (lines, 0)), ==, 1024);

  /* A line that never ends must not grow without bound. */
  for (i = 0; i < 100; i++)
    {
      if (!jx_ndjson_parser_feed (parser, buf, sizeof buf, &error))
        break;
    }
  g_assert_cmpuint (i, ==, 10);
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "JSON line larger than 1 KiB");
  g_clear_error (&error);

  /* And the parser stays failed. */
  g_assert_false (jx_ndjson_parser_feed (parser, "\n{}\n", 4, &error));
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (jx_ndjson_parser_finish (parser, &error));
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpuint (lines->len, ==, 1);
}

static void
test_too_large_exact (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(JxNdjsonParser) parser = jx_ndjson_parser_new (collect_cb, lines);
  g_autoptr(GError) error = NULL;
  char buf[17];

  /* cap + 1 bytes then LF: the spare byte is only allowed for a CR. */
  memset (buf, 'y', sizeof buf);
  jx_ndjson_parser_set_max_size (parser, 16);
  g_assert_true (jx_ndjson_parser_feed (parser, buf, sizeof buf, &error));
  g_assert_false (jx_ndjson_parser_feed (parser, "\n", 1, &error));
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "JSON line larger than 16 bytes");
  g_assert_cmpuint (lines->len, ==, 0);
}

static void
test_too_large_default (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(JxNdjsonParser) parser = jx_ndjson_parser_new (collect_cb, lines);
  g_autoptr(GError) error = NULL;
  gsize size = JX_STREAM_DEFAULT_MAX_EVENT_SIZE + 2;
  g_autofree char *buf = g_malloc (size);

  memset (buf, '1', size);
  g_assert_false (jx_ndjson_parser_feed (parser, buf, size, &error));
  g_assert_error (error, JX_STREAM_ERROR, JX_STREAM_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "JSON line larger than 8 MiB");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/core/ndjson-parser/ollama", test_ollama);
  g_test_add_func ("/juxta/core/ndjson-parser/blank-lines", test_blank_lines);
  g_test_add_func ("/juxta/core/ndjson-parser/final-unterminated", test_final_unterminated);
  g_test_add_func ("/juxta/core/ndjson-parser/inner-cr-kept", test_inner_cr_kept);
  g_test_add_func ("/juxta/core/ndjson-parser/too-large", test_too_large);
  g_test_add_func ("/juxta/core/ndjson-parser/too-large-exact", test_too_large_exact);
  g_test_add_func ("/juxta/core/ndjson-parser/too-large-default", test_too_large_default);

  return g_test_run ();
}
