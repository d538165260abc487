/* test-markdown.c — the incremental Markdown renderer against a whole-document render
 *
 * A streamed answer is re-rendered many times as it grows; rendering only its unsettled
 * tail must give exactly what rendering the whole text would, after every piece.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "jx-markdown.h"

/* What an LLM answer looks like, with the constructs that make splitting hard: blank lines
 * inside fences, a list that goes on after a blank line, nested and loose lists, a quote,
 * an indented code block and a table. */
static const char sample[] =
  "# Plan\n"
  "\n"
  "Here is **the plan**, with `code` and a [link](https://example.com).\n"
  "It spans two lines.\n"
  "\n"
  "1. First step\n"
  "2. Second step\n"
  "\n"
  "3. Third step, after a blank line\n"
  "   - nested *item*\n"
  "\n"
  "     still the nested item\n"
  "\n"
  "Then a paragraph.\n"
  "\n"
  "```python\n"
  "def f(x):\n"
  "\n"
  "    return x  # a blank line above, inside the fence\n"
  "\n"
  "~~~ not a fence end\n"
  "```\n"
  "\n"
  "~~~~\n"
  "```\n"
  "\n"
  "still code\n"
  "~~~~\n"
  "\n"
  "> A quote\n"
  "\n"
  "> Another quote\n"
  "\n"
  "    indented code\n"
  "\n"
  "| a | b |\n"
  "|---|---|\n"
  "| 1 | 2 |\n"
  "\n"
  "---\n"
  "\n"
  "- bullet\n"
  "- bullet with ~~strike~~\n"
  "\n"
  "Final words. ✓ café\n";

static char *
serialize (GtkTextBuffer *buffer)
{
  GString *out = g_string_new (NULL);
  GtkTextIter iter, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &iter, &end);
  text = gtk_text_buffer_get_text (buffer, &iter, &end, TRUE);
  g_string_append (out, text);
  do
    {
      GSList *tags = gtk_text_iter_get_tags (&iter);

      g_string_append_printf (out, "\n@%d:", gtk_text_iter_get_offset (&iter));
      for (GSList *l = tags; l != NULL; l = l->next)
        {
          g_autofree char *name = NULL;

          g_object_get (l->data, "name", &name, NULL);
          g_string_append_printf (out, "%s,", name);
        }
      g_slist_free (tags);
    }
  while (gtk_text_iter_forward_to_tag_toggle (&iter, NULL));

  return g_string_free (out, FALSE);
}

static char *
render_whole (const char *markdown,
              gsize       len)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);

  jx_markdown_render (buffer, markdown, len);
  return serialize (buffer);
}

/* Grows the text by random pieces, as a stream would, comparing after every piece. */
static void
check_streamed (const char *markdown,
                guint32     seed,
                guint       max_piece,
                gsize      *settled_out)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  JxMarkdownState state = { 0 };
  gsize total = strlen (markdown);
  gsize len = 0;

  while (len < total)
    {
      g_autofree char *got = NULL, *want = NULL;

      gsize piece = g_rand_int_range (rand, 1, max_piece + 1);

      len = MIN (total, len + piece);
      jx_markdown_render_incremental (buffer, markdown, len, &state);
      got = serialize (buffer);
      want = render_whole (markdown, len);
      if (g_strcmp0 (got, want) != 0)
        g_error ("seed %u, after %" G_GSIZE_FORMAT " bytes (settled %" G_GSIZE_FORMAT "):\n"
                 "--- incremental\n%s\n--- whole\n%s", seed, len, state.settled_bytes, got, want);
      g_assert_cmpuint (state.settled_bytes, <=, len);
    }

  *settled_out = state.settled_bytes;
}

static void
test_streamed_matches_whole (void)
{
  for (guint32 seed = 1; seed <= 12; seed++)
    {
      gsize settled = 0;

      check_streamed (sample, seed, seed % 2 ? 7 : 40, &settled);
      /* Not vacuous: most of the answer was rendered once and left alone. */
      g_assert_cmpuint (settled, >, strlen (sample) / 2);
    }
}

static void
test_every_prefix (void)
{
  gsize settled = 0;

  /* One byte at a time: every split position, including inside UTF-8 and fences. */
  check_streamed (sample, 99, 1, &settled);
  g_assert_cmpuint (settled, >, 0);
}

