/* jx-fake-routes.c — one fake server speaking every protocol Juxta supports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>

#include "jx-eventstream-parser.h"
#include "jx-fake-routes.h"

#define VERTEX_PREFIX "/v1/projects/cred-project/locations/us-central1/publishers"
#define REPLICATE_STREAM_PATH "/v1/files/bcwr-stream-abc"
#define REPLICATE_GET_PATH    "/v1/predictions/qpt5abc"

#define GEMINI_TEXT "Caf\xc3\xa9 in \xe6\x97\xa5\xe6\x9c\xac is fun \xf0\x9f\x98\x80\xe2\x80\xa8" "Done."

/* Costs at $1 / $0.50 cached / $1.25 cache write / $2 output per 1M tokens. */
const JxFakePane jx_fake_panes[JX_FAKE_N_PANES] = {
  [JX_FAKE_PANE_ANTHROPIC] = {
    "anthropic", "test-model", "Anthropic", "FAKE_ANTHROPIC_KEY", "sk-ant-fake-key",
    "POST", "/v1/messages",
    "Hello! How can I help?", 29, 5, (29 * 1.0 + 5 * 2.0) / 1e6, 120, 401 },
  [JX_FAKE_PANE_GEMINI] = {
    "gemini", "test-model", "Google Gemini API", "FAKE_GEMINI_KEY", "AIzaFakeKey",
    "POST", "/v1beta/models/test-model:streamGenerateContent",
    /* Thoughts (35) are billed as output on top of the 12 candidate tokens. */
    GEMINI_TEXT, 8, 47, (8 * 1.0 + 47 * 2.0) / 1e6, 140, 400 },
  [JX_FAKE_PANE_VERTEX_GEMINI] = {
    "vertex", "gemini-test", "Google Vertex AI", JX_FAKE_VERTEX_KEY_ENV, NULL,
    "POST", VERTEX_PREFIX "/google/models/gemini-test:streamGenerateContent",
    "Hello there! How can I help you today?\n", 2, 11, (2 * 1.0 + 11 * 2.0) / 1e6, 160, 401 },
  [JX_FAKE_PANE_VERTEX_CLAUDE] = {
    "vertex", "claude-test", "Google Vertex AI", JX_FAKE_VERTEX_KEY_ENV, NULL,
    "POST", VERTEX_PREFIX "/anthropic/models/claude-test:streamRawPredict",
    /* 12 uncached + 3 cache reads. */
    "Hi from Claude on Vertex.", 15, 9, (12 * 1.0 + 3 * 0.5 + 9 * 2.0) / 1e6, 180, 401 },
  [JX_FAKE_PANE_AZURE] = {
    "azure-openai", "test-model", "Azure OpenAI", "FAKE_AZURE_KEY", "fake-azure-key",
    "POST", "/openai/deployments/test-model/chat/completions",
    "Hello from Azure.", 9, 4, (9 * 1.0 + 4 * 2.0) / 1e6, 100, 401 },
  [JX_FAKE_PANE_BEDROCK_SIGV4] = {
    /* The access key id comes from api_key_env, the secret and region from AWS_*. */
    "bedrock", "test-model", "Amazon Bedrock", "FAKE_BEDROCK_ACCESS_KEY_ID", NULL,
    "POST", "/model/test-model/converse-stream",
    /* 8 uncached + 100 cache reads + 20 cache writes. */
    "Hello w\xc3\xb6rld", 128, 39, (8 * 1.0 + 100 * 0.5 + 20 * 1.25 + 39 * 2.0) / 1e6, 200, 403 },
  [JX_FAKE_PANE_BEDROCK_KEY] = {
    "bedrock-key", "test-model", "Amazon Bedrock (API key)", "FAKE_BEDROCK_API_KEY", "ABSKfakebedrockapikey",
    "POST", "/apikey/model/test-model/converse-stream",
    "Hi from a Bedrock API key.", 7, 6, (7 * 1.0 + 6 * 2.0) / 1e6, 110, 403 },
  [JX_FAKE_PANE_COHERE] = {
    "cohere", "test-model", "Cohere", "FAKE_COHERE_KEY", "co-fake-key",
    "POST", "/v2/chat",
    /* Raw tokens 506 / 4; billed units 11 / 3 are what costs money. */
    "The ocean is vast", 506, 4, (11 * 1.0 + 3 * 2.0) / 1e6, 130, 401 },
  [JX_FAKE_PANE_REPLICATE] = {
    "replicate", "meta/test-llm", "Replicate", "FAKE_REPLICATE_KEY", "r8_fake_key",
    "POST", "/v1/models/meta/test-llm/predictions",
    "Hello there!", 12, 40, (12 * 1.0 + 40 * 2.0) / 1e6, 150, 401 },
  [JX_FAKE_PANE_OLLAMA] = {
    "ollama", "test-model", "Ollama (local)", NULL, NULL,
    "POST", "/api/chat",
    "The capital is <b>Paris</b> & more", 36, 8, (36 * 1.0 + 8 * 2.0) / 1e6, 90, 0 },
  [JX_FAKE_PANE_OPENAI_COMPAT] = {
    "local-openai", "test-model", "Local OpenAI-compatible", "FAKE_OPENAI_KEY", "sk-local-fake",
    "POST", "/v1/chat/completions",
    "Hi there!", 10, 5, (10 * 1.0 + 5 * 2.0) / 1e6, 80, 401 },
};

