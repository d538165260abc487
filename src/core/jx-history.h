/* jx-history.h — every round and every response, kept in SQLite
 *
 * The store lives in $XDG_DATA_HOME/juxta/history.db (SQLite, WAL journal, schema version
 * in PRAGMA user_version, migrated on open). One worker thread owns the connection: every
 * read and write runs there, and results come back to the caller's thread-default main
 * context through GTask. Queuing a write from the main thread costs a copy and a queue push.
 *
 * A response is committed in its own transaction as soon as it is added, so a crash or a
 * closed window loses nothing already received (partial text of a failed answer included).
 * The window and `juxta compare` may write to the same file at once (busy timeout).
 *
 * No credential is ever stored: the schema has no column for a key or a request header,
 * and nothing written here comes from a request (only from the prompt and JxResponse).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jx-response.h"

G_BEGIN_DECLS

#define JX_HISTORY_SCHEMA_VERSION 3

/* ------------------------------------------------------------------------------------ */
/* What a round was asked                                                               */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  char *provider_id;
  char *provider_name;
  char *model;
} JxHistoryPane;

#define JX_TYPE_HISTORY_PROMPT (jx_history_prompt_get_type ())

typedef struct
{
  gatomicrefcount  ref_count;
  char            *system_prompt;    /* NULL = none */
  char            *user_prompt;
  char            *parameters_json;  /* JSON object (temperature, max tokens…), or NULL */
  char            *variant;          /* prompt variant name, or NULL */
  char            *variables_json;   /* template variables as a JSON object, or NULL */
  char            *series_id;        /* shared by the rounds of one repeated run, or NULL */
  GPtrArray       *panes;            /* JxHistoryPane, in pane order */
} JxHistoryPrompt;

GType            jx_history_prompt_get_type (void) G_GNUC_CONST;
JxHistoryPrompt *jx_history_prompt_new      (const char      *system_prompt,
                                             const char      *user_prompt);
JxHistoryPrompt *jx_history_prompt_ref      (JxHistoryPrompt *self);
void             jx_history_prompt_unref    (JxHistoryPrompt *self);
void             jx_history_prompt_add_pane (JxHistoryPrompt *self,
                                             const char      *provider_id,
                                             const char      *provider_name,
                                             const char      *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxHistoryPrompt, jx_history_prompt_unref)

/* ------------------------------------------------------------------------------------ */
/* A stored round                                                                       */
/* ------------------------------------------------------------------------------------ */

#define JX_TYPE_HISTORY_ROUND (jx_history_round_get_type ())

typedef struct
{
  gatomicrefcount  ref_count;
  gint64           id;
  char            *started_at;       /* ISO-8601 UTC, e.g. 2026-12-06T04:23:29.123456Z */
  char            *app_version;
  JxHistoryPrompt *prompt;           /* prompt and panes */
  char            *excerpt;          /* start of the user prompt, for lists */
  GStrv            models;           /* "provider_id/model" per pane, in pane order */
  guint            n_responses;
  guint            n_errors;         /* responses with status error */
  gint             fastest_pane;     /* lowest TTFT among OK responses, -1 = none */
  double           fastest_ttft_ms;  /* NAN = none */
  gint             cheapest_pane;    /* lowest known cost among OK responses, -1 = none */
  double           cheapest_cost_usd;
  /* Filled by jx_history_get_round_async() only (empty in lists): */
  GPtrArray       *responses;        /* JxResponse, ordered by pane then arrival */
  GArray          *pane_indices;     /* guint, the pane of each response */
  GPtrArray       *price_sources;    /* char * or NULL, the price source of each response */
} JxHistoryRound;

GType           jx_history_round_get_type (void) G_GNUC_CONST;
JxHistoryRound *jx_history_round_ref      (JxHistoryRound *self);
void            jx_history_round_unref    (JxHistoryRound *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxHistoryRound, jx_history_round_unref)

/* ------------------------------------------------------------------------------------ */
/* Which rounds to list                                                                 */
/* ------------------------------------------------------------------------------------ */

typedef enum
{
  JX_HISTORY_OUTCOME_ANY,
  JX_HISTORY_OUTCOME_ALL_OK,        /* every response OK */
  JX_HISTORY_OUTCOME_SOME_ERROR,    /* at least one response failed */
  JX_HISTORY_OUTCOME_SOME_CANCELLED,
} JxHistoryOutcome;

/* Every field is optional: NULL / 0 = no filter. Copied when queued. */
typedef struct
{
  const char       *provider_id;
  const char       *model;
  GDateTime        *since;          /* rounds started at or after */
  GDateTime        *until;          /* rounds started before */
  JxHistoryOutcome  outcome;
  const char       *series_id;
  guint             limit;          /* 0 = 100 */
  guint             offset;
} JxHistoryQuery;

