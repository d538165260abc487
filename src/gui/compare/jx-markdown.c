/* jx-markdown.c: renders Markdown into a GtkTextBuffer with md4c
 *
 * Copyright 2026 Juxta developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <md4c.h>
#include <pango/pango.h>

#include "jx-markdown.h"

typedef struct
{
  GtkTextBuffer *buffer;
  GPtrArray     *tags;        /* GtkTextTag*, active spans and blocks */
  GArray        *list_index;  /* int per open list: next number, or -1 for bullets */
  gboolean       need_break;  /* a block ended: start the next one on a new paragraph */
  guint          quote_depth;
} Renderer;

/**
 * jx_markdown_ensure_tags:
 * @buffer: a #GtkTextBuffer
 *
 * Creates the tags the renderer uses ("jx-h1"…, "jx-code"…) unless they exist.
 */
void
jx_markdown_ensure_tags (GtkTextBuffer *buffer)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

  if (gtk_text_tag_table_lookup (table, "jx-h1") != NULL)
    return;

  gtk_text_buffer_create_tag (buffer, "jx-h1", "weight", PANGO_WEIGHT_BOLD,
                              "scale", 1.4, "pixels-below-lines", 4, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-h2", "weight", PANGO_WEIGHT_BOLD,
                              "scale", 1.25, "pixels-below-lines", 4, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-h3", "weight", PANGO_WEIGHT_BOLD,
                              "scale", 1.1, "pixels-below-lines", 2, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-strong", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-em", "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-del", "strikethrough", TRUE, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-code", "family", "Monospace",
                              "background", "rgba(128,128,128,0.15)", NULL);
  gtk_text_buffer_create_tag (buffer, "jx-codeblock", "family", "Monospace",
                              "paragraph-background", "rgba(128,128,128,0.12)",
                              "left-margin", 18, "wrap-mode", GTK_WRAP_CHAR, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-link", "underline", PANGO_UNDERLINE_SINGLE,
                              "foreground", "#1c71d8", NULL);
  gtk_text_buffer_create_tag (buffer, "jx-list", "left-margin", 24, NULL);
  gtk_text_buffer_create_tag (buffer, "jx-quote", "left-margin", 24, "style", PANGO_STYLE_ITALIC,
                              "foreground", "#77767b", NULL);
}

static GtkTextTag *
lookup_tag (Renderer   *r,
            const char *name)
{
  return gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (r->buffer), name);
}

static void
insert (Renderer   *r,
        const char *text,
        gsize       len)
{
  GtkTextIter end;
  GtkTextIter start;
  int offset;

  gtk_text_buffer_get_end_iter (r->buffer, &end);
  offset = gtk_text_iter_get_offset (&end);
  gtk_text_buffer_insert (r->buffer, &end, text, len);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, offset);
  gtk_text_buffer_get_end_iter (r->buffer, &end);
  for (guint i = 0; i < r->tags->len; i++)
    gtk_text_buffer_apply_tag (r->buffer, g_ptr_array_index (r->tags, i), &start, &end);
}

static void
start_block (Renderer *r)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (r->buffer, &end);
  if (gtk_text_iter_get_offset (&end) == 0)
    {
      r->need_break = FALSE;
      return;
    }
  if (r->need_break)
    insert (r, "\n", 1);
  r->need_break = FALSE;
}

static void
push (Renderer   *r,
      const char *name)
{
  g_ptr_array_add (r->tags, lookup_tag (r, name));
}

static void
pop (Renderer *r)
{
  if (r->tags->len > 0)
    g_ptr_array_set_size (r->tags, r->tags->len - 1);
}