static const char * const all_routes[] = {
  "POST", "/v1/messages",
  "POST", "/v1beta/models/test-model:streamGenerateContent",
  "POST", JX_FAKE_VERTEX_TOKEN_PATH,
  "POST", VERTEX_PREFIX "/google/models/gemini-test:streamGenerateContent",
  "POST", VERTEX_PREFIX "/anthropic/models/claude-test:streamRawPredict",
  "POST", "/openai/deployments/test-model/chat/completions",
  "POST", "/model/test-model/converse-stream",
  "POST", "/apikey/model/test-model/converse-stream",
  "POST", "/v2/chat",
  "POST", "/v1/models/meta/test-llm/predictions",
  "GET", REPLICATE_STREAM_PATH,
  "GET", REPLICATE_GET_PATH,
  "POST", "/api/chat",
  "POST", "/v1/chat/completions",
  NULL, NULL,
};

const char * const *
jx_fake_routes_all (void)
{
  return all_routes;
}

#define PRICES "\"input_per_mtok\":1.0,\"cached_input_per_mtok\":0.5,\"cache_write_per_mtok\":1.25,\"output_per_mtok\":2.0"

/* Each overridden built-in names its own api_key_env: a built-in's conventional variable is
 * only ever sent to that provider's real host. */
static const char providers_template[] =
  "{\"providers\":[\n"
  "  {\"id\":\"anthropic\",\"base_url\":\"@URL@\",\"api_key_env\":\"FAKE_ANTHROPIC_KEY\",\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]},\n"
  "  {\"id\":\"gemini\",\"base_url\":\"@URL@\",\"api_key_env\":\"FAKE_GEMINI_KEY\",\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]},\n"
  "  {\"id\":\"vertex\",\"base_url\":\"@URL@\",\"api_key_env\":\"" JX_FAKE_VERTEX_KEY_ENV "\",\n"
  "   \"options\":{\"project\":\"cred-project\",\"location\":\"us-central1\"},\n"
  "   \"models\":[{\"id\":\"gemini-test\"," PRICES "},{\"id\":\"claude-test\"," PRICES "}]},\n"
  "  {\"id\":\"azure-openai\",\"base_url\":\"@URL@\",\"api_key_env\":\"FAKE_AZURE_KEY\",\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]},\n"
  "  {\"id\":\"bedrock\",\"base_url\":\"@URL@\",\"api_key_env\":\"FAKE_BEDROCK_ACCESS_KEY_ID\",\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]},\n"
  "  {\"id\":\"bedrock-key\",\"name\":\"Amazon Bedrock (API key)\",\"protocol\":\"bedrock\",\n"
  "   \"base_url\":\"@URL@/apikey\",\"api_key_env\":\"FAKE_BEDROCK_API_KEY\",\n"
  "   \"options\":{\"bearer_token_env\":\"FAKE_BEDROCK_API_KEY\"},\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]},\n"
  "  {\"id\":\"cohere\",\"base_url\":\"@URL@\",\"api_key_env\":\"FAKE_COHERE_KEY\",\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]},\n"
  "  {\"id\":\"replicate\",\"base_url\":\"@URL@\",\"api_key_env\":\"FAKE_REPLICATE_KEY\",\n"
  "   \"models\":[{\"id\":\"meta/test-llm\"," PRICES "}]},\n"
  "  {\"id\":\"ollama\",\"base_url\":\"@URL@\",\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]},\n"
  "  {\"id\":\"local-openai\",\"name\":\"Local OpenAI-compatible\",\"protocol\":\"openai\",\n"
  "   \"base_url\":\"@URL@/v1\",\"api_key_env\":\"FAKE_OPENAI_KEY\",\n"
  "   \"models\":[{\"id\":\"test-model\"," PRICES "}]}\n"
  "]}\n";

