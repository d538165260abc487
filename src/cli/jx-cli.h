/* jx-cli.h — headless subcommands: compare, plan, demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JX_CLI_EXIT_FAILURE     1
#define JX_CLI_EXIT_USAGE       2
#define JX_CLI_EXIT_INTERRUPTED 130  /* 128 + SIGINT, as shells report it */

/* TRUE when argv[1] is for the command line, not the window: a command (known or not),
 * --help, -h or --version. */
gboolean jx_cli_is_command  (const char *arg);
/* argv[1] is the subcommand (or --help / --version). Returns the process exit status. */
int      jx_cli_main        (int         argc,
                             char      **argv);

/* Each subcommand: argv[0] is its name. Returns the process exit status. */
int      jx_cli_compare_main (int        argc,
                              char     **argv,
                              gboolean   demo);
int      jx_cli_plan_main    (int        argc,
                              char     **argv);

G_END_DECLS
