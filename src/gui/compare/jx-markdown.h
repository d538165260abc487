/* jx-markdown.h
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  gsize    settled_bytes;  /* of the Markdown source, rendered for good */
  int      settled_chars;  /* where that rendering ends in the buffer */
  gboolean whole_only;     /* the text needs whole-document renders (reference links) */
} JxMarkdownState;

void jx_markdown_ensure_tags        (GtkTextBuffer   *buffer);
void jx_markdown_render             (GtkTextBuffer   *buffer,
                                     const char      *markdown,
                                     gsize            len);
void jx_markdown_render_incremental (GtkTextBuffer   *buffer,
                                     const char      *markdown,
                                     gsize            len,
                                     JxMarkdownState *state);

G_END_DECLS
