/* jx-eventstream-parser.h — AWS application/vnd.amazon.eventstream binary frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-sse-parser.h"

G_BEGIN_DECLS

typedef struct _JxEventstreamParser JxEventstreamParser;

/* One complete frame whose prelude and message CRC32 both matched. The string headers
 * (":message-type", ":event-type", ":exception-type", ":content-type" …) are in `headers`
 * (char* → char*; non-string header values are skipped). payload is NUL-terminated. */
typedef void (*JxEventstreamFrameFunc) (GHashTable *headers,
                                        const char *payload,
                                        gsize       payload_len,
                                        gpointer    user_data);

JxEventstreamParser *jx_eventstream_parser_new          (JxEventstreamFrameFunc  func,
                                                         gpointer                user_data);
void                 jx_eventstream_parser_free         (JxEventstreamParser    *self);
void                 jx_eventstream_parser_set_max_size (JxEventstreamParser    *self,
                                                         gsize                   max_size);
gboolean             jx_eventstream_parser_feed         (JxEventstreamParser    *self,
                                                         const guint8           *bytes,
                                                         gsize                   len,
                                                         GError                **error);
gboolean             jx_eventstream_parser_finish       (JxEventstreamParser    *self,
                                                         GError                **error);

/* Helpers shared with tests and fakes. */
guint32 jx_crc32              (guint32       crc,
                               const guint8 *data,
                               gsize         len);
/* Builds one frame with the given string headers (NULL-terminated name/value pairs). */
GBytes *jx_eventstream_encode (const char   *payload,
                               gsize         payload_len,
                               const char   *first_header_name,
                               ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxEventstreamParser, jx_eventstream_parser_free)

G_END_DECLS
