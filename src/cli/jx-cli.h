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

/* Appends @text padded with spaces to @width characters (right-aligned if @right), or cut
 * to fit with a trailing "…". For the compare and plan tables. */
void     jx_cli_append_cell (GString    *line,
                             const char *text,
                             glong       width,
                             gboolean    right);

G_END_DECLS
