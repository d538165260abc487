/* jx-history.c — every round and every response, kept in SQLite
 *
 * One worker thread owns the SQLite connection; public calls copy their arguments into a
 * job and push it on the worker's queue. Results go back through GTask, which dispatches
 * the callback on the caller's thread-default main context.
 *
 * The worker's state lives in a separate reference-counted Worker, not in the GObject: the
 * last reference to a JxHistory may be dropped on the worker thread (by a GTask), and the
 * object must not wait there for its own thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "jx-history.h"
#include "jx-request-error.h"
#include "jx-round.h"

/* Timestamps are stored as µs offsets from the first one that happened (monotonic clock
 * values mean nothing in another run); rebuilt responses start at this origin. */
#define TIME_ORIGIN_US G_GINT64_CONSTANT (1000000000)
#define EXCERPT_CHARS  120
#define BUSY_TIMEOUT_MS 10000

/* ------------------------------------------------------------------------------------ */
/* Schema                                                                               */
/* ------------------------------------------------------------------------------------ */

/* No table has a column for a key, a request header or a URL with a query: nothing that
 * can hold a credential is ever stored. Keep it that way. */

/* Version 1: rounds, panes and responses. */
static const char schema_v1[] =
  "CREATE TABLE rounds ("
  "  id INTEGER PRIMARY KEY,"
  "  started_at TEXT NOT NULL,"                 /* ISO-8601 UTC */
  "  app_version TEXT NOT NULL,"
  "  system_prompt TEXT,"
  "  user_prompt TEXT NOT NULL,"
  "  parameters TEXT,"                          /* JSON object */
  "  variant TEXT,"
  "  variables TEXT,"                           /* JSON object */
  "  series_id TEXT"
  ");"
  "CREATE INDEX rounds_started_at ON rounds (started_at);"
  "CREATE INDEX rounds_series ON rounds (series_id) WHERE series_id IS NOT NULL;"
  "CREATE TABLE panes ("
  "  round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,"
  "  pane_index INTEGER NOT NULL,"
  "  provider_id TEXT NOT NULL,"
  "  provider_name TEXT,"
  "  model TEXT NOT NULL,"
  "  PRIMARY KEY (round_id, pane_index)"
  ") WITHOUT ROWID;"
  "CREATE INDEX panes_provider_model ON panes (provider_id, model);"
  "CREATE TABLE responses ("
  "  id INTEGER PRIMARY KEY,"
  "  round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,"
  "  pane_index INTEGER NOT NULL,"
  "  run INTEGER,"
  "  provider_id TEXT,"
  "  provider_name TEXT,"
  "  model TEXT,"
  "  ended_at TEXT NOT NULL,"                   /* ISO-8601 UTC, when it was stored */
  "  status TEXT NOT NULL,"                     /* ok, error, cancelled */
  "  text TEXT,"                                /* NULL when texts are not kept */
  "  reasoning TEXT,"
  "  text_chars INTEGER,"
  "  error_code TEXT,"
  "  error_message TEXT,"
  "  finish_reason TEXT,"
  "  http_status INTEGER,"
  "  t_queued_us INTEGER, t_start_us INTEGER, t_headers_us INTEGER,"
  "  t_first_byte_us INTEGER, t_first_token_us INTEGER, t_last_token_us INTEGER,"
  "  t_end_us INTEGER,"
  "  content_times BLOB,"                       /* little-endian gint64 µs offsets */
  "  ttft_ms REAL, e2e_ms REAL, itl_mean_ms REAL, itl_p50_ms REAL, itl_p95_ms REAL,"
  "  itl_max_ms REAL, decode_tps REAL,"
  "  input_tokens INTEGER, cached_input_tokens INTEGER, cache_write_tokens INTEGER,"
  "  output_tokens INTEGER, reasoning_tokens INTEGER, billed_input_tokens INTEGER,"
  "  billed_output_tokens INTEGER, usage_source TEXT,"
  "  cost_usd REAL, cost_from_provider INTEGER NOT NULL DEFAULT 0,"
  "  retries INTEGER NOT NULL DEFAULT 0,"
  "  ratelimit_remaining_requests INTEGER, ratelimit_remaining_tokens INTEGER,"
  "  ratelimit_headers TEXT,"                   /* JSON object, name → value */
  "  server_timings TEXT"                       /* JSON object, name → ms */
  ");"
  "CREATE INDEX responses_round ON responses (round_id, pane_index);"
  "CREATE INDEX responses_provider_model ON responses (provider_id, model);";

/* Version 2: where each price came from, and full-text search over prompts and answers
 * (external-content FTS5 tables kept in sync by triggers). */
static const char schema_v2[] =
  "ALTER TABLE responses ADD COLUMN price_source TEXT;"
  "CREATE VIRTUAL TABLE rounds_fts USING fts5 (system_prompt, user_prompt,"
  "  content='rounds', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
  "CREATE TRIGGER rounds_fts_insert AFTER INSERT ON rounds BEGIN"
  "  INSERT INTO rounds_fts (rowid, system_prompt, user_prompt)"
  "    VALUES (new.id, new.system_prompt, new.user_prompt);"
  "END;"
  "CREATE TRIGGER rounds_fts_delete AFTER DELETE ON rounds BEGIN"
  "  INSERT INTO rounds_fts (rounds_fts, rowid, system_prompt, user_prompt)"
  "    VALUES ('delete', old.id, old.system_prompt, old.user_prompt);"
  "END;"
  "CREATE TRIGGER rounds_fts_update AFTER UPDATE ON rounds BEGIN"
  "  INSERT INTO rounds_fts (rounds_fts, rowid, system_prompt, user_prompt)"
  "    VALUES ('delete', old.id, old.system_prompt, old.user_prompt);"
  "  INSERT INTO rounds_fts (rowid, system_prompt, user_prompt)"
  "    VALUES (new.id, new.system_prompt, new.user_prompt);"
  "END;"
  "CREATE VIRTUAL TABLE responses_fts USING fts5 (text, reasoning,"
  "  content='responses', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
  "CREATE TRIGGER responses_fts_insert AFTER INSERT ON responses BEGIN"
  "  INSERT INTO responses_fts (rowid, text, reasoning) VALUES (new.id, new.text, new.reasoning);"
  "END;"
  "CREATE TRIGGER responses_fts_delete AFTER DELETE ON responses BEGIN"
  "  INSERT INTO responses_fts (responses_fts, rowid, text, reasoning)"
  "    VALUES ('delete', old.id, old.text, old.reasoning);"
  "END;"
  "CREATE TRIGGER responses_fts_update AFTER UPDATE ON responses BEGIN"
  "  INSERT INTO responses_fts (responses_fts, rowid, text, reasoning)"
  "    VALUES ('delete', old.id, old.text, old.reasoning);"
  "  INSERT INTO responses_fts (rowid, text, reasoning) VALUES (new.id, new.text, new.reasoning);"
  "END;"
  "INSERT INTO rounds_fts (rounds_fts) VALUES ('rebuild');"
  "INSERT INTO responses_fts (responses_fts) VALUES ('rebuild');";

/* Version 3: when the first answer token came (TTFAT), apart from the first token of any
 * kind (TTFT), which counts reasoning since it is streamed. */
static const char schema_v3[] =
  "ALTER TABLE responses ADD COLUMN t_first_answer_token_us INTEGER;";

/* migrations[i] takes a file from version i to i + 1. */
static const char * const migrations[] = { schema_v1, schema_v2, schema_v3 };

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == JX_HISTORY_SCHEMA_VERSION);

/* ------------------------------------------------------------------------------------ */
/* Boxed types                                                                          */
/* ------------------------------------------------------------------------------------ */

static void
pane_free (gpointer data)
{
  JxHistoryPane *pane = data;

  g_free (pane->provider_id);
  g_free (pane->provider_name);
  g_free (pane->model);
  g_free (pane);
}

G_DEFINE_BOXED_TYPE (JxHistoryPrompt, jx_history_prompt, jx_history_prompt_ref, jx_history_prompt_unref)