char *
jx_fake_routes_providers_json (const char *base_url)
{
  g_autoptr(GString) json = g_string_new (providers_template);

  g_string_replace (json, "@URL@", base_url, 0);
  return g_string_free (g_steal_pointer (&json), FALSE);
}

char *
jx_fake_routes_generate_key (void)
{
  gnutls_x509_privkey_t key;
  gnutls_datum_t pem = { NULL, 0 };
  char *key_pem;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &pem), ==, 0);
  key_pem = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);
  gnutls_x509_privkey_deinit (key);

  return key_pem;
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
jx_fake_routes_vertex_credentials (const char *base_url,
                                   const char *key_pem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *token_uri = g_strconcat (base_url, JX_FAKE_VERTEX_TOKEN_PATH, NULL);

  /* JsonBuilder escapes the PEM's newlines. */
  json_builder_begin_object (builder);
  add_member (builder, "type", "service_account");
  add_member (builder, "project_id", "cred-project");
  add_member (builder, "private_key_id", "fake-key-id");
  add_member (builder, "private_key", key_pem);
  add_member (builder, "client_email", "juxta@cred-project.iam.gserviceaccount.com");
  add_member (builder, "client_id", "1234567890");
  add_member (builder, "token_uri", token_uri);
  json_builder_end_object (builder);

  return builder_to_string (builder);
}

char *
jx_fake_routes_credential (guint       pane,
                           const char *vertex_credentials)
{
  g_return_val_if_fail (pane < JX_FAKE_N_PANES, NULL);

  switch (pane)
    {
    case JX_FAKE_PANE_VERTEX_GEMINI:
    case JX_FAKE_PANE_VERTEX_CLAUDE:
      return g_strdup (vertex_credentials);

    case JX_FAKE_PANE_BEDROCK_SIGV4:
      return g_strdup ("{\"access_key_id\":\"" JX_FAKE_AWS_ACCESS_KEY_ID "\","
                       "\"secret_access_key\":\"" JX_FAKE_AWS_SECRET "\","
                       "\"region\":\"" JX_FAKE_AWS_REGION "\"}");

    default:
      return g_strdup (jx_fake_panes[pane].key);
    }
}

/* ---- streams ---------------------------------------------------------------------------- */

static guint
piece_delay (const JxFakePane *pane,
             guint             i,
             guint             n,
             guint             per_event_ms,
             guint             tail_ms)
{
  if (i == 0)
    return pane->first_delay_ms;
  if (i == n - 1)
    return tail_ms;
  return per_event_ms;
}

