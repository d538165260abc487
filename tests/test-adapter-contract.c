/* test-adapter-contract.c — every protocol, the same failures, the same answers
 *
 * One row per wire protocol; each case runs against a fresh fake server: a rejected key,
 * an unknown model, a rate limit that clears and one that does not, a stream cut in the
 * middle of an event, a provider error in the middle of the stream, and a stream without
 * its end marker (for protocols that have one). The per-protocol tests keep what only
 * their protocol does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-eventstream-parser.h"
#include "jx-fake-routes.h"
#include "jx-test-util.h"

#define TOKEN_PATH "/token"
#define TOKEN_JSON "{\"access_token\":\"ya29.contract\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"
#define REPLICATE_STREAM_PATH "/contract/replicate-stream"
#define ERROR_WORDS "Contract failure in the middle"

typedef struct
{
  const char *protocol;
  guint       pane;            /* in jx_fake_panes: provider, model, credential, path */
  const char *content_type;
  /* One event of text "Partial", an error event, the end marker (NULL: none), and the
   * first half of an event. Bedrock's are built as binary frames instead. */
  const char *partial;
  const char *error;
  const char *end;
  const char *half;
  /* What an event cut in half at a clean EOF is reported as. */
  JxRequestErrorCode cut_code;
} ContractRow;

#define OPENAI_PARTIAL "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Partial\"}}]}\n\n"
#define OPENAI_ERROR   "data: {\"error\":{\"message\":\"" ERROR_WORDS "\",\"type\":\"server_error\"}}\n\n"
#define GEMINI_PARTIAL "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Partial\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"
/* Gemini has no sentinel, but every answer ends with a finishReason: its end marker. */
#define GEMINI_END     "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}\r\n\r\n"
#define GEMINI_ERROR   "data: {\"error\":{\"code\":503,\"message\":\"" ERROR_WORDS "\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"

static const ContractRow rows[] = {
  { "openai", JX_FAKE_PANE_OPENAI_COMPAT, "text/event-stream",
    OPENAI_PARTIAL, OPENAI_ERROR, "data: [DONE]\n\n", "data: {\"choi", JX_REQUEST_ERROR_TRUNCATED },
  { "azure-openai", JX_FAKE_PANE_AZURE, "text/event-stream",
    OPENAI_PARTIAL, OPENAI_ERROR, "data: [DONE]\n\n", "data: {\"choi", JX_REQUEST_ERROR_TRUNCATED },
  { "anthropic", JX_FAKE_PANE_ANTHROPIC, "text/event-stream",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
    "\"delta\":{\"type\":\"text_delta\",\"text\":\"Partial\"}}\n\n",
    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"" ERROR_WORDS "\"}}\n\n",
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    "event: message_stop\ndata: {\"ty", JX_REQUEST_ERROR_TRUNCATED },
  /* No sentinel, but a clean EOF before any finishReason is a cut answer (issue 12). */
  { "gemini", JX_FAKE_PANE_GEMINI, "text/event-stream",
    GEMINI_PARTIAL, GEMINI_ERROR, GEMINI_END, "data: {\"candidates\":[{\"conte", JX_REQUEST_ERROR_TRUNCATED },
  { "vertex", JX_FAKE_PANE_VERTEX_GEMINI, "text/event-stream",
    GEMINI_PARTIAL, GEMINI_ERROR, GEMINI_END, "data: {\"candidates\":[{\"conte", JX_REQUEST_ERROR_TRUNCATED },
  { "bedrock", JX_FAKE_PANE_BEDROCK_KEY, "application/vnd.amazon.eventstream",
    NULL, NULL, NULL, NULL, JX_REQUEST_ERROR_TRUNCATED },
  { "cohere", JX_FAKE_PANE_COHERE, "text/event-stream",
    "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,"
    "\"delta\":{\"message\":{\"content\":{\"text\":\"Partial\"}}}}\n\n",
    "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"error\":\"" ERROR_WORDS "\","
    "\"finish_reason\":\"ERROR\"}}\n\n",
    "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\"}}\n\n",
    "event: message-end\ndata: {\"type\":\"mess", JX_REQUEST_ERROR_TRUNCATED },
  /* The stream is the second request (see replicate_created); errors come from the first. */
  { "replicate", JX_FAKE_PANE_REPLICATE, "text/event-stream",
    "event: output\ndata: Partial\n\n",
    "event: error\ndata: {\"detail\":\"" ERROR_WORDS "\"}\n\n",
    "event: done\ndata: {}\n\n",
    "event: done\nda", JX_REQUEST_ERROR_TRUNCATED },
  /* A half line at EOF is still handed to the adapter, which cannot parse it. */
  { "ollama", JX_FAKE_PANE_OLLAMA, "application/x-ndjson",
    "{\"model\":\"test-model\",\"message\":{\"role\":\"assistant\",\"content\":\"Partial\"},\"done\":false}\n",
    "{\"error\":\"" ERROR_WORDS "\"}\n",
    "{\"model\":\"test-model\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
    "\"done_reason\":\"stop\",\"prompt_eval_count\":5,\"eval_count\":2}\n",
    "{\"model\":\"test-model\",\"mess", JX_REQUEST_ERROR_STREAM },
};

