/* jx-window.c
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

#include "jx-window.h"

struct _JxWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  GtkMenuButton        *primary_menu_button;
  AdwStatusPage        *empty_page;
  GtkBox               *extra_actions;
};

G_DEFINE_FINAL_TYPE (JxWindow, jx_window, ADW_TYPE_APPLICATION_WINDOW)

/**
 * jx_window_new:
 * @application: the #JxApplication the window belongs to
 *
 * Creates a main window. Its size and maximized state come from GSettings.
 *
 * Returns: (transfer none): a new #JxWindow, owned by GTK
 */
JxWindow *
jx_window_new (JxApplication *application)
{
  g_return_val_if_fail (JX_IS_APPLICATION (application), NULL);

  return g_object_new (JX_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
jx_window_restore_state (JxWindow *self)
{
  int width;
  int height;

  g_assert (JX_IS_WINDOW (self));

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
jx_window_save_state (JxWindow *self)
{
  int width = 0;
  int height = 0;

  g_assert (JX_IS_WINDOW (self));

  /* GtkWindow keeps the unmaximized size as its default size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
jx_window_close_request (GtkWindow *window)
{
  JxWindow *self = JX_WINDOW (window);

  jx_window_save_state (self);

  return GTK_WINDOW_CLASS (jx_window_parent_class)->close_request (window);
}

static void
jx_window_dispose (GObject *object)
{
  JxWindow *self = JX_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_WINDOW);

  G_OBJECT_CLASS (jx_window_parent_class)->dispose (object);
}

static void
jx_window_finalize (GObject *object)
{
  JxWindow *self = JX_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (jx_window_parent_class)->finalize (object);
}

static void
jx_window_class_init (JxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = jx_window_dispose;
  object_class->finalize = jx_window_finalize;

  window_class->close_request = jx_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/juxta/Juxta/ui/jx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JxWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, extra_actions);
}

static void
jx_window_init (JxWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  jx_window_restore_state (self);
}
