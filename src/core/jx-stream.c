/* jx-stream.c — the sink adapters write a parsed stream into (see jx-stream.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "jx-request-error.h"
#include "jx-request-private.h"

JxProvider *
jx_stream_get_provider (JxStream *stream)
{
  return jx_request_get_provider (stream->request);
}

const char *
jx_stream_get_model (JxStream *stream)
{
  return jx_request_get_model (stream->request);
}

gpointer
jx_stream_get_adapter_data (JxStream *stream)
{
  return stream->adapter_data;
}

void
jx_stream_set_adapter_data (JxStream       *stream,
                            gpointer        data,
                            GDestroyNotify  destroy)
{
  if (stream->adapter_data_destroy != NULL && stream->adapter_data != NULL)
    stream->adapter_data_destroy (stream->adapter_data);
  stream->adapter_data = data;
  stream->adapter_data_destroy = destroy;
}

static void
add_text (JxStream   *stream,
          const char *text,
          gssize      len,
          gboolean    reasoning)
{
  JxRequest *request = stream->request;
  JxResponse *response = jx_request_get_response (request);
  gint64 now = jx_request_get_now (request);
  g_autofree char *valid = NULL;

  if (text == NULL || stream->failure != NULL)
    return;
  if (len < 0)
    len = strlen (text);
  if (len == 0)
    return;

  /* Invalid UTF-8 (raw, or from a broken escape) would break every consumer of the text. */
  if (!g_utf8_validate_len (text, len, NULL))
    {
      text = valid = g_utf8_make_valid (text, len);
      len = strlen (valid);
    }

  stream->progress++;

  /* Bounded memory: past the cap, keep what fits (whole characters) and stop. */
  if (stream->max_output_bytes > 0 &&
      response->text->len + response->reasoning->len + (guint64) len > stream->max_output_bytes)
    {
      guint64 used = response->text->len + response->reasoning->len;
      gsize room = used < stream->max_output_bytes ? (gsize) (stream->max_output_bytes - used) : 0;
      g_autofree char *limit = g_format_size_full (stream->max_output_bytes, G_FORMAT_SIZE_IEC_UNITS);

      while (room > 0 && ((guchar) text[room] & 0xC0) == 0x80)
        room--;
      len = room;
      /* Translators: %s is a size such as "16.0 MiB" */
      stream->failure = g_strdup_printf (_("answer larger than %s (the text so far is kept)"), limit);
      stream->failure_too_large = TRUE;
      if (len == 0)
        return;
    }

  if (reasoning)
    {
      jx_timing_add_reasoning (&response->timing, now);
      g_string_append_len (response->reasoning, text, len);
    }
  else
    {
      if (response->timing.t_first_token == 0)
        response->timing.t_first_token = now;
      response->timing.t_last_token = now;
      jx_timing_add_content (&response->timing, now);
      g_string_append_len (response->text, text, len);
    }

  jx_request_text_added (request, text, len, reasoning);
}

void
jx_stream_add_content (JxStream   *stream,
                       const char *text,
                       gssize      len)
{
  add_text (stream, text, len, FALSE);
}

void
jx_stream_add_reasoning (JxStream   *stream,
                         const char *text,
                         gssize      len)
{
  add_text (stream, text, len, TRUE);
}

void
jx_stream_set_usage (JxStream      *stream,
                     const JxUsage *usage)
{
  JxResponse *response = jx_request_get_response (stream->request);

  stream->progress++;
  response->usage = *usage;
  response->usage.source = JX_USAGE_SOURCE_PROVIDER;
}

void
jx_stream_set_provider_cost (JxStream *stream,
                             double    cost_usd)
{
  JxResponse *response = jx_request_get_response (stream->request);

  response->cost_usd = cost_usd;
  response->cost_from_provider = TRUE;
}

void
jx_stream_set_server_timing (JxStream   *stream,
                             const char *name,
                             double      ms)
{
  g_hash_table_replace (jx_request_get_response (stream->request)->server_timings,
                        g_strdup (name), g_memdup2 (&ms, sizeof ms));
}

void
jx_stream_set_done (JxStream   *stream,
                    const char *finish_reason)
{
  stream->progress++;
  stream->done = TRUE;
  if (finish_reason != NULL)
    jx_stream_set_finish (stream, jx_finish_reason_from_raw (finish_reason), finish_reason);
}

void
jx_stream_set_finish (JxStream       *stream,
                      JxFinishReason  reason,
                      const char     *raw)
{
  JxResponse *response = jx_request_get_response (stream->request);

  if (raw != NULL)
    {
      g_free (response->finish_reason);
      response->finish_reason = g_strdup (raw);
    }
  /* A refusal streamed as text (OpenAI delta.refusal) or a Gemini function call still
   * ends with "stop". */
  if ((response->finish == JX_FINISH_REFUSAL || response->finish == JX_FINISH_TOOL_CALLS) &&
      jx_finish_reason_is_complete (reason))
    return;
  response->finish = reason;
}

void
jx_stream_add_refusal (JxStream   *stream,
                       const char *text,
                       gssize      len)
{
  if (text == NULL || stream->failure != NULL || len == 0 || *text == '\0')
    return;

  add_text (stream, text, len, FALSE);
  jx_request_get_response (stream->request)->finish = JX_FINISH_REFUSAL;
}

void
jx_stream_fail (JxStream   *stream,
                const char *message)
{
  if (stream->failure == NULL)
    stream->failure = jx_request_error_cap_text (message != NULL ? message : "", JX_REQUEST_ERROR_MAX_DETAIL);
}

void
jx_stream_fail_malformed (JxStream   *stream,
                          const char *message)
{
  if (stream->failure == NULL)
    {
      stream->failure = jx_request_error_cap_text (message != NULL ? message : "", JX_REQUEST_ERROR_MAX_DETAIL);
      stream->failure_malformed = TRUE;
    }
}

void
jx_stream_add_tool_call (JxStream *stream)
{
  JxResponse *response = jx_request_get_response (stream->request);

  if (jx_finish_reason_is_complete (response->finish))
    response->finish = JX_FINISH_TOOL_CALLS;
}

gboolean
jx_stream_is_done (JxStream *stream)
{
  return stream->done;
}

void
jx_stream_expect_end_marker (JxStream *stream)
{
  stream->expect_end_marker = TRUE;
}

void
jx_stream_init (JxStream  *stream,
                JxRequest *request)
{
  memset (stream, 0, sizeof *stream);
  stream->request = request;
}

void
jx_stream_reset (JxStream *stream)
{
  if (stream->adapter_data_destroy != NULL)
    g_clear_pointer (&stream->adapter_data, stream->adapter_data_destroy);
  stream->adapter_data = NULL;
  stream->adapter_data_destroy = NULL;
  stream->done = FALSE;
  stream->expect_end_marker = FALSE;
}

void
jx_stream_clear (JxStream *stream)
{
  jx_stream_reset (stream);
  g_clear_pointer (&stream->failure, g_free);
  stream->failure_malformed = FALSE;
  stream->failure_too_large = FALSE;
}
