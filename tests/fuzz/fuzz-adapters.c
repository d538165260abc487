/* fuzz-adapters.c — libFuzzer target for every protocol adapter's handling of what a server
 * sends: stream events (through the same JSON guards as the engine), HTTP error bodies and
 * their classification, Replicate's first response and epilogue, and the cost math on the
 * usage that results.
 *
 * Input: byte 0 picks the protocol, byte 1 the mode; the rest is split at NUL bytes into
 * events, each starting with a byte that picks its event type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "jx-adapter.h"
#include "jx-engine.h"
#include "jx-json.h"
#include "jx-redact.h"
#include "jx-request-error.h"
#include "jx-request-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char * const protocols[] = {
  "openai", "azure-openai", "anthropic", "gemini", "vertex", "bedrock", "cohere", "ollama",
  "replicate",
};

static const char * const event_types[] = {
  NULL, "message_start", "content_block_start", "content_block_delta", "content_block_stop",
  "message_delta", "message_stop", "error", "ping", "output", "done", "logs",
  "messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata",
  "throttlingException", "validationException", "content-delta", "message-end",
};

static JxEngine *engine;
static JxCatalog *catalog;

#define PROVIDERS \
  "{\"providers\":[" \
  "{\"id\":\"f-openai\",\"protocol\":\"openai\",\"base_url\":\"https://a.example/v1\",\"models\":[{\"id\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":2}]}," \
  "{\"id\":\"f-azure-openai\",\"protocol\":\"azure-openai\",\"base_url\":\"https://a.example/openai\",\"models\":[{\"id\":\"m\"}]}," \
  "{\"id\":\"f-anthropic\",\"protocol\":\"anthropic\",\"base_url\":\"https://a.example/v1\",\"models\":[{\"id\":\"m\"}]}," \
  "{\"id\":\"f-gemini\",\"protocol\":\"gemini\",\"base_url\":\"https://a.example\",\"models\":[{\"id\":\"m\"}]}," \
  "{\"id\":\"f-vertex\",\"protocol\":\"vertex\",\"base_url\":\"https://a.example\",\"models\":[{\"id\":\"m\"}]}," \
  "{\"id\":\"f-bedrock\",\"protocol\":\"bedrock\",\"base_url\":\"https://a.example\",\"models\":[{\"id\":\"m\"}]}," \
  "{\"id\":\"f-cohere\",\"protocol\":\"cohere\",\"base_url\":\"https://a.example\",\"models\":[{\"id\":\"m\"}]}," \
  "{\"id\":\"f-ollama\",\"protocol\":\"ollama\",\"base_url\":\"http://localhost:11434\",\"models\":[{\"id\":\"m\"}]}," \
  "{\"id\":\"f-replicate\",\"protocol\":\"replicate\",\"base_url\":\"https://a.example\",\"models\":[{\"id\":\"m\"}]}]}"

static void
init (void)
{
  g_autoptr(GError) error = NULL;

  catalog = jx_catalog_new_builtin (&error);
  g_assert_no_error (error);
  jx_catalog_load_data (catalog, PROVIDERS, -1, "fuzz", &error);
  g_assert_no_error (error);
  engine = jx_engine_new (catalog);
}

static void
feed_events (const JxAdapter *adapter,
             JxStream        *stream,
             const char      *data,
             gsize            size)
{
  const char *end = data + size;

  while (data < end)
    {
      const char *stop = memchr (data, '\0', end - data);
      gsize len = (stop != NULL ? stop : end) - data;
      g_autofree char *event = NULL;
      g_autofree char *copy = NULL;
      g_autoptr(GHashTable) headers = NULL;
      const char *type = NULL;
      const char *safe;

      if (len > 0)
        {
          type = event_types[(guchar) data[0] % G_N_ELEMENTS (event_types)];
          event = g_strndup (data + 1, len - 1);
          len--;
        }
      else
        event = g_strdup ("");

      if (adapter->wire == JX_WIRE_EVENTSTREAM)
        {
          headers = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (headers, (char *) ":message-type",
                               (char *) (type != NULL && g_str_has_suffix (type, "Exception") ? "exception" : "event"));
          if (type != NULL)
            {
              g_hash_table_insert (headers, (char *) ":event-type", (char *) type);
              g_hash_table_insert (headers, (char *) ":exception-type", (char *) type);
            }
        }

      /* What the engine does before an adapter sees an event (jx-request.c). */
      safe = jx_json_sanitize (event, len, &copy, NULL);
      if (safe != NULL && stream->failure == NULL)
        adapter->handle_event (stream, adapter->wire == JX_WIRE_NDJSON ? NULL : type, safe, len, headers);

      if (stop == NULL)
        break;
      data = stop + 1;
    }
}