/* md4c resolves a reference link against a definition anywhere in the document, so a text
 * with one is rendered whole, before or after its use. */
static void
test_reference_definitions (void)
{
  static const char * const documents[] = {
    "See [the docs][1] and [more][two].\n\nMore text.\n\nAnd more.\n\n[1]: https://example.com\n[two]: https://example.org\n",
    "[1]: https://example.com\n\nIntro.\n\nSee [the docs][1].\n\nThe end.\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
      JxMarkdownState state = { 0 };
      gsize settled = 0;
      g_autofree char *got = NULL;

      check_streamed (documents[i], 7, 1, &settled);
      g_assert_cmpuint (settled, ==, 0);

      /* Not vacuous: the whole render does link them. */
      jx_markdown_render_incremental (buffer, documents[i], strlen (documents[i]), &state);
      got = serialize (buffer);
      g_assert_nonnull (strstr (got, "jx-link"));
      g_assert_null (strstr (got, "[1]"));
    }
}

/* What the settling scan does not follow is rendered whole, so streaming still matches. */
static void
test_scan_defeaters (void)
{
  static const char * const documents[] = {
    /* A fence opened on a list item's line; its indented closer looks like an opener. */
    "- ```\n  x\n  ```\n\n```\ncode\n\nmore code\n```\n\nAfter.\n",
    "> ```\n> quoted code\n>\n> ```\n\nText.\n\n```\ncode\n\nstill code\n```\n",
    /* Not a fence: a backtick in a backtick fence's info string. */
    "``` a`b\n\nParagraph.\n\n```\ncode\n\nmore\n```\n\nEnd.\n",
    /* Lone CR line endings. */
    "Para one.\r\rPara two.\r\r```\rcode\r\rmore\r```\r\rEnd.\r",
    /* A fence line indented 4 after a paragraph. */
    "Run:\n    ```\n    pip install x\n    ```\n\nThen more.\n\nAnd more.\n",
    /* Reference definitions in containers, over two lines, with an escaped bracket. */
    "See [x][a].\n\nMore.\n\n> [a]: https://example.com/q\n\nEnd.\n",
    "See [x][a].\n\nMore.\n\n- [a]: https://example.com/l\n\nEnd.\n",
    "See [x][a b].\n\nMore.\n\n[a\nb]: https://example.com/2\n\nEnd.\n",
    "See [x][a\\]b].\n\nMore.\n\n[a\\]b]: https://example.com/e\n\nEnd.\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    for (guint32 seed = 1; seed <= 3; seed++)
      {
        gsize settled = 0;

        check_streamed (documents[i], seed, seed == 1 ? 1 : 9, &settled);
      }
}

static void
test_open_fence_is_never_settled (void)
{
  static const char open_fence[] = "Intro.\n\n```\ncode\n\nmore code\n\nLooks like a paragraph\n";
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  JxMarkdownState state = { 0 };

  jx_markdown_render_incremental (buffer, open_fence, strlen (open_fence), &state);
  /* Settled before the fence, never inside it. */
  g_assert_cmpuint (state.settled_bytes, ==, strlen ("Intro.\n\n"));
}

static void
test_restart_after_reset (void)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  JxMarkdownState state = { 0 };
  g_autofree char *got = NULL, *want = NULL;

  jx_markdown_render_incremental (buffer, sample, strlen (sample), &state);
  /* A new answer (shorter than what was settled) starts over by itself. */
  jx_markdown_render_incremental (buffer, "*new*", 5, &state);
  got = serialize (buffer);
  want = render_whole ("*new*", 5);
  g_assert_cmpstr (got, ==, want);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juxta/gui/markdown/streamed-matches-whole", test_streamed_matches_whole);
  g_test_add_func ("/juxta/gui/markdown/every-prefix", test_every_prefix);
  g_test_add_func ("/juxta/gui/markdown/open-fence-not-settled", test_open_fence_is_never_settled);
  g_test_add_func ("/juxta/gui/markdown/reference-definitions", test_reference_definitions);
  g_test_add_func ("/juxta/gui/markdown/scan-defeaters", test_scan_defeaters);
  g_test_add_func ("/juxta/gui/markdown/restart-after-reset", test_restart_after_reset);

  return g_test_run ();
}