static char *key_pem;

typedef struct
{
  const ContractRow *row;
  const JxFakePane  *pane;
  JxFakeServer      *server;
  JxEngine          *engine;
  char              *credential;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autoptr(JxCatalog) catalog = NULL;

  f->row = data;
  f->pane = &jx_fake_panes[f->row->pane];
  f->server = jx_fake_server_new ();
  json = jx_fake_routes_providers_json (jx_fake_server_get_url (f->server));
  catalog = jx_test_catalog ("", json);
  f->engine = jx_engine_new (catalog);

  if (f->row->pane == JX_FAKE_PANE_VERTEX_GEMINI)
    {
      g_autofree char *vertex = jx_fake_routes_vertex_credentials (jx_fake_server_get_url (f->server), key_pem);

      f->credential = jx_fake_routes_credential (f->row->pane, vertex);
      jx_fake_server_add (f->server, "POST", TOKEN_PATH, jx_fake_response_new_json (200, TOKEN_JSON));
    }
  else
    f->credential = jx_fake_routes_credential (f->row->pane, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_pointer (&f->server, jx_fake_server_free);
  g_clear_pointer (&f->credential, g_free);
}

static JxResponse *
run (Fixture *f)
{
  return jx_test_run (f->engine, f->pane->provider_id, f->pane->model, f->credential, NULL);
}

static guint
first_request_count (Fixture *f)
{
  return jx_fake_server_get_request_count (f->server, f->pane->path);
}

static gboolean
is_bedrock (Fixture *f)
{
  return f->row->pane == JX_FAKE_PANE_BEDROCK_KEY;
}

static gboolean
is_replicate (Fixture *f)
{
  return f->row->pane == JX_FAKE_PANE_REPLICATE;
}

/* ---- building streams ------------------------------------------------------------------ */

typedef enum
{
  PIECE_PARTIAL,
  PIECE_ERROR,
  PIECE_END,
  PIECE_HALF,
  PIECE_DEEP,    /* an event of 200 000 nested '[' */
} Piece;

#define DEEP_LEVELS 200000

static char *
deep_json (void)
{
  char *deep = g_malloc (DEEP_LEVELS + 1);

  memset (deep, '[', DEEP_LEVELS);
  deep[DEEP_LEVELS] = '\0';
  return deep;
}

static GBytes *
bedrock_event (const char *event_type,
               const char *json)
{
  return jx_eventstream_encode (json, strlen (json),
                                ":event-type", event_type,
                                ":content-type", "application/json",
                                ":message-type", "event",
                                NULL);
}

static GBytes *
bedrock_piece (Piece piece)
{
  static const char error_json[] = "{\"message\":\"" ERROR_WORDS "\"}";
  g_autoptr(GBytes) whole = NULL;

  switch (piece)
    {
    case PIECE_PARTIAL:
      return bedrock_event ("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Partial\"}}");
    case PIECE_ERROR:
      return jx_eventstream_encode (error_json, strlen (error_json),
                                    ":exception-type", "modelStreamErrorException",
                                    ":content-type", "application/json",
                                    ":message-type", "exception",
                                    NULL);
    case PIECE_END:
      return bedrock_event ("messageStop", "{\"stopReason\":\"end_turn\"}");
    case PIECE_HALF:
      whole = bedrock_event ("messageStop", "{\"stopReason\":\"end_turn\"}");
      return g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);
    case PIECE_DEEP:
      {
        g_autofree char *deep = deep_json ();

        return bedrock_event ("contentBlockDelta", deep);
      }
    default:
      g_assert_not_reached ();
    }
}

