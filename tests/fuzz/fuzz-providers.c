/* fuzz-providers.c — libFuzzer target for the providers-file and prices-file loaders
 *
 * Byte 0 picks the loader: a providers file (jx_catalog_load_data), a prices file
 * (jx_pricing_import_file) or LiteLLM's price list (jx_pricing_import_litellm). Deep
 * nesting must be refused before json-glib recurses into it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "jx-catalog.h"
#include "jx-litellm.h"
#include "jx-price-overrides.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *path;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JxCatalog) catalog = g_object_new (JX_TYPE_CATALOG, NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gboolean ok;

  if (size < 1)
    return 0;

  if (path == NULL)
    path = g_build_filename (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir (),
                             "juxta-fuzz-providers.json", NULL);

  switch (data[0] % 3)
    {
    case 0:
      ok = jx_catalog_load_data (catalog, (const char *) data + 1, size - 1, "fuzz.json", &error);
      break;
    case 1:
      g_assert (g_file_set_contents (path, (const char *) data + 1, size - 1, NULL));
      ok = jx_pricing_import_file (catalog, path, &n, &error);
      break;
    default:
      g_assert (g_file_set_contents (path, (const char *) data + 1, size - 1, NULL));
      ok = jx_pricing_import_litellm (catalog, path, &n, &error);
      break;
    }

  g_assert (ok == (error == NULL));
  if (error != NULL)
    g_assert (g_utf8_validate (error->message, -1, NULL));

  return 0;
}
