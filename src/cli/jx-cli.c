/* jx-cli.c — `juxta COMMAND`: picks the subcommand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "jx-cli.h"

gboolean
jx_cli_is_command (const char *arg)
{
  return g_strcmp0 (arg, "compare") == 0 || g_strcmp0 (arg, "demo") == 0 ||
         g_strcmp0 (arg, "plan") == 0;
}

int
jx_cli_main (int    argc,
             char **argv)
{
  const char *command = argv[1];

  /* Figures print the same in every language (scripts parse them); words are translated. */
  setlocale (LC_NUMERIC, "C");

  /* Drop the program name so the subcommand parses like its own program. */
  if (g_str_equal (command, "compare"))
    return jx_cli_compare_main (argc - 1, argv + 1, FALSE);
  if (g_str_equal (command, "demo"))
    return jx_cli_compare_main (argc - 1, argv + 1, TRUE);
  if (g_str_equal (command, "plan"))
    return jx_cli_plan_main (argc - 1, argv + 1);

  g_printerr ("juxta: unknown command “%s”\n", command);
  return JX_CLI_EXIT_USAGE;
}
