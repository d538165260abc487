/* test-transfer.c — the network thread's hand-over, under Stop at every moment
 *
 * Requests run their I/O on the network thread and hand bytes back through a queue; a
 * request stopped while bytes are queued, in flight or not yet sent must end exactly once,
 * with a prefix of the answer, and leave nothing behind that fires later.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-util.h"
#include "jx-net-init.h"
#include "jx-network-thread.h"
#include "jx-transfer.h"

#define N_PANES  16
#define N_TOKENS 60

static JxFakeResponse *
word_stream (guint first_ms,
             guint gap_ms)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");

  jx_test_add_openai_tokens (fake, "w", N_TOKENS, first_ms, gap_ms);
  jx_fake_response_add (fake, 0, "data: [DONE]\n\n", -1);

  return fake;
}

static char *
full_answer (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < N_TOKENS; i++)
    g_string_append_printf (text, "w%u ", i);
  return g_string_free (text, FALSE);
}

typedef struct
{
  GMainLoop *loop;
  guint      pending;
  guint      completions[N_PANES];
} Round;

typedef struct
{
  Round *round;
  guint  index;
} Pane;

static void
pane_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pane *pane = user_data;
  g_autoptr(JxResponse) r = jx_request_run_finish (JX_REQUEST (object), result, NULL);

  g_assert_nonnull (r);
  pane->round->completions[pane->index]++;
  if (--pane->round->pending == 0)
    g_main_loop_quit (pane->round->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* 16 concurrent panes, each stopped at a random moment: before it is sent, while waiting
 * for the first token, mid-stream, or never. */
static void
test_stop_at_any_moment (void)
{
  g_autofree char *full = full_answer ();
  guint total_ok = 0, total_partial = 0, total_empty = 0;

  for (guint32 seed = 1; seed <= 6; seed++)
    {
      g_autoptr(JxFakeServer) server = jx_fake_server_new ();
      g_autoptr(JxCatalog) catalog = NULL;
      g_autoptr(JxEngine) engine = NULL;
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);
      Round round = { g_main_loop_new (NULL, FALSE), N_PANES, { 0 } };
      Pane panes[N_PANES];
      gsize kept[N_PANES];
      guint ok = 0, cancelled = 0;
      JxPrompt prompt;

      jx_fake_server_add (server, "POST", "/v1/chat/completions", word_stream (40, 3));
      catalog = jx_test_catalog (jx_fake_server_get_url (server),
                                 "{\"providers\":[{\"id\":\"local\",\"protocol\":\"openai\",\"base_url\":\"@URL@/v1\"}]}");
      engine = jx_engine_new (catalog);
      jx_prompt_init (&prompt);
      prompt.user = (char *) "count";

      for (guint i = 0; i < N_PANES; i++)
        {
          GCancellable *cancellable = g_cancellable_new ();
          JxRequest *request = jx_request_new (engine, jx_catalog_lookup (catalog, "local"), "m", &prompt);
          /* 0: before sending; then anywhere up to well after the end (40 + 60 × 3 ms
           * nominal; the server's timers and ASan stretch it). */
          guint when_ms = i == 0 ? 0 : g_rand_int_range (rand, 0, 700);

          panes[i] = (Pane) { &round, i };
          g_ptr_array_add (requests, request);
          g_ptr_array_add (cancellables, cancellable);
          if (when_ms == 0)
            g_cancellable_cancel (cancellable);
          else
            g_timeout_add_full (G_PRIORITY_DEFAULT, when_ms, cancel_cb, g_object_ref (cancellable), g_object_unref);
          jx_request_run_async (request, cancellable, pane_done_cb, &panes[i]);
        }
      g_main_loop_run (round.loop);

      for (guint i = 0; i < N_PANES; i++)
        {
          JxResponse *r = jx_request_get_response (g_ptr_array_index (requests, i));

          kept[i] = r->text->len;
          g_assert_cmpuint (round.completions[i], ==, 1);
          /* Whatever was kept is the answer's beginning, in order, nothing doubled. */
          g_assert_true (g_str_has_prefix (full, r->text->str));
          if (r->status == JX_RESPONSE_OK)
            {
              g_assert_cmpstr (r->text->str, ==, full);
              ok++;
            }
          else
            {
              g_assert_cmpint (r->status, ==, JX_RESPONSE_CANCELLED);
              jx_assert_request_stopped (r);
              cancelled++;
              if (r->text->len > 0)
                total_partial++;
              else
                total_empty++;
            }
        }
      g_test_message ("seed %u: %u finished, %u stopped", seed, ok, cancelled);
      total_ok += ok;

      /* Nothing left over fires later: no second completion, no stray delta. */
      g_timeout_add (100, quit_cb, round.loop);
      g_main_loop_run (round.loop);
      for (guint i = 0; i < N_PANES; i++)
        {
          g_assert_cmpuint (round.completions[i], ==, 1);
          g_assert_cmpuint (jx_request_get_response (g_ptr_array_index (requests, i))->text->len, ==, kept[i]);
        }
      g_main_loop_unref (round.loop);
    }

  /* Every kind of moment was hit: finished, stopped mid-stream, stopped before any text. */
  g_test_message ("%u finished, %u stopped with part of the text, %u before any", total_ok,
                  total_partial, total_empty);
  g_assert_cmpuint (total_ok, >, 0);
  g_assert_cmpuint (total_partial, >, 0);
  g_assert_cmpuint (total_empty, >, 0);
}

