/* jx-json-locator.c — the line of a JSON member, found along its path
 *
 * json-glib 1.6 has no node locations, so for a semantic error the line is found by
 * re-scanning the source text along the JSON path of the offending member (providers →
 * [i] → field, or … → models → [j] → field); the text has already parsed, so a small
 * structural scanner (strings, nesting, the comments json-glib accepts) is enough. With
 * duplicate keys the first occurrence is reported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "jx-json-locator.h"

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
} Scanner;

static void
scanner_skip_ws (Scanner *s)
{
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == '\n')
        {
          s->line++;
          s->p++;
        }
      else if (c == ' ' || c == '\t' || c == '\r')
        {
          s->p++;
        }
      else if (c == '/' && s->p + 1 < s->end && s->p[1] == '*')
        {
          /* json-glib's scanner accepts C comments. */
          s->p += 2;
          while (s->p < s->end && !(s->p[0] == '*' && s->p + 1 < s->end && s->p[1] == '/'))
            {
              if (*s->p == '\n')
                s->line++;
              s->p++;
            }
          s->p = MIN (s->p + 2, s->end);
        }
      else
        {
          break;
        }
    }
}

/* At a quote (json-glib also accepts single quotes): skips the string and returns its
 * raw (still escaped) contents. */
static gboolean
scanner_string (Scanner     *s,
                const char **start,
                gsize       *len)
{
  char quote;

  if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
    return FALSE;

  quote = *s->p++;
  *start = s->p;
  while (s->p < s->end && *s->p != quote)
    {
      if (*s->p == '\\' && s->p + 1 < s->end)
        s->p++;
      if (*s->p == '\n')
        s->line++;
      s->p++;
    }
  *len = s->p - *start;
  if (s->p < s->end)
    s->p++;

  return TRUE;
}

static void
scanner_skip_value (Scanner *s)
{
  const char *start;
  gsize len;

  scanner_skip_ws (s);
  if (s->p >= s->end)
    return;

  if (*s->p == '"' || *s->p == '\'')
    {
      scanner_string (s, &start, &len);
    }
  else if (*s->p == '{' || *s->p == '[')
    {
      guint depth = 0;

      while (s->p < s->end)
        {
          scanner_skip_ws (s);
          if (s->p >= s->end)
            break;

          if (*s->p == '"' || *s->p == '\'')
            {
              scanner_string (s, &start, &len);
            }
          else if (*s->p == '{' || *s->p == '[')
            {
              depth++;
              s->p++;
            }
          else if (*s->p == '}' || *s->p == ']')
            {
              s->p++;
              if (--depth == 0)
                break;
            }
          else
            {
              s->p++;
            }
        }
    }
  else
    {
      while (s->p < s->end && strchr (",}] \t\r\n/", *s->p) == NULL)
        s->p++;
    }
}

guint
jx_json_locate_line (const char             *text,
                     gsize                   len,
                     const JxJsonPathElement *path,
                     guint                   n_path)
{
  Scanner s = { text, text + len, 1 };
  guint line;

  scanner_skip_ws (&s);
  line = s.line;

  for (guint i = 0; i < n_path; i++)
    {
      gboolean last = (i + 1 == n_path);

      scanner_skip_ws (&s);
      if (s.p >= s.end)
        return line;
      line = s.line;

      if (path[i].key != NULL)
        {
          gsize key_len = strlen (path[i].key);
          gboolean found = FALSE;

          if (*s.p != '{')
            return line;
          s.p++;

          while (!found)
            {
              const char *key;
              gsize klen;
              guint key_line;

              scanner_skip_ws (&s);
              key_line = s.line;
              if (!scanner_string (&s, &key, &klen))
                return line;
              scanner_skip_ws (&s);
              if (s.p >= s.end || *s.p != ':')
                return line;
              s.p++;

              if (klen == key_len && memcmp (key, path[i].key, klen) == 0)
                {
                  if (last)
                    return key_line;
                  found = TRUE;
                }
              else
                {
                  scanner_skip_value (&s);
                  scanner_skip_ws (&s);
                  if (s.p >= s.end || *s.p != ',')
                    return line;
                  s.p++;
                }
            }
        }
      else
        {
          guint k = 0;

          if (*s.p != '[')
            return line;
          s.p++;

          for (;;)
            {
              scanner_skip_ws (&s);
              if (s.p >= s.end || *s.p == ']')
                return line;
              if (k == path[i].index)
                break;
              scanner_skip_value (&s);
              scanner_skip_ws (&s);
              if (s.p >= s.end || *s.p != ',')
                return line;
              s.p++;
              k++;
            }

          if (last)
            return s.line;
        }
    }

  return line;
}