JxHistoryPrompt *
jx_history_prompt_new (const char *system_prompt,
                       const char *user_prompt)
{
  JxHistoryPrompt *self = g_new0 (JxHistoryPrompt, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->system_prompt = g_strdup (system_prompt);
  self->user_prompt = g_strdup (user_prompt != NULL ? user_prompt : "");
  self->panes = g_ptr_array_new_with_free_func (pane_free);

  return self;
}

JxHistoryPrompt *
jx_history_prompt_ref (JxHistoryPrompt *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
jx_history_prompt_unref (JxHistoryPrompt *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->system_prompt);
  g_free (self->user_prompt);
  g_free (self->parameters_json);
  g_free (self->variant);
  g_free (self->variables_json);
  g_free (self->series_id);
  g_ptr_array_unref (self->panes);
  g_free (self);
}

void
jx_history_prompt_add_pane (JxHistoryPrompt *self,
                            const char      *provider_id,
                            const char      *provider_name,
                            const char      *model)
{
  JxHistoryPane *pane;

  g_return_if_fail (self != NULL);
  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (model != NULL);

  pane = g_new0 (JxHistoryPane, 1);
  pane->provider_id = g_strdup (provider_id);
  pane->provider_name = g_strdup (provider_name);
  pane->model = g_strdup (model);
  g_ptr_array_add (self->panes, pane);
}

static JxHistoryPrompt *
prompt_copy (const JxHistoryPrompt *src)
{
  JxHistoryPrompt *copy = jx_history_prompt_new (src->system_prompt, src->user_prompt);

  copy->parameters_json = g_strdup (src->parameters_json);
  copy->variant = g_strdup (src->variant);
  copy->variables_json = g_strdup (src->variables_json);
  copy->series_id = g_strdup (src->series_id);
  for (guint i = 0; i < src->panes->len; i++)
    {
      const JxHistoryPane *pane = g_ptr_array_index (src->panes, i);

      jx_history_prompt_add_pane (copy, pane->provider_id, pane->provider_name, pane->model);
    }

  return copy;
}

G_DEFINE_BOXED_TYPE (JxHistoryRound, jx_history_round, jx_history_round_ref, jx_history_round_unref)

static JxHistoryRound *
round_new (void)
{
  JxHistoryRound *self = g_new0 (JxHistoryRound, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->fastest_pane = -1;
  self->fastest_ttft_ms = NAN;
  self->cheapest_pane = -1;
  self->cheapest_cost_usd = NAN;
  self->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_response_unref);
  self->pane_indices = g_array_new (FALSE, FALSE, sizeof (guint));
  self->price_sources = g_ptr_array_new_with_free_func (g_free);

  return self;
}

JxHistoryRound *
jx_history_round_ref (JxHistoryRound *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
jx_history_round_unref (JxHistoryRound *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->started_at);
  g_free (self->app_version);
  g_clear_pointer (&self->prompt, jx_history_prompt_unref);
  g_free (self->excerpt);
  g_strfreev (self->models);
  g_ptr_array_unref (self->responses);
  g_array_unref (self->pane_indices);
  g_ptr_array_unref (self->price_sources);
  g_free (self);
}

/* ------------------------------------------------------------------------------------ */
/* Response errors                                                                      */
/* ------------------------------------------------------------------------------------ */

/* The only two places that touch JxResponse.error: stored as the code's stable name
 * ("rate_limited", "cancelled"…) and the message, and rebuilt into the same GError. */
static void
response_get_error (const JxResponse  *response,
                    const char       **code,
                    const char       **message)
{
  *code = jx_request_error_get_name (response->error);
  *message = response->error != NULL ? response->error->message : NULL;
}

static void
response_set_error (JxResponse *response,
                    const char *code,
                    const char *message)
{
  g_clear_error (&response->error);
  if (message == NULL && code == NULL)
    return;
  if (g_strcmp0 (code, "cancelled") == 0)
    {
      response->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, message != NULL ? message : "");
      return;
    }
  for (guint c = JX_REQUEST_ERROR_FAILED; c <= JX_REQUEST_ERROR_UNSUPPORTED; c++)
    if (g_strcmp0 (code, jx_request_error_code_to_string (c)) == 0)
      {
        response->error = g_error_new_literal (JX_REQUEST_ERROR, c, message != NULL ? message : "");
        return;
      }
  response->error = g_error_new_literal (JX_REQUEST_ERROR, JX_REQUEST_ERROR_FAILED, message != NULL ? message : "");
}

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */
/* ------------------------------------------------------------------------------------ */

static char *
iso_utc (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static char *
iso_utc_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return iso_utc (now);
}

static JxResponse *
response_copy (JxResponse *src)
{
  JxResponse *copy = jx_response_new ();
  const char *code;
  const char *message;
  GHashTableIter iter;
  gpointer key, value;

  copy->provider_id = g_strdup (src->provider_id);
  copy->provider_name = g_strdup (src->provider_name);
  copy->model = g_strdup (src->model);
  copy->run = src->run;
  copy->status = src->status;
  g_string_append_len (copy->text, src->text->str, src->text->len);
  g_string_append_len (copy->reasoning, src->reasoning->str, src->reasoning->len);
  response_get_error (src, &code, &message);
  response_set_error (copy, code, message);
  copy->finish_reason = g_strdup (src->finish_reason);
  copy->finish = src->finish;
  copy->http_status = src->http_status;
  copy->timing.t_queued = src->timing.t_queued;
  copy->timing.t_start = src->timing.t_start;
  copy->timing.t_headers = src->timing.t_headers;
  copy->timing.t_first_byte = src->timing.t_first_byte;
  copy->timing.t_first_token = src->timing.t_first_token;
  copy->timing.t_first_answer_token = src->timing.t_first_answer_token;
  copy->timing.t_last_token = src->timing.t_last_token;
  copy->timing.t_end = src->timing.t_end;
  if (src->timing.content_times != NULL)
    g_array_append_vals (copy->timing.content_times, src->timing.content_times->data,
                         src->timing.content_times->len);
  copy->usage = src->usage;
  copy->cost_usd = src->cost_usd;
  copy->cost_from_provider = src->cost_from_provider;
  copy->retries = src->retries;
  copy->ratelimit_remaining_requests = src->ratelimit_remaining_requests;
  copy->ratelimit_remaining_tokens = src->ratelimit_remaining_tokens;

  g_hash_table_iter_init (&iter, src->ratelimit_headers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->ratelimit_headers, g_strdup (key), g_strdup (value));

  g_hash_table_iter_init (&iter, src->server_timings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->server_timings, g_strdup (key), g_memdup2 (value, sizeof (double)));

  return copy;
}

static const char *
usage_source_to_string (JxUsageSource source)
{
  switch (source)
    {
    case JX_USAGE_SOURCE_PROVIDER:
      return "provider";
    case JX_USAGE_SOURCE_ESTIMATE:
      return "estimate";
    case JX_USAGE_SOURCE_NONE:
    default:
      return NULL;
    }
}

static JxUsageSource
usage_source_from_string (const char *source)
{
  if (g_strcmp0 (source, "provider") == 0)
    return JX_USAGE_SOURCE_PROVIDER;
  if (g_strcmp0 (source, "estimate") == 0)
    return JX_USAGE_SOURCE_ESTIMATE;
  return JX_USAGE_SOURCE_NONE;
}