typedef struct
{
  GMainLoop *loop;
  GString   *events;
  GString   *body;
  gboolean   finished;
  guint      stop_after_bytes;
  JxTransfer *transfer;
} TransferRun;

static void
got_headers_cb (gpointer            user_data,
                guint               status,
                SoupMessageHeaders *headers,
                gint64              when)
{
  TransferRun *run = user_data;

  g_assert_cmpint (when, >, 0);
  g_string_append_printf (run->events, "H%u ", status);
}

static void
got_body_cb (gpointer  user_data,
             GBytes   *bytes,
             gint64    when)
{
  TransferRun *run = user_data;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_false (run->finished);
  g_string_append_len (run->body, data, len);
  if (run->stop_after_bytes > 0 && run->body->len >= run->stop_after_bytes)
    {
      jx_transfer_stop (run->transfer);
      g_main_loop_quit (run->loop);
    }
}

static void
finished_cb (gpointer      user_data,
             const GError *error,
             gint64        when)
{
  TransferRun *run = user_data;

  g_assert_false (run->finished);
  run->finished = TRUE;
  g_string_append (run->events, error == NULL ? "END" : "ERR");
  g_main_loop_quit (run->loop);
}

static const JxTransferCallbacks callbacks = { got_headers_cb, got_body_cb, finished_cb };

static gboolean
create_session_cb (gpointer user_data)
{
  SoupSession **session = user_data;

  *session = soup_session_new ();
  return G_SOURCE_REMOVE;
}

static gboolean
drop_session_cb (gpointer user_data)
{
  g_object_unref (user_data);
  return G_SOURCE_REMOVE;
}

