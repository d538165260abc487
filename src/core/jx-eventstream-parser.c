/* jx-eventstream-parser.c — AWS application/vnd.amazon.eventstream binary frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "jx-eventstream-parser.h"

/* total_len, headers_len, prelude_crc */
#define PRELUDE_SIZE 12
/* prelude + message_crc */
#define FRAME_OVERHEAD 16

struct _JxEventstreamParser
{
  JxEventstreamFrameFunc func;
  gpointer               user_data;
  gsize                  max_size;
  /* Bytes of an incomplete frame; complete frames in a feed are decoded in place. */
  GByteArray            *pending;
  /* Reused so the payload handed out can be NUL-terminated without an allocation per frame. */
  GString               *payload;
  GError                *error;
};

/* --- CRC-32 (ISO-HDLC, as zlib) ------------------------------------------------------------ */

/* Slicing-by-8 tables: frames are hashed twice each, so this is the hot loop. */
static guint32 crc_table[8][256];

static void
crc_table_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < 256; i++)
        {
          guint32 c = i;

          for (guint k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
          crc_table[0][i] = c;
        }
      for (guint i = 0; i < 256; i++)
        for (guint t = 1; t < 8; t++)
          crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xFF];

      g_once_init_leave (&initialized, 1);
    }
}

guint32
jx_crc32 (guint32       crc,
          const guint8 *data,
          gsize         len)
{
  g_return_val_if_fail (data != NULL || len == 0, crc);

  crc_table_init ();

  crc = ~crc;

  while (len >= 8)
    {
      guint32 lo = crc ^ ((guint32) data[0] | (guint32) data[1] << 8 |
                          (guint32) data[2] << 16 | (guint32) data[3] << 24);

      crc = crc_table[7][lo & 0xFF] ^
            crc_table[6][(lo >> 8) & 0xFF] ^
            crc_table[5][(lo >> 16) & 0xFF] ^
            crc_table[4][lo >> 24] ^
            crc_table[3][data[4]] ^
            crc_table[2][data[5]] ^
            crc_table[1][data[6]] ^
            crc_table[0][data[7]];
      data += 8;
      len -= 8;
    }

  while (len-- > 0)
    crc = crc_table[0][(crc ^ *data++) & 0xFF] ^ (crc >> 8);

  return ~crc;
}

/* --- Parser -------------------------------------------------------------------------------- */