static JxResponseStatus
status_from_string (const char *status)
{
  if (g_strcmp0 (status, "ok") == 0)
    return JX_RESPONSE_OK;
  if (g_strcmp0 (status, "cancelled") == 0)
    return JX_RESPONSE_CANCELLED;
  return JX_RESPONSE_ERROR;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* A JSON object of @table's entries in key order; NULL when empty. */
static char *
table_to_json (GHashTable *table,
               gboolean    values_are_doubles)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree gpointer *keys = NULL;
  guint n_keys;

  if (table == NULL || g_hash_table_size (table) == 0)
    return NULL;

  keys = g_hash_table_get_keys_as_array (table, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < n_keys; i++)
    {
      gconstpointer value = g_hash_table_lookup (table, keys[i]);

      json_builder_set_member_name (builder, keys[i]);
      if (values_are_doubles)
        json_builder_add_double_value (builder, *(const double *) value);
      else
        json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static void
table_from_json (GHashTable *table,
                 const char *json,
                 gboolean    values_are_doubles)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (json == NULL)
    return;
  root = json_from_string (json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (values_are_doubles)
        {
          double value = json_node_get_double (member);

          g_hash_table_replace (table, g_strdup (name), g_memdup2 (&value, sizeof value));
        }
      else
        g_hash_table_replace (table, g_strdup (name), g_strdup (json_node_get_string (member)));
    }
}

char *
jx_history_fts_query (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return NULL;

  words = g_strsplit_set (text, " \t\r\n\f\v", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean has_word_char = FALSE;

      for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          has_word_char = TRUE;
      /* Punctuation alone has no token to match. */
      if (!has_word_char)
        continue;

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append_c (query, '"');
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* SQLite helpers (worker thread only)                                                  */
/* ------------------------------------------------------------------------------------ */

static gboolean
set_sqlite_error (sqlite3  *db,
                  int       rc,
                  GError  **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s (%s)",
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc), sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (db, rc, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (db, rc, error);
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Negative = unknown = NULL. */
static void
bind_count (sqlite3_stmt *stmt,
            int           index,
            gint64        value)
{
  if (value < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_real (sqlite3_stmt *stmt,
           int           index,
           double        value)
{
  if (!isfinite (value))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, value);
}

static void
bind_offset (sqlite3_stmt *stmt,
             int           index,
             gint64        when,
             gint64        origin)
{
  if (when == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, when - origin);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static gint64
column_count (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return -1;
  return sqlite3_column_int64 (stmt, column);
}

static double
column_real (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, column);
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return 0;
  return TIME_ORIGIN_US + sqlite3_column_int64 (stmt, column);
}

static gboolean
step_done (sqlite3       *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (db, rc, error);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* The worker                                                                           */
/* ------------------------------------------------------------------------------------ */

typedef struct _Worker Worker;

/* Statements run for every round or response, kept prepared. */
enum {
  STMT_INSERT_ROUND,
  STMT_INSERT_PANE,
  STMT_INSERT_RESPONSE,
  STMT_ROUND_PANES,
  STMT_ROUND_COUNTS,
  STMT_ROUND_FASTEST,
  STMT_ROUND_CHEAPEST,
  N_STMTS
};
typedef void (*JobFunc) (Worker   *worker,
                         gpointer  data,
                         GTask    *task);

struct _Worker
{
  gatomicrefcount  ref_count;
  char            *path;
  GAsyncQueue     *queue;
  GMainContext    *context;   /* the creating thread's, for property notifications */
  GWeakRef         owner;     /* the JxHistory, while it lives */

  /* Worker thread only (read by others after a flush). */
  sqlite3         *db;
  sqlite3_stmt    *stmts[N_STMTS]; /* prepared once, reset after each use */
  GError          *open_error;

  GMutex           mutex;
  char            *warning;
};

typedef struct
{
  JobFunc         func;       /* NULL = quit */
  GTask          *task;       /* NULL = fire and forget */
  gpointer        data;
  GDestroyNotify  data_free;
  gboolean        always;     /* runs even when the file could not be opened */
} Job;

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean done;
} Barrier;

struct _JxHistory
{
  GObject   parent_instance;
  char     *path;
  Worker   *worker;
  GThread  *thread;
  gint      keep_texts;       /* atomic */
};

G_DEFINE_FINAL_TYPE (JxHistory, jx_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_WARNING,
  PROP_KEEP_TEXTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void worker_close (Worker *worker);

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;

  worker_close (worker);
  g_clear_error (&worker->open_error);
  g_async_queue_unref (worker->queue);
  g_main_context_unref (worker->context);
  g_weak_ref_clear (&worker->owner);
  g_mutex_clear (&worker->mutex);
  g_free (worker->warning);
  g_free (worker->path);
  g_free (worker);
}

static void
worker_close (Worker *worker)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&worker->stmts[i], sqlite3_finalize);
  g_clear_pointer (&worker->db, sqlite3_close);
}

/* The statement @which, prepared on first use; reset it when done with it. */
static sqlite3_stmt *
cached_stmt (Worker      *worker,
             guint        which,
             const char  *sql,
             GError     **error)
{
  if (worker->stmts[which] == NULL)
    {
      int rc = sqlite3_prepare_v3 (worker->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                   &worker->stmts[which], NULL);

      if (rc != SQLITE_OK)
        {
          set_sqlite_error (worker->db, rc, error);
          return NULL;
        }
    }
  else
    {
      sqlite3_reset (worker->stmts[which]);
      sqlite3_clear_bindings (worker->stmts[which]);
    }
  return worker->stmts[which];
}

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_clear_object (&job->task);
  g_free (job);
}

static void
push_job (JxHistory      *self,
          JobFunc         func,
          GTask          *task,
          gpointer        data,
          GDestroyNotify  data_free)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->task = task;
  job->data = data;
  job->data_free = data_free;
  g_async_queue_push (self->worker->queue, job);
}

static int
read_user_version (sqlite3 *db,
                   int     *version)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return rc;
  *version = sqlite3_column_int (stmt, 0);
  return SQLITE_OK;
}

static gboolean
is_corruption (int rc)
{
  return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
}

/* Brings the file to JX_HISTORY_SCHEMA_VERSION. Another process may migrate at the same
 * moment: the version is read again inside the write transaction. */
static int
migrate (sqlite3  *db,
         GError  **error)
{
  int version = 0;
  int rc;

  rc = read_user_version (db, &version);
  if (rc != SQLITE_OK)
    return rc;
  if (version == JX_HISTORY_SCHEMA_VERSION)
    return SQLITE_OK;

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = read_user_version (db, &version);
  if (rc == SQLITE_OK && version > JX_HISTORY_SCHEMA_VERSION)
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The history was written by a newer version of Juxta (schema %d)"), version);
      return SQLITE_ERROR;
    }

  for (; rc == SQLITE_OK && version < JX_HISTORY_SCHEMA_VERSION; version++)
    rc = sqlite3_exec (db, migrations[version], NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d",
                                                      JX_HISTORY_SCHEMA_VERSION);

      rc = sqlite3_exec (db, set_version, NULL, NULL, NULL);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (db, rc, error);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  return rc;
}

/* Returns an SQLite result code; *error is set for every failure. */
static int
try_open (const char  *path,
          sqlite3    **out_db,
          GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (db, rc, error);
      sqlite3_close (db);
      return rc;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  rc = sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      g_autoptr(sqlite3_stmt) check = NULL;

      /* Catches damaged pages as well as files that are not databases at all. */
      rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &check, NULL);
      if (rc == SQLITE_OK)
        {
          rc = sqlite3_step (check);
          if (rc == SQLITE_ROW)
            rc = g_strcmp0 (column_text (check, 0), "ok") == 0 ? SQLITE_OK : SQLITE_CORRUPT;
        }
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                       NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = migrate (db, error);
  else
    set_sqlite_error (db, rc, error);

  if (rc != SQLITE_OK)
    {
      g_assert (error == NULL || *error != NULL);
      sqlite3_close (db);
      return rc;
    }

  *out_db = db;
  return SQLITE_OK;
}

static gboolean
notify_warning_cb (gpointer data)
{
  Worker *worker = data;
  g_autoptr(JxHistory) self = g_weak_ref_get (&worker->owner);

  if (self != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);

  return G_SOURCE_REMOVE;
}

