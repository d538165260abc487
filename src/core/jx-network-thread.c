/* jx-network-thread.c — the one thread every request's I/O runs on
 *
 * See jx-transfer.c for why: the time a byte arrived is taken there, away from a busy
 * main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-network-thread.h"

static gpointer
network_thread_main (gpointer data)
{
  GMainContext *context = data;

  g_main_context_push_thread_default (context);
  for (;;)
    g_main_context_iteration (context, TRUE);

  return NULL;
}

/* One thread for the process, never stopped: engines come and go (one per test), and a
 * transfer being cancelled may still have I/O queued there. */
GMainContext *
jx_network_thread_get_context (void)
{
  static GMainContext *context;

  if (g_once_init_enter (&context))
    {
      GMainContext *new_context = g_main_context_new ();

      /* What the thread will use was initialised before it (jx_net_init (), by JxEngine's
       * class or by whoever starts it without an engine). */
      g_thread_unref (g_thread_new ("jx-network", network_thread_main,
                                    g_main_context_ref (new_context)));
      g_once_init_leave (&context, new_context);
    }

  return context;
}

/* A call the network thread has not run by then will never run. */
#define SYNC_CALL_DEADLINE_S 60

typedef struct
{
  GSourceFunc func;
  gpointer    data;
  GMutex      lock;
  GCond       cond;
  gboolean    done;
} SyncCall;

static gboolean
sync_call_cb (gpointer user_data)
{
  SyncCall *call = user_data;

  call->func (call->data);
  g_mutex_lock (&call->lock);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);

  return G_SOURCE_REMOVE;
}

void
jx_network_thread_invoke_sync (GSourceFunc func,
                               gpointer    data)
{
  SyncCall call = { func, data };
  gint64 deadline;

  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);
  g_main_context_invoke (jx_network_thread_get_context (), sync_call_cb, &call);
  g_mutex_lock (&call.lock);
  deadline = g_get_monotonic_time () + SYNC_CALL_DEADLINE_S * G_TIME_SPAN_SECOND;
  while (!call.done)
    /* The calling thread's main loop (and the request watchdogs on it) is blocked here: a
     * network thread that never answers is a deadlock, which must end rather than hang. */
    if (!g_cond_wait_until (&call.cond, &call.lock, deadline) && !call.done)
      g_error ("the network thread has not answered for %d s; stopping instead of hanging",
               SYNC_CALL_DEADLINE_S);
  g_mutex_unlock (&call.lock);
  g_cond_clear (&call.cond);
  g_mutex_clear (&call.lock);
}

void
jx_network_thread_invoke (GSourceFunc func,
                          gpointer    data)
{
  g_main_context_invoke (jx_network_thread_get_context (), func, data);
}