static int
enter_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Renderer *r = user_data;

  switch (type)
    {
    case MD_BLOCK_H:
      {
        static const char *names[] = { "jx-h1", "jx-h2", "jx-h3" };
        unsigned level = ((MD_BLOCK_H_DETAIL *) detail)->level;

        start_block (r);
        push (r, names[MIN (level, 3) - 1]);
      }
      break;

    case MD_BLOCK_CODE:
      start_block (r);
      push (r, "jx-codeblock");
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        int next = type == MD_BLOCK_OL ? (int) ((MD_BLOCK_OL_DETAIL *) detail)->start : -1;

        start_block (r);
        g_array_append_val (r->list_index, next);
        push (r, "jx-list");
      }
      break;

    case MD_BLOCK_LI:
      {
        int *next = &g_array_index (r->list_index, int, r->list_index->len - 1);
        g_autofree char *bullet = NULL;

        if (r->need_break)
          insert (r, "\n", 1);
        r->need_break = FALSE;
        for (guint i = 1; i < r->list_index->len; i++)
          insert (r, "    ", 4);
        if (*next < 0)
          bullet = g_strdup ("•  ");
        else
          bullet = g_strdup_printf ("%d.  ", (*next)++);
        insert (r, bullet, strlen (bullet));
      }
      break;

    case MD_BLOCK_QUOTE:
      start_block (r);
      push (r, "jx-quote");
      break;

    case MD_BLOCK_HR:
      start_block (r);
      insert (r, "⸻", strlen ("⸻"));
      break;

    case MD_BLOCK_P:
    case MD_BLOCK_TABLE:
      start_block (r);
      break;

    case MD_BLOCK_TR:
      if (r->need_break)
        insert (r, "\n", 1);
      r->need_break = FALSE;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      insert (r, " │ ", strlen (" │ "));
      if (type == MD_BLOCK_TH)
        push (r, "jx-strong");
      break;

    case MD_BLOCK_DOC:
    case MD_BLOCK_HTML:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    default:
      break;
    }

  return 0;
}

static int
leave_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Renderer *r = user_data;

  switch (type)
    {
    case MD_BLOCK_H:
    case MD_BLOCK_QUOTE:
      pop (r);
      r->need_break = TRUE;
      break;

    case MD_BLOCK_CODE:
      {
        GtkTextIter end;
        GtkTextIter prev;

        /* md4c hands over the final newline of the block; drop it. */
        gtk_text_buffer_get_end_iter (r->buffer, &end);
        prev = end;
        if (gtk_text_iter_backward_char (&prev) && gtk_text_iter_get_char (&prev) == '\n')
          gtk_text_buffer_delete (r->buffer, &prev, &end);
        pop (r);
        r->need_break = TRUE;
      }
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      g_array_set_size (r->list_index, r->list_index->len - 1);
      pop (r);
      r->need_break = TRUE;
      break;

    case MD_BLOCK_LI:
    case MD_BLOCK_P:
    case MD_BLOCK_HR:
    case MD_BLOCK_TR:
    case MD_BLOCK_TABLE:
      r->need_break = TRUE;
      break;

    case MD_BLOCK_TH:
      pop (r);
      break;

    case MD_BLOCK_DOC:
    case MD_BLOCK_HTML:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    case MD_BLOCK_TD:
    default:
      break;
    }

  /* Paragraphs inside list items run on in the same item. */
  if (type == MD_BLOCK_P && r->list_index->len > 0)
    r->need_break = FALSE;

  return 0;
}

static int
enter_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Renderer *r = user_data;

  switch (type)
    {
    case MD_SPAN_EM:
      push (r, "jx-em");
      break;
    case MD_SPAN_STRONG:
      push (r, "jx-strong");
      break;
    case MD_SPAN_CODE:
      push (r, "jx-code");
      break;
    case MD_SPAN_A:
      push (r, "jx-link");
      break;
    case MD_SPAN_DEL:
      push (r, "jx-del");
      break;
    case MD_SPAN_IMG:
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    case MD_SPAN_U:
    default:
      push (r, "jx-em");
      break;
    }

  return 0;
}

static int
leave_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  pop (user_data);
  return 0;
}

static int
text_cb (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  Renderer *r = user_data;

  switch (type)
    {
    case MD_TEXT_BR:
      insert (r, "\n", 1);
      break;
    case MD_TEXT_SOFTBR:
      insert (r, " ", 1);
      break;
    case MD_TEXT_NULLCHAR:
      insert (r, "\xef\xbf\xbd", 3);
      break;
    case MD_TEXT_NORMAL:
    case MD_TEXT_ENTITY:
    case MD_TEXT_CODE:
    case MD_TEXT_HTML:
    case MD_TEXT_LATEXMATH:
    default:
      if (g_utf8_validate (text, size, NULL))
        insert (r, text, size);
      break;
    }

  return 0;
}

static const MD_PARSER parser_template = {
  .abi_version = 0,
  .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS |
           MD_FLAG_NOHTML,
  .enter_block = enter_block,
  .leave_block = leave_block,
  .enter_span = enter_span,
  .leave_span = leave_span,
  .text = text_cb,
};

