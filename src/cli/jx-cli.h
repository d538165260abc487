/* jx-cli.h — headless subcommands: compare, plan, demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JX_CLI_EXIT_USAGE 2

gboolean jx_cli_is_command  (const char *arg);
/* argv[1] is the subcommand. Returns the process exit status. */
int      jx_cli_main        (int         argc,
                             char      **argv);

/* Each subcommand: argv[0] is its name. Returns the process exit status. */
int      jx_cli_compare_main (int        argc,
                              char     **argv,
                              gboolean   demo);
int      jx_cli_plan_main    (int        argc,
                              char     **argv);

G_END_DECLS
