/* jx-test-util.h — helpers shared by the engine tests (jx-test-util.c, in jx-test-support)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "jx-fake-server.h"
#include "jx-request.h"

G_BEGIN_DECLS

/* t_start is stamped just after the request's last write() returns; on a busy machine the
 * fake server's thread can take the request and stamp its own arrival time in that gap
 * (seen: 1.1 ms under ASan with two tests at a time on 2 cores, 15 ms with eight). The
 * tests check where the stamps are taken, which this slack still tells apart (the wrong
 * places are a stream's worth later); how precise they are is for bench-engine. */
#define JX_TEST_STAMP_SLACK_US 20000
#define JX_TEST_STAMP_SLACK_MS (JX_TEST_STAMP_SLACK_US / 1000.0)

/* A catalog with the built-ins plus a providers file pointing `ids` at the fake server. Each
 * gets a "test-model" priced at $1 / $0.50 cached / $2 output per 1M tokens. */
JxCatalog      *jx_test_catalog           (const char     *base_url,
                                           const char     *extra_json);

/* Asserts that response @r failed with JX_REQUEST_ERROR @code and that its message contains
 * each of the strings that follow (the provider's name, the provider's own words…). */
#define jx_assert_request_error(r, code, ...) \
  G_STMT_START { \
    const char *jx_needles_[] = { __VA_ARGS__, NULL }; \
    g_assert_error ((r)->error, JX_REQUEST_ERROR, (gint) (code)); \
    for (guint jx_i_ = 0; jx_needles_[jx_i_] != NULL; jx_i_++) \
      if (strstr ((r)->error->message, jx_needles_[jx_i_]) == NULL) \
        { \
          g_test_message ("“%s” does not contain “%s”", (r)->error->message, jx_needles_[jx_i_]); \
          g_assert_nonnull (strstr ((r)->error->message, jx_needles_[jx_i_])); \
        } \
  } G_STMT_END

/* Asserts that response @r was stopped by the user. */
#define jx_assert_request_stopped(r) \
  g_assert_error ((r)->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)

typedef struct
{
  GMainLoop  *loop;
  JxResponse *response;
} JxTestRun;

void            jx_test_run_done_cb       (GObject        *object,
                                           GAsyncResult   *result,
                                           gpointer        user_data);

/* Runs one request with @prompt to completion; credential NULL = look it up like the app does. */
JxResponse     *jx_test_run_prompt        (JxEngine       *engine,
                                           const char     *provider_id,
                                           const char     *model,
                                           const char     *credential,
                                           const JxPrompt *prompt,
                                           GCancellable   *cancellable);

/* Runs one request to completion with the usual prompt ("You are terse." / "Say hi", 64
 * tokens, temperature 0.5); credential NULL = look it up like the app does. */
JxResponse     *jx_test_run               (JxEngine       *engine,
                                           const char     *provider_id,
                                           const char     *model,
                                           const char     *credential,
                                           GCancellable   *cancellable);

typedef struct
{
  GMainLoop *loop;
  guint      pending;
} JxTestWait;

void            jx_test_wait_done_cb      (GObject        *object,
                                           GAsyncResult   *result,
                                           gpointer        user_data);

/* Starts @n requests with one prompt at once and runs until all have finished; returns the
 * requests (their responses via jx_request_get_response ()). */
GPtrArray      *jx_test_run_concurrent    (JxEngine       *engine,
                                           JxProvider     *provider,
                                           const char     *model,
                                           const JxPrompt *prompt,
                                           guint           n);

/* A fake server and an engine on a catalog that points @providers_json at it (see
 * jx_test_catalog; NULL = the built-ins only). */
typedef struct
{
  JxFakeServer *server;
  JxCatalog    *catalog;
  JxEngine     *engine;
  char         *credential;   /* for tests that build one at run time; freed by clear */
} JxTestFixture;

void            jx_test_fixture_init      (JxTestFixture  *f,
                                           const char     *providers_json);
void            jx_test_fixture_clear     (JxTestFixture  *f);
/* For g_test_add (): the test data is the providers JSON. */
void            jx_test_fixture_setup     (JxTestFixture  *f,
                                           gconstpointer   providers_json);
void            jx_test_fixture_teardown  (JxTestFixture  *f,
                                           gconstpointer   data);

/* Adds a test that gets a JxTestFixture on @providers_json. */
#define jx_test_add(path, providers_json, func) \
  g_test_add (path, JxTestFixture, providers_json, jx_test_fixture_setup, func, jx_test_fixture_teardown)

/* An engine of its own on a catalog that points @providers_json at @server. */
JxEngine       *jx_test_engine_new        (JxFakeServer   *server,
                                           const char     *providers_json);

/* A 200 response that streams a file from tests/streams (the first event after 2 ms, then
 * one a millisecond), split at random with @seed when it is not 0. */
JxFakeResponse *jx_test_stream_file       (const char     *content_type,
                                           const char     *file,
                                           guint32         seed);
JxFakeResponse *jx_test_sse_file          (const char     *file,
                                           guint32         seed);

/* Appends @n OpenAI-compatible content chunks to @fake, chunk i saying "<@word><i> ": the
 * first @first_ms after the previous piece (or the request), then @gap_ms apart. */
void            jx_test_add_openai_tokens (JxFakeResponse *fake,
                                           const char     *word,
                                           guint           n,
                                           guint           first_ms,
                                           guint           gap_ms);

/* A JSON error response, with a retry-after-ms header when @retry_after_ms is not NULL. */
JxFakeResponse *jx_test_error_response    (guint           status,
                                           const char     *json,
                                           const char     *retry_after_ms);

JsonObject     *jx_test_parse_body        (GBytes         *body);

/* A JSON object of string members, given as name, value pairs; NULL-terminated. JsonBuilder
 * does the escaping (a PEM's newlines, for one). */
char           *jx_test_credentials_json  (const char     *first_name,
                                           ...);

G_END_DECLS