/* Appends the rendering of @markdown, which starts at a top-level block boundary, to @buffer. */
static void
append_rendered (GtkTextBuffer *buffer,
                 const char    *markdown,
                 gsize          len)
{
  MD_PARSER parser = parser_template;
  Renderer r = { 0 };
  GtkTextIter end;
  int offset;

  if (len == 0)
    return;

  r.buffer = buffer;
  r.tags = g_ptr_array_new ();
  r.list_index = g_array_new (FALSE, FALSE, sizeof (int));
  gtk_text_buffer_get_end_iter (buffer, &end);
  offset = gtk_text_iter_get_offset (&end);
  /* Between two top-level blocks a whole-document render has need_break set. */
  r.need_break = offset > 0;
  if (md_parse (markdown, len, &parser, &r) != 0)
    {
      GtkTextIter start;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_delete (buffer, &start, &end);
      gtk_text_buffer_insert (buffer, &start, markdown, len);
    }

  g_ptr_array_unref (r.tags);
  g_array_unref (r.list_index);
}

/* A line that opens or closes a fenced code block: up to 3 spaces, then 3+ ` or ~.
 * *info is where the rest of the line (an info string, or nothing) starts. */
static gboolean
is_fence (const char  *line,
          const char  *end,
          char        *fence_char,
          gsize       *fence_len,
          const char **info)
{
  const char *p = line;
  gsize n = 0;

  while (p < end && *p == ' ' && p - line < 3)
    p++;
  if (p >= end || (*p != '`' && *p != '~'))
    return FALSE;
  while (p + n < end && p[n] == *p)
    n++;
  if (n < 3)
    return FALSE;
  *fence_char = *p;
  *fence_len = n;
  *info = p + n;
  return TRUE;
}

static gboolean
is_blank (const char *line,
          const char *end)
{
  for (const char *p = line; p < end; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r')
      return FALSE;
  return TRUE;
}

/* Past the container markers a line starts with ("> ", "- ", "* ", "+ ", "1. ", "1) "), each
 * up to 3 spaces in; *nested is set when there was one. */
static const char *
skip_container_markers (const char *line,
                        const char *line_end,
                        gboolean   *nested)
{
  const char *p = line;

  *nested = FALSE;
  for (;;)
    {
      const char *q = p;

      while (q < line_end && *q == ' ' && q - p < 3)
        q++;
      if (q < line_end && *q == '>')
        q++;
      else if (q + 1 < line_end && (*q == '-' || *q == '*' || *q == '+') && (q[1] == ' ' || q[1] == '\t'))
        q++;
      else if (q < line_end && g_ascii_isdigit (*q))
        {
          while (q < line_end && g_ascii_isdigit (*q))
            q++;
          if (q + 1 >= line_end || (*q != '.' && *q != ')') || (q[1] != ' ' && q[1] != '\t'))
            break;
          q++;
        }
      else
        break;
      while (q < line_end && (*q == ' ' || *q == '\t'))
        q++;
      p = q;
      *nested = TRUE;
    }

  return p;
}

/* Could start a link reference definition ("[label]:", in a container too), which md4c
 * resolves against uses anywhere in the document, before or after it. A label may run on
 * to the next line, and \] does not close it. */
static gboolean
may_be_reference_definition (const char *line,
                             const char *line_end)
{
  gboolean nested;
  const char *p = skip_container_markers (line, line_end, &nested);

  while (p < line_end && *p == ' ' && p - line < 3)
    p++;
  if (p >= line_end || *p++ != '[')
    return FALSE;
  while (p < line_end && *p != ']')
    p += (*p == '\\' && p + 1 < line_end) ? 2 : 1;
  return p >= line_end || (p + 1 < line_end && p[1] == ':');
}

/* Lines the settling scan below does not follow, so a text with one is rendered whole: a
 * fence opened inside a list item or quote (its indented closer would look like a
 * top-level opener), a fence line indented 4 or more (inside a list item, or not a fence
 * at all), a backtick fence whose info string has a backtick (not a fence either), and a
 * lone CR (md4c ends lines there too). */
static gboolean
defeats_the_scan (const char *line,
                  const char *line_end,
                  const char *end)
{
  const char *p, *info;
  gboolean nested;
  char fence_char;
  gsize fence_len;

  for (const char *cr = memchr (line, '\r', line_end - line); cr != NULL;
       cr = memchr (cr + 1, '\r', line_end - cr - 1))
    if (cr + 1 < end && cr[1] != '\n')
      return TRUE;

  p = skip_container_markers (line, line_end, &nested);
  if (!nested)
    {
      /* Any indentation: is_fence only looks 3 spaces in. */
      while (p < line_end && (*p == ' ' || *p == '\t'))
        p++;
      if (p - line >= 4 && p + 2 < line_end &&
          ((p[0] == '`' && p[1] == '`' && p[2] == '`') || (p[0] == '~' && p[1] == '~' && p[2] == '~')))
        return TRUE;
      p = line;
    }

  if (!is_fence (p, line_end, &fence_char, &fence_len, &info))
    return FALSE;
  if (nested)
    return TRUE;
  return fence_char == '`' && memchr (info, '`', line_end - info) != NULL;
}

/* The last offset in [from, len) where everything before is a run of closed top-level blocks
 * that nothing after can change: the start of a line after a blank line, outside a fenced
 * code block, that cannot continue a list, a quote or an indented block. @from if none.
 * *whole_only is set when the text has a link reference definition: blocks rendered apart
 * would not see it. */
static gsize
last_settled_offset (const char *markdown,
                     gsize       from,
                     gsize       len,
                     gboolean   *whole_only)
{
  const char *end = markdown + len;
  const char *line = markdown + from;
  gboolean in_fence = FALSE, after_blank = FALSE;
  char open_char = 0;
  gsize open_len = 0;
  gsize settled = from;

  while (line < end)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *line_end = eol != NULL ? eol : end;
      const char *info;
      char fence_char;
      gsize fence_len;

      if (!in_fence && after_blank && !is_blank (line, line_end) &&
          strchr (" \t-*+>|0123456789", *line) == NULL)
        settled = line - markdown;
      if (!in_fence && may_be_reference_definition (line, line_end))
        *whole_only = TRUE;
      if (defeats_the_scan (line, line_end, end))
        *whole_only = TRUE;

      if (is_fence (line, line_end, &fence_char, &fence_len, &info))
        {
          if (!in_fence)
            {
              in_fence = TRUE;
              open_char = fence_char;
              open_len = fence_len;
            }
          else if (fence_char == open_char && fence_len >= open_len && is_blank (info, line_end))
            in_fence = FALSE;
        }

      after_blank = !in_fence && is_blank (line, line_end);
      if (eol == NULL)
        break;
      line = eol + 1;
    }

  return settled;
}