static void
worker_open (Worker *worker)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (worker->path);
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&worker->open_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return;
    }

  rc = try_open (worker->path, &worker->db, &error);
  if (rc != SQLITE_OK && is_corruption (rc))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
      g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", worker->path, stamp);
      g_autofree char *wal = g_strconcat (worker->path, "-wal", NULL);
      g_autofree char *wal_aside = g_strconcat (aside, "-wal", NULL);
      g_autofree char *shm = g_strconcat (worker->path, "-shm", NULL);
      g_autofree char *warning = NULL;

      if (g_rename (worker->path, aside) != 0)
        {
          int saved_errno = errno;

          g_set_error (&worker->open_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The history file %s is damaged and cannot be moved aside: %s"),
                       worker->path, g_strerror (saved_errno));
          return;
        }
      g_rename (wal, wal_aside);
      g_unlink (shm);

      warning = g_strdup_printf (_("The history file was damaged (%s). It was moved to %s and "
                                   "a new, empty history was started."),
                                 error->message, aside);
      g_message ("%s", warning);
      g_mutex_lock (&worker->mutex);
      g_free (worker->warning);
      worker->warning = g_steal_pointer (&warning);
      g_mutex_unlock (&worker->mutex);

      g_clear_error (&error);
      rc = try_open (worker->path, &worker->db, &error);
      /* Always dispatched by the creating thread's context, never run here (which
       * g_main_context_invoke() would do if nobody owned the context). */
      {
        g_autoptr(GSource) idle = g_idle_source_new ();

        g_source_set_callback (idle, notify_warning_cb, worker_ref (worker),
                               (GDestroyNotify) worker_unref);
        g_source_set_static_name (idle, "[juxta] history warning");
        g_source_attach (idle, worker->context);
      }
    }

  if (rc != SQLITE_OK)
    {
      g_prefix_error (&error, _("Cannot open the history file %s: "), worker->path);
      worker->open_error = g_steal_pointer (&error);
    }
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;

  worker_open (worker);

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);

      if (job->func == NULL)
        {
          job_free (job);
          break;
        }

      if (job->task != NULL && g_task_return_error_if_cancelled (job->task))
        ;
      else if (worker->db == NULL && !job->always)
        {
          if (job->task != NULL)
            g_task_return_error (job->task, worker->open_error != NULL
                                            ? g_error_copy (worker->open_error)
                                            : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                                                   "No history database"));
        }
      else
        job->func (worker, job->data, job->task);

      job_free (job);
    }

  worker_close (worker);
  worker_unref (worker);
  return NULL;
}

