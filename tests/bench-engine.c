/* bench-engine.c — engine overhead per event and TTFT fidelity under 16 concurrent panes
 *
 * Not a test: it prints figures. Run a release build for meaningful numbers:
 *   meson setup _bench --buildtype=release && meson test -C _bench --benchmark -v
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/resource.h>

#include "jx-test-util.h"

#define N_PANES        16
#define N_TOKENS       500
#define INJECTED_MS    200
#define N_ROUNDS       5

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static GPtrArray *
run_panes (JxEngine   *engine,
           JxProvider *provider,
           guint       n)
{
  JxPrompt prompt;

  jx_prompt_init (&prompt);
  prompt.user = (char *) "bench";
  return jx_test_run_concurrent (engine, provider, "m", &prompt, n);
}

static JxFakeResponse *
make_stream (guint first_delay_ms,
             guint gap_ms,
             guint n_tokens)
{
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  g_autoptr(GString) burst = g_string_new (NULL);

  for (guint i = 0; i < n_tokens; i++)
    {
      const char *chunk = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" tok\"},\"finish_reason\":null}],\"usage\":null}\n\n";

      if (gap_ms == 0 && i > 0)
        g_string_append (burst, chunk);
      else
        jx_fake_response_add (fake, i == 0 ? first_delay_ms : gap_ms, chunk, -1);
    }
  if (burst->len > 0)
    jx_fake_response_add (fake, 0, burst->str, burst->len);
  jx_fake_response_add (fake, 0, "data: [DONE]\n\n", -1);

  return fake;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JxFakeServer) server = jx_fake_server_new ();
  /* One server (and so one server thread) per pane, as 16 real endpoints would be: a single
   * fake server thread parsing 16 requests at once would be measured, not the engine. */
  JxFakeServer *pane_servers[N_PANES];
  g_autoptr(JxCatalog) catalog = NULL;
  g_autoptr(JxEngine) engine = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  JxProvider *provider;
  double worst = 0, worst_engine = 0, worst_vs_actual = 0, cpu_before, cpu_after;
  double round_worsts[N_ROUNDS];
  guint events = 0;

  /* One route per pane, so the server's own timestamps can be read for every pane. */
  {
    g_autoptr(GString) json = g_string_new ("{\"providers\":[{\"id\":\"local\",\"protocol\":\"openai\","
                                            "\"base_url\":\"@URL@/v1\"},{\"id\":\"burst\",\"protocol\":"
                                            "\"openai\",\"base_url\":\"@URL@/burst/v1\"}");

    jx_fake_server_add (server, "POST", "/v1/chat/completions", make_stream (INJECTED_MS, 2, N_TOKENS));
    for (guint i = 0; i < N_PANES; i++)
      {
        g_autofree char *path = g_strdup_printf ("/p%u/v1/chat/completions", i);

        pane_servers[i] = jx_fake_server_new ();
        jx_fake_server_add (pane_servers[i], "POST", path, make_stream (INJECTED_MS, 2, N_TOKENS));
        g_string_append_printf (json, ",{\"id\":\"p%u\",\"protocol\":\"openai\",\"base_url\":\"%s/p%u/v1\"}",
                                i, jx_fake_server_get_url (pane_servers[i]), i);
      }
    g_string_append (json, "]}");
    catalog = jx_test_catalog (jx_fake_server_get_url (server), json->str);
  }
  engine = jx_engine_new (catalog);
  provider = jx_catalog_lookup (catalog, "local");

  /* A warm-up round (connections, proxy settings), then the measured ones. The table shows
   * the last; every round's worst pane is summarised after it. */
  g_print ("%u panes × %u tokens, server injects %u ms before the first token, %u rounds\n",
           N_PANES, N_TOKENS, INJECTED_MS, N_ROUNDS);
  for (guint round = 0; round <= N_ROUNDS; round++)
    {
      JxTestWait wait = { g_main_loop_new (NULL, FALSE), N_PANES };
      JxPrompt prompt;
      double round_worst = 0, round_worst_vs_actual = 0, round_worst_read = 0;
      gint64 first_start = G_MAXINT64, last_start = 0, first_end = G_MAXINT64, last_end = 0;
      gboolean print_table = round == N_ROUNDS;

      jx_prompt_init (&prompt);
      prompt.user = (char *) "bench";
      g_clear_pointer (&requests, g_ptr_array_unref);
      requests = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < N_PANES; i++)
        {
          g_autofree char *id = g_strdup_printf ("p%u", i);
          JxRequest *request = jx_request_new (engine, jx_catalog_lookup (catalog, id), "m", &prompt);

          g_ptr_array_add (requests, request);
          jx_request_run_async (request, NULL, jx_test_wait_done_cb, &wait);
        }
      g_main_loop_run (wait.loop);
      g_main_loop_unref (wait.loop);
      if (round == 0)
        continue;

      if (print_table)
        g_print ("  (transit: t_start → server has the request; server: its delay as written; "
                 "read: server queued the token → engine has it, including the server thread's own write)\n");
      for (guint i = 0; i < requests->len; i++)
        {
          JxResponse *r = jx_request_get_response (g_ptr_array_index (requests, i));
          g_autofree char *path = g_strdup_printf ("/p%u/v1/chat/completions", i);
          gint64 received = jx_fake_server_get_last_request_time (pane_servers[i], path);
          gint64 written = jx_fake_server_get_last_first_write_time (pane_servers[i], path);
          double ttft = jx_timing_ttft_ms (&r->timing);

          if (print_table)
            g_print ("  pane %2u: TTFT %7.2f ms (%+6.2f ms) = transit %5.2f + server %7.2f + read %4.2f, %u events, %s\n",
                     i, ttft, ttft - INJECTED_MS, (received - r->timing.t_start) / 1000.0,
                     (written - received) / 1000.0, (r->timing.t_first_token - written) / 1000.0,
                     r->timing.content_times->len, jx_response_status_to_string (r->status));
          round_worst = MAX (round_worst, ABS (ttft - INJECTED_MS));
          round_worst_read = MAX (round_worst_read, (r->timing.t_first_token - written) / 1000.0);
          round_worst_vs_actual = MAX (round_worst_vs_actual, ABS (ttft - (written - received) / 1000.0));
          first_start = MIN (first_start, r->timing.t_start);
          last_start = MAX (last_start, r->timing.t_start);
          first_end = MIN (first_end, r->timing.t_end);
          last_end = MAX (last_end, r->timing.t_end);
        }
      round_worsts[round - 1] = round_worst;
      worst = MAX (worst, round_worst);
      worst_vs_actual = MAX (worst_vs_actual, round_worst_vs_actual);
      worst_engine = MAX (worst_engine, round_worst_read);
      /* Serialised streams would take N_PANES times as long and not overlap. */
      g_print ("  round %u: worst TTFT %+.2f ms off; all %u started within %.2f ms, the last started "
               "%.0f ms before the first ended; round took %.0f ms, the shortest stream %.0f ms\n",
               round, round_worst, N_PANES, (last_start - first_start) / 1000.0,
               (first_end - last_start) / 1000.0, (last_end - first_start) / 1000.0,
               (first_end - first_start) / 1000.0);
    }
  g_clear_pointer (&requests, g_ptr_array_unref);
  for (guint i = 0; i < N_PANES; i++)
    jx_fake_server_free (pane_servers[i]);
  {
    guint within = 0;

    for (guint i = 0; i < N_ROUNDS; i++)
      within += round_worsts[i] <= 5.0;
    g_print ("worst TTFT deviation from the injected delay: %.2f ms (rounds with every pane within "
             "5 ms: %u of %u); from the delay the server really waited: %.2f ms; worst engine read "
             "latency: %.2f ms\n", worst, within, N_ROUNDS, worst_vs_actual, worst_engine);
  }

  /* Where the deviation comes from, on one pane (the fake server keeps the last request). */
  requests = run_panes (engine, provider, 1);
  {
    JxResponse *r = jx_request_get_response (g_ptr_array_index (requests, 0));
    gint64 received = jx_fake_server_get_last_request_time (server, "/v1/chat/completions");
    gint64 written = jx_fake_server_get_last_first_write_time (server, "/v1/chat/completions");

    g_print ("one pane: request reached the server %.2f ms after t_start; server wrote the first "
             "token %.2f ms after receiving; client read it %.2f ms after the write\n",
             (received - r->timing.t_start) / 1000.0, (written - received) / 1000.0,
             (r->timing.t_first_token - written) / 1000.0);
  }
  g_clear_pointer (&requests, g_ptr_array_unref);

  /* Overhead: events sent back to back, so the client is the bottleneck. */
  jx_fake_server_add (server, "POST", "/burst/v1/chat/completions", make_stream (0, 0, 20000));
  cpu_before = cpu_seconds ();
  requests = run_panes (engine, jx_catalog_lookup (catalog, "burst"), 1);
  cpu_after = cpu_seconds ();
  events = jx_request_get_response (g_ptr_array_index (requests, 0))->timing.content_times->len;
  g_print ("engine overhead: %u events in %.1f ms CPU (client and fake server) → %.2f µs per event\n",
           events, (cpu_after - cpu_before) * 1000, (cpu_after - cpu_before) * 1e6 / MAX (events, 1));

  return 0;
}
