/* jx-test-fixture.h — JxTestFixture helpers beyond jx-test-util.h (jx-test-fixture.c, in
 * jx-test-support)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-test-util.h"

G_BEGIN_DECLS

/* Gives @f a new fake server, catalog and engine on @providers_json, as if the test had just
 * started: for a jx_test_add () case that runs its scenario several times (random splits,
 * retry counts) and counts the requests of each run. */
void            jx_test_fixture_reset     (JxTestFixture  *f,
                                           const char     *providers_json);

G_END_DECLS
