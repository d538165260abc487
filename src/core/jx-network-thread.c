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

      g_thread_unref (g_thread_new ("jx-network", network_thread_main,
                                    g_main_context_ref (new_context)));
      g_once_init_leave (&context, new_context);
    }

  return context;
}

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

  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);
  g_main_context_invoke (jx_network_thread_get_context (), sync_call_cb, &call);
  g_mutex_lock (&call.lock);
  while (!call.done)
    g_cond_wait (&call.cond, &call.lock);
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
