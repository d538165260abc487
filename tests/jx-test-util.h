/* jx-test-util.h — helpers shared by the engine tests (header-only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "jx-fake-server.h"
#include "jx-request.h"

/* A catalog with the built-ins plus a providers file pointing `ids` at the fake server. Each
 * gets a "test-model" priced at $1 / $0.50 cached / $2 output per 1M tokens. */
static inline JxCatalog *
jx_test_catalog (const char *base_url,
                 const char *extra_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JxCatalog) catalog = jx_catalog_new_builtin (&error);

  g_assert_no_error (error);
  if (extra_json != NULL)
    {
      g_autofree char *json = NULL;
      g_autoptr(GString) s = g_string_new (extra_json);

      g_string_replace (s, "@URL@", base_url, 0);
      json = g_string_free (g_steal_pointer (&s), FALSE);
      jx_catalog_load_data (catalog, json, -1, "test-providers.json", &error);
      g_assert_no_error (error);
    }

  return g_steal_pointer (&catalog);
}

typedef struct
{
  GMainLoop  *loop;
  JxResponse *response;
} JxTestRun;

static inline void
jx_test_run_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  JxTestRun *run = user_data;

  run->response = jx_request_run_finish (JX_REQUEST (object), result);
  g_main_loop_quit (run->loop);
}

/* Runs one request to completion; credential NULL = look it up like the app does. */
static inline JxResponse *
jx_test_run (JxEngine     *engine,
             const char   *provider_id,
             const char   *model,
             const char   *credential,
             GCancellable *cancellable)
{
  JxProvider *provider = jx_catalog_lookup (jx_engine_get_catalog (engine), provider_id);
  g_autoptr(JxRequest) request = NULL;
  JxTestRun run = { 0 };
  JxPrompt prompt;

  g_assert_nonnull (provider);
  jx_prompt_init (&prompt);
  prompt.system = (char *) "You are terse.";
  prompt.user = (char *) "Say hi";
  prompt.max_tokens = 64;
  prompt.temperature = 0.5;

  request = jx_request_new (engine, provider, model, &prompt);
  if (credential != NULL)
    jx_request_set_credential (request, credential);

  run.loop = g_main_loop_new (NULL, FALSE);
  jx_request_run_async (request, cancellable, jx_test_run_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  return run.response;
}

static inline JsonObject *
jx_test_parse_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (body);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}
