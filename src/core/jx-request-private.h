/* jx-request-private.h — what JxRequest and its JxStream share (not for adapters or UI)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jx-request.h"
#include "jx-stream.h"

G_BEGIN_DECLS

struct _JxStream
{
  JxRequest      *request;
  gpointer        adapter_data;
  GDestroyNotify  adapter_data_destroy;
  gboolean        done;
  gboolean        expect_end_marker;
  char           *failure;               /* the provider's own words, see jx_stream_fail() */
  gboolean        failure_malformed;     /* see jx_stream_fail_malformed() */
  gboolean        failure_too_large;     /* the answer passed max-output-bytes */
  guint64         max_output_bytes;      /* 0 = no limit */
  guint64         progress;              /* counts what the adapter reported (text, usage, end) */
};

void    jx_stream_init        (JxStream   *stream,
                               JxRequest  *request);
/* Before each attempt: drops the adapter's data and the end marker seen. */
void    jx_stream_reset       (JxStream   *stream);
void    jx_stream_clear       (JxStream   *stream);

/* The request's stream, for the adapter fuzzer (tests/fuzz/fuzz-adapters.c). */
JxStream *jx_request_get_stream (JxRequest  *self);

/* Arrival time of the bytes being parsed (what text added now is stamped with). */
gint64  jx_request_get_now    (JxRequest  *self);
/* Text was added to the response: the request is streaming and emits ::delta. */
void    jx_request_text_added (JxRequest  *self,
                               const char *text,
                               gsize       len,
                               gboolean    reasoning);

G_END_DECLS
