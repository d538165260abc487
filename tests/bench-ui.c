/* bench-ui.c — does rendering slow the stream? 8 panes × 200 tokens/s in a real window
 *
 * Not a test: it prints figures and exits 0 whatever they are; it aborts only on a
 * functional failure (a pane that does not finish, or text that differs from what was sent).
 * Run a release build under Xvfb for meaningful numbers:
 *   meson setup _bench --buildtype=release
 *   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
 *     meson test -C _bench --benchmark bench-ui -v
 *
 * Three runs of the same 8 streams (~1000 Markdown tokens each, one SSE event every 5 ms):
 * the engine alone (no window: the reference), then a 1280×800 window with the panes in
 * Formatted mode, then in Raw mode. While streaming it records
 *  - frame intervals: wall time between successive "after-paint"s of the window's frame clock
 *    (a tick callback keeps the clock running), and the work per frame ("before-paint" to
 *    "after-paint": the panes' tick callbacks, layout and paint);
 *  - the longest main-loop stall: the largest gap between runs of a 1 ms high-priority timeout;
 *  - per pane, the engine's own figures (TTFT, ITL: the client-side arrival of every content
 *    event) against the server's first write and the 5 ms the server injects between events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sys/resource.h>

#include <adwaita.h>

#include "jx-application.h"
#include "jx-fake-server.h"
#include "jx-pane-private.h"
#include "jx-request.h"
#include "jx-stats.h"
#include "jx-window.h"

#define N_PANES    8
#define N_TOKENS   1000
#define GAP_MS     5
#define FIRST_MS   50
#define TIMEOUT_S  60

static JxApplication *app;
static JxFakeServer *server;
static char *expected_text;

/* Markdown-ish tokens: headings, paragraphs with `code` and **bold**, bullet and numbered
 * lists, a fenced code block. Each string is one SSE event. */
static GPtrArray *
make_tokens (void)
{
  static const char *words[] = {
    " the", " model", " streams", " tokens", " into", " each", " pane", " while",
    " frames", " keep", " coming", " and", " latency", " stays", " low", " under", " load",
  };
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  guint section = 0;

  while (tokens->len + 80 < N_TOKENS)
    {
      guint kind = section % 4;

      section++;
      g_ptr_array_add (tokens, g_strdup (tokens->len == 0 ? "#" : "\n\n##"));
      g_ptr_array_add (tokens, g_strdup_printf (" Section %u", section));
      g_ptr_array_add (tokens, g_strdup ("\n\n"));

      /* A paragraph */
      for (guint i = 0; i < 40; i++)
        {
          if (i % 9 == 4)
            g_ptr_array_add (tokens, g_strdup_printf (" `jx_call_%u()`", i));
          else if (i % 13 == 7)
            g_ptr_array_add (tokens, g_strdup (" **important**"));
          else
            g_ptr_array_add (tokens, g_strdup (words[(section * 7 + i) % G_N_ELEMENTS (words)]));
        }
      g_ptr_array_add (tokens, g_strdup ("."));

      if (kind == 1 || kind == 3)
        {
          /* A list */
          for (guint item = 0; item < 5; item++)
            {
              if (kind == 1)
                g_ptr_array_add (tokens, g_strdup (item == 0 ? "\n\n-" : "\n-"));
              else
                g_ptr_array_add (tokens, g_strdup_printf (item == 0 ? "\n\n%u." : "\n%u.", item + 1));
              for (guint i = 0; i < 6; i++)
                g_ptr_array_add (tokens, i == 2 ? g_strdup (" `flag`")
                                                : g_strdup (words[(item * 5 + i) % G_N_ELEMENTS (words)]));
            }
        }
      else if (kind == 2)
        {
          /* A fenced code block */
          g_ptr_array_add (tokens, g_strdup ("\n\n```c\n"));
          for (guint line = 0; line < 4; line++)
            {
              g_ptr_array_add (tokens, g_strdup ("g_print"));
              g_ptr_array_add (tokens, g_strdup_printf (" (\"%u\\n\");", line));
              g_ptr_array_add (tokens, g_strdup ("\n"));
            }
          g_ptr_array_add (tokens, g_strdup ("```"));
        }
    }
  while (tokens->len < N_TOKENS)
    g_ptr_array_add (tokens, g_strdup (" end"));

  return tokens;
}