/* ------------------------------------------------------------------------------------ */
/* The store                                                                            */
/* ------------------------------------------------------------------------------------ */

#define JX_TYPE_HISTORY (jx_history_get_type ())

G_DECLARE_FINAL_TYPE (JxHistory, jx_history, JX, HISTORY, GObject)

/* @path NULL = $XDG_DATA_HOME/juxta/history.db. Never fails: the file is opened on the
 * worker thread; a damaged file is moved aside and a fresh one started, which sets the
 * "warning" property (a translated sentence for the UI or the CLI to show). If the file
 * cannot be opened at all every call fails with that error. */
JxHistory  *jx_history_new                (const char           *path);
const char *jx_history_get_path           (JxHistory            *self);
/* Thread-safe; NULL when there is nothing to say. Notified on the creating thread's
 * main context once the file is open. Free with g_free(). */
char       *jx_history_dup_warning        (JxHistory            *self);
/* FALSE = store responses without their text and reasoning (figures only). Applies to
 * responses added afterwards. */
void        jx_history_set_keep_texts     (JxHistory            *self,
                                           gboolean              keep_texts);
gboolean    jx_history_get_keep_texts     (JxHistory            *self);

/* Waits until everything queued so far (the open included) has run. For the CLI before it
 * exits, and for tests. Returns the open error, if the file could not be opened. */
gboolean    jx_history_flush              (JxHistory            *self,
                                           GError              **error);

/* Stores the prompt and panes with the app version and the time now; returns the id
 * (> 0) that responses are added to, or 0 with @error set. */
void        jx_history_begin_round_async  (JxHistory            *self,
                                           JxHistoryPrompt      *prompt,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gint64      jx_history_begin_round_finish (JxHistory            *self,
                                           GAsyncResult         *result,
                                           GError              **error);
/* The same, waiting on the calling thread (the CLI has no main loop running). */
gint64      jx_history_begin_round        (JxHistory            *self,
                                           JxHistoryPrompt      *prompt,
                                           GError              **error);

/* Call when a response has ended (any status). Copies what it needs and returns at once;
 * failures are logged. */
void        jx_history_add_response       (JxHistory            *self,
                                           gint64                round_id,
                                           guint                 pane_index,
                                           JxResponse           *response,
                                           const char           *price_source);
void        jx_history_add_response_async (JxHistory            *self,
                                           gint64                round_id,
                                           guint                 pane_index,
                                           JxResponse           *response,
                                           const char           *price_source,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    jx_history_add_response_finish (JxHistory           *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Newest first. Returns a GPtrArray of JxHistoryRound (summaries, no responses). */
void        jx_history_list_rounds_async  (JxHistory            *self,
                                           const JxHistoryQuery *query,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GPtrArray  *jx_history_list_rounds_finish (JxHistory            *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* Full-text search over prompts, answers and reasoning; every word the user typed must
 * appear (punctuation is taken literally, never as query syntax). Filtered by @query
 * (may be NULL), newest first; same result type as list. */
void        jx_history_search_async       (JxHistory            *self,
                                           const char           *text,
                                           const JxHistoryQuery *query,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GPtrArray  *jx_history_search_finish      (JxHistory            *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* One round with its prompt and every response rebuilt as JxResponse. Timestamps are
 * rebuilt relative to an arbitrary origin: differences (TTFT, ITL…) are as measured. */
void            jx_history_get_round_async  (JxHistory          *self,
                                             gint64              round_id,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
JxHistoryRound *jx_history_get_round_finish (JxHistory          *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Deleting returns the number of rounds removed (their responses go with them). */
void        jx_history_delete_round_async  (JxHistory           *self,
                                            gint64               round_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void        jx_history_delete_all_async    (JxHistory           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* Removes rounds started more than @days days ago. */
void        jx_history_forget_older_than_async (JxHistory       *self,
                                                guint            days,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
gint64      jx_history_delete_finish       (JxHistory           *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Median input and output tokens of the last @max_samples OK responses of one model with
 * provider-reported usage (for the cost planner). NAN when none. */
void        jx_history_median_tokens_async  (JxHistory          *self,
                                             const char         *provider_id,
                                             const char         *model,
                                             guint               max_samples,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean    jx_history_median_tokens_finish (JxHistory          *self,
                                             GAsyncResult       *result,
                                             double             *input_tokens,
                                             double             *output_tokens,
                                             guint              *n_samples,
                                             GError            **error);

/* The FTS5 query for what the user typed: every word quoted, "" inside doubled, so no
 * character is query syntax. Returns NULL when @text has no word. */
char       *jx_history_fts_query          (const char           *text);

G_END_DECLS