static void
add_piece (Fixture        *f,
           JxFakeResponse *fake,
           Piece           piece)
{
  const char *text = NULL;
  g_autofree char *deep = NULL;

  if (is_bedrock (f))
    {
      jx_fake_response_add_bytes (fake, 1, bedrock_piece (piece));
      return;
    }

  switch (piece)
    {
    case PIECE_PARTIAL:
      text = f->row->partial;
      break;
    case PIECE_ERROR:
      text = f->row->error;
      break;
    case PIECE_END:
      text = f->row->end;
      break;
    case PIECE_HALF:
      text = f->row->half;
      break;
    case PIECE_DEEP:
      {
        g_autofree char *levels = deep_json ();

        text = deep = g_strcmp0 (f->row->content_type, "application/x-ndjson") == 0
                      ? g_strdup_printf ("%s\n", levels) : g_strdup_printf ("data: %s\n\n", levels);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  if (text != NULL)
    jx_fake_response_add (fake, 1, text, -1);
}

static gboolean
has_end_marker (Fixture *f)
{
  return is_bedrock (f) || f->row->end != NULL;
}

/* A 200 stream of the given pieces, on the route that streams. */
static void
add_stream (Fixture *f,
            Piece    first,
            ...)
{
  JxFakeResponse *fake = jx_fake_response_new (200, f->row->content_type);
  va_list args;

  va_start (args, first);
  for (int piece = first; piece >= 0; piece = va_arg (args, int))
    add_piece (f, fake, piece);
  va_end (args);

  if (is_replicate (f))
    {
      g_autofree char *created = g_strdup_printf ("{\"id\":\"contract\",\"status\":\"starting\",\"urls\":{"
                                                  "\"stream\":\"%s" REPLICATE_STREAM_PATH "\"}}",
                                                  jx_fake_server_get_url (f->server));

      jx_fake_server_add (f->server, f->pane->method, f->pane->path, jx_fake_response_new_json (201, created));
      jx_fake_server_add (f->server, "GET", REPLICATE_STREAM_PATH, fake);
    }
  else
    jx_fake_server_add (f->server, f->pane->method, f->pane->path, fake);
}

#define STREAM_END (-1)

static void
add_http_error (Fixture    *f,
                guint       status,
                const char *retry_after)
{
  JxFakeResponse *fake = jx_fake_response_new_json (status, "{\"error\":{\"message\":\"Contract says no\"}}");

  if (retry_after != NULL)
    jx_fake_response_add_header (fake, "retry-after", retry_after);
  jx_fake_server_add (f->server, f->pane->method, f->pane->path, fake);
}

/* ---- the contract ---------------------------------------------------------------------- */

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  add_http_error (f, 401, NULL);
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_AUTH, f->pane->name, "Contract says no");
  g_assert_cmpuint (r->http_status, ==, 401);
  g_assert_cmpuint (r->retries, ==, 0);
  g_assert_cmpstr (r->text->str, ==, "");
  g_assert_cmpuint (first_request_count (f), ==, 1);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  add_http_error (f, 404, NULL);
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_NOT_FOUND, f->pane->name, f->pane->model, "Contract says no");
  g_assert_cmpuint (r->http_status, ==, 404);
  g_assert_cmpuint (r->retries, ==, 0);
  g_assert_cmpuint (first_request_count (f), ==, 1);
}