static JxFakeResponse *
make_stream (GPtrArray *tokens)
{
  JxFakeResponse *r = jx_fake_response_new (200, "text/event-stream");
  g_autofree char *usage = NULL;

  for (guint i = 0; i < tokens->len; i++)
    {
      g_autoptr(GString) escaped = g_string_new (NULL);
      g_autofree char *event = NULL;

      for (const char *p = g_ptr_array_index (tokens, i); *p != '\0'; p++)
        {
          if (*p == '\n')
            g_string_append (escaped, "\\n");
          else if (*p == '"' || *p == '\\')
            g_string_append_c (escaped, '\\'), g_string_append_c (escaped, *p);
          else
            g_string_append_c (escaped, *p);
        }
      event = g_strdup_printf ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                               "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                               "\"finish_reason\":null}]}\n\n", escaped->str);
      jx_fake_response_add (r, i == 0 ? FIRST_MS : GAP_MS, event, -1);
    }
  usage = g_strdup_printf ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                           "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                           "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":%u,"
                           "\"total_tokens\":%u}}\n\ndata: [DONE]\n\n", tokens->len, tokens->len + 12);
  jx_fake_response_add (r, GAP_MS, usage, -1);

  return r;
}

static char *
path_for (guint i)
{
  return g_strdup_printf ("/fake-%u/v1/chat/completions", i);
}

static char *
write_providers_file (void)
{
  g_autoptr(GString) json = g_string_new ("{\"providers\":[");
  g_autofree char *dir = g_dir_make_tmp ("juxta-bench-ui-XXXXXX", NULL);
  char *path = g_build_filename (dir, "providers.json", NULL);

  for (guint i = 0; i < N_PANES; i++)
    g_string_append_printf (json,
                            "%s{\"id\":\"fake-%u\",\"name\":\"Fake %u\",\"protocol\":\"openai\","
                            "\"base_url\":\"%s/fake-%u/v1\",\"auth_kind\":\"none\","
                            "\"models\":[{\"id\":\"model\",\"input_per_mtok\":1.0,\"output_per_mtok\":2.0}]}",
                            i > 0 ? "," : "", i, i, jx_fake_server_get_url (server), i);
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, -1, NULL));

  return path;
}

/* Probes */

typedef struct
{
  gboolean  active;
  GArray   *after_paint;   /* gint64 µs */
  GArray   *frame_work;    /* double ms, before-paint → after-paint */
  gint64    before_paint;
  gint64    update_end;
  gint64    layout_end;
  gint64    paint_end;
  double    phase_ms[3];   /* summed: update (tick callbacks), layout, paint */
  gint64    last_timeout;
  gint64    max_stall;     /* µs */
  guint     stalls_over_16;
  guint     stalls_over_50;
  guint     timeout_id;
  double    cpu_start;
  double    cpu_s;
  gint64    wall_start;
  gint64    wall_us;
} Probe;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
stall_timeout_cb (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  if (probe->active && probe->last_timeout != 0)
    {
      gint64 gap = now - probe->last_timeout;

      probe->max_stall = MAX (probe->max_stall, gap);
      probe->stalls_over_16 += gap > 16000;
      probe->stalls_over_50 += gap > 50000;
    }
  probe->last_timeout = now;

  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Probe         *probe)
{
  probe->before_paint = g_get_monotonic_time ();
}

/* Connected after GTK's own handlers: the end of each phase. */
static void
update_end_cb (GdkFrameClock *clock,
               Probe         *probe)
{
  probe->update_end = g_get_monotonic_time ();
}

static void
layout_end_cb (GdkFrameClock *clock,
               Probe         *probe)
{
  probe->layout_end = g_get_monotonic_time ();
}

