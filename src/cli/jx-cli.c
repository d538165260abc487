/* jx-cli.c — `juxta COMMAND`: picks the subcommand; `juxta --help`, `--version`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "jx-cli.h"
#include "jx-cli-output.h"

typedef struct
{
  const char *name;
  const char *summary;  /* N_() */
  int       (*main) (int argc, char **argv);
} JxCliCommand;

static int
compare_main (int    argc,
              char **argv)
{
  return jx_cli_compare_main (argc, argv, FALSE);
}

static int
demo_main (int    argc,
           char **argv)
{
  return jx_cli_compare_main (argc, argv, TRUE);
}

/* Every headless command, in the order `juxta --help` lists them. The man page
 * (data/juxta.1) and the shell completions (data/completions/) list the same names. */
static const JxCliCommand commands[] = {
  { "compare", N_("Stream one prompt to several providers; compare latency, tokens and cost"), compare_main },
  { "plan", N_("Monthly cost of a workload across models"), jx_cli_plan_main },
  { "demo", N_("Offline demo: simulated providers, no key and no network"), demo_main },
  /* HISTORY: `history` goes here once the run store exists; add it to the man page and
   * the completions too. */
};

static const JxCliCommand *
lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (name, commands[i].name) == 0)
      return &commands[i];
  return NULL;
}

static gboolean
is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 || g_strcmp0 (arg, "-?") == 0;
}

static gboolean
is_version (const char *arg)
{
  return g_strcmp0 (arg, "--version") == 0;
}

gboolean
jx_cli_is_command (const char *arg)
{
  if (arg == NULL)
    return FALSE;
  /* Any word that is not an option is a command: unknown ones get a usage error here,
   * never a window. */
  return lookup_command (arg) != NULL || is_help (arg) || is_version (arg) || arg[0] != '-';
}

static void
print_help (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "%s\n  juxta [-p PROVIDER:MODEL …]\n  juxta %s [%s…]\n\n",
                          _("Usage:"), _("COMMAND"), _("OPTION"));
  g_string_append_printf (out, "%s\n", _("Stream one prompt to many LLM providers at once and compare latency,"));
  g_string_append_printf (out, "%s\n\n", _("tokens and cost. Without a command, juxta opens its window."));
  g_string_append_printf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (out, "\n%s\n", _("Window options:"));
  g_string_append_printf (out, "  -p, --pane=PROVIDER:MODEL  %s\n", _("Compare this model; repeat for more panes"));
  g_string_append_printf (out, "\n%s\n", _("Options:"));
  g_string_append_printf (out, "  -h, --help                 %s\n", _("Show this help"));
  g_string_append_printf (out, "  --version                  %s\n", _("Show the version"));
  g_string_append_printf (out, "\n%s\n", _("Run “juxta COMMAND --help” for the options of a command; see juxta(1)."));
  g_string_append_printf (out, "%s\n", _("Exit status: 0 success, 1 a request failed, 2 usage error, "
                                         "130 interrupted."));
  jx_cli_output_write (out->str, out->len);
}

int
jx_cli_main (int    argc,
             char **argv)
{
  const char *name = argv[1];
  const JxCliCommand *command;

  /* Figures print the same in every language (scripts parse them); words are translated. */
  setlocale (LC_NUMERIC, "C");

  if (is_help (name))
    {
      print_help ();
      return 0;
    }
  if (is_version (name))
    {
      jx_cli_output_printf ("juxta %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* Drop the program name so the subcommand parses like its own program. */
  if ((command = lookup_command (name)) != NULL)
    return command->main (argc - 1, argv + 1);

  g_printerr (_("juxta: unknown command “%s”\n"), name);
  g_printerr (_("Try “juxta --help” for the list of commands.\n"));
  return JX_CLI_EXIT_USAGE;
}
