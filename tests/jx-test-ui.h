/* jx-test-ui.h — screenshots of real widgets and main-loop helpers for the UI tests
 * (jx-test-ui.c, in jx-test-ui-support)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget (realized and drawn) to a texture with the window's own renderer. */
GdkTexture *jx_test_render_widget       (GtkWidget       *widget);

/* Saves a PNG into <build>/tests/screenshots/ and returns its path (free it). */
char       *jx_test_save_screenshot     (GtkWidget       *widget,
                                         const char      *name);

typedef gboolean (*JxTestCondition) (gpointer data);

/* Iterates the main context until @condition holds; fails the test after @timeout_s. */
void        jx_test_wait_until          (JxTestCondition  condition,
                                         gpointer         data,
                                         guint            timeout_s);

/* Destroys every toplevel and lets the main context settle. */
void        jx_test_destroy_all_windows (void);

G_END_DECLS