static void
paint_end_cb (GdkFrameClock *clock,
              Probe         *probe)
{
  probe->paint_end = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Probe         *probe)
{
  gint64 now = g_get_monotonic_time ();

  if (!probe->active)
    return;
  g_array_append_val (probe->after_paint, now);
  if (probe->before_paint != 0)
    {
      double work = (now - probe->before_paint) / 1000.0;

      g_array_append_val (probe->frame_work, work);
      /* A phase may be skipped (no layout needed): count it only if it ran this frame. */
      if (probe->update_end >= probe->before_paint)
        probe->phase_ms[0] += (probe->update_end - probe->before_paint) / 1000.0;
      if (probe->layout_end >= probe->before_paint)
        probe->phase_ms[1] += (probe->layout_end - MAX (probe->update_end, probe->before_paint)) / 1000.0;
      if (probe->paint_end >= probe->before_paint)
        probe->phase_ms[2] += (probe->paint_end - MAX (MAX (probe->layout_end, probe->update_end),
                                                        probe->before_paint)) / 1000.0;
    }
}

static gboolean
keep_ticking_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
probe_init (Probe *probe)
{
  *probe = (Probe) { 0 };
  probe->after_paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe->frame_work = g_array_new (FALSE, FALSE, sizeof (double));
  probe->timeout_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_timeout_cb, probe, NULL);
}

static void
probe_start (Probe *probe)
{
  probe->last_timeout = 0;
  probe->active = TRUE;
  probe->cpu_start = cpu_seconds ();
  probe->wall_start = g_get_monotonic_time ();
}

static void
probe_stop (Probe *probe)
{
  probe->active = FALSE;
  probe->cpu_s = cpu_seconds () - probe->cpu_start;
  probe->wall_us = g_get_monotonic_time () - probe->wall_start;
}

static void
probe_clear (Probe *probe)
{
  g_clear_handle_id (&probe->timeout_id, g_source_remove);
  g_clear_pointer (&probe->after_paint, g_array_unref);
  g_clear_pointer (&probe->frame_work, g_array_unref);
}

/* Results */

typedef struct
{
  const char *name;
  gboolean    has_frames;
  guint       n_frames;
  double      frame_p50, frame_p95, frame_p99, frame_max;
  double      work_p50, work_p99, work_max;
  double      work_first_q, work_last_q;  /* mean over the first / last quarter of frames */
  double      phase_ms[3];                /* mean per frame: update, layout, paint */
  double      stall_max;
  guint       stalls_over_16, stalls_over_50;
  double      cpu_pct;
  double      ttft[N_PANES];
  double      first_read_after_write[N_PANES];
  double      itl_mean[N_PANES];
  double      itl_p99[N_PANES];
  double      itl_max[N_PANES];
  double      span_s[N_PANES];
} Result;

static void
percentiles (GArray *values,
             double *p50,
             double *p95,
             double *p99,
             double *max)
{
  const double *v = (const double *) (gpointer) values->data;

  *p50 = jx_stats_percentile (v, values->len, 50);
  if (p95 != NULL)
    *p95 = jx_stats_percentile (v, values->len, 95);
  *p99 = jx_stats_percentile (v, values->len, 99);
  *max = jx_stats_percentile (v, values->len, 100);
}

static double
mean_of (GArray *values,
         guint   from,
         guint   to)
{
  double sum = 0;

  for (guint i = from; i < to; i++)
    sum += g_array_index (values, double, i);

  return to > from ? sum / (to - from) : NAN;
}

static void
result_from_probe (Result *result,
                   Probe  *probe)
{
  result->stall_max = probe->max_stall / 1000.0;
  result->stalls_over_16 = probe->stalls_over_16;
  result->stalls_over_50 = probe->stalls_over_50;
  result->cpu_pct = probe->wall_us > 0 ? 100.0 * probe->cpu_s / (probe->wall_us / 1e6) : NAN;

  if (probe->after_paint->len > 1)
    {
      g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint i = 1; i < probe->after_paint->len; i++)
        {
          double ms = (g_array_index (probe->after_paint, gint64, i) -
                       g_array_index (probe->after_paint, gint64, i - 1)) / 1000.0;

          g_array_append_val (intervals, ms);
        }
      result->has_frames = TRUE;
      result->n_frames = probe->after_paint->len;
      percentiles (intervals, &result->frame_p50, &result->frame_p95, &result->frame_p99,
                   &result->frame_max);
      percentiles (probe->frame_work, &result->work_p50, NULL, &result->work_p99, &result->work_max);
      for (guint i = 0; i < 3; i++)
        result->phase_ms[i] = probe->phase_ms[i] / MAX (probe->frame_work->len, 1);
      result->work_first_q = mean_of (probe->frame_work, 0, probe->frame_work->len / 4);
      result->work_last_q = mean_of (probe->frame_work, probe->frame_work->len - probe->frame_work->len / 4,
                                     probe->frame_work->len);
    }
}