static void
check_text (const char *text)
{
  g_assert (g_utf8_validate (text, -1, NULL));
}

static void
error_body (const JxAdapter *adapter,
            const char      *data,
            gsize            size,
            guint            status)
{
  g_autofree char *body = g_strndup (data, size);
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;
  JxRequestErrorCode code;

  if (adapter->describe_error_body != NULL)
    detail = adapter->describe_error_body (body, strlen (body));
  if (detail == NULL)
    detail = jx_adapter_describe_error_body (body, strlen (body));
  if (adapter->classify_error == NULL || !adapter->classify_error (status, detail, &code))
    code = jx_request_error_classify_http (status, detail);
  jx_request_error_parse_retry_hint_ms (detail);
  error = jx_request_error_new_http (code, "Fuzz", "m", status, detail, 1000);
  g_assert (strlen (error->message) < JX_REQUEST_ERROR_MAX_DETAIL + 256);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JxRequest) request = NULL;
  g_autofree char *provider_id = NULL;
  const JxAdapter *adapter;
  JxProvider *provider;
  JxResponse *response;
  JxStream *stream;
  JxPrompt prompt = { .user = (char *) "hi", .temperature = NAN, .max_tokens = -1 };
  const char *credential = "sk-fuzz-0123456789";
  guint mode;

  if (engine == NULL)
    init ();
  if (size < 2)
    return 0;

  adapter = jx_adapter_lookup (protocols[data[0] % G_N_ELEMENTS (protocols)]);
  provider_id = g_strconcat ("f-", adapter->protocol, NULL);
  provider = jx_catalog_lookup (catalog, provider_id);
  g_assert (provider != NULL);
  mode = data[1] % 4;
  data += 2;
  size -= 2;

  request = jx_request_new (engine, provider, "m", &prompt);
  stream = jx_request_get_stream (request);
  response = jx_request_get_response (request);
  stream->max_output_bytes = 4096;

  switch (mode)
    {
    case 0:
      feed_events (adapter, stream, (const char *) data, size);
      break;

    case 1:
      error_body (adapter, (const char *) data, size, 400 + (size % 4) * 10 + (size % 3 == 0 ? 29 : 0));
      error_body (adapter, (const char *) data, size, 429);
      break;

    case 2:
      if (adapter->follow_up != NULL)
        {
          g_autoptr(GBytes) body = g_bytes_new (data, size);
          g_autoptr(GError) error = NULL;
          g_autoptr(SoupMessage) next = NULL;

          /* The engine checks the depth of the whole body first (jx-request.c). */
          if (jx_json_check_depth ((const char *) data, size, NULL))
            next = adapter->follow_up (stream, body, credential, &error);
          g_assert ((next != NULL) != (error != NULL) || !jx_json_check_depth ((const char *) data, size, NULL));
        }
      if (adapter->epilogue != NULL)
        {
          g_autoptr(SoupMessage) epilogue = adapter->epilogue (stream, credential);
          g_autoptr(GBytes) body = g_bytes_new (data, size);

          if (epilogue != NULL)
            adapter->finish_epilogue (stream, body);
        }
      break;

    default:
      {
        /* Cost math on whatever usage the events produced, with prices from the input. */
        JxPrice price;
        double prices[4] = { 1, 0.5, 1.25, 2 };

        if (size >= sizeof prices)
          {
            memcpy (prices, data, sizeof prices);
            data += sizeof prices;
            size -= sizeof prices;
          }
        feed_events (adapter, stream, (const char *) data, size);
        price = (JxPrice) { prices[0], prices[1], prices[2], prices[3] };
        if (jx_price_is_known (&price))
          jx_price_cost (&price, &response->usage);
      }
      break;
    }

  check_text (response->text->str);
  check_text (response->reasoning->str);
  g_assert (response->text->len + response->reasoning->len <= 4096);

  /* The redaction a failed response goes through. */
  {
    g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *redacted = NULL;

    jx_redact_add_credential (secrets, credential);
    redacted = jx_redact (response->text->str, secrets);
    g_assert (redacted == NULL || strstr (redacted, credential) == NULL);
  }

  return 0;
}
