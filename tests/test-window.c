/* test-window.c
 *
 * Copyright 2026 Juxta developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include <adwaita.h>

#include "jx-test-ui.h"
#include "jx-application.h"
#include "jx-window.h"

#define EMPTY_TITLE_EN "Compare LLM providers side by side"
#define EMPTY_TITLE_DE "LLM-Anbieter nebeneinander vergleichen"

/* The memory GSettings backend (GSETTINGS_BACKEND=memory) is shared by the whole
 * process, so the tests reset the keys they rely on. */
static JxApplication *app;

static gpointer
template_child (gpointer    window,
                const char *name)
{
  GObject *child;

  child = gtk_widget_get_template_child (GTK_WIDGET (window), JX_TYPE_WINDOW, name);
  g_assert_nonnull (child);

  return child;
}

static const char *
empty_state_title (JxWindow *window)
{
  return adw_status_page_get_title (template_child (window, "empty_page"));
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

/* Checks that every shortcut listed in @widget shows an accelerator of its action,
 * and collects the actions in @actions. (The search page repeats each shortcut.) */
static void
check_listed_shortcuts (GtkWidget  *widget,
                        GHashTable *actions)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      char *action_name = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (widget,
                    "accelerator", &accelerator,
                    "action-name", &action_name,
                    NULL);
      g_assert_nonnull (action_name);
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action_name);
      g_assert_true (g_strv_contains ((const char * const *) accels, accelerator));
      g_hash_table_add (actions, action_name);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_listed_shortcuts (child, actions);
}

static void
reset_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

/* The size the user sees. Without a compositor (Xvfb) GTK draws solid client-side
 * decorations, so the surface is the window's default size and the GtkWindow
 * widget is that less the resize borders. */
static void
assert_surface_size (gpointer window,
                     int      width,
                     int      height)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_assert_nonnull (surface);
  g_assert_cmpint (gdk_surface_get_width (surface), ==, width);
  g_assert_cmpint (gdk_surface_get_height (surface), ==, height);
}



/* Counts the pixels in the blue of the app icon's face (#62a0ea to #3584e4), which
 * only appears on screen if the icon was found in the resources. */
static guint
count_icon_blue_pixels (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *data = g_malloc (stride * height);
  guint count = 0;

  gdk_texture_download (texture, data, stride);

  for (int y = 0; y < height; y++)
    {
      for (int x = 0; x < width; x++)
        {
          /* gdk_texture_download() gives CAIRO_FORMAT_ARGB32: B, G, R, A in memory. */
          const guchar *p = data + y * stride + x * 4;
          guchar b = p[0], g = p[1], r = p[2];

          if (r >= 0x30 && r <= 0x68 && g >= 0x80 && g <= 0xa6 && b >= 0xe0 && b <= 0xf0)
            count++;
        }
    }

  return count;
}

static void
test_window_empty_state (void)
{
  g_autoptr(GdkTexture) shot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;
  AdwStatusPage *page;
  GtkWidget *extra_actions;
  GtkMenuButton *menu_button;
  GMenuModel *menu;
  int width;
  int height;
  guint n_actions = 0;

  reset_window_state ();

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (JX_IS_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_assert_cmpstr (gtk_window_get_title (window), ==, "Juxta");
  g_assert_cmpstr (empty_state_title (JX_WINDOW (window)), ==, EMPTY_TITLE_EN);

  page = template_child (window, "empty_page");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (adw_status_page_get_icon_name (page), ==, APP_ID);
  g_assert_cmpstr (adw_status_page_get_description (page), ==,
                   "Add a provider key or try the offline demo to send one prompt "
                   "to several models at once.");

  /* Later work adds its first-step buttons here. */
  extra_actions = template_child (window, "extra_actions");
  g_assert_true (GTK_IS_BOX (extra_actions));
  g_assert_true (adw_status_page_get_child (page) == extra_actions);

  /* Every primary menu item names an action that exists. */
  menu_button = template_child (window, "primary_menu_button");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (menu_button)), ==, "Main Menu");
  menu = gtk_menu_button_get_menu_model (menu_button);
  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      g_assert_nonnull (section);
      for (int j = 0; j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *action = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION,
                                                          "s", &action));
          g_assert_true (g_str_has_prefix (action, "app."));
          g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), action + 4));
          n_actions++;
        }
    }
  g_assert_cmpuint (n_actions, ==, 3);

  /* The size comes from the schema defaults. */
  assert_surface_size (window, 960, 640);
  width = gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window)));
  height = gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window)));

  path = jx_test_save_screenshot (GTK_WIDGET (window), "window-empty.png");
  g_test_message ("Screenshot: %s", path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  shot = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (shot), ==, width);
  g_assert_cmpint (gdk_texture_get_height (shot), ==, height);
  g_assert_cmpuint (count_icon_blue_pixels (shot), >, 2000);

  jx_test_destroy_all_windows ();
}

