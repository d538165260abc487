/* jx-response.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "jx-response.h"

G_DEFINE_BOXED_TYPE (JxResponse, jx_response, jx_response_ref, jx_response_unref)

JxResponse *
jx_response_new (void)
{
  JxResponse *self = g_new0 (JxResponse, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  jx_timing_init (&self->timing);
  jx_usage_init (&self->usage);
  self->cost_usd = NAN;
  self->ratelimit_remaining_requests = -1;
  self->ratelimit_remaining_tokens = -1;
  self->ratelimit_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->server_timings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

JxResponse *
jx_response_ref (JxResponse *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
jx_response_unref (JxResponse *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->provider_id);
  g_free (self->provider_name);
  g_free (self->model);
  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_clear_error (&self->error);
  g_free (self->finish_reason);
  jx_timing_clear (&self->timing);
  g_hash_table_unref (self->ratelimit_headers);
  g_hash_table_unref (self->server_timings);
  g_free (self);
}

const char *
jx_response_status_to_string (JxResponseStatus status)
{
  switch (status)
    {
    case JX_RESPONSE_OK:
      return "ok";
    case JX_RESPONSE_ERROR:
      return "error";
    case JX_RESPONSE_CANCELLED:
      return "cancelled";
    default:
      g_return_val_if_reached ("error");
    }
}

JxFinishReason
jx_response_get_finish (const JxResponse *self)
{
  g_return_val_if_fail (self != NULL, JX_FINISH_UNKNOWN);

  switch (self->status)
    {
    case JX_RESPONSE_ERROR:
      return JX_FINISH_ERROR;
    case JX_RESPONSE_CANCELLED:
      return JX_FINISH_CANCELLED;
    case JX_RESPONSE_OK:
    default:
      return self->finish;
    }
}

gboolean
jx_response_is_complete (const JxResponse *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->status == JX_RESPONSE_OK && jx_finish_reason_is_complete (self->finish);
}

static gint64
parse_count (const char *value)
{
  char *end = NULL;
  gint64 parsed;

  if (value == NULL)
    return -1;
  parsed = g_ascii_strtoll (value, &end, 10);
  if (end == value || parsed < 0)
    return -1;
  return parsed;
}

/* "Remaining" headers differ per provider: OpenAI/Groq/Azure x-ratelimit-remaining-requests,
 * Anthropic anthropic-ratelimit-requests-remaining, Mistral x-ratelimit-remaining-req-minute,
 * Together x-ratelimit-remaining / x-tokenlimit-remaining. */
void
jx_response_take_ratelimit_header (JxResponse *self,
                                   const char *name,
                                   const char *value)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  static const char * const request_names[] = {
    "x-ratelimit-remaining-requests",
    "anthropic-ratelimit-requests-remaining",
    "x-ratelimit-remaining-req-minute",
    "x-ratelimit-remaining",
  };
  static const char * const token_names[] = {
    "x-ratelimit-remaining-tokens",
    "anthropic-ratelimit-tokens-remaining",
    "x-ratelimit-remaining-tokens-minute",
    "x-tokenlimit-remaining",
  };

  if (strstr (lower, "ratelimit") == NULL && strstr (lower, "rate-limit") == NULL &&
      strstr (lower, "tokenlimit") == NULL && !g_str_equal (lower, "retry-after") &&
      !g_str_equal (lower, "retry-after-ms"))
    return;

  g_hash_table_replace (self->ratelimit_headers, g_strdup (lower), g_strdup (value));

  for (guint i = 0; i < G_N_ELEMENTS (request_names); i++)
    if (g_str_equal (lower, request_names[i]))
      self->ratelimit_remaining_requests = parse_count (value);

  for (guint i = 0; i < G_N_ELEMENTS (token_names); i++)
    if (g_str_equal (lower, token_names[i]))
      self->ratelimit_remaining_tokens = parse_count (value);
}