/* Checks the response of one stream and keeps its figures. */
static void
result_add_response (Result     *result,
                     guint       i,
                     JxResponse *response,
                     const char *shown_text)
{
  g_autofree char *path = path_for (i);
  const JxTiming *t;
  gint64 written;

  g_assert_nonnull (response);
  if (response->status != JX_RESPONSE_OK)
    g_error ("%s: pane %u did not finish: %s (%s)", result->name, i,
             jx_response_status_to_string (response->status), response->error != NULL ? response->error->message : NULL);
  g_assert_cmpstr (response->text->str, ==, expected_text);
  if (shown_text != NULL)
    g_assert_cmpstr (shown_text, ==, expected_text);

  t = &response->timing;
  g_assert_cmpuint (t->content_times->len, ==, N_TOKENS);
  written = jx_fake_server_get_last_first_write_time (server, path);
  result->ttft[i] = jx_timing_ttft_ms (t);
  result->first_read_after_write[i] = written > 0 ? (t->t_first_token - written) / 1000.0 : NAN;
  result->itl_mean[i] = jx_timing_itl_mean_ms (t, t->content_times->len);
  result->itl_p99[i] = jx_timing_itl_gap_ms (t, 99);
  result->itl_max[i] = jx_timing_itl_max_ms (t);
  result->span_s[i] = (t->t_last_token - t->t_first_token) / 1e6;
}

/* Run 0: the engine alone */

typedef struct
{
  guint       pending;
  JxResponse *responses[N_PANES];
} EngineRun;

static void
engine_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  EngineRun *run = user_data;
  JxRequest *request = JX_REQUEST (object);

  for (guint i = 0; i < N_PANES; i++)
    {
      g_autofree char *id = g_strdup_printf ("fake-%u", i);

      if (g_str_equal (jx_request_get_provider (request)->id, id))
        run->responses[i] = jx_request_run_finish (request, result, NULL);
    }
  run->pending--;
}

static void
run_engine_only (Result *result)
{
  JxEngine *engine = jx_application_get_engine (app);
  JxCatalog *catalog = jx_application_get_catalog (app);
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  EngineRun run = { N_PANES, { NULL } };
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  JxPrompt prompt;
  Probe probe;

  jx_prompt_init (&prompt);
  prompt.system = (char *) "Be brief.";
  prompt.user = (char *) "Write a long Markdown answer.";

  probe_init (&probe);
  probe_start (&probe);
  for (guint i = 0; i < N_PANES; i++)
    {
      g_autofree char *id = g_strdup_printf ("fake-%u", i);
      JxProvider *provider = jx_catalog_lookup (catalog, id);
      JxRequest *request;

      g_assert_nonnull (provider);
      request = jx_request_new (engine, provider, "model", &prompt);
      g_ptr_array_add (requests, request);
      jx_request_run_async (request, NULL, engine_done_cb, &run);
    }
  while (run.pending > 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("engine only: %u streams did not finish in %d s", run.pending, TIMEOUT_S);
      g_main_context_iteration (NULL, TRUE);
    }
  probe_stop (&probe);

  result_from_probe (result, &probe);
  for (guint i = 0; i < N_PANES; i++)
    {
      result_add_response (result, i, run.responses[i], NULL);
      jx_response_unref (run.responses[i]);
    }
  probe_clear (&probe);
}

/* Runs 1 and 2: the window */

