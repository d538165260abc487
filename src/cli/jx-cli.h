/* jx-cli.h — headless subcommands: compare, plan, demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jx-history.h"
#include "jx-response.h"

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
int      jx_cli_history_main (int        argc,
                              char     **argv);

/* The response record `juxta compare --format json` prints (and its CSV columns); `juxta
 * history` prints stored responses with the same function. */
void                jx_cli_compare_response_record (JsonBuilder *builder,
                                                    JxResponse  *response,
                                                    const char  *request_id,
                                                    const char  *started_at);
const char * const *jx_cli_compare_csv_columns     (void);

/* The history store: $JUXTA_HISTORY_FILE, else $XDG_DATA_HOME/juxta/history.db. */
JxHistory *jx_cli_history_open            (void);
/* Waits until everything queued is written; prints the store's warning or error. */
void       jx_cli_history_close           (JxHistory *history);
/* The sampling parameters of a round as a JSON object, NULL when none is set. */
char      *jx_cli_history_parameters_json (double     temperature,
                                           int        max_tokens);

G_END_DECLS