static JxFakeResponse *
stream_from_pieces (const JxFakePane *pane,
                    const char       *content_type,
                    GPtrArray        *pieces,
                    guint             per_event_ms,
                    guint             tail_ms,
                    guint32           seed)
{
  JxFakeResponse *fake = jx_fake_response_new (200, content_type);

  for (guint i = 0; i < pieces->len; i++)
    jx_fake_response_add_bytes (fake, piece_delay (pane, i, pieces->len, per_event_ms, tail_ms),
                                g_ptr_array_index (pieces, i));
  if (seed != 0)
    jx_fake_response_set_random_split (fake, seed, 7);
  return fake;
}

static JxFakeResponse *
stream_from_fixture (const JxFakePane *pane,
                     const char       *content_type,
                     const char       *fixture,
                     guint             per_event_ms,
                     guint             tail_ms,
                     guint32           seed)
{
  g_autoptr(GBytes) data = jx_fake_load_fixture (fixture);
  g_autoptr(GPtrArray) events = jx_fake_split_events (data, jx_fake_split_mode_for_name (fixture));

  return stream_from_pieces (pane, content_type, events, per_event_ms, tail_ms, seed);
}

static void
add_frame (GPtrArray  *frames,
           const char *event_type,
           const char *json)
{
  g_ptr_array_add (frames, jx_eventstream_encode (json, strlen (json),
                                                  ":event-type", event_type,
                                                  ":content-type", "application/json",
                                                  ":message-type", "event",
                                                  NULL));
}

/* ConverseStream as Bedrock sends it: `p` padding, no contentBlockStart before text,
 * metadata after messageStop. */
static GPtrArray *
bedrock_frames (gboolean api_key)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  add_frame (frames, "messageStart", "{\"p\":\"abcdefghijklmnopqrstuvwxyzABCD\",\"role\":\"assistant\"}");
  if (api_key)
    {
      add_frame (frames, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi from\"},\"p\":\"abc\"}");
      add_frame (frames, "contentBlockDelta",
                 "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" a Bedrock API key.\"},\"p\":\"abcdefgh\"}");
    }
  else
    {
      add_frame (frames, "contentBlockDelta",
                 "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Thinking.\"}},\"p\":\"abcdef\"}");
      add_frame (frames, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcdefghijklm\"}");
      add_frame (frames, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" w\xc3\xb6rld\"},\"p\":\"ab\"}");
    }
  add_frame (frames, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopq\"}");
  add_frame (frames, "messageStop", "{\"p\":\"abcdefghijklmnopqrs\",\"stopReason\":\"end_turn\"}");
  if (api_key)
    add_frame (frames, "metadata",
               "{\"metrics\":{\"latencyMs\":412},\"usage\":{\"inputTokens\":7,\"outputTokens\":6,\"totalTokens\":13},"
               "\"p\":\"abcdef\"}");
  else
    add_frame (frames, "metadata",
               "{\"metrics\":{\"latencyMs\":1506},\"usage\":{\"cacheReadInputTokens\":100,"
               "\"cacheWriteInputTokens\":20,\"inputTokens\":8,\"outputTokens\":39,\"totalTokens\":167},"
               "\"p\":\"abcdef\"}");

  return frames;
}

/* The 201 for a created prediction; its stream and get URLs are on the fake itself. */
static char *
replicate_prediction_json (const char *base_url)
{
  return g_strdup_printf ("{\"id\":\"qpt5abc\",\"model\":\"meta/test-llm\",\"version\":\"hidden\","
                          "\"input\":{\"prompt\":\"Say hi\"},\"logs\":\"\",\"output\":null,"
                          "\"data_removed\":false,\"error\":null,\"status\":\"starting\","
                          "\"created_at\":\"2025-01-15T09:54:55.566Z\",\"urls\":{"
                          "\"cancel\":\"%s" REPLICATE_GET_PATH "/cancel\",\"get\":\"%s" REPLICATE_GET_PATH "\","
                          "\"stream\":\"%s" REPLICATE_STREAM_PATH "\",\"web\":\"https://replicate.com/p/qpt5abc\"}}",
                          base_url, base_url, base_url);
}

