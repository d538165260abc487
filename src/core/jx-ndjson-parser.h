/* jx-ndjson-parser.h — incremental newline-delimited JSON splitter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-sse-parser.h"

G_BEGIN_DECLS

typedef struct _JxNdjsonParser JxNdjsonParser;

/* Called once per non-blank line (LF or CRLF terminated, terminator stripped, NUL-terminated). */
typedef void (*JxNdjsonLineFunc) (const char *line,
                                  gsize       len,
                                  gpointer    user_data);

JxNdjsonParser *jx_ndjson_parser_new          (JxNdjsonLineFunc  func,
                                               gpointer          user_data);
void            jx_ndjson_parser_free         (JxNdjsonParser   *self);
void            jx_ndjson_parser_set_max_size (JxNdjsonParser   *self,
                                               gsize             max_size);
gboolean        jx_ndjson_parser_feed         (JxNdjsonParser   *self,
                                               const char       *bytes,
                                               gsize             len,
                                               GError          **error);
/* A final line without a newline is delivered here. */
gboolean        jx_ndjson_parser_finish       (JxNdjsonParser   *self,
                                               GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxNdjsonParser, jx_ndjson_parser_free)

G_END_DECLS
