/* jx-json-locator.h — the line of a JSON member, found along its path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *key;   /* member name, or NULL for an array index */
  guint       index;
} JxJsonPathElement;

/* Walks path through text (JSON that already parsed); returns the line of the last element
 * found (the member's key line for a member, the value's line for an array element).
 * Lines start at 1. */
guint jx_json_locate_line (const char              *text,
                           gsize                    len,
                           const JxJsonPathElement *path,
                           guint                    n_path);

G_END_DECLS
