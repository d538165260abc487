/* jx-test-fixture.c — JxTestFixture helpers beyond jx-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jx-test-fixture.h"

void
jx_test_fixture_reset (JxTestFixture *f,
                       const char    *providers_json)
{
  jx_test_fixture_clear (f);
  jx_test_fixture_init (f, providers_json);
}
