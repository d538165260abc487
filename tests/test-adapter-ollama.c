/* test-adapter-ollama.c — Ollama's native /api/chat NDJSON stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-util.h"

#define CHAT_PATH "/api/chat"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"ollama\",\"base_url\":\"@URL@\"," \
  "\"models\":[{\"id\":\"llama3.2\",\"input_per_mtok\":1.0,\"output_per_mtok\":2.0}]}]}"

static double
timing (JxResponse *r,
        const char *name)
{
  double *ms = g_hash_table_lookup (r->server_timings, name);

  g_assert_nonnull (ms);
  return *ms;
}

static void
test_native (JxTestFixture *f,
             gconstpointer  data)
{
  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) request = NULL;
      g_autofree char *auth = NULL;
      JsonObject *options;
      JsonArray *messages;
      JxFakeResponse *fake = jx_fake_response_new (200, "application/x-ndjson");

      jx_fake_response_add_file (fake, 5, 2, "ollama-native.ndjson");
      jx_fake_response_set_random_split (fake, seed, 7);
      jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

      /* No key: Ollama's entry needs none, and none is looked up. */
      r = jx_test_run (f->engine, "ollama", "llama3.2", NULL, NULL);
      g_assert_no_error (r->error);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
      /* Go's \u003c escapes decode to the real characters. */
      g_assert_cmpstr (r->text->str, ==, "The capital is <b>Paris</b> & more");
      g_assert_cmpuint (r->timing.content_times->len, ==, 3);
      g_assert_cmpstr (r->finish_reason, ==, "stop");

      g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_PROVIDER);
      g_assert_cmpint (r->usage.input_tokens, ==, 36);
      g_assert_cmpint (r->usage.output_tokens, ==, 8);
      g_assert_cmpfloat_with_epsilon (r->cost_usd, (36 * 1.0 + 8 * 2.0) / 1e6, 1e-12);

      /* Nanoseconds → milliseconds. */
      g_assert_cmpfloat_with_epsilon (timing (r, "total"), 181.553584, 1e-9);
      g_assert_cmpfloat_with_epsilon (timing (r, "load"), 27.906292, 1e-9);
      g_assert_cmpfloat_with_epsilon (timing (r, "prompt_eval"), 109.0, 1e-9);
      g_assert_cmpfloat_with_epsilon (timing (r, "eval"), 42.0, 1e-9);

      auth = jx_fake_server_get_last_header (f->server, CHAT_PATH, "Authorization");
      g_assert_null (auth);
      body = jx_fake_server_get_last_body (f->server, CHAT_PATH);
      request = jx_test_parse_body (body);
      g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "llama3.2");
      g_assert_true (json_object_get_boolean_member (request, "stream"));
      messages = json_object_get_array_member (request, "messages");
      g_assert_cmpuint (json_array_get_length (messages), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "role"), ==, "system");
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"), ==, "Say hi");
      options = json_object_get_object_member (request, "options");
      g_assert_cmpint (json_object_get_int_member (options, "num_predict"), ==, 64);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (options, "temperature"), 0.5, 1e-9);
    }
}

static void
test_thinking (JxTestFixture *f,
               gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "application/x-ndjson");

  jx_fake_response_add (fake, 1, "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Hmm\"},\"done\":false}\n", -1);
  jx_fake_response_add (fake, 1, "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n", -1);
  jx_fake_response_add (fake, 1, "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":5,\"eval_count\":2}\n", -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = jx_test_run (f->engine, "ollama", "llama3.2", NULL, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpstr (r->reasoning->str, ==, "Hmm");
  g_assert_cmpstr (r->text->str, ==, "Hi");
  g_assert_cmpstr (r->finish_reason, ==, "length");
  /* Thinking is not the first token. */
  g_assert_cmpuint (r->timing.content_times->len, ==, 1);
  g_assert_cmpint (r->usage.input_tokens, ==, 5);
  g_assert_cmpint (r->usage.output_tokens, ==, 2);
}

static void
test_error_line (JxTestFixture *f,
                 gconstpointer  data)
{
  for (guint32 seed = 5; seed <= 7; seed++)
    {
      g_autoptr(JxResponse) r = NULL;
      JxFakeResponse *fake = jx_fake_response_new (200, "application/x-ndjson");

      jx_fake_response_add (fake, 1, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Partial\"},\"done\":false}\n", -1);
      jx_fake_response_add (fake, 1, "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n", -1);
      jx_fake_response_add (fake, 1, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\" never\"},\"done\":false}\n", -1);
      jx_fake_response_set_random_split (fake, seed, 9);
      jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

      r = jx_test_run (f->engine, "ollama", "llama3.2", NULL, NULL);
      g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
      jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, "Ollama (local)", "an error was encountered while running the model: unexpected EOF");
      g_assert_cmpstr (r->text->str, ==, "Partial");
    }
}

static void
test_model_not_found (JxTestFixture *f,
                      gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  jx_fake_server_add (f->server, "POST", CHAT_PATH,
                      jx_fake_response_new_json (404, "{\"error\":\"model 'llama9' not found, try pulling it first\"}"));

  r = jx_test_run (f->engine, "ollama", "llama9", NULL, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  g_assert_cmpint (r->http_status, ==, 404);
  jx_assert_request_error (r, JX_REQUEST_ERROR_NOT_FOUND, "Ollama (local)", "llama9", "model 'llama9' not found, try pulling it first");
}

static void
test_truncated (JxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "application/x-ndjson");

  jx_fake_response_add (fake, 1, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"The\"},\"done\":false}\n", -1);
  jx_fake_response_add (fake, 1, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\" end?\"},\"done\":false}\n", -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = jx_test_run (f->engine, "ollama", "llama3.2", NULL, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, "Ollama (local)");
  g_assert_cmpstr (r->text->str, ==, "The end?");
  g_assert_cmpint (r->usage.source, ==, JX_USAGE_SOURCE_ESTIMATE);
}

static void
test_bad_line (JxTestFixture *f,
               gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "application/x-ndjson");

  jx_fake_response_add (fake, 1, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"A\"},\"done\":false}\n", -1);
  jx_fake_response_add (fake, 1, "<html>proxy error</html>\n", -1);
  jx_fake_server_add (f->server, "POST", CHAT_PATH, fake);

  r = jx_test_run (f->engine, "ollama", "llama3.2", NULL, NULL);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_ERROR);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, "Ollama (local)", "sent a line that is not valid JSON");
  g_assert_cmpstr (r->text->str, ==, "A");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  jx_test_add ("/juxta/adapter/ollama/native", PROVIDERS_JSON, test_native);
  jx_test_add ("/juxta/adapter/ollama/thinking", PROVIDERS_JSON, test_thinking);
  jx_test_add ("/juxta/adapter/ollama/error-line", PROVIDERS_JSON, test_error_line);
  jx_test_add ("/juxta/adapter/ollama/model-not-found", PROVIDERS_JSON, test_model_not_found);
  jx_test_add ("/juxta/adapter/ollama/truncated", PROVIDERS_JSON, test_truncated);
  jx_test_add ("/juxta/adapter/ollama/bad-line", PROVIDERS_JSON, test_bad_line);

  return g_test_run ();
}
