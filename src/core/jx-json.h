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

/* Deepest nesting of arrays and objects accepted anywhere. json-glib's parser (and freeing
 * its tree) recurses once per level, so deeper input would overflow the stack; no provider
 * response or settings file comes anywhere near this. */
#define JX_JSON_MAX_DEPTH 256

#define JX_JSON_ERROR (jx_json_error_quark ())

typedef enum
{
  JX_JSON_ERROR_TOO_DEEP,   /* nested deeper than JX_JSON_MAX_DEPTH */
} JxJsonError;

GQuark      jx_json_error_quark         (void);

/* The root of @data (@len bytes, or NUL-terminated with -1), or NULL when it is not JSON
 * or nests deeper than JX_JSON_MAX_DEPTH. Immutable; free with json_node_unref (). */
JsonNode   *jx_json_parse               (const char *data,
                                         gssize      len);

/* Checks, without recursion, that @data (@len bytes, or NUL-terminated with -1) nests
 * arrays and objects at most JX_JSON_MAX_DEPTH deep; brackets inside strings do not
 * count. Call before json_parser_load_from_data () on anything read from outside. */
gboolean    jx_json_check_depth         (const char *data,
                                         gssize      len,
                                         GError    **error);

/* For JSON from a server, before it is parsed: checks the depth as jx_json_check_depth ()
 * and rewrites the string escapes json-glib would turn into broken text — \u0000 (which
 * would cut the string short) and a lone UTF-16 surrogate (which would become invalid
 * UTF-8) — into \ufffd (U+FFFD), which has the same length. Returns @data itself when
 * nothing needed rewriting, else a rewritten copy stored in @copy (free it); NULL with
 * @error when the input is too deep. Input that is not JSON is returned unchanged. */
const char *jx_json_sanitize            (const char *data,
                                         gsize       len,
                                         char      **copy,
                                         GError    **error);

/* The largest settings file (providers, prices) read; anything bigger is not one. */
#define JX_JSON_MAX_FILE_SIZE (64 * 1024 * 1024)

/* Like g_file_get_contents () (same G_FILE_ERROR codes), but reads at most @max_bytes, so
 * /dev/zero or a FIFO cannot make it read for ever: a bigger file fails with
 * G_FILE_ERROR_FAILED ("larger than …"). */
gboolean    jx_json_read_file           (const char *path,
                                         gsize       max_bytes,
                                         char      **contents,
                                         gsize      *length,
                                         GError    **error);

const char *jx_json_get_string          (JsonObject *object,
                                         const char *member);
/* As jx_json_get_string (), but "" counts as absent too. */
const char *jx_json_get_nonempty_string (JsonObject *object,
                                         const char *member);
/* A number: integers exactly, doubles truncated toward zero (clamped to the gint64 range;
 * NaN gives @fallback). Strings and booleans give @fallback. */
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