static void
drain (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static void
run_window (JxWindow *window,
            gboolean  formatted,
            Result   *result)
{
  g_autoptr(GPtrArray) panes = jx_window_get_panes (window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gint64 deadline;
  gulong before_id, after_id, update_id, layout_id, paint_id;
  guint tick_id;
  Probe probe;

  g_assert_nonnull (clock);
  g_assert_cmpuint (panes->len, ==, N_PANES);
  for (guint i = 0; i < N_PANES; i++)
    jx_pane_set_formatted (g_ptr_array_index (panes, i), formatted);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  probe_init (&probe);
  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &probe);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &probe);
  update_id = g_signal_connect_after (clock, "update", G_CALLBACK (update_end_cb), &probe);
  layout_id = g_signal_connect_after (clock, "layout", G_CALLBACK (layout_end_cb), &probe);
  paint_id = g_signal_connect_after (clock, "paint", G_CALLBACK (paint_end_cb), &probe);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), keep_ticking_cb, NULL, NULL);
  drain (200);

  jx_window_set_prompt (window, "Be brief.", "Write a long Markdown answer.");
  probe_start (&probe);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  g_assert_true (jx_window_is_running (window));

  deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  while (jx_window_is_running (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: panes still running after %d s", result->name, TIMEOUT_S);
      g_main_context_iteration (NULL, TRUE);
    }
  probe_stop (&probe);

  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);
  g_signal_handler_disconnect (clock, update_id);
  g_signal_handler_disconnect (clock, layout_id);
  g_signal_handler_disconnect (clock, paint_id);

  result_from_probe (result, &probe);
  for (guint i = 0; i < N_PANES; i++)
    {
      JxPane *pane = g_ptr_array_index (panes, i);

      if (g_strcmp0 (jx_pane_get_status_text (pane), "Done") != 0)
        g_error ("%s: pane %u: %s", result->name, i, jx_pane_get_status_text (pane));
      result_add_response (result, i, jx_pane_get_response (pane), jx_pane_get_text (pane));
    }
  probe_clear (&probe);
  drain (200);
}

/* Report */

static char *
pane_summary (const double *values,
              int           digits)
{
  double mean = 0, max = -INFINITY;

  for (guint i = 0; i < N_PANES; i++)
    {
      mean += values[i] / N_PANES;
      max = MAX (max, values[i]);
    }

  return g_strdup_printf ("%.*f / %.*f", digits, mean, digits, max);
}