static inline guint32
read_u32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static inline guint16
read_u16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static char *
format_size (gsize size)
{
  if (size >= 1024 * 1024 && size % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", size / (1024 * 1024));
  if (size >= 1024 && size % 1024 == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", size / 1024);
  return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", size);
}

JxEventstreamParser *
jx_eventstream_parser_new (JxEventstreamFrameFunc func,
                           gpointer               user_data)
{
  JxEventstreamParser *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (JxEventstreamParser, 1);
  self->func = func;
  self->user_data = user_data;
  self->max_size = JX_STREAM_DEFAULT_MAX_EVENT_SIZE;
  self->pending = g_byte_array_new ();
  self->payload = g_string_new (NULL);

  return self;
}

void
jx_eventstream_parser_free (JxEventstreamParser *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->pending);
  g_string_free (self->payload, TRUE);
  g_clear_error (&self->error);
  g_free (self);
}

void
jx_eventstream_parser_set_max_size (JxEventstreamParser *self,
                                    gsize                max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

G_GNUC_PRINTF (4, 5)
static gboolean
fail (JxEventstreamParser  *self,
      GError              **error,
      JxStreamError         code,
      const char           *format,
      ...)
{
  va_list args;

  va_start (args, format);
  self->error = g_error_new_valist (JX_STREAM_ERROR, code, format, args);
  va_end (args);

  if (error != NULL)
    *error = g_error_copy (self->error);

  return FALSE;
}

/* Checks the 12-byte prelude; on success *total_len is the frame size. */
static gboolean
check_prelude (JxEventstreamParser  *self,
               const guint8         *prelude,
               guint32              *total_len,
               GError              **error)
{
  guint32 total = read_u32 (prelude);
  guint32 headers_len = read_u32 (prelude + 4);
  guint32 expected = read_u32 (prelude + 8);
  guint32 actual = jx_crc32 (0, prelude, 8);

  /* The CRC comes first: without it the lengths are just noise. */
  if (actual != expected)
    return fail (self, error, JX_STREAM_ERROR_MALFORMED,
                 "event-stream prelude CRC mismatch (expected %08x, computed %08x)",
                 expected, actual);

  if (total < FRAME_OVERHEAD)
    return fail (self, error, JX_STREAM_ERROR_MALFORMED,
                 "event-stream frame length %u is shorter than the %u-byte minimum",
                 total, FRAME_OVERHEAD);

  if (total > self->max_size)
    {
      g_autofree char *size = format_size (self->max_size);

      return fail (self, error, JX_STREAM_ERROR_TOO_LARGE,
                   "event-stream frame larger than %s", size);
    }

  if (headers_len > total - FRAME_OVERHEAD)
    return fail (self, error, JX_STREAM_ERROR_MALFORMED,
                 "event-stream headers length %u exceeds frame length %u",
                 headers_len, total);

  *total_len = total;

  return TRUE;
}

/* Parses the header block into a table of the string-valued headers. */
static GHashTable *
parse_headers (JxEventstreamParser  *self,
               const guint8         *p,
               gsize                 len,
               GError              **error)
{
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const guint8 *end = p + len;

  while (p < end)
    {
      const char *name;
      guint8 name_len;
      guint8 type;
      gsize value_len;
      gsize prefix = 0;

      name_len = *p++;
      /* name + type byte */
      if ((gsize) (end - p) < (gsize) name_len + 1)
        goto truncated;
      name = (const char *) p;
      p += name_len;
      type = *p++;

      switch (type)
        {
        case 0: /* bool true */
        case 1: /* bool false */
          value_len = 0;
          break;
        case 2: /* byte */
          value_len = 1;
          break;
        case 3: /* int16 */
          value_len = 2;
          break;
        case 4: /* int32 */
          value_len = 4;
          break;
        case 5: /* int64 */
        case 8: /* timestamp */
          value_len = 8;
          break;
        case 9: /* uuid */
          value_len = 16;
          break;
        case 6: /* byte array */
        case 7: /* string */
          if (end - p < 2)
            goto truncated;
          value_len = read_u16 (p);
          prefix = 2;
          break;
        default:
          fail (self, error, JX_STREAM_ERROR_MALFORMED,
                "event-stream header “%.*s” has unknown value type %u",
                (int) name_len, name, type);
          return NULL;
        }

      if ((gsize) (end - p) < prefix + value_len)
        goto truncated;

      if (type == 7)
        g_hash_table_insert (headers,
                             g_strndup (name, name_len),
                             g_strndup ((const char *) p + prefix, value_len));

      p += prefix + value_len;
    }

  return g_steal_pointer (&headers);

truncated:
  fail (self, error, JX_STREAM_ERROR_MALFORMED, "truncated header in event-stream frame");
  return NULL;
}

/* frame holds exactly one frame whose prelude was already checked. */
static gboolean
process_frame (JxEventstreamParser  *self,
               const guint8         *frame,
               gsize                 total_len,
               GError              **error)
{
  g_autoptr(GHashTable) headers = NULL;
  guint32 headers_len = read_u32 (frame + 4);
  guint32 expected = read_u32 (frame + total_len - 4);
  guint32 actual = jx_crc32 (0, frame, total_len - 4);
  gsize payload_len;

  if (actual != expected)
    return fail (self, error, JX_STREAM_ERROR_MALFORMED,
                 "event-stream message CRC mismatch (expected %08x, computed %08x)",
                 expected, actual);

  headers = parse_headers (self, frame + PRELUDE_SIZE, headers_len, error);
  if (headers == NULL)
    return FALSE;

  payload_len = total_len - FRAME_OVERHEAD - headers_len;
  g_string_truncate (self->payload, 0);
  g_string_append_len (self->payload, (const char *) frame + PRELUDE_SIZE + headers_len, payload_len);

  self->func (headers, self->payload->str, self->payload->len, self->user_data);

  return TRUE;
}

gboolean
jx_eventstream_parser_feed (JxEventstreamParser  *self,
                            const guint8         *bytes,
                            gsize                 len,
                            GError              **error)
{
  const guint8 *p = bytes;
  const guint8 *end = bytes + len;
  guint32 total_len = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  /* Finish a frame started by an earlier feed. */
  if (self->pending->len > 0)
    {
      gsize want;

      if (self->pending->len < PRELUDE_SIZE)
        {
          gsize take = MIN ((gsize) (end - p), PRELUDE_SIZE - self->pending->len);

          g_byte_array_append (self->pending, p, take);
          p += take;
          if (self->pending->len < PRELUDE_SIZE)
            return TRUE;
        }

      if (!check_prelude (self, self->pending->data, &total_len, error))
        return FALSE;

      want = MIN ((gsize) (end - p), total_len - self->pending->len);
      g_byte_array_append (self->pending, p, want);
      p += want;
      if (self->pending->len < total_len)
        return TRUE;

      if (!process_frame (self, self->pending->data, total_len, error))
        return FALSE;
      g_byte_array_set_size (self->pending, 0);
    }

  /* Whole frames straight from the caller's buffer, without copying. */
  while ((gsize) (end - p) >= PRELUDE_SIZE)
    {
      if (!check_prelude (self, p, &total_len, error))
        return FALSE;
      if ((gsize) (end - p) < total_len)
        break;
      if (!process_frame (self, p, total_len, error))
        return FALSE;
      p += total_len;
    }

  if (p < end)
    g_byte_array_append (self->pending, p, end - p);

  return TRUE;
}

gboolean
jx_eventstream_parser_finish (JxEventstreamParser  *self,
                              GError              **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  if (self->pending->len > 0)
    {
      if (self->pending->len >= PRELUDE_SIZE)
        return fail (self, error, JX_STREAM_ERROR_TRUNCATED,
                     "event-stream ended in the middle of a frame (%u of %u bytes)",
                     self->pending->len, read_u32 (self->pending->data));

      return fail (self, error, JX_STREAM_ERROR_TRUNCATED,
                   "event-stream ended in the middle of a frame prelude (%u bytes)",
                   self->pending->len);
    }

  return TRUE;
}

/* --- Encoder ------------------------------------------------------------------------------- */

static void
append_u32 (GByteArray *array,
            guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, be, sizeof be);
}

GBytes *
jx_eventstream_encode (const char *payload,
                       gsize       payload_len,
                       const char *first_header_name,
                       ...)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  const char *name;
  va_list args;
  gsize headers_len;
  guint32 crc;

  g_return_val_if_fail (payload != NULL || payload_len == 0, NULL);

  /* Room for the prelude, filled in once the header size is known. */
  g_byte_array_set_size (frame, PRELUDE_SIZE);

  va_start (args, first_header_name);
  for (name = first_header_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      gsize name_len = strlen (name);
      gsize value_len;
      guint8 prefix[2];

      if (value == NULL || name_len > G_MAXUINT8 || (value_len = strlen (value)) > G_MAXUINT16)
        {
          va_end (args);
          g_return_val_if_reached (NULL);
        }

      prefix[0] = name_len;
      g_byte_array_append (frame, prefix, 1);
      g_byte_array_append (frame, (const guint8 *) name, name_len);
      prefix[0] = 7; /* string */
      g_byte_array_append (frame, prefix, 1);
      prefix[0] = value_len >> 8;
      prefix[1] = value_len & 0xFF;
      g_byte_array_append (frame, prefix, 2);
      g_byte_array_append (frame, (const guint8 *) value, value_len);
    }
  va_end (args);

  headers_len = frame->len - PRELUDE_SIZE;
  if (payload_len > 0)
    g_byte_array_append (frame, (const guint8 *) payload, payload_len);

  /* Write the prelude in place now that both lengths are known. */
  {
    guint32 total_len = frame->len + 4;
    guint8 *d = frame->data;

    d[0] = total_len >> 24;
    d[1] = total_len >> 16;
    d[2] = total_len >> 8;
    d[3] = total_len;
    d[4] = headers_len >> 24;
    d[5] = headers_len >> 16;
    d[6] = headers_len >> 8;
    d[7] = headers_len;
    crc = jx_crc32 (0, d, 8);
    d[8] = crc >> 24;
    d[9] = crc >> 16;
    d[10] = crc >> 8;
    d[11] = crc;
  }

  append_u32 (frame, jx_crc32 (0, frame->data, frame->len));

  return g_byte_array_free_to_bytes (g_steal_pointer (&frame));
}
