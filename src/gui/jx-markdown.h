/* jx-markdown.h
 *
 * Copyright 2026 Juxta developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void jx_markdown_ensure_tags (GtkTextBuffer *buffer);
void jx_markdown_render      (GtkTextBuffer *buffer,
                              const char    *markdown,
                              gsize          len);

G_END_DECLS