#define REPLICATE_METRICS_JSON \
  "{\"id\":\"qpt5abc\",\"status\":\"succeeded\",\"output\":[\"Hello\",\" there!\"]," \
  "\"metrics\":{\"predict_time\":1.23,\"total_time\":1.5,\"input_token_count\":12," \
  "\"output_token_count\":40,\"tokens_per_second\":55.1,\"time_to_first_token\":0.21}}"

#define TOKEN_JSON "{\"access_token\":\"ya29.fake\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"

static void
add_stream (JxFakeServer   *server,
            guint           pane,
            JxFakeResponse *fake)
{
  jx_fake_server_add (server, jx_fake_panes[pane].method, jx_fake_panes[pane].path, fake);
}

void
jx_fake_routes_add_streams (JxFakeServer *server,
                            guint         per_event_ms,
                            guint         tail_ms,
                            guint32       seed)
{
  const JxFakePane *p = jx_fake_panes;
  g_autoptr(GPtrArray) sigv4_frames = bedrock_frames (FALSE);
  g_autoptr(GPtrArray) key_frames = bedrock_frames (TRUE);
  g_autofree char *created = replicate_prediction_json (jx_fake_server_get_url (server));
  guint32 s = seed;

  /* Each pane its own seed, so no two are split alike. */
#define NEXT_SEED() (seed != 0 ? s++ : 0)
  add_stream (server, JX_FAKE_PANE_ANTHROPIC,
              stream_from_fixture (&p[JX_FAKE_PANE_ANTHROPIC], "text/event-stream; charset=utf-8",
                                   "anthropic-basic.sse", per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_GEMINI,
              stream_from_fixture (&p[JX_FAKE_PANE_GEMINI], "text/event-stream",
                                   "gemini-basic.sse", per_event_ms, tail_ms, NEXT_SEED ()));
  jx_fake_server_add (server, "POST", JX_FAKE_VERTEX_TOKEN_PATH, jx_fake_response_new_json (200, TOKEN_JSON));
  add_stream (server, JX_FAKE_PANE_VERTEX_GEMINI,
              stream_from_fixture (&p[JX_FAKE_PANE_VERTEX_GEMINI], "text/event-stream",
                                   "vertex-gemini-basic.sse", per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_VERTEX_CLAUDE,
              stream_from_fixture (&p[JX_FAKE_PANE_VERTEX_CLAUDE], "text/event-stream",
                                   "vertex-claude.sse", per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_AZURE,
              stream_from_fixture (&p[JX_FAKE_PANE_AZURE], "text/event-stream",
                                   "azure-filter.sse", per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_BEDROCK_SIGV4,
              stream_from_pieces (&p[JX_FAKE_PANE_BEDROCK_SIGV4], "application/vnd.amazon.eventstream",
                                  sigv4_frames, per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_BEDROCK_KEY,
              stream_from_pieces (&p[JX_FAKE_PANE_BEDROCK_KEY], "application/vnd.amazon.eventstream",
                                  key_frames, per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_COHERE,
              stream_from_fixture (&p[JX_FAKE_PANE_COHERE], "text/event-stream",
                                   "cohere-basic.sse", per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_REPLICATE, jx_fake_response_new_json (201, created));
  jx_fake_server_add (server, "GET", REPLICATE_STREAM_PATH,
                      stream_from_fixture (&p[JX_FAKE_PANE_REPLICATE], "text/event-stream",
                                           "replicate-basic.sse", per_event_ms, tail_ms, NEXT_SEED ()));
  jx_fake_server_add (server, "GET", REPLICATE_GET_PATH, jx_fake_response_new_json (200, REPLICATE_METRICS_JSON));
  add_stream (server, JX_FAKE_PANE_OLLAMA,
              stream_from_fixture (&p[JX_FAKE_PANE_OLLAMA], "application/x-ndjson",
                                   "ollama-native.ndjson", per_event_ms, tail_ms, NEXT_SEED ()));
  add_stream (server, JX_FAKE_PANE_OPENAI_COMPAT,
              stream_from_fixture (&p[JX_FAKE_PANE_OPENAI_COMPAT], "text/event-stream",
                                   "openai-basic.sse", per_event_ms, tail_ms, NEXT_SEED ()));
#undef NEXT_SEED
}

/* ---- wrong keys ------------------------------------------------------------------------- */

static JxFakeResponse *
aws_error (const char *error_type,
           const char *json)
{
  JxFakeResponse *fake = jx_fake_response_new_json (403, json);
  g_autofree char *type_header = g_strdup_printf ("%s:http://internal.amazon.com/coral/com.amazon.bedrock/",
                                                  error_type);

  jx_fake_response_add_header (fake, "x-amzn-ErrorType", type_header);
  jx_fake_response_add_header (fake, "x-amzn-RequestId", "b1b2c3d4-0000-4000-8000-000000000000");
  return fake;
}

#define VERTEX_UNAUTHENTICATED \
  "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials. Expected OAuth 2 " \
  "access token, login cookie or other valid authentication credential. See " \
  "https://developers.google.com/identity/sign-in/web/devconsole-project.\",\"status\":\"UNAUTHENTICATED\"}}"

void
jx_fake_routes_add_bad_keys (JxFakeServer *server,
                             gboolean      token_rejects)
{
  const JxFakePane *p = jx_fake_panes;

  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_ANTHROPIC].path,
                      jx_fake_response_new_json (401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                                                      "\"message\":\"invalid x-api-key\"},\"request_id\":\"req_011CbadKey\"}"));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_GEMINI].path,
                      jx_fake_response_new_json (400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a "
                                                      "valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
                                                      "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\","
                                                      "\"domain\":\"googleapis.com\",\"metadata\":{\"service\":"
                                                      "\"generativelanguage.googleapis.com\"}}]}}"));
  if (token_rejects)
    jx_fake_server_add (server, "POST", JX_FAKE_VERTEX_TOKEN_PATH,
                        jx_fake_response_new_json (400, "{\"error\":\"invalid_grant\",\"error_description\":"
                                                        "\"Invalid JWT Signature.\"}"));
  else
    jx_fake_server_add (server, "POST", JX_FAKE_VERTEX_TOKEN_PATH, jx_fake_response_new_json (200, TOKEN_JSON));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_VERTEX_GEMINI].path,
                      jx_fake_response_new_json (401, VERTEX_UNAUTHENTICATED));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_VERTEX_CLAUDE].path,
                      jx_fake_response_new_json (401, VERTEX_UNAUTHENTICATED));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_AZURE].path,
                      jx_fake_response_new_json (401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to "
                                                      "invalid subscription key or wrong API endpoint. Make sure to provide "
                                                      "a valid key for an active subscription and use a correct regional "
                                                      "API endpoint for your resource.\"}}"));
  /* A wrong access key id; AWS answers 403, not 401. */
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_BEDROCK_SIGV4].path,
                      aws_error ("UnrecognizedClientException",
                                 "{\"message\":\"The security token included in the request is invalid.\"}"));
  /* A wrong Bedrock API key: the auth layer capitalises "Message". */
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_BEDROCK_KEY].path,
                      aws_error ("AccessDeniedException",
                                 "{\"Message\":\"Authentication failed: Please make sure your API Key is valid.\"}"));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_COHERE].path,
                      jx_fake_response_new_json (401, "{\"id\":\"3b6f1c2e-0d3a-4b7e-9a55-2f0e7a1c9d10\","
                                                      "\"message\":\"invalid api token\"}"));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_REPLICATE].path,
                      jx_fake_response_new_json (401, "{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a "
                                                      "valid authentication token\",\"status\":401}"));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_OLLAMA].path,
                      stream_from_fixture (&p[JX_FAKE_PANE_OLLAMA], "application/x-ndjson",
                                           "ollama-native.ndjson", 2, 2, 0));
  jx_fake_server_add (server, "POST", p[JX_FAKE_PANE_OPENAI_COMPAT].path,
                      jx_fake_response_new_json (401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-wrong. "
                                                      "You can find your API key at https://platform.openai.com/account/"
                                                      "api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,"
                                                      "\"code\":\"invalid_api_key\"}}"));
}
