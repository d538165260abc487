/* jx-saturate.h — gint64 arithmetic on figures from providers, which may be absurd
 *
 * Sums and differences clamp at G_MININT64/G_MAXINT64 instead of overflowing (undefined
 * behaviour in C).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

static inline gint64
jx_sat_add (gint64 a,
            gint64 b)
{
  gint64 sum;

  if (__builtin_add_overflow (a, b, &sum))
    return b > 0 ? G_MAXINT64 : G_MININT64;
  return sum;
}

static inline gint64
jx_sat_sub (gint64 a,
            gint64 b)
{
  gint64 difference;

  if (__builtin_sub_overflow (a, b, &difference))
    return b < 0 ? G_MAXINT64 : G_MININT64;
  return difference;
}

G_END_DECLS