/* Runs in the worker, also when the file could not be opened. */
static void
barrier_job (Worker   *worker,
             gpointer  data,
             GTask    *task)
{
  Barrier *barrier = data;

  g_mutex_lock (&barrier->mutex);
  barrier->done = TRUE;
  g_cond_signal (&barrier->cond);
  g_mutex_unlock (&barrier->mutex);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */
/* ------------------------------------------------------------------------------------ */

static void
jx_history_constructed (GObject *object)
{
  JxHistory *self = JX_HISTORY (object);
  Worker *worker;

  G_OBJECT_CLASS (jx_history_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = g_build_filename (g_get_user_data_dir (), "juxta", "history.db", NULL);

  worker = g_new0 (Worker, 1);
  g_atomic_ref_count_init (&worker->ref_count);
  worker->path = g_strdup (self->path);
  worker->queue = g_async_queue_new ();
  worker->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&worker->owner, self);
  g_mutex_init (&worker->mutex);
  self->worker = worker;

  self->thread = g_thread_new ("jx-history", worker_main, worker_ref (worker));
}

static void
jx_history_dispose (GObject *object)
{
  JxHistory *self = JX_HISTORY (object);

  if (self->thread != NULL)
    {
      g_weak_ref_set (&self->worker->owner, NULL);
      /* Everything queued before still runs: no write is dropped. */
      push_job (self, NULL, NULL, NULL, NULL);
      if (g_thread_self () == self->thread)
        g_thread_unref (self->thread);
      else
        g_thread_join (self->thread);
      self->thread = NULL;
    }

  G_OBJECT_CLASS (jx_history_parent_class)->dispose (object);
}

static void
jx_history_finalize (GObject *object)
{
  JxHistory *self = JX_HISTORY (object);

  g_clear_pointer (&self->worker, worker_unref);
  g_free (self->path);

  G_OBJECT_CLASS (jx_history_parent_class)->finalize (object);
}

static void
jx_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JxHistory *self = JX_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_WARNING:
      g_value_take_string (value, jx_history_dup_warning (self));
      break;
    case PROP_KEEP_TEXTS:
      g_value_set_boolean (value, jx_history_get_keep_texts (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JxHistory *self = JX_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_KEEP_TEXTS:
      jx_history_set_keep_texts (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_history_class_init (JxHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = jx_history_constructed;
  object_class->dispose = jx_history_dispose;
  object_class->finalize = jx_history_finalize;
  object_class->get_property = jx_history_get_property;
  object_class->set_property = jx_history_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEP_TEXTS] =
    g_param_spec_boolean ("keep-texts", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jx_history_init (JxHistory *self)
{
  self->keep_texts = TRUE;
}

JxHistory *
jx_history_new (const char *path)
{
  return g_object_new (JX_TYPE_HISTORY, "path", path, NULL);
}

const char *
jx_history_get_path (JxHistory *self)
{
  g_return_val_if_fail (JX_IS_HISTORY (self), NULL);

  return self->path;
}

char *
jx_history_dup_warning (JxHistory *self)
{
  char *warning;

  g_return_val_if_fail (JX_IS_HISTORY (self), NULL);

  g_mutex_lock (&self->worker->mutex);
  warning = g_strdup (self->worker->warning);
  g_mutex_unlock (&self->worker->mutex);

  return warning;
}

void
jx_history_set_keep_texts (JxHistory *self,
                           gboolean   keep_texts)
{
  g_return_if_fail (JX_IS_HISTORY (self));

  keep_texts = !!keep_texts;
  if (g_atomic_int_exchange (&self->keep_texts, keep_texts) != keep_texts)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_TEXTS]);
}

gboolean
jx_history_get_keep_texts (JxHistory *self)
{
  g_return_val_if_fail (JX_IS_HISTORY (self), TRUE);

  return g_atomic_int_get (&self->keep_texts);
}

gboolean
jx_history_flush (JxHistory  *self,
                  GError    **error)
{
  Barrier barrier = { 0 };
  Job *job;

  g_return_val_if_fail (JX_IS_HISTORY (self), FALSE);

  g_mutex_init (&barrier.mutex);
  g_cond_init (&barrier.cond);

  /* Pushed directly: the barrier must run even when the file could not be opened. */
  job = g_new0 (Job, 1);
  job->func = barrier_job;
  job->data = &barrier;
  job->always = TRUE;
  g_async_queue_push (self->worker->queue, job);

  g_mutex_lock (&barrier.mutex);
  while (!barrier.done)
    g_cond_wait (&barrier.cond, &barrier.mutex);
  g_mutex_unlock (&barrier.mutex);

  g_mutex_clear (&barrier.mutex);
  g_cond_clear (&barrier.cond);

  if (self->worker->open_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->worker->open_error));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Begin a round                                                                        */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  JxHistoryPrompt *prompt;
  char            *started_at;
} BeginData;

static void
begin_data_free (gpointer data)
{
  BeginData *begin = data;

  jx_history_prompt_unref (begin->prompt);
  g_free (begin->started_at);
  g_free (begin);
}

static gint64
store_round (Worker     *worker,
             BeginData  *begin,
             GError    **error)
{
  sqlite3 *db = worker->db;
  sqlite3_stmt *round;
  sqlite3_stmt *pane;
  JxHistoryPrompt *prompt = begin->prompt;
  gint64 id;

  if (!exec_sql (db, "BEGIN IMMEDIATE", error))
    return 0;

  round = cached_stmt (worker, STMT_INSERT_ROUND,
                   "INSERT INTO rounds (started_at, app_version, system_prompt, user_prompt,"
                   " parameters, variant, variables, series_id)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (round == NULL)
    goto fail;
  bind_text (round, 1, begin->started_at);
  bind_text (round, 2, PACKAGE_VERSION);
  bind_text (round, 3, prompt->system_prompt);
  bind_text (round, 4, prompt->user_prompt);
  bind_text (round, 5, prompt->parameters_json);
  bind_text (round, 6, prompt->variant);
  bind_text (round, 7, prompt->variables_json);
  bind_text (round, 8, prompt->series_id);
  if (!step_done (db, round, error))
    goto fail;
  sqlite3_reset (round);
  id = sqlite3_last_insert_rowid (db);

  pane = cached_stmt (worker, STMT_INSERT_PANE,
                  "INSERT INTO panes (round_id, pane_index, provider_id, provider_name, model)"
                  " VALUES (?, ?, ?, ?, ?)", error);
  if (pane == NULL)
    goto fail;
  for (guint i = 0; i < prompt->panes->len; i++)
    {
      const JxHistoryPane *p = g_ptr_array_index (prompt->panes, i);

      sqlite3_reset (pane);
      sqlite3_bind_int64 (pane, 1, id);
      sqlite3_bind_int (pane, 2, (int) i);
      bind_text (pane, 3, p->provider_id);
      bind_text (pane, 4, p->provider_name);
      bind_text (pane, 5, p->model);
      if (!step_done (db, pane, error))
        goto fail;
    }
  sqlite3_reset (pane);

  if (!exec_sql (db, "COMMIT", error))
    goto fail;
  return id;

fail:
  for (guint i = STMT_INSERT_ROUND; i <= STMT_INSERT_PANE; i++)
    if (worker->stmts[i] != NULL)
      sqlite3_reset (worker->stmts[i]);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return 0;
}

static void
begin_round_job (Worker   *worker,
                 gpointer  data,
                 GTask    *task)
{
  GError *error = NULL;
  gint64 id = store_round (worker, data, &error);

  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

static BeginData *
begin_data_new (JxHistoryPrompt *prompt)
{
  BeginData *begin = g_new0 (BeginData, 1);

  begin->prompt = prompt_copy (prompt);
  begin->started_at = iso_utc_now ();
  return begin;
}

void
jx_history_begin_round_async (JxHistory           *self,
                              JxHistoryPrompt     *prompt,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (JX_IS_HISTORY (self));
  g_return_if_fail (prompt != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_history_begin_round_async);
  push_job (self, begin_round_job, task, begin_data_new (prompt), begin_data_free);
}

gint64
jx_history_begin_round_finish (JxHistory     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  gint64 id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

typedef struct
{
  BeginData *begin;
  gint64     id;
  GError    *error;
  Barrier    barrier;
} SyncBegin;

static void
begin_round_sync_job (Worker   *worker,
                      gpointer  data,
                      GTask    *task)
{
  SyncBegin *sync = data;

  if (worker->db == NULL)
    sync->error = g_error_copy (worker->open_error);
  else
    sync->id = store_round (worker, sync->begin, &sync->error);
  barrier_job (worker, &sync->barrier, NULL);
}

gint64
jx_history_begin_round (JxHistory        *self,
                        JxHistoryPrompt  *prompt,
                        GError          **error)
{
  SyncBegin sync = { 0 };
  Job *job;

  g_return_val_if_fail (JX_IS_HISTORY (self), 0);
  g_return_val_if_fail (prompt != NULL, 0);

  sync.begin = begin_data_new (prompt);
  g_mutex_init (&sync.barrier.mutex);
  g_cond_init (&sync.barrier.cond);

  job = g_new0 (Job, 1);
  job->func = begin_round_sync_job;
  job->data = &sync;
  job->always = TRUE;
  g_async_queue_push (self->worker->queue, job);

  g_mutex_lock (&sync.barrier.mutex);
  while (!sync.barrier.done)
    g_cond_wait (&sync.barrier.cond, &sync.barrier.mutex);
  g_mutex_unlock (&sync.barrier.mutex);
  g_mutex_clear (&sync.barrier.mutex);
  g_cond_clear (&sync.barrier.cond);
  begin_data_free (sync.begin);

  if (sync.id == 0)
    {
      g_propagate_error (error, sync.error);
      return 0;
    }
  return sync.id;
}

/* ------------------------------------------------------------------------------------ */
/* Add a response                                                                       */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  gint64      round_id;
  guint       pane_index;
  JxResponse *response;
  char       *price_source;
  char       *ended_at;
  gboolean    keep_texts;
} AddData;

static void
add_data_free (gpointer data)
{
  AddData *add = data;

  jx_response_unref (add->response);
  g_free (add->price_source);
  g_free (add->ended_at);
  g_free (add);
}

static gint64
timing_origin (const JxTiming *timing)
{
  const gint64 stamps[] = { timing->t_queued, timing->t_start, timing->t_headers,
                            timing->t_first_byte, timing->t_first_token, timing->t_end };

  for (guint i = 0; i < G_N_ELEMENTS (stamps); i++)
    if (stamps[i] != 0)
      return stamps[i];
  if (timing->content_times != NULL && timing->content_times->len > 0)
    return g_array_index (timing->content_times, gint64, 0);
  return 0;
}

static gboolean
store_response (Worker   *worker,
                AddData  *add,
                GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean stored;
  JxResponse *r = add->response;
  const JxTiming *t = &r->timing;
  gint64 origin = timing_origin (t);
  g_autofree char *ratelimit_json = table_to_json (r->ratelimit_headers, FALSE);
  g_autofree char *timings_json = table_to_json (r->server_timings, TRUE);
  g_autofree gint64 *content = NULL;
  guint n_content = t->content_times != NULL ? t->content_times->len : 0;
  const char *error_code;
  const char *error_message;
  int col = 1;

  response_get_error (r, &error_code, &error_message);

  stmt = cached_stmt (worker, STMT_INSERT_RESPONSE,
                  "INSERT INTO responses (round_id, pane_index, run, provider_id, provider_name,"
                  " model, ended_at, status, text, reasoning, text_chars, error_code,"
                  " error_message, finish_reason, http_status,"
                  " t_queued_us, t_start_us, t_headers_us, t_first_byte_us, t_first_token_us,"
                  " t_last_token_us, t_end_us, content_times,"
                  " ttft_ms, e2e_ms, itl_mean_ms, itl_p50_ms, itl_p95_ms, itl_max_ms, decode_tps,"
                  " input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,"
                  " reasoning_tokens, billed_input_tokens, billed_output_tokens, usage_source,"
                  " cost_usd, cost_from_provider, price_source, retries,"
                  " ratelimit_remaining_requests, ratelimit_remaining_tokens,"
                  " ratelimit_headers, server_timings, t_first_answer_token_us)"
                  " VALUES (?1, ?2, ?3,"
                  " coalesce (?4, (SELECT provider_id FROM panes WHERE round_id = ?1 AND pane_index = ?2)),"
                  " coalesce (?5, (SELECT provider_name FROM panes WHERE round_id = ?1 AND pane_index = ?2)),"
                  " coalesce (?6, (SELECT model FROM panes WHERE round_id = ?1 AND pane_index = ?2)),"
                  " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
                  " ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37,"
                  " ?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45, ?46, ?47)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, col++, add->round_id);
  sqlite3_bind_int (stmt, col++, (int) add->pane_index);
  bind_count (stmt, col++, r->run > 0 ? (gint64) r->run : -1);
  bind_text (stmt, col++, r->provider_id);
  bind_text (stmt, col++, r->provider_name);
  bind_text (stmt, col++, r->model);
  bind_text (stmt, col++, add->ended_at);
  bind_text (stmt, col++, jx_response_status_to_string (r->status));
  bind_text (stmt, col++, add->keep_texts ? r->text->str : NULL);
  bind_text (stmt, col++, add->keep_texts && r->reasoning->len > 0 ? r->reasoning->str : NULL);
  sqlite3_bind_int64 (stmt, col++, g_utf8_strlen (r->text->str, r->text->len));
  bind_text (stmt, col++, error_code);
  bind_text (stmt, col++, error_message);
  bind_text (stmt, col++, r->finish_reason);
  bind_count (stmt, col++, r->http_status > 0 ? (gint64) r->http_status : -1);

  bind_offset (stmt, col++, t->t_queued, origin);
  bind_offset (stmt, col++, t->t_start, origin);
  bind_offset (stmt, col++, t->t_headers, origin);
  bind_offset (stmt, col++, t->t_first_byte, origin);
  bind_offset (stmt, col++, t->t_first_token, origin);
  bind_offset (stmt, col++, t->t_last_token, origin);
  bind_offset (stmt, col++, t->t_end, origin);
  if (n_content > 0)
    {
      content = g_new (gint64, n_content);
      for (guint i = 0; i < n_content; i++)
        content[i] = GINT64_TO_LE (g_array_index (t->content_times, gint64, i) - origin);
      sqlite3_bind_blob (stmt, col++, content, (int) (n_content * sizeof (gint64)),
                         SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (stmt, col++);

  bind_real (stmt, col++, jx_timing_ttft_ms (t));
  bind_real (stmt, col++, jx_timing_e2e_ms (t));
  bind_real (stmt, col++, jx_round_itl_mean_ms (r));
  bind_real (stmt, col++, jx_timing_itl_gap_ms (t, 50));
  bind_real (stmt, col++, jx_timing_itl_gap_ms (t, 95));
  bind_real (stmt, col++, jx_timing_itl_max_ms (t));
  bind_real (stmt, col++, jx_round_decode_tps (r));

  bind_count (stmt, col++, r->usage.input_tokens);
  bind_count (stmt, col++, r->usage.cached_input_tokens);
  bind_count (stmt, col++, r->usage.cache_write_tokens);
  bind_count (stmt, col++, r->usage.output_tokens);
  bind_count (stmt, col++, r->usage.reasoning_tokens);
  bind_count (stmt, col++, r->usage.billed_input_tokens);
  bind_count (stmt, col++, r->usage.billed_output_tokens);
  bind_text (stmt, col++, usage_source_to_string (r->usage.source));

  bind_real (stmt, col++, r->cost_usd);
  sqlite3_bind_int (stmt, col++, r->cost_from_provider ? 1 : 0);
  bind_text (stmt, col++, add->price_source);
  sqlite3_bind_int (stmt, col++, (int) r->retries);
  bind_count (stmt, col++, r->ratelimit_remaining_requests);
  bind_count (stmt, col++, r->ratelimit_remaining_tokens);
  bind_text (stmt, col++, ratelimit_json);
  bind_text (stmt, col++, timings_json);
  bind_offset (stmt, col++, t->t_first_answer_token, origin);
  g_assert (col == 48);

  /* One statement is its own transaction: committed (and safe from a crash) on return. */
  stored = step_done (worker->db, stmt, error);
  sqlite3_reset (stmt);
  return stored;
}

static void
add_response_job (Worker   *worker,
                  gpointer  data,
                  GTask    *task)
{
  GError *error = NULL;

  if (store_response (worker, data, &error))
    {
      if (task != NULL)
        g_task_return_boolean (task, TRUE);
      return;
    }

  if (task != NULL)
    g_task_return_error (task, error);
  else
    {
      g_warning ("Cannot store a response in the history: %s", error->message);
      g_error_free (error);
    }
}

static AddData *
add_data_new (JxHistory  *self,
              gint64      round_id,
              guint       pane_index,
              JxResponse *response,
              const char *price_source)
{
  AddData *add = g_new0 (AddData, 1);

  add->round_id = round_id;
  add->pane_index = pane_index;
  add->response = response_copy (response);
  add->price_source = g_strdup (price_source);
  add->ended_at = iso_utc_now ();
  add->keep_texts = jx_history_get_keep_texts (self);
  return add;
}

void
jx_history_add_response (JxHistory  *self,
                         gint64      round_id,
                         guint       pane_index,
                         JxResponse *response,
                         const char *price_source)
{
  g_return_if_fail (JX_IS_HISTORY (self));
  g_return_if_fail (round_id > 0);
  g_return_if_fail (response != NULL);

  push_job (self, add_response_job, NULL,
            add_data_new (self, round_id, pane_index, response, price_source), add_data_free);
}

void
jx_history_add_response_async (JxHistory           *self,
                               gint64               round_id,
                               guint                pane_index,
                               JxResponse          *response,
                               const char          *price_source,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (JX_IS_HISTORY (self));
  g_return_if_fail (round_id > 0);
  g_return_if_fail (response != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_history_add_response_async);
  push_job (self, add_response_job, task,
            add_data_new (self, round_id, pane_index, response, price_source), add_data_free);
}

gboolean
jx_history_add_response_finish (JxHistory     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* List and search                                                                      */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  char             *provider_id;
  char             *model;
  char             *since;
  char             *until;
  JxHistoryOutcome  outcome;
  char             *series_id;
  guint             limit;
  guint             offset;
  char             *fts;       /* NULL = list, not search */
} QueryData;

static void
query_data_free (gpointer data)
{
  QueryData *query = data;

  g_free (query->provider_id);
  g_free (query->model);
  g_free (query->since);
  g_free (query->until);
  g_free (query->series_id);
  g_free (query->fts);
  g_free (query);
}

static QueryData *
query_data_new (const JxHistoryQuery *query)
{
  QueryData *copy = g_new0 (QueryData, 1);

  copy->limit = 100;
  if (query == NULL)
    return copy;

  copy->provider_id = g_strdup (query->provider_id);
  copy->model = g_strdup (query->model);
  copy->since = query->since != NULL ? iso_utc (query->since) : NULL;
  copy->until = query->until != NULL ? iso_utc (query->until) : NULL;
  copy->outcome = query->outcome;
  copy->series_id = g_strdup (query->series_id);
  if (query->limit > 0)
    copy->limit = query->limit;
  copy->offset = query->offset;
  return copy;
}

static JxHistoryPrompt *
load_prompt (sqlite3_stmt *stmt,
             int           first_column)
{
  JxHistoryPrompt *prompt = jx_history_prompt_new (column_text (stmt, first_column),
                                                   column_text (stmt, first_column + 1));

  prompt->parameters_json = g_strdup (column_text (stmt, first_column + 2));
  prompt->variant = g_strdup (column_text (stmt, first_column + 3));
  prompt->variables_json = g_strdup (column_text (stmt, first_column + 4));
  prompt->series_id = g_strdup (column_text (stmt, first_column + 5));
  return prompt;
}

#define ROUND_COLUMNS \
  "r.id, r.started_at, r.app_version, r.system_prompt, r.user_prompt, r.parameters," \
  " r.variant, r.variables, r.series_id"

/* Reads the round at @stmt's row (ROUND_COLUMNS) and its summary. */
static JxHistoryRound *
load_round (Worker        *worker,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  g_autoptr(JxHistoryRound) round = round_new ();
  sqlite3_stmt *panes;
  sqlite3_stmt *counts;
  sqlite3_stmt *fastest;
  sqlite3_stmt *cheapest;
  g_autoptr(GStrvBuilder) models = g_strv_builder_new ();
  const char *user;

  round->id = sqlite3_column_int64 (stmt, 0);
  round->started_at = g_strdup (column_text (stmt, 1));
  round->app_version = g_strdup (column_text (stmt, 2));
  round->prompt = load_prompt (stmt, 3);

  user = round->prompt->user_prompt;
  if (g_utf8_strlen (user, -1) > EXCERPT_CHARS)
    {
      g_autofree char *start = g_utf8_substring (user, 0, EXCERPT_CHARS);

      round->excerpt = g_strconcat (start, "…", NULL);
    }
  else
    round->excerpt = g_strdup (user);
  g_strdelimit (round->excerpt, "\r\n\t", ' ');

  panes = cached_stmt (worker, STMT_ROUND_PANES, "SELECT provider_id, provider_name, model FROM panes"
                       " WHERE round_id = ? ORDER BY pane_index", NULL);
  counts = cached_stmt (worker, STMT_ROUND_COUNTS, "SELECT count(*), coalesce (sum (status = 'error'), 0) FROM responses"
                        " WHERE round_id = ?", NULL);
  fastest = cached_stmt (worker, STMT_ROUND_FASTEST, "SELECT pane_index, ttft_ms FROM responses WHERE round_id = ?"
                         " AND status = 'ok' AND ttft_ms IS NOT NULL ORDER BY ttft_ms LIMIT 1",
                     NULL);
  cheapest = cached_stmt (worker, STMT_ROUND_CHEAPEST, "SELECT pane_index, cost_usd FROM responses WHERE round_id = ?"
                          " AND status = 'ok' AND cost_usd IS NOT NULL ORDER BY cost_usd LIMIT 1",
                      NULL);
  if (panes == NULL || counts == NULL || fastest == NULL || cheapest == NULL)
    {
      set_sqlite_error (worker->db, sqlite3_errcode (worker->db), error);
      return NULL;
    }

  sqlite3_bind_int64 (panes, 1, round->id);
  while (sqlite3_step (panes) == SQLITE_ROW)
    {
      g_autofree char *name = g_strdup_printf ("%s/%s", column_text (panes, 0),
                                               column_text (panes, 2));

      jx_history_prompt_add_pane (round->prompt, column_text (panes, 0),
                                  column_text (panes, 1), column_text (panes, 2));
      g_strv_builder_add (models, name);
    }
  round->models = g_strv_builder_end (models);

  sqlite3_bind_int64 (counts, 1, round->id);
  if (sqlite3_step (counts) == SQLITE_ROW)
    {
      round->n_responses = (guint) sqlite3_column_int (counts, 0);
      round->n_errors = (guint) sqlite3_column_int (counts, 1);
    }

  sqlite3_bind_int64 (fastest, 1, round->id);
  if (sqlite3_step (fastest) == SQLITE_ROW)
    {
      round->fastest_pane = sqlite3_column_int (fastest, 0);
      round->fastest_ttft_ms = sqlite3_column_double (fastest, 1);
    }

  sqlite3_bind_int64 (cheapest, 1, round->id);
  if (sqlite3_step (cheapest) == SQLITE_ROW)
    {
      round->cheapest_pane = sqlite3_column_int (cheapest, 0);
      round->cheapest_cost_usd = sqlite3_column_double (cheapest, 1);
    }

  sqlite3_reset (panes);
  sqlite3_reset (counts);
  sqlite3_reset (fastest);
  sqlite3_reset (cheapest);

  return g_steal_pointer (&round);
}

static void
list_job (Worker   *worker,
          gpointer  data,
          GTask    *task)
{
  QueryData *query = data;
  g_autoptr(GString) sql = g_string_new ("SELECT " ROUND_COLUMNS " FROM rounds r WHERE 1");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) jx_history_round_unref);
  GError *error = NULL;
  int n = 1;
  int rc;

  if (query->provider_id != NULL || query->model != NULL)
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM panes p WHERE p.round_id = r.id"
                          " AND (?1 IS NULL OR p.provider_id = ?1) AND (?2 IS NULL OR p.model = ?2))");
  if (query->since != NULL)
    g_string_append (sql, " AND r.started_at >= ?3");
  if (query->until != NULL)
    g_string_append (sql, " AND r.started_at < ?4");
  if (query->series_id != NULL)
    g_string_append (sql, " AND r.series_id = ?5");
  switch (query->outcome)
    {
    case JX_HISTORY_OUTCOME_ALL_OK:
      g_string_append (sql, " AND EXISTS (SELECT 1 FROM responses s WHERE s.round_id = r.id)"
                            " AND NOT EXISTS (SELECT 1 FROM responses s WHERE s.round_id = r.id"
                            " AND s.status != 'ok')");
      break;
    case JX_HISTORY_OUTCOME_SOME_ERROR:
      g_string_append (sql, " AND EXISTS (SELECT 1 FROM responses s WHERE s.round_id = r.id"
                            " AND s.status = 'error')");
      break;
    case JX_HISTORY_OUTCOME_SOME_CANCELLED:
      g_string_append (sql, " AND EXISTS (SELECT 1 FROM responses s WHERE s.round_id = r.id"
                            " AND s.status = 'cancelled')");
      break;
    case JX_HISTORY_OUTCOME_ANY:
    default:
      break;
    }
  if (query->fts != NULL)
    g_string_append (sql, " AND (r.id IN (SELECT rowid FROM rounds_fts WHERE rounds_fts MATCH ?6)"
                          " OR r.id IN (SELECT s.round_id FROM responses s WHERE s.id IN"
                          " (SELECT rowid FROM responses_fts WHERE responses_fts MATCH ?6)))");
  g_string_append (sql, " ORDER BY r.started_at DESC, r.id DESC LIMIT ?7 OFFSET ?8");

  stmt = prepare (worker->db, sql->str, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Parameters a clause does not use stay unbound (NULL); only bind those present. */
  for (n = 1; n <= sqlite3_bind_parameter_count (stmt); n++)
    {
      const char *name = sqlite3_bind_parameter_name (stmt, n);

      if (g_strcmp0 (name, "?1") == 0)
        bind_text (stmt, n, query->provider_id);
      else if (g_strcmp0 (name, "?2") == 0)
        bind_text (stmt, n, query->model);
      else if (g_strcmp0 (name, "?3") == 0)
        bind_text (stmt, n, query->since);
      else if (g_strcmp0 (name, "?4") == 0)
        bind_text (stmt, n, query->until);
      else if (g_strcmp0 (name, "?5") == 0)
        bind_text (stmt, n, query->series_id);
      else if (g_strcmp0 (name, "?6") == 0)
        bind_text (stmt, n, query->fts);
      else if (g_strcmp0 (name, "?7") == 0)
        sqlite3_bind_int64 (stmt, n, query->limit);
      else if (g_strcmp0 (name, "?8") == 0)
        sqlite3_bind_int64 (stmt, n, query->offset);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JxHistoryRound *round = load_round (worker, stmt, &error);

      if (round == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (rounds, round);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (worker->db, rc, &error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&rounds), (GDestroyNotify) g_ptr_array_unref);
}

void
jx_history_list_rounds_async (JxHistory            *self,
                              const JxHistoryQuery *query,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (JX_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_history_list_rounds_async);
  push_job (self, list_job, task, query_data_new (query), query_data_free);
}

GPtrArray *
jx_history_list_rounds_finish (JxHistory     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
jx_history_search_async (JxHistory            *self,
                         const char           *text,
                         const JxHistoryQuery *query,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  GTask *task;
  QueryData *data;

  g_return_if_fail (JX_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_history_search_async);

  data = query_data_new (query);
  data->fts = jx_history_fts_query (text);
  if (data->fts == NULL)
    {
      /* Nothing to look for: nothing found. */
      query_data_free (data);
      g_task_return_pointer (task,
                             g_ptr_array_new_with_free_func ((GDestroyNotify) jx_history_round_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  push_job (self, list_job, task, data, query_data_free);
}

GPtrArray *
jx_history_search_finish (JxHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Get one round                                                                        */
/* ------------------------------------------------------------------------------------ */

static JxResponse *
load_response (sqlite3_stmt *stmt)
{
  JxResponse *r = jx_response_new ();
  const void *blob;
  int col = 2;   /* after pane_index, price_source */

  r->provider_id = g_strdup (column_text (stmt, col++));
  r->provider_name = g_strdup (column_text (stmt, col++));
  r->model = g_strdup (column_text (stmt, col++));
  r->run = (guint) MAX (column_count (stmt, col), 0);
  col++;
  r->status = status_from_string (column_text (stmt, col++));
  if (column_text (stmt, col) != NULL)
    g_string_assign (r->text, column_text (stmt, col));
  col++;
  if (column_text (stmt, col) != NULL)
    g_string_assign (r->reasoning, column_text (stmt, col));
  col++;
  response_set_error (r, column_text (stmt, col), column_text (stmt, col + 1));
  col += 2;
  r->finish_reason = g_strdup (column_text (stmt, col++));
  r->finish = jx_finish_reason_from_raw (r->finish_reason);
  r->http_status = (guint) MAX (column_count (stmt, col), 0);
  col++;
  r->timing.t_queued = column_time (stmt, col++);
  r->timing.t_start = column_time (stmt, col++);
  r->timing.t_headers = column_time (stmt, col++);
  r->timing.t_first_byte = column_time (stmt, col++);
  r->timing.t_first_token = column_time (stmt, col++);
  r->timing.t_last_token = column_time (stmt, col++);
  r->timing.t_end = column_time (stmt, col++);
  blob = sqlite3_column_blob (stmt, col);
  if (blob != NULL)
    {
      gsize n = (gsize) sqlite3_column_bytes (stmt, col) / sizeof (gint64);

      for (gsize i = 0; i < n; i++)
        {
          gint64 offset;
          gint64 when;

          memcpy (&offset, (const char *) blob + i * sizeof (gint64), sizeof offset);
          when = TIME_ORIGIN_US + GINT64_FROM_LE (offset);
          g_array_append_val (r->timing.content_times, when);
        }
    }
  col++;
  r->usage.input_tokens = column_count (stmt, col++);
  r->usage.cached_input_tokens = column_count (stmt, col++);
  r->usage.cache_write_tokens = column_count (stmt, col++);
  r->usage.output_tokens = column_count (stmt, col++);
  r->usage.reasoning_tokens = column_count (stmt, col++);
  r->usage.billed_input_tokens = column_count (stmt, col++);
  r->usage.billed_output_tokens = column_count (stmt, col++);
  r->usage.source = usage_source_from_string (column_text (stmt, col++));
  r->cost_usd = column_real (stmt, col++);
  r->cost_from_provider = sqlite3_column_int (stmt, col++) != 0;
  r->retries = (guint) sqlite3_column_int (stmt, col++);
  r->ratelimit_remaining_requests = column_count (stmt, col++);
  r->ratelimit_remaining_tokens = column_count (stmt, col++);
  table_from_json (r->ratelimit_headers, column_text (stmt, col++), FALSE);
  table_from_json (r->server_timings, column_text (stmt, col++), TRUE);
  r->timing.t_first_answer_token = column_time (stmt, col++);

  return r;
}

static void
get_round_job (Worker   *worker,
               gpointer  data,
               GTask    *task)
{
  gint64 id = *(gint64 *) data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) responses = NULL;
  g_autoptr(JxHistoryRound) round = NULL;
  GError *error = NULL;

  stmt = prepare (worker->db, "SELECT " ROUND_COLUMNS " FROM rounds r WHERE r.id = ?", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("Round %s is not in the history"), number);
      return;
    }
  round = load_round (worker, stmt, &error);
  if (round == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  responses = prepare (worker->db,
                       "SELECT pane_index, price_source, provider_id, provider_name, model, run,"
                       " status, text, reasoning, error_code, error_message, finish_reason,"
                       " http_status, t_queued_us, t_start_us, t_headers_us, t_first_byte_us,"
                       " t_first_token_us, t_last_token_us, t_end_us, content_times,"
                       " input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,"
                       " reasoning_tokens, billed_input_tokens, billed_output_tokens, usage_source,"
                       " cost_usd, cost_from_provider, retries, ratelimit_remaining_requests,"
                       " ratelimit_remaining_tokens, ratelimit_headers, server_timings,"
                       " t_first_answer_token_us"
                       " FROM responses WHERE round_id = ? ORDER BY pane_index, id", &error);
  if (responses == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_int64 (responses, 1, id);
  while (sqlite3_step (responses) == SQLITE_ROW)
    {
      guint pane = (guint) sqlite3_column_int (responses, 0);

      g_ptr_array_add (round->responses, load_response (responses));
      g_array_append_val (round->pane_indices, pane);
      g_ptr_array_add (round->price_sources, g_strdup (column_text (responses, 1)));
    }

  g_task_return_pointer (task, g_steal_pointer (&round), (GDestroyNotify) jx_history_round_unref);
}

void
jx_history_get_round_async (JxHistory           *self,
                            gint64               round_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (JX_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_history_get_round_async);
  push_job (self, get_round_job, task, g_memdup2 (&round_id, sizeof round_id), g_free);
}

JxHistoryRound *
jx_history_get_round_finish (JxHistory     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Delete                                                                               */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  gint64  round_id;      /* > 0: that round */
  char   *before;        /* non-NULL: rounds started before this time */
} DeleteData;

static void
delete_data_free (gpointer data)
{
  DeleteData *del = data;

  g_free (del->before);
  g_free (del);
}

static void
delete_job (Worker   *worker,
            gpointer  data,
            GTask    *task)
{
  DeleteData *del = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *error = NULL;

  if (del->round_id > 0)
    {
      stmt = prepare (worker->db, "DELETE FROM rounds WHERE id = ?", &error);
      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 1, del->round_id);
    }
  else if (del->before != NULL)
    {
      stmt = prepare (worker->db, "DELETE FROM rounds WHERE started_at < ?", &error);
      if (stmt != NULL)
        bind_text (stmt, 1, del->before);
    }
  else
    stmt = prepare (worker->db, "DELETE FROM rounds", &error);

  if (stmt == NULL || !step_done (worker->db, stmt, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, sqlite3_changes (worker->db));
}

static void
push_delete (JxHistory           *self,
             DeleteData          *del,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  push_job (self, delete_job, task, del, delete_data_free);
}

void
jx_history_delete_round_async (JxHistory           *self,
                               gint64               round_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  DeleteData *del;

  g_return_if_fail (JX_IS_HISTORY (self));
  g_return_if_fail (round_id > 0);

  del = g_new0 (DeleteData, 1);
  del->round_id = round_id;
  push_delete (self, del, jx_history_delete_round_async, cancellable, callback, user_data);
}

void
jx_history_delete_all_async (JxHistory           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (JX_IS_HISTORY (self));

  push_delete (self, g_new0 (DeleteData, 1), jx_history_delete_all_async,
               cancellable, callback, user_data);
}

void
jx_history_forget_older_than_async (JxHistory           *self,
                                    guint                days,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -(gint) days);
  DeleteData *del;

  g_return_if_fail (JX_IS_HISTORY (self));

  del = g_new0 (DeleteData, 1);
  del->before = iso_utc (cutoff);
  push_delete (self, del, jx_history_forget_older_than_async, cancellable, callback, user_data);
}

gint64
jx_history_delete_finish (JxHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Median tokens                                                                        */
/* ------------------------------------------------------------------------------------ */

typedef struct
{
  char  *provider_id;
  char  *model;
  guint  max_samples;
} MedianData;

typedef struct
{
  double input;
  double output;
  guint  n;
} MedianResult;

static void
median_data_free (gpointer data)
{
  MedianData *median = data;

  g_free (median->provider_id);
  g_free (median->model);
  g_free (median);
}

static void
median_job (Worker   *worker,
            gpointer  data,
            GTask    *task)
{
  MedianData *median = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) inputs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) outputs = g_array_new (FALSE, FALSE, sizeof (double));
  MedianResult *result;
  GError *error = NULL;

  stmt = prepare (worker->db,
                  "SELECT input_tokens, output_tokens FROM responses"
                  " WHERE provider_id = ? AND model = ? AND status = 'ok'"
                  " AND usage_source = 'provider' ORDER BY id DESC LIMIT ?", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bind_text (stmt, 1, median->provider_id);
  bind_text (stmt, 2, median->model);
  sqlite3_bind_int64 (stmt, 3, median->max_samples > 0 ? median->max_samples : 200);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      double input = (double) column_count (stmt, 0);
      double output = (double) column_count (stmt, 1);

      if (input >= 0)
        g_array_append_val (inputs, input);
      if (output >= 0)
        g_array_append_val (outputs, output);
    }

  result = g_new0 (MedianResult, 1);
  result->input = jx_stats_percentile ((const double *) inputs->data, inputs->len, 50);
  result->output = jx_stats_percentile ((const double *) outputs->data, outputs->len, 50);
  result->n = MAX (inputs->len, outputs->len);
  g_task_return_pointer (task, result, g_free);
}

void
jx_history_median_tokens_async (JxHistory           *self,
                                const char          *provider_id,
                                const char          *model,
                                guint                max_samples,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  MedianData *median;

  g_return_if_fail (JX_IS_HISTORY (self));
  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (model != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jx_history_median_tokens_async);
  median = g_new0 (MedianData, 1);
  median->provider_id = g_strdup (provider_id);
  median->model = g_strdup (model);
  median->max_samples = max_samples;
  push_job (self, median_job, task, median, median_data_free);
}

gboolean
jx_history_median_tokens_finish (JxHistory     *self,
                                 GAsyncResult  *result,
                                 double        *input_tokens,
                                 double        *output_tokens,
                                 guint         *n_samples,
                                 GError       **error)
{
  g_autofree MedianResult *median = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  median = g_task_propagate_pointer (G_TASK (result), error);
  if (median == NULL)
    return FALSE;

  if (input_tokens != NULL)
    *input_tokens = median->input;
  if (output_tokens != NULL)
    *output_tokens = median->output;
  if (n_samples != NULL)
    *n_samples = median->n;
  return TRUE;
}