/* Headers, then the body in order, then the end; after jx_transfer_stop () nothing more. */
static void
test_transfer_events (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = NULL;

  jx_fake_server_add (server, "GET", "/words", word_stream (5, 1));
  url = g_strconcat (jx_fake_server_get_url (server), "/words", NULL);

  for (guint stop_after = 0; stop_after <= 200; stop_after += 200)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
      g_autoptr(JxTransfer) transfer = NULL;
      TransferRun run = { g_main_loop_new (NULL, FALSE), g_string_new (NULL), g_string_new (NULL), FALSE,
                          stop_after, NULL };

      /* Created on the network thread, like the engine's. */
      if (session == NULL)
        jx_network_thread_invoke_sync (create_session_cb, &session);
      transfer = run.transfer = jx_transfer_new (session, message, &callbacks, &run);
      jx_transfer_start (transfer, NULL);
      g_main_loop_run (run.loop);

      if (stop_after == 0)
        {
          g_assert_cmpstr (run.events->str, ==, "H200 END");
          g_assert_nonnull (strstr (run.body->str, "\"content\":\"w0 \""));
          g_assert_nonnull (strstr (run.body->str, "data: [DONE]"));
          g_assert_cmpint (jx_transfer_get_request_written (transfer), >, 0);
        }
      else
        {
          /* Stopped mid-body: later pieces and the end are dropped, not delivered. */
          gsize kept = run.body->len;

          g_timeout_add (300, quit_cb, run.loop);
          g_main_loop_run (run.loop);
          g_assert_cmpstr (run.events->str, ==, "H200 ");
          g_assert_cmpuint (run.body->len, ==, kept);
          g_assert_false (run.finished);
        }

      g_main_loop_unref (run.loop);
      g_string_free (run.events, TRUE);
      g_string_free (run.body, TRUE);
    }

  jx_network_thread_invoke (drop_session_cb, g_steal_pointer (&session));
}

/* A server faster than the owner: the network thread stops reading at about 1 MiB queued,
 * and resumes, losing nothing, once the owner takes the queue; a stop while paused ends. */
static void
test_back_pressure (void)
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) piece = NULL;
  g_autofree char *url = NULL;
  g_autofree char *filler = g_strnfill (1024 * 1024, 'x');
  JxFakeResponse *fake = jx_fake_response_new (200, "text/plain");
  const gsize total = 32 * 1024 * 1024;

  piece = g_bytes_new_static (filler, 1024 * 1024);
  for (gsize sent = 0; sent < total; sent += g_bytes_get_size (piece))
    jx_fake_response_add_bytes (fake, 0, piece);
  jx_fake_server_add (server, "GET", "/big", fake);
  url = g_strconcat (jx_fake_server_get_url (server), "/big", NULL);
  jx_network_thread_invoke_sync (create_session_cb, &session);

  for (guint stop = 0; stop <= 1; stop++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
      g_autoptr(JxTransfer) transfer = NULL;
      TransferRun run = { g_main_loop_new (NULL, FALSE), g_string_new (NULL), g_string_new (NULL), FALSE, 0, NULL };

      transfer = run.transfer = jx_transfer_new (session, message, &callbacks, &run);
      jx_transfer_start (transfer, NULL);
      /* The owner is busy: nothing is taken from the queue for a while. */
      g_usleep (G_USEC_PER_SEC);
      g_assert_cmpuint (jx_transfer_get_queued_bytes (transfer), >, 0);
      g_assert_cmpuint (jx_transfer_get_queued_bytes (transfer), <=, 1024 * 1024 + 16 * 1024);

      if (stop)
        {
          jx_transfer_stop (transfer);
          g_timeout_add (300, quit_cb, run.loop);
          g_main_loop_run (run.loop);
          g_assert_cmpuint (run.body->len, ==, 0);
          g_assert_false (run.finished);
        }
      else
        {
          g_main_loop_run (run.loop);
          g_assert_cmpstr (run.events->str, ==, "H200 END");
          g_assert_cmpuint (run.body->len, ==, total);
        }

      g_main_loop_unref (run.loop);
      g_string_free (run.events, TRUE);
      g_string_free (run.body, TRUE);
    }

  jx_network_thread_invoke (drop_session_cb, g_steal_pointer (&session));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Some cases start the network thread without an engine. */
  jx_net_init ();

  g_test_add_func ("/juxta/core/transfer/events", test_transfer_events);
  g_test_add_func ("/juxta/core/transfer/back-pressure", test_back_pressure);
  g_test_add_func ("/juxta/core/transfer/stop-at-any-moment", test_stop_at_any_moment);

  return g_test_run ();
}
