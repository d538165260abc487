/* jx-json.h — forgiving accessors for JSON from providers, credentials and files
 *
 * Every getter accepts a NULL @object, so lookups can be chained, and returns NULL or the
 * caller's @fallback when the member is absent, null or of another type; none warns.
 * Returned strings, objects and arrays belong to @object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The root of @data (@len bytes, or NUL-terminated with -1), or NULL when it is not JSON.
 * Immutable; free with json_node_unref (). */
JsonNode   *jx_json_parse               (const char *data,
                                         gssize      len);

const char *jx_json_get_string          (JsonObject *object,
                                         const char *member);
/* As jx_json_get_string (), but "" counts as absent too. */
const char *jx_json_get_nonempty_string (JsonObject *object,
                                         const char *member);
/* A number: integers exactly, doubles truncated toward zero. Strings and booleans give
 * @fallback. */
gint64      jx_json_get_int             (JsonObject *object,
                                         const char *member,
                                         gint64      fallback);
/* An integer or double member as a double. */
double      jx_json_get_double          (JsonObject *object,
                                         const char *member,
                                         double      fallback);
gboolean    jx_json_get_bool            (JsonObject *object,
                                         const char *member,
                                         gboolean    fallback);
JsonObject *jx_json_get_object          (JsonObject *object,
                                         const char *member);
JsonArray  *jx_json_get_array           (JsonObject *object,
                                         const char *member);

G_END_DECLS
