/* jx-test-ui.c — screenshots of real widgets and main-loop helpers for the UI tests, compiled
 * once into jx-test-ui-support
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <unistd.h>

#include "jx-test-ui.h"

/* Renders @widget (realized and drawn) to a texture with the window's own renderer. */
GdkTexture *
jx_test_render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width = gdk_paintable_get_intrinsic_width (paintable);
  int height = gdk_paintable_get_intrinsic_height (paintable);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  snapshot = gtk_snapshot_new ();
  /* A part of a window has no background of its own: give it the window's. */
  if (!GTK_IS_NATIVE (widget))
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1 },
                               &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Saves a PNG into <build>/tests/screenshots/ and returns its path (free it). */
char *
jx_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  char *path;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  g_unlink (path);

  gtk_test_widget_wait_for_draw (widget);
  texture = jx_test_render_widget (widget);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);

  return path;
}

/* Iterates the main context until @condition holds; fails the test after @timeout_s. */
void
jx_test_wait_until (JxTestCondition condition,
                    gpointer        data,
                    guint           timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Destroys every toplevel and lets the main context settle. */
void
jx_test_destroy_all_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWidget *
jx_test_find_widget (GtkWidget         *widget,
                     JxTestWidgetMatch  match,
                     gconstpointer      data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = jx_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
jx_test_widget_has_name (GtkWidget     *widget,
                         gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

gboolean
jx_test_is_button_labelled (GtkWidget     *widget,
                            gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static void
set_xdg_dirs (const char *root)
{
  static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (root, vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
}

char *
jx_test_isolate_xdg_dirs (const char *env_name)
{
  char *root;

  if (g_getenv (env_name) == NULL)
    {
      root = g_dir_make_tmp ("juxta-test-XXXXXX", NULL);
      g_assert_nonnull (root);
      g_setenv (env_name, root, TRUE);
      set_xdg_dirs (root);
    }
  else
    {
      g_autofree char *sub = NULL;

      /* A child of g_test_trap_subprocess(): directories of its own below the same root. */
      root = g_strdup (g_getenv (env_name));
      sub = g_strdup_printf ("%s/child-%d", root, (int) getpid ());
      set_xdg_dirs (sub);
    }

  return root;
}

void
jx_test_rm_rf (const char *path)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR) &&
      (d = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        jx_test_rm_rf (child);
      }
  g_remove (path);
}

/* Every file below dir (recursively) whose contents hold needle, or a directory named
 * "keyrings" (libsecret's file backend), is appended to found. */
static void
collect_suspects (const char *dir,
                  const char *needle,
                  GPtrArray  *found)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (g_str_equal (name, "keyrings"))
            g_ptr_array_add (found, g_strdup (path));
          collect_suspects (path, needle, found);
        }
      else if (g_file_get_contents (path, &contents, &len, NULL) &&
               g_strstr_len (contents, len, needle) != NULL)
        g_ptr_array_add (found, g_strdup (path));
    }
}

void
jx_test_assert_no_file_holds (const char *dir,
                              const char *needle)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  collect_suspects (dir, needle, found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("Found: %s", (char *) g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);
}

char *
jx_test_keyring_lookup (const char *provider_id)
{
  g_autofree char *command = g_strdup_printf ("secret-tool lookup provider %s", provider_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL) || out == NULL || *g_strstrip (out) == '\0')
    return NULL;
  return g_steal_pointer (&out);
}

void
jx_test_keyring_clear (const char *provider_id)
{
  g_autofree char *command = g_strdup_printf ("secret-tool clear provider %s", provider_id);

  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}