static void
test_rate_limited_then_ok (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  add_http_error (f, 429, "0.01");
  add_stream (f, PIECE_PARTIAL, PIECE_END, STREAM_END);
  r = run (f);
  g_assert_no_error (r->error);
  g_assert_cmpint (r->status, ==, JX_RESPONSE_OK);
  g_assert_cmpstr (r->text->str, ==, "Partial");
  g_assert_cmpuint (r->retries, ==, 1);
  g_assert_cmpuint (first_request_count (f), ==, 2);
}

static void
test_rate_limited_exhausted (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  /* The last response queued repeats for every further request. */
  add_http_error (f, 429, "0.01");
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_RATE_LIMITED, f->pane->name);
  g_assert_cmpuint (r->http_status, ==, 429);
  g_assert_cmpuint (r->retries, ==, JX_REQUEST_MAX_RETRIES);
  g_assert_cmpuint (first_request_count (f), ==, JX_REQUEST_MAX_RETRIES + 1);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  add_stream (f, PIECE_PARTIAL, PIECE_HALF, STREAM_END);
  r = run (f);
  jx_assert_request_error (r, f->row->cut_code, f->pane->name);
  g_assert_cmpstr (r->text->str, ==, "Partial");
  g_assert_cmpuint (r->retries, ==, 0);
}

static void
test_midstream_error (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  /* Nothing after the error counts, not even an end marker. */
  add_stream (f, PIECE_PARTIAL, PIECE_ERROR, PIECE_PARTIAL, PIECE_END, STREAM_END);
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_PROVIDER, f->pane->name, ERROR_WORDS);
  g_assert_cmpstr (r->text->str, ==, "Partial");
  /* Nothing is retried once text has arrived. */
  g_assert_cmpuint (r->retries, ==, 0);
  g_assert_cmpuint (first_request_count (f), ==, 1);
}

static void
test_missing_end_marker (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  add_stream (f, PIECE_PARTIAL, STREAM_END);
  r = run (f);
  if (has_end_marker (f))
    {
      jx_assert_request_error (r, JX_REQUEST_ERROR_TRUNCATED, f->pane->name);
      g_assert_cmpstr (r->text->str, ==, "Partial");
    }
  else
    {
      /* Without a sentinel, whole events and a clean EOF are a complete answer. */
      g_assert_no_error (r->error);
      g_assert_cmpstr (r->text->str, ==, "Partial");
    }
}

/* JSON nested deep enough to overflow json-glib's recursive parser is one clear error. */
static void
test_deep_event (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JxResponse) r = NULL;

  add_stream (f, PIECE_PARTIAL, PIECE_DEEP, PIECE_END, STREAM_END);
  r = run (f);
  jx_assert_request_error (r, JX_REQUEST_ERROR_STREAM, f->pane->name, "nested deeper than 256 levels");
  g_assert_cmpstr (r->text->str, ==, "Partial");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  key_pem = jx_fake_routes_generate_key ();

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
#define ADD(name, func) \
      G_STMT_START { \
        g_autofree char *path = g_strdup_printf ("/juxta/adapter/contract/%s-" name, rows[i].protocol); \
        g_test_add (path, Fixture, &rows[i], fixture_setup, func, fixture_teardown); \
      } G_STMT_END
      ADD ("unauthorized", test_unauthorized);
      ADD ("not-found", test_not_found);
      ADD ("rate-limited-then-ok", test_rate_limited_then_ok);
      ADD ("rate-limited-exhausted", test_rate_limited_exhausted);
      ADD ("truncated", test_truncated);
      ADD ("midstream-error", test_midstream_error);
      ADD ("missing-end-marker", test_missing_end_marker);
      ADD ("deep-event", test_deep_event);
#undef ADD
    }

  ret = g_test_run ();
  g_free (key_pem);
  return ret;
}
