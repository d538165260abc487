/* jx-cli.h — headless subcommands: compare, plan, demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean jx_cli_is_command (const char *arg);
/* argv[1] is the subcommand. Returns the process exit status. */
int      jx_cli_main       (int         argc,
                            char      **argv);

G_END_DECLS
