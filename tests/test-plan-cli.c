/* test-plan-cli.c — `juxta plan` output in table, json and csv, and its usage errors
 *
 * Runs the built binary ($G_TEST_BUILDDIR/../src/juxta plan …) when it has the plan
 * subcommand; otherwise this test program itself, which runs jx_cli_plan_main () when its first
 * argument is "plan".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "jx-cli.h"
#include "jx-cli-output.h"
#include "jx-price-overrides.h"

static char *self_path;
static char *program;   /* the binary to run: juxta or ourselves */
static char *providers_file;

static const char test_providers[] =
  "{\"providers\":[{\"id\":\"acme\",\"protocol\":\"openai\",\"base_url\":\"https://acme.example/v1\","
  "\"models\":["
  "{\"id\":\"one\",\"input_per_mtok\":1,\"cached_input_per_mtok\":0.5,\"output_per_mtok\":2,\"batch_discount\":0.5},"
  "{\"id\":\"two\",\"input_per_mtok\":3,\"output_per_mtok\":1},"
  "{\"id\":\"a-model-with-a-rather-long-name-that-does-not-fit:v1\",\"input_per_mtok\":10,\"output_per_mtok\":10}]},"
  "{\"id\":\"gpuhost\",\"protocol\":\"openai\",\"base_url\":\"https://gpu.example/v1\",\"models\":["
  "{\"id\":\"gpu\",\"per_second_usd\":0.0014,\"price_checked\":\"2026-12-01\"}]}]}";

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs `PROGRAM plan ARGS…` (NULL-terminated), environment inherited (isolated XDG dirs). */
static void
run_plan (Run        *run,
          const char *first_arg,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  va_list ap;

  g_ptr_array_add (argv, program);
  g_ptr_array_add (argv, (gpointer) "plan");
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  /* Never let an unwired binary open a window. */
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  /* The isolated per-test dirs are not in our environment: hand them over. */
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);

  memset (run, 0, sizeof *run);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (run->status))
    run->status = WEXITSTATUS (run->status);
  else
    run->status = -1;
  g_test_message ("stdout:\n%s\nstderr:\n%s", run->out, run->err);
}

static GPtrArray *
json_lines (const char *text)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (lines[i][0] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      g_ptr_array_add (objects, json_parser_steal_root (parser));
    }

  return objects;
}

static JsonObject *
line_object (GPtrArray *lines,
             guint      i)
{
  return json_node_get_object (g_ptr_array_index (lines, i));
}

static void
test_json (void)
{
  g_auto(Run) run;
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *o;

  run_plan (&run, "--requests-per-day", "10000", "--input-tokens", "1000", "--output-tokens", "200",
            "-p", "acme:two", "-p", "acme:one", "--providers-file", providers_file,
            "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 2);

  /* 300,000 × (1000 × $1 + 200 × $2) / 1e6 = $420; two: 300,000 × 3200 µ$ = $960. */
  o = line_object (lines, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "acme");
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "one");
  g_assert_cmpfloat (json_object_get_double_member (o, "requests_per_month"), ==, 300000);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "per_request_usd"), 0.0014, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "monthly_usd"), 420.0, 1e-6);
  g_assert_true (json_object_get_boolean_member (o, "cheapest"));
  g_assert_cmpstr (json_object_get_string_member (o, "batch"), ==, "off");
  g_assert_cmpint (json_object_get_int_member (o, "input_tokens"), ==, 1000);

  o = line_object (lines, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "two");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "monthly_usd"), 960.0, 1e-6);
  g_assert_false (json_object_get_boolean_member (o, "cheapest"));
}

static void
test_json_batch_cached (void)
{
  g_auto(Run) run;
  g_autoptr(GPtrArray) lines = NULL;

  run_plan (&run, "--requests-per-month", "300000", "--input-tokens", "1000", "--output-tokens", "200",
            "--cached-share", "0.5", "--batch", "-p", "acme", "--providers-file", providers_file,
            "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 3);
  /* one: (500 × 1 + 500 × 0.5 + 200 × 2) × 0.5 = 575 µ$ → $172.50 */
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "model"), ==, "one");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (line_object (lines, 0), "monthly_usd"),
                                  172.5, 1e-6);
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 0), "batch"), ==, "applied");
  /* two: no cached price, no batch discount: 3200 µ$ → $960 */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (line_object (lines, 1), "monthly_usd"),
                                  960.0, 1e-6);
  g_assert_cmpstr (json_object_get_string_member (line_object (lines, 1), "batch"), ==, "unavailable");
}