static void
test_application_actions (void)
{
  static const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.shortcuts", "<Control>question" },
    { "app.preferences", "<Control>comma" },
    { "window.close", "<Control>w" },
    { "win.send", "<Control>Return" },
    { "win.stop", "Escape" },
    { "win.add-pane", "<Control>n" },
  };
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkWindow *window;
  AdwAboutWindow *about;
  GtkWindow *shortcuts;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                     expected[i].action);

      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }

  reset_window_state ();
  window = GTK_WINDOW (jx_application_new_window (app));
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (about));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == window);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Juxta");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==, "Juxta developers");
  g_assert_cmpstr (adw_about_window_get_website (about), ==, PACKAGE_WEBSITE);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (adw_about_window_get_translator_credits (about));
  g_free (jx_test_save_screenshot (GTK_WIDGET (about), "about.png"));
  gtk_window_destroy (GTK_WINDOW (about));

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (shortcuts));
  g_assert_true (gtk_window_get_transient_for (shortcuts) == window);
  check_listed_shortcuts (GTK_WIDGET (shortcuts), listed);
  g_assert_cmpuint (g_hash_table_size (listed), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_hash_table_contains (listed, expected[i].action));
  g_free (jx_test_save_screenshot (GTK_WIDGET (shortcuts), "shortcuts.png"));
  gtk_window_destroy (shortcuts);

  jx_test_destroy_all_windows ();
}

static void
test_window_size_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  JxWindow *window;
  int width = 0;
  int height = 0;

  g_settings_set_int (settings, "window-width", 820);
  g_settings_set_int (settings, "window-height", 610);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = jx_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  assert_surface_size (window, 820, 610);

  gtk_window_set_default_size (GTK_WINDOW (window), 1010, 705);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  assert_surface_size (window, 1010, 705);

  /* Ctrl+W: the window saves its state while it closes. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1010);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 705);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window comes back at the saved size. */
  window = jx_application_new_window (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1010);
  g_assert_cmpint (height, ==, 705);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  assert_surface_size (window, 1010, 705);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));

  jx_test_destroy_all_windows ();
}

static void
test_application_quit_saves_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  JxWindow *window;

  reset_window_state ();

  window = jx_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);

  jx_test_destroy_all_windows ();
}

static void
test_window_german (void)
{
  g_autofree char *podir = NULL;
  g_autofree char *mo = NULL;
  g_autofree char *path = NULL;
  g_autofree char *old_locale = NULL;
  JxWindow *window;
  AdwStatusPage *page;

  /* i18n.gettext() builds <build root>/po/de/LC_MESSAGES/juxta.mo. */
  podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  mo = g_build_filename (podir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_test_message ("Catalogue: %s", mo);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));

  old_locale = g_strdup (setlocale (LC_ALL, NULL));
  g_setenv ("LANGUAGE", "de", TRUE);
  /* glibc ignores LANGUAGE in the plain "C" locale. */
  /* build-aux/test generates en_US.UTF-8; without a UTF-8 locale this test cannot run. */
  if (setlocale (LC_ALL, "en_US.UTF-8") == NULL &&
      setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("Neither en_US.UTF-8 nor C.UTF-8 is available: run build-aux/test");
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  reset_window_state ();
  window = jx_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_assert_cmpstr (empty_state_title (window), ==, EMPTY_TITLE_DE);
  page = template_child (window, "empty_page");
  g_assert_cmpstr (adw_status_page_get_description (page), ==,
                   "Fügen Sie einen Anbieter-Schlüssel hinzu oder probieren Sie die "
                   "Offline-Demo aus, um einen Prompt gleichzeitig an mehrere Modelle "
                   "zu schicken.");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (template_child (window, "primary_menu_button")),
                   ==, "Hauptmenü");

  path = jx_test_save_screenshot (GTK_WIDGET (window), "window-empty-de.png");
  g_test_message ("Screenshot: %s", path);

  jx_test_destroy_all_windows ();

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Start in English whatever the caller's environment says. */
  g_unsetenv ("LANGUAGE");

  gtk_test_init (&argc, &argv, NULL);

  app = jx_application_new ();
  /* No D-Bus name: the tests must not talk to a running Juxta. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/juxta/gui/window/empty-state", test_window_empty_state);
  g_test_add_func ("/juxta/gui/application/actions", test_application_actions);
  g_test_add_func ("/juxta/gui/window/size-saved", test_window_size_saved);
  g_test_add_func ("/juxta/gui/application/quit-saves-state", test_application_quit_saves_state);
  g_test_add_func ("/juxta/gui/window/german", test_window_german);

  ret = g_test_run ();

  jx_test_destroy_all_windows ();
  g_clear_object (&app);

  return ret;
}
