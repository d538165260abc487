/* jx-history-privacy.c — applies the privacy settings (keep texts, forget after N days)
 *
 * "Forget after N days" runs when the history is first used and whenever the setting
 * changes; a session left open for days forgets on the next start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-history-privacy.h"

static void
forgotten_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (jx_history_delete_finish (JX_HISTORY (object), result, &error) < 0 || error != NULL)
    g_warning ("Could not forget old rounds: %s", error != NULL ? error->message : "?");
}

static void
apply_forget_days (GSettings  *settings,
                   const char *key,
                   JxHistory  *history)
{
  int days = g_settings_get_int (settings, "history-forget-days");

  if (days > 0)
    jx_history_forget_older_than_async (history, days, NULL, forgotten_cb, NULL);
}

static void
apply_keep_texts (GSettings  *settings,
                  const char *key,
                  JxHistory  *history)
{
  jx_history_set_keep_texts (history, g_settings_get_boolean (settings, "history-keep-texts"));
}

void
jx_history_privacy_watch (JxHistory *history,
                          GSettings *settings)
{
  g_return_if_fail (JX_IS_HISTORY (history));
  g_return_if_fail (G_IS_SETTINGS (settings));

  /* The settings object must live as long as its signals are wanted. */
  g_object_set_data_full (G_OBJECT (history), "jx-privacy-settings",
                          g_object_ref (settings), g_object_unref);
  g_signal_connect_object (settings, "changed::history-keep-texts",
                           G_CALLBACK (apply_keep_texts), history, 0);
  g_signal_connect_object (settings, "changed::history-forget-days",
                           G_CALLBACK (apply_forget_days), history, 0);
  apply_keep_texts (settings, NULL, history);
  apply_forget_days (settings, NULL, history);
}
