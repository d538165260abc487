/* bench-limits.c — a 1 GiB answer must not take the memory with it
 *
 * Streams 1 GiB of valid OpenAI-compatible tokens from the fake server (4 MiB pieces that
 * share one buffer, so the server itself stays small) with the engine's default
 * max-output-bytes, and checks that the request ends with "answer larger than …", keeps
 * the text that fits, and that the process's peak RSS stays under 100 MB (ASan builds
 * use more: build without sanitizers for the figure). Runs with `meson test --benchmark
 * bench-limits`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/resource.h>

#include "jx-engine.h"
#include "jx-test-util.h"

#define PROVIDERS_JSON \
  "{\"providers\":[{\"id\":\"groq\",\"base_url\":\"@URL@/v1\",\"models\":[{\"id\":\"m\"}]}]}"
#define GIB (1024 * 1024 * 1024)

int
main (int   argc,
      char *argv[])
{
  JxTestFixture f;
  g_autoptr(GString) event = g_string_new ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
  g_autoptr(GString) piece = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JxResponse) r = NULL;
  JxFakeResponse *fake = jx_fake_response_new (200, "text/event-stream");
  struct rusage usage;
  guint64 total = 0;
  gint64 start;
  double peak_mb;
  gboolean sanitized = FALSE;

#if defined(__SANITIZE_ADDRESS__)
  sanitized = TRUE;
#endif

  jx_test_fixture_init (&f, PROVIDERS_JSON);

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (event, 'a' + i % 26);
  g_string_append (event, "\"}}]}\n\n");
  while (piece->len < 4 * 1024 * 1024)
    g_string_append (piece, event->str);
  bytes = g_bytes_new (piece->str, piece->len);
  for (; total < GIB; total += piece->len)
    jx_fake_response_add_bytes (fake, 0, bytes);
  jx_fake_response_add (fake, 0, "data: [DONE]\n\n", -1);
  jx_fake_server_add (f.server, "POST", "/v1/chat/completions", fake);

  start = g_get_monotonic_time ();
  r = jx_test_run (f.engine, "groq", "m", "gsk-bench", NULL);
  getrusage (RUSAGE_SELF, &usage);
  peak_mb = usage.ru_maxrss / 1024.0;

  g_print ("streamed %.0f MiB offered, kept %.1f MiB of text in %.1f s; peak RSS %.0f MB%s\n",
           total / 1048576.0, r->text->len / 1048576.0,
           (g_get_monotonic_time () - start) / 1e6, peak_mb,
           sanitized ? " (AddressSanitizer build: not held to 100 MB)" : "");
  g_print ("error: %s\n", r->error != NULL ? r->error->message : "(none)");

  g_assert_error (r->error, JX_REQUEST_ERROR, JX_REQUEST_ERROR_TOO_LARGE);
  g_assert_cmpuint (r->text->len, >, JX_ENGINE_DEFAULT_MAX_OUTPUT_BYTES - 1024);
  if (!sanitized)
    g_assert_cmpfloat (peak_mb, <, 100);

  g_clear_pointer (&r, jx_response_unref);
  jx_test_fixture_clear (&f);
  return 0;
}