static void
test_csv (void)
{
  g_auto(Run) run;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;

  run_plan (&run, "--requests-per-day", "10000", "--input-tokens", "1000", "--output-tokens", "200",
            "-p", "acme:one", "-p", "acme:two", "--providers-file", providers_file,
            "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "\r\n"));
  lines = g_strsplit (run.out, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);  /* header, 2 rows, "" */
  g_assert_cmpstr (lines[0], ==,
                   "provider,model,requests_per_month,input_tokens,output_tokens,cached_share,"
                   "per_request_usd,monthly_usd,cheapest,batch,billing,long_context_above,seconds,"
                   "price_source");
  fields = g_strsplit (lines[1], ",", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 14);
  g_assert_cmpstr (fields[0], ==, "\"acme\"");
  g_assert_cmpstr (fields[1], ==, "\"one\"");
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[7], NULL), 420.0, 1e-6);
  g_assert_cmpstr (fields[8], ==, "true");
  g_assert_cmpstr (fields[9], ==, "\"off\"");
  g_assert_cmpstr (fields[10], ==, "\"tokens\"");
  g_assert_true (g_str_has_prefix (lines[2], "\"acme\",\"two\","));
  g_assert_cmpstr (lines[3], ==, "");
}

static void
test_table (void)
{
  g_auto(Run) run;
  g_auto(GStrv) lines = NULL;

  run_plan (&run, "--requests-per-day", "10000", "--input-tokens", "1000", "--output-tokens", "200",
            "--batch", "-p", "acme", "--providers-file", providers_file, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "300,000 requests/month (10,000/day × 30 days)"));
  g_assert_nonnull (strstr (run.out, "$210.00"));   /* $420 at half price */
  g_assert_nonnull (strstr (run.out, "$960.00"));
  g_assert_nonnull (strstr (run.out, "$3,600.00"));
  g_assert_nonnull (strstr (run.out, "cheapest"));
  g_assert_nonnull (strstr (run.out, "no batch price"));
  g_assert_nonnull (strstr (run.out, "acme:a-model-with-a-rather-long…"));

  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)  /* the workload summary wraps like prose */
        g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 80);
    }
  g_assert_true (g_str_has_prefix (lines[2], "PROVIDER:MODEL"));
  g_assert_true (g_str_has_prefix (lines[3], "acme:one "));
  g_assert_true (g_str_has_prefix (lines[4], "acme:two "));
}

static void
test_default_list (void)
{
  g_auto(Run) run;
  g_autoptr(GPtrArray) lines = NULL;
  double last = -1;

  run_plan (&run, "--requests-per-month", "1000", "--input-tokens", "500", "--output-tokens", "500",
            "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = json_lines (run.out);
  g_assert_cmpuint (lines->len, >, 40);
  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *o = line_object (lines, i);
      double monthly = json_object_get_double_member (o, "monthly_usd");

      g_assert_cmpstr (json_object_get_string_member (o, "provider"), !=, "simulated");
      g_assert_cmpfloat (monthly, >=, last);
      last = monthly;
    }
}

static void
test_override_used (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);
  g_auto(Run) run;
  g_autoptr(GPtrArray) lines = NULL;
  JxPrice price;

  jx_price_init (&price);
  price.input_per_mtok = 1;
  price.output_per_mtok = 1;
  g_assert_true (jx_pricing_set_override (catalog, "openai", "gpt-4o", &price, &error));
  g_assert_no_error (error);

  run_plan (&run, "--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "1000",
            "-p", "openai:gpt-4o", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 1);
  /* 1000 × 2000 µ$ = $2 */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (line_object (lines, 0), "monthly_usd"),
                                  2.0, 1e-9);

  g_assert_true (jx_pricing_reset (catalog, "openai", "gpt-4o", &error));
}

static void
test_usage_errors (void)
{
  const char *cases[][12] = {
    { "--input-tokens", "1", "--output-tokens", "1", NULL },                               /* no rate */
    { "--requests-per-day", "1", "--requests-per-month", "1", "--input-tokens", "1",
      "--output-tokens", "1", NULL },                                                      /* both */
    { "--requests-per-day", "1", "--output-tokens", "1", NULL },                           /* no input */
    { "--requests-per-day", "1", "--input-tokens", "1", "--output-tokens", "1",
      "--cached-share", "1.5", NULL },
    { "--requests-per-day", "1", "--input-tokens", "1", "--output-tokens", "1",
      "--format", "xml", NULL },
    { "--requests-per-day", "1", "--input-tokens", "1", "--output-tokens", "1",
      "-p", "nobody:x", NULL },
    { "--requests-per-day", "1", "--input-tokens", "1", "--output-tokens", "1",
      "-p", "openai:gpt-nope", NULL },
    { "--requests-per-day", "x", "--input-tokens", "1", "--output-tokens", "1", NULL },
    { "--requests-per-day", "1", "--input-tokens", "1", "--output-tokens", "1", "extra", NULL },
    { "--requests-per-day", "1", "--input-tokens", "1", "--output-tokens", "1",
      "--subscription", "team:20:lots:0.01", NULL },
    { "--requests-per-day", "1", "--input-tokens", "1", "--output-tokens", "1",
      "--seconds-per-request", "-3", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run;
      const char **c = cases[i];

      run_plan (&run, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, "juxta plan"));
    }
}

