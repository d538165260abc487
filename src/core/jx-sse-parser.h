/* jx-sse-parser.h — incremental WHATWG server-sent-events parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JX_STREAM_ERROR (jx_stream_error_quark ())

typedef enum
{
  JX_STREAM_ERROR_TOO_LARGE,  /* a line/event/frame exceeded the size cap */
  JX_STREAM_ERROR_MALFORMED,  /* bytes that cannot be a valid stream (bad frame, bad CRC) */
  JX_STREAM_ERROR_TRUNCATED,  /* stream ended in the middle of an event/frame */
} JxStreamError;

GQuark jx_stream_error_quark (void);

#define JX_STREAM_DEFAULT_MAX_EVENT_SIZE (8 * 1024 * 1024)

typedef struct _JxSseParser JxSseParser;

/* event_type is NULL when the event had no `event:` field; data is NUL-terminated
 * (data_len excludes the NUL); id is the last event id seen (NULL if none). */
typedef void (*JxSseEventFunc) (const char *event_type,
                                const char *data,
                                gsize       data_len,
                                const char *id,
                                gpointer    user_data);

JxSseParser *jx_sse_parser_new          (JxSseEventFunc  func,
                                         gpointer        user_data);
void         jx_sse_parser_free         (JxSseParser    *self);
void         jx_sse_parser_set_max_size (JxSseParser    *self,
                                         gsize           max_size);
gboolean     jx_sse_parser_feed         (JxSseParser    *self,
                                         const char     *bytes,
                                         gsize           len,
                                         GError        **error);
/* End of input. Per WHATWG an unterminated final event is discarded; returns TRUE and
 * sets *had_partial when bytes of an unfinished event were pending. */
gboolean     jx_sse_parser_finish       (JxSseParser    *self,
                                         gboolean       *had_partial);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxSseParser, jx_sse_parser_free)

G_END_DECLS
