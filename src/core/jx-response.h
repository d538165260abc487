/* jx-response.h — everything measured about one streamed answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "jx-finish-reason.h"
#include "jx-stats.h"
#include "jx-usage.h"

G_BEGIN_DECLS

typedef enum
{
  JX_RESPONSE_OK,
  JX_RESPONSE_ERROR,
  JX_RESPONSE_CANCELLED,
} JxResponseStatus;

typedef struct
{
  gatomicrefcount   ref_count;
  char             *provider_id;
  char             *provider_name;
  char             *model;
  guint             run;                /* 1-based round number */
  JxResponseStatus  status;
  GString          *text;               /* kept on failure: partial text is never lost */
  GString          *reasoning;
  GError           *error;              /* JX_REQUEST_ERROR (or G_IO_ERROR_CANCELLED when
                                         * stopped); its message names the provider; NULL = ok */
  char             *finish_reason;      /* the provider's own value (raw), NULL = none */
  JxFinishReason    finish;             /* normalised from it; read jx_response_get_finish() */
  guint             http_status;        /* 0 = no HTTP response */
  JxTiming          timing;
  JxUsage           usage;
  double            cost_usd;           /* NAN = unknown price */
  gboolean          cost_from_provider; /* OpenRouter reports the charge itself */
  guint             retries;
  gint64            ratelimit_remaining_requests; /* -1 = not reported */
  gint64            ratelimit_remaining_tokens;
  GHashTable       *ratelimit_headers;  /* lower-case name → value, every rate-limit header */
  GHashTable       *server_timings;     /* name → double* ms, as the provider reports them */
} JxResponse;

#define JX_TYPE_RESPONSE (jx_response_get_type ())

GType       jx_response_get_type      (void) G_GNUC_CONST;
JxResponse *jx_response_new           (void);
JxResponse *jx_response_ref           (JxResponse *self);
void        jx_response_unref         (JxResponse *self);
const char *jx_response_status_to_string (JxResponseStatus status);
/* How the answer ended: ERROR or CANCELLED when the request did not succeed, else what the
 * provider said (normalised), UNKNOWN when it said nothing. */
JxFinishReason jx_response_get_finish  (const JxResponse *self);
/* A successful answer that ended normally (finish stop or unknown): the only kind whose
 * figures enter percentiles and winners. */
gboolean    jx_response_is_complete   (const JxResponse *self);
/* Reads every provider's flavour of rate-limit headers (docs/protocols.md, "Rate-limit
 * headers"). */
void        jx_response_take_ratelimit_header (JxResponse *self,
                                               const char *name,
                                               const char *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxResponse, jx_response_unref)

G_END_DECLS