static JsonObject *
find_line (GPtrArray  *lines,
           const char *provider,
           const char *model)
{
  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *o = line_object (lines, i);

      if (g_str_equal (json_object_get_string_member (o, "provider"), provider) &&
          g_str_equal (json_object_get_string_member (o, "model"), model))
        return o;
    }

  g_assert_not_reached ();
}

/* Above 200k (Gemini 2.5 Pro) and 272k (GPT-5.5) input tokens the whole request is billed at
 * the long-context rates. */
static void
test_long_context (void)
{
  g_auto(Run) run;
  g_auto(Run) table;
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *o;

  run_plan (&run, "--requests-per-month", "1000", "--input-tokens", "300000",
            "--output-tokens", "1000", "-p", "gemini:gemini-2.5-pro", "-p", "openai:gpt-5.5",
            "-p", "openai:gpt-4.1", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 3);

  /* 300,000 × $2.50 + 1,000 × $15 per 1M = $0.765 (not $0.385 at the base rates). */
  o = find_line (lines, "gemini", "gemini-2.5-pro");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "per_request_usd"), 0.765, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "monthly_usd"), 765.0, 1e-6);
  g_assert_cmpint (json_object_get_int_member (o, "long_context_above"), ==, 200000);
  g_assert_cmpstr (json_object_get_string_member (o, "price_source"), ==, "catalog 2026-07");

  /* 300,000 × $10 + 1,000 × $45 per 1M = $3.045 (not $1.53). */
  o = find_line (lines, "openai", "gpt-5.5");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "per_request_usd"), 3.045, 1e-9);
  g_assert_cmpint (json_object_get_int_member (o, "long_context_above"), ==, 272000);

  /* A model without tiers keeps its one price. */
  o = find_line (lines, "openai", "gpt-4.1");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "per_request_usd"), 0.608, 1e-9);
  g_assert_true (json_object_get_null_member (o, "long_context_above"));

  /* Below the threshold: the base price. */
  run_plan (&table, "--requests-per-month", "1000", "--input-tokens", "200000",
            "--output-tokens", "1000", "-p", "gemini:gemini-2.5-pro", NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "$0.260000"));
  g_assert_null (strstr (table.out, "long context"));
  g_assert_nonnull (strstr (table.out, "Prices: catalog 2026-07"));
}

/* A model billed by compute time: the seconds come from --seconds-per-request. */
static void
test_per_second (void)
{
  g_auto(Run) run;
  g_auto(Run) unknown;
  g_auto(Run) table;
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *o;

  run_plan (&run, "--requests-per-month", "10000", "--input-tokens", "500", "--output-tokens", "500",
            "--seconds-per-request", "12.5", "-p", "gpuhost:gpu", "--providers-file", providers_file,
            "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 1);
  o = line_object (lines, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "billing"), ==, "per-second");
  /* 12.5 s × $0.0014 = $0.0175 a request, $175 a month. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "per_request_usd"), 0.0175, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "monthly_usd"), 175.0, 1e-6);
  g_assert_cmpfloat (json_object_get_double_member (o, "seconds"), ==, 12.5);
  {
    g_autofree char *base = g_path_get_basename (providers_file);
    g_autofree char *expected = g_strdup_printf ("%s 2026-12-01", base);

    g_assert_cmpstr (json_object_get_string_member (o, "price_source"), ==, expected);
  }

  /* Without the seconds there is no price, and the table says what is missing. */
  run_plan (&unknown, "--requests-per-month", "10000", "--input-tokens", "500", "--output-tokens", "500",
            "-p", "gpuhost:gpu", "--providers-file", providers_file, "--format", "json", NULL);
  g_assert_cmpint (unknown.status, ==, 0);
  g_assert_nonnull (strstr (unknown.out, "\"monthly_usd\":null"));
  run_plan (&table, "--requests-per-month", "10000", "--input-tokens", "500", "--output-tokens", "500",
            "-p", "gpuhost:gpu", "--providers-file", providers_file, NULL);
  g_assert_nonnull (strstr (table.out, "--seconds-per-request"));
}