/**
 * jx_markdown_render_incremental:
 * @buffer: the #GtkTextBuffer holding an earlier rendering of a prefix of @markdown
 * @markdown: Markdown text that only ever grew since @state was last reset
 * @len: length of @markdown in bytes
 * @state: what this function remembers between calls; zero it to start over
 *
 * Like jx_markdown_render(), but only the part of @markdown after the last settled block
 * boundary is rendered again, so the cost follows the length of the last block(s), not of
 * the whole answer.
 */
void
jx_markdown_render_incremental (GtkTextBuffer   *buffer,
                                const char      *markdown,
                                gsize            len,
                                JxMarkdownState *state)
{
  GtkTextIter start, end;
  gboolean whole_only = FALSE;
  gsize settled;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (state != NULL);

  jx_markdown_ensure_tags (buffer);

  if (state->settled_bytes > len)
    memset (state, 0, sizeof *state);

  settled = state->whole_only ? 0 : last_settled_offset (markdown, state->settled_bytes, len, &whole_only);
  if (state->whole_only || whole_only)
    {
      memset (state, 0, sizeof *state);
      state->whole_only = TRUE;
      jx_markdown_render (buffer, markdown, len);
      return;
    }

  /* Everything after the settled part is rendered again. */
  gtk_text_buffer_get_iter_at_offset (buffer, &start, state->settled_chars);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_delete (buffer, &start, &end);

  if (settled > state->settled_bytes)
    {
      append_rendered (buffer, markdown + state->settled_bytes, settled - state->settled_bytes);
      state->settled_bytes = settled;
      state->settled_chars = gtk_text_buffer_get_char_count (buffer);
    }

  append_rendered (buffer, markdown + state->settled_bytes, len - state->settled_bytes);
}

/**
 * jx_markdown_render:
 * @buffer: the #GtkTextBuffer to replace the contents of
 * @markdown: Markdown text (CommonMark with tables and strikethrough)
 * @len: length of @markdown in bytes
 *
 * Replaces the contents of @buffer with @markdown formatted: headings bold and
 * larger, lists with bullets or numbers, code in a monospace font, emphasis.
 * Incomplete Markdown (a stream cut mid-way) renders as far as it goes.
 */
void
jx_markdown_render (GtkTextBuffer *buffer,
                    const char    *markdown,
                    gsize          len)
{
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  jx_markdown_ensure_tags (buffer);
  gtk_text_buffer_set_text (buffer, "", 0);
  append_rendered (buffer, markdown, len);
}
