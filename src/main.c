/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "jx-application.h"
#include "jx-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JxApplication) app = NULL;
  const char *localedir = g_getenv ("JUXTA_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Headless subcommands (compare, plan, demo), --help and --version never touch GTK, nor
   * does an unknown command (a usage error). */
  if (argc > 1 && jx_cli_is_command (argv[1]))
    return jx_cli_main (argc, argv);

  app = jx_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
