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

typedef gboolean (*JxTestWidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget at or below @widget, depth first, that @match accepts; NULL if none. */
GtkWidget  *jx_test_find_widget         (GtkWidget        *widget,
                                         JxTestWidgetMatch match,
                                         gconstpointer     data);
/* Matches for jx_test_find_widget (): by gtk_widget_get_name (), by a button's label. */
gboolean    jx_test_widget_has_name     (GtkWidget        *widget,
                                         gconstpointer     name);
gboolean    jx_test_is_button_labelled  (GtkWidget        *widget,
                                         gconstpointer     label);

/* Gives this process XDG config, data, cache and state directories of its own below a new
 * temporary root, set before GLib caches them, and returns the root (free it). A child of
 * g_test_trap_subprocess () gets directories of its own below its parent's root, passed
 * in the environment variable @env_name. */
char       *jx_test_isolate_xdg_dirs    (const char       *env_name);
/* Removes @path and everything below it. */
void        jx_test_rm_rf               (const char       *path);
/* Fails the test if a file below @dir holds @needle, or if there is a directory named
 * "keyrings" (libsecret's file backend) below it. */
void        jx_test_assert_no_file_holds (const char      *dir,
                                          const char      *needle);

/* What `secret-tool lookup provider ID` prints, stripped; NULL when it finds nothing. */
char       *jx_test_keyring_lookup      (const char       *provider_id);
/* `secret-tool clear provider ID`. */
void        jx_test_keyring_clear       (const char       *provider_id);

G_END_DECLS