/* A subscription: monthly fee, included quota, overage. */
static void
test_subscription (void)
{
  g_auto(Run) run;
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *o;

  run_plan (&run, "--requests-per-month", "3000", "--input-tokens", "1000", "--output-tokens", "200",
            "-p", "acme:one", "--subscription", "team:20:1000:0.01",
            "--subscription", "pro:100:5M:0.00001:tokens", "--providers-file", providers_file,
            "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = json_lines (run.out);
  g_assert_cmpuint (lines->len, ==, 3);

  /* acme:one: 3000 × $0.0014 = $4.20, the cheapest. */
  o = line_object (lines, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "one");
  g_assert_true (json_object_get_boolean_member (o, "cheapest"));

  /* team: $20 + (3000 − 1000) × $0.01 = $40. */
  o = find_line (lines, "subscription", "team");
  g_assert_cmpstr (json_object_get_string_member (o, "billing"), ==, "subscription");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "monthly_usd"), 40.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "per_request_usd"), 40.0 / 3000, 1e-9);

  /* pro counts tokens: 3000 × 1200 = 3.6M, inside the 5M quota: $100. */
  o = find_line (lines, "subscription", "pro");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "monthly_usd"), 100.0, 1e-9);
}

/* Does the built juxta know `plan`? */
static gboolean
juxta_has_plan (const char *juxta)
{
  const char *argv[] = { juxta, "plan", "--requests-per-month", "1", "--input-tokens", "1",
                         "--output-tokens", "1", "-p", "ollama", "--format", "json", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  int status = -1;

  if (!g_file_test (juxta, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL) && strstr (out, "\"provider\":\"ollama\"") != NULL;
}

/* The shared writers: what a server sends cannot reach the terminal or break JSON. */
static void
test_output_sanitize (void)
{
  g_autofree char *line = jx_cli_output_sanitize ("a\033]0;pwned\007b\tc\nd\302\233e\177f\377", FALSE);
  g_autofree char *text = jx_cli_output_sanitize ("x\ty\nz\r", TRUE);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  g_assert_cmpstr (line, ==, "a]0;pwnedb c def\357\277\275");
  g_assert_cmpstr (text, ==, "x\ty\nz");
  g_assert_null (jx_cli_output_sanitize (NULL, TRUE));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, "Grüße\033[2J\"\\\n\355\240\200");
  json_builder_set_member_name (builder, "cost");
  json_builder_add_double_value (builder, INFINITY);
  json_builder_set_member_name (builder, "nan");
  json_builder_add_double_value (builder, NAN);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = jx_cli_output_json_to_string (root);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  g_assert_cmpstr (json, ==, "{\"text\":\"Grüße\\u001b[2J\\\"\\\\\\n\357\277\275\357\277\275\357\277\275\","
                             "\"cost\":null,\"nan\":null}");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *juxta = NULL;
  char *tmp_dir;
  int ret;

  /* Child mode: behave as `juxta plan`. */
  if (argc > 1 && g_str_equal (argv[1], "plan"))
    {
      setlocale (LC_ALL, "");
      return jx_cli_plan_main (argc - 1, argv + 1);
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  self_path = g_canonicalize_filename (argv[0], NULL);
  juxta = g_test_build_filename (G_TEST_BUILT, "..", "src", "juxta", NULL);
  program = juxta_has_plan (juxta) ? g_strdup (juxta) : g_strdup (self_path);

  /* A directory of its own: tests of other checkouts may run at the same time. */
  tmp_dir = g_dir_make_tmp ("juxta-plan-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  providers_file = g_build_filename (tmp_dir, "providers.json", NULL);
  g_file_set_contents (providers_file, test_providers, -1, NULL);

  g_test_add_func ("/juxta/cli/plan/json", test_json);
  g_test_add_func ("/juxta/cli/plan/json-batch-cached", test_json_batch_cached);
  g_test_add_func ("/juxta/cli/plan/csv", test_csv);
  g_test_add_func ("/juxta/cli/plan/table", test_table);
  g_test_add_func ("/juxta/cli/plan/default-list", test_default_list);
  g_test_add_func ("/juxta/cli/plan/override-used", test_override_used);
  g_test_add_func ("/juxta/cli/plan/usage-errors", test_usage_errors);
  g_test_add_func ("/juxta/cli/output/sanitize", test_output_sanitize);
  g_test_add_func ("/juxta/cli/plan/long-context", test_long_context);
  g_test_add_func ("/juxta/cli/plan/per-second", test_per_second);
  g_test_add_func ("/juxta/cli/plan/subscription", test_subscription);

  ret = g_test_run ();

  g_unlink (providers_file);
  g_rmdir (tmp_dir);
  g_free (providers_file);
  g_free (tmp_dir);
  g_free (program);
  g_free (self_path);
  return ret;
}