static void
print_results (Result *results,
               guint   n)
{
  g_print ("\n%u panes × %u tokens, one SSE event every %u ms (%u tokens/s per pane, %u/s in all), "
           "window 1280×800, GSK_RENDERER=%s\n\n",
           N_PANES, N_TOKENS, GAP_MS, 1000 / GAP_MS, N_PANES * 1000 / GAP_MS,
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");

  g_print ("%-34s", "");
  for (guint r = 0; r < n; r++)
    g_print ("%15s", results[r].name);
  g_print ("\n");

#define ROW(label, is_frame, ...)                                    \
  G_STMT_START {                                                     \
    g_print ("%-34s", label);                                        \
    for (guint r = 0; r < n; r++)                                    \
      {                                                              \
        Result *res = &results[r];                                   \
        g_autofree char *cell = NULL;                                \
                                                                     \
        if (res->has_frames || !(is_frame))                          \
          cell = g_strdup_printf (__VA_ARGS__);                      \
        g_print ("%15s", cell != NULL ? cell : "-");                 \
      }                                                              \
    g_print ("\n");                                                  \
  } G_STMT_END

  ROW ("frames painted", TRUE, "%u", res->n_frames);
  ROW ("frame interval p50 (ms)", TRUE, "%.1f", res->frame_p50);
  ROW ("frame interval p95 (ms)", TRUE, "%.1f", res->frame_p95);
  ROW ("frame interval p99 (ms)", TRUE, "%.1f", res->frame_p99);
  ROW ("frame interval max (ms)", TRUE, "%.1f", res->frame_max);
  ROW ("frame work p50 (ms)", TRUE, "%.2f", res->work_p50);
  ROW ("frame work p99 (ms)", TRUE, "%.2f", res->work_p99);
  ROW ("frame work max (ms)", TRUE, "%.2f", res->work_max);
  ROW ("frame work mean (ms)", TRUE, "%.2f", res->phase_ms[0] + res->phase_ms[1] + res->phase_ms[2]);
  ROW ("frame work mean 1st/last 1/4 (ms)", TRUE, "%.1f / %.1f", res->work_first_q, res->work_last_q);
  ROW ("  of which update (tick cbs)", TRUE, "%.2f", res->phase_ms[0]);
  ROW ("  of which layout", TRUE, "%.2f", res->phase_ms[1]);
  ROW ("  of which paint", TRUE, "%.2f", res->phase_ms[2]);
  ROW ("main-loop stall max (ms)", FALSE, "%.1f", res->stall_max);
  ROW ("stalls > 16 ms / > 50 ms", FALSE, "%u / %u", res->stalls_over_16, res->stalls_over_50);
  ROW ("process CPU while streaming (%)", FALSE, "%.0f", res->cpu_pct);
#undef ROW

#define PANE_ROW(label, field, digits)                                  \
  G_STMT_START {                                                     \
    g_print ("%-34s", label);                                        \
    for (guint r = 0; r < n; r++)                                    \
      {                                                              \
        g_autofree char *cell = pane_summary (results[r].field, digits); \
                                                                     \
        g_print ("%15s", cell);                                      \
      }                                                              \
    g_print ("\n");                                                  \
  } G_STMT_END

  PANE_ROW ("TTFT: mean / worst (ms)", ttft, 1);
  PANE_ROW ("1st read - server write (ms)", first_read_after_write, 2);
  PANE_ROW ("ITL mean: mean / worst (ms)", itl_mean, 3);
  PANE_ROW ("ITL p99: mean / worst (ms)", itl_p99, 1);
  PANE_ROW ("ITL max: mean / worst (ms)", itl_max, 1);
  PANE_ROW ("stream span: mean / worst (s)", span_s, 3);
#undef PANE_ROW

  g_print ("\nInjected: %u ms between events (ideal span %.3f s), %u ms before the first. "
           "Frame work = before-paint → after-paint (the panes' tick callbacks, layout, paint).\n",
           GAP_MS, (N_TOKENS - 1) * GAP_MS / 1000.0, FIRST_MS);
}

int
main (void)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *providers = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  Result results[3] = { { .name = "engine only" }, { .name = "Formatted" }, { .name = "Raw" } };
  JxWindow *window;

  g_unsetenv ("LANGUAGE");
  /* Not gtk_test_init (): GLib's test mode prints every debug message (GIO logs each
   * connection), and a benchmark should run GTK as the app does. */
  gtk_init ();

  tokens = make_tokens ();
  for (guint i = 0; i < tokens->len; i++)
    g_string_append (text, g_ptr_array_index (tokens, i));
  expected_text = g_strdup (text->str);

  server = jx_fake_server_new ();
  for (guint i = 0; i < N_PANES; i++)
    {
      g_autofree char *path = path_for (i);

      jx_fake_server_add (server, "POST", path, make_stream (tokens));
      g_ptr_array_add (keys, g_strdup_printf ("fake-%u:model", i));
    }
  g_ptr_array_add (keys, NULL);

  providers = write_providers_file ();
  g_setenv ("JUXTA_PROVIDERS_FILE", providers, TRUE);

  app = jx_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  /* Warm-up (connections, proxy resolver), then the reference without a window. */
  run_engine_only (&results[0]);
  results[0] = (Result) { .name = "engine only" };
  run_engine_only (&results[0]);

  window = jx_application_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  jx_window_set_panes (window, (const char * const *) keys->pdata);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  run_window (window, TRUE, &results[1]);
  run_window (window, FALSE, &results[2]);

  print_results (results, G_N_ELEMENTS (results));

  gtk_window_destroy (GTK_WINDOW (window));
  drain (100);
  g_clear_object (&app);
  jx_fake_server_free (server);
  g_free (expected_text);
  g_unlink (providers);
  {
    g_autofree char *dir = g_path_get_dirname (providers);

    g_rmdir (dir);
  }

  return 0;
}
