/* jx-test-util.c — helpers shared by the engine tests, compiled once into jx-test-support
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>

#include "jx-test-util.h"

/* A catalog with the built-ins plus a providers file pointing `ids` at the fake server. Each
 * gets a "test-model" priced at $1 / $0.50 cached / $2 output per 1M tokens. */
JxCatalog *
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

void
jx_test_run_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  JxTestRun *run = user_data;

  run->response = jx_request_run_finish (JX_REQUEST (object), result, NULL);
  g_main_loop_quit (run->loop);
}

/* Runs one request with @prompt to completion; credential NULL = look it up like the app does. */
JxResponse *
jx_test_run_prompt (JxEngine       *engine,
                    const char     *provider_id,
                    const char     *model,
                    const char     *credential,
                    const JxPrompt *prompt,
                    GCancellable   *cancellable)
{
  JxProvider *provider = jx_catalog_lookup (jx_engine_get_catalog (engine), provider_id);
  g_autoptr(JxRequest) request = NULL;
  JxTestRun run = { 0 };

  g_assert_nonnull (provider);
  request = jx_request_new (engine, provider, model, prompt);
  if (credential != NULL)
    jx_request_set_credential (request, credential);

  run.loop = g_main_loop_new (NULL, FALSE);
  jx_request_run_async (request, cancellable, jx_test_run_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  return run.response;
}

/* Runs one request to completion with the usual prompt ("You are terse." / "Say hi", 64
 * tokens, temperature 0.5); credential NULL = look it up like the app does. */
JxResponse *
jx_test_run (JxEngine     *engine,
             const char   *provider_id,
             const char   *model,
             const char   *credential,
             GCancellable *cancellable)
{
  JxPrompt prompt;

  jx_prompt_init (&prompt);
  prompt.system = (char *) "You are terse.";
  prompt.user = (char *) "Say hi";
  prompt.max_tokens = 64;
  prompt.temperature = 0.5;

  return jx_test_run_prompt (engine, provider_id, model, credential, &prompt, cancellable);
}

void
jx_test_wait_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  JxTestWait *wait = user_data;
  g_autoptr(JxResponse) r = jx_request_run_finish (JX_REQUEST (object), result, NULL);

  if (--wait->pending == 0)
    g_main_loop_quit (wait->loop);
}

/* Starts @n requests with one prompt at once and runs until all have finished; returns the
 * requests (their responses via jx_request_get_response ()). */
GPtrArray *
jx_test_run_concurrent (JxEngine       *engine,
                        JxProvider     *provider,
                        const char     *model,
                        const JxPrompt *prompt,
                        guint           n)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func (g_object_unref);
  JxTestWait wait = { g_main_loop_new (NULL, FALSE), n };

  for (guint i = 0; i < n; i++)
    {
      JxRequest *request = jx_request_new (engine, provider, model, prompt);

      g_ptr_array_add (requests, request);
      jx_request_run_async (request, NULL, jx_test_wait_done_cb, &wait);
    }
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);

  return requests;
}

void
jx_test_fixture_init (JxTestFixture *f,
                      const char    *providers_json)
{
  f->server = jx_fake_server_new ();
  f->catalog = jx_test_catalog (jx_fake_server_get_url (f->server), providers_json);
  f->engine = jx_engine_new (f->catalog);
  f->credential = NULL;
}

void
jx_test_fixture_clear (JxTestFixture *f)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->catalog);
  g_clear_pointer (&f->server, jx_fake_server_free);
  g_clear_pointer (&f->credential, g_free);
}

/* For g_test_add (): the test data is the providers JSON. */
void
jx_test_fixture_setup (JxTestFixture *f,
                       gconstpointer  providers_json)
{
  jx_test_fixture_init (f, providers_json);
}

void
jx_test_fixture_teardown (JxTestFixture *f,
                          gconstpointer  data)
{
  jx_test_fixture_clear (f);
}

/* An engine of its own on a catalog that points @providers_json at @server. */
JxEngine *
jx_test_engine_new (JxFakeServer *server,
                    const char   *providers_json)
{
  g_autoptr(JxCatalog) catalog = jx_test_catalog (jx_fake_server_get_url (server), providers_json);

  return jx_engine_new (catalog);
}

/* A 200 response that streams a file from tests/streams (the first event after 2 ms, then
 * one a millisecond), split at random with @seed when it is not 0. */
JxFakeResponse *
jx_test_stream_file (const char *content_type,
                     const char *file,
                     guint32     seed)
{
  JxFakeResponse *fake = jx_fake_response_new (200, content_type);

  jx_fake_response_add_file (fake, 2, 1, file);
  if (seed != 0)
    jx_fake_response_set_random_split (fake, seed, 7);
  return fake;
}

JxFakeResponse *
jx_test_sse_file (const char *file,
                  guint32     seed)
{
  return jx_test_stream_file ("text/event-stream", file, seed);
}

/* Appends @n OpenAI-compatible content chunks to @fake, chunk i saying "<@word><i> ": the
 * first @first_ms after the previous piece (or the request), then @gap_ms apart. */
void
jx_test_add_openai_tokens (JxFakeResponse *fake,
                           const char     *word,
                           guint           n,
                           guint           first_ms,
                           guint           gap_ms)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *chunk = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s%u \"}}]}\n\n",
                                                word, i);

      jx_fake_response_add (fake, i == 0 ? first_ms : gap_ms, chunk, -1);
    }
}

/* A JSON error response, with a retry-after-ms header when @retry_after_ms is not NULL. */
JxFakeResponse *
jx_test_error_response (guint       status,
                        const char *json,
                        const char *retry_after_ms)
{
  JxFakeResponse *fake = jx_fake_response_new_json (status, json);

  if (retry_after_ms != NULL)
    jx_fake_response_add_header (fake, "retry-after-ms", retry_after_ms);
  return fake;
}

JsonObject *
jx_test_parse_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (body);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* A JSON object of string members, given as name, value pairs; NULL-terminated. JsonBuilder
 * does the escaping (a PEM's newlines, for one). */
char *
jx_test_credentials_json (const char *first_name,
                          ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
