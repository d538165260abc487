/* jx-cli-output.h — what every subcommand prints: formats, table cells, JSON Lines, CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jx-response.h"

G_BEGIN_DECLS

typedef enum
{
  JX_CLI_FORMAT_TABLE,
  JX_CLI_FORMAT_JSON,
  JX_CLI_FORMAT_CSV,
} JxCliFormat;

/* "table" (also for NULL), "json" or "csv"; FALSE for anything else. */
gboolean    jx_cli_format_parse              (const char  *text,
                                              JxCliFormat *format);

/* Standard output gets bytes, never text converted to the locale's charset (g_print()
 * would turn "Grüße" into "Gr??e" under LC_ALL=C): everything printed is UTF-8. */
void        jx_cli_output_write              (const char  *text,
                                              gsize        len);
void        jx_cli_output_printf             (const char  *format,
                                              ...) G_GNUC_PRINTF (1, 2);

/* @text as valid UTF-8 (invalid bytes become U+FFFD) without control characters, so a
 * server cannot move the cursor, retitle or clear the terminal: C0 and C1 controls and
 * DEL are dropped; newlines and tabs are kept when @multiline, else become spaces. */
char       *jx_cli_output_sanitize           (const char  *text,
                                              gboolean     multiline);

/* Columns of the terminal standard output goes to; $COLUMNS when it is not a terminal;
 * 80 when neither says. */
guint       jx_cli_output_terminal_width     (void);

/* Appends @text padded with spaces to @width characters (right-aligned if @right), or cut
 * to fit with a trailing "…". Counts characters, not bytes. */
void        jx_cli_output_cell               (GString     *line,
                                              const char  *text,
                                              glong        width,
                                              gboolean     right);

/* The shortest decimal that reads back as @value, with at most 12 significant digits and
 * never an exponent: 0.3, 0.000009, 250.272. @buf should hold G_ASCII_DTOSTR_BUF_SIZE. */
const char *jx_cli_output_format_double      (char        *buf,
                                              gsize        size,
                                              double       value);

/* @node serialized on one line, doubles as jx_cli_output_format_double() prints them,
 * non-finite ones as null, strings made valid UTF-8 with every control character
 * escaped. */
char       *jx_cli_output_json_to_string     (JsonNode    *node);
/* Prints @node on one line of standard output (JSON Lines). */
void        jx_cli_output_json_line          (JsonNode    *node);

/* RFC 4180: the header line, then one line per object with the members named by @columns
 * (strings quoted, quotes doubled, null/absent/non-finite empty, booleans true/false),
 * CRLF ends. */
void        jx_cli_output_csv_header         (const char * const *columns);
void        jx_cli_output_csv_row            (JsonObject         *object,
                                              const char * const *columns);

/* The failure message of @response, NULL when it succeeded. The one place the CLI reads
 * the error of a response. */
const char *jx_cli_output_response_error      (const JxResponse *response);
/* The machine-readable code of the failure, NULL when it succeeded or is not classified. */
const char *jx_cli_output_response_error_code (const JxResponse *response);

G_END_DECLS
