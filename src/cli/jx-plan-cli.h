/* jx-plan-cli.h — `juxta plan`: monthly cost of a workload across models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] is "plan". Returns the process exit status: 0, 1 on a runtime error (the
 * overrides file cannot be read), 2 on a usage error. */
int jx_plan_main (int    argc,
                  char **argv);

G_END_DECLS
