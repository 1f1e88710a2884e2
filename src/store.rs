//! The bot's state in one SQLite file: chat preferences, the log of
//! unanswered questions, and (for the announcer) subscriptions and the
//! announcement ledger. The schema evolves through an append-only list of
//! migrations; a file is never opened by a binary older than its schema.

use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::lang::Lang;

/// Migrations, applied in order; `user_version` records how many ran.
/// Append only: never edit or reorder a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: chat preferences and the curation log (no user or chat ids in it).
    "CREATE TABLE chat_settings (
        chat_id INTEGER PRIMARY KEY,
        lang TEXT,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY,
        question TEXT NOT NULL,
        lang TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        outcome TEXT NOT NULL,
        confidence REAL NOT NULL,
        asked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );",
    // 2: milestone announcements: subscriptions and the ledger that makes
    // each (chat, milestone, occasion) post at most once.
    "CREATE TABLE subscriptions (
        chat_id INTEGER PRIMARY KEY,
        active INTEGER NOT NULL DEFAULT 1,
        anniversaries INTEGER NOT NULL DEFAULT 1,
        planned INTEGER NOT NULL DEFAULT 1,
        hour INTEGER NOT NULL DEFAULT 10,
        daily_cap INTEGER NOT NULL DEFAULT 3,
        subscribed_on TEXT NOT NULL,
        ended_at TEXT,
        end_reason TEXT
    );
    CREATE TABLE announcements (
        chat_id INTEGER NOT NULL,
        milestone TEXT NOT NULL,
        occasion TEXT NOT NULL,
        due_on TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'expired')),
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_on TEXT,
        error TEXT,
        UNIQUE (chat_id, milestone, occasion)
    );
    CREATE INDEX announcements_pending ON announcements (state, chat_id, due_on);",
    // 3: the durable inbox: every update fetched from Telegram is recorded
    // here before Telegram is told it was received, and marked handled
    // after; its payload is dropped once handled.
    "CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        payload TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'handled', 'expired')),
        received_at INTEGER NOT NULL,
        settled_at INTEGER
    );
    CREATE INDEX inbox_pending ON inbox (state, update_id);",
    // 4: announcements get an id an operator can name, the state `unknown`
    // (Telegram may have posted it: never resent automatically) and the
    // time of the claim, so that a row left `sending` by a crash is noticed.
    "CREATE TABLE announcements_v4 (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        milestone TEXT NOT NULL,
        occasion TEXT NOT NULL,
        due_on TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'unknown', 'sent', 'failed', 'expired')),
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_on TEXT,
        claimed_at TEXT,
        error TEXT,
        UNIQUE (chat_id, milestone, occasion)
    );
    INSERT INTO announcements_v4 (chat_id, milestone, occasion, due_on, state, attempts, claimed_on, error)
        SELECT chat_id, milestone, occasion, due_on, state, attempts, claimed_on, error FROM announcements;
    DROP TABLE announcements;
    ALTER TABLE announcements_v4 RENAME TO announcements;
    CREATE INDEX announcements_pending ON announcements (state, chat_id, due_on);",
    // 5: usage statistics for curators: one row per question answered or
    // not, with what became of it; no text, no user or chat ids.
    "CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        asked_on TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d','now')),
        lang TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT,
        answer TEXT,
        follow_up INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX questions_day ON questions (asked_on);",
];

/// The database file commands use when not given `--db`.
pub const DEFAULT_DB: &str = "factbot.sqlite3";

/// Marks a SQLite file as factbot's (`PRAGMA application_id`, "FBOT").
pub const APPLICATION_ID: i32 = 0x4642_4f54;

/// Every error names the database once; the SQLite error it wraps is part
/// of the message, not a separate cause, so it is not repeated.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such database: {path} (check --db; the bot creates it on its first run)")]
    Missing { path: String },
    #[error("{path} is not factbot's database (it belongs to another application): point --db at factbot's own file, or at a new path")]
    NotOurs { path: String },
    #[error("the database {path} has schema version {found}, newer than this factbot knows ({known}): upgrade factbot or use another --db")]
    TooNew {
        path: String,
        found: usize,
        known: usize,
    },
    #[error("database {path}: {error}")]
    Sql {
        path: String,
        error: rusqlite::Error,
    },
}

pub struct Store {
    conn: Connection,
    path: String,
}

/// One row of `factbot unanswered`: a question and how often it was asked.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnansweredGroup {
    pub question: String,
    pub lang: String,
    pub count: u64,
    pub last_asked: String,
}

/// Whether a file that is not marked as factbot's may be adopted: a new,
/// empty database, or one written by a factbot from before the mark.
fn adoptable(conn: &Connection) -> rusqlite::Result<bool> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let ours = ["chat_settings", "unanswered"];
    Ok(tables.is_empty() || ours.iter().all(|t| tables.iter().any(|n| n == t)))
}

impl Store {
    /// Opens the database, creating it if needed, and brings its schema up
    /// to date. Refuses, unchanged, a file that belongs to something else.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|error| StoreError::Sql {
            path: name.clone(),
            error,
        })?;
        let mut store = Store { conn, path: name };
        store.mark_as_ours()?;
        store.sql(|c| {
            c.pragma_update(None, "journal_mode", "WAL")?;
            c.pragma_update(None, "synchronous", "NORMAL")?;
            c.busy_timeout(std::time::Duration::from_secs(5))
        })?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database for reading only: never creates one,
    /// never changes one, works on a read-only file.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        if !path.is_file() {
            return Err(StoreError::Missing { path: name });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|error| StoreError::Sql {
            path: name.clone(),
            error,
        })?;
        let store = Store { conn, path: name };
        let id =
            store.sql(|c| c.pragma_query_value(None, "application_id", |r| r.get::<_, i32>(0)))?;
        if id != APPLICATION_ID && !store.sql(adoptable)? {
            return Err(StoreError::NotOurs { path: store.path });
        }
        store.sql(|c| c.busy_timeout(std::time::Duration::from_secs(5)))?;
        let version = store.schema_version()?;
        if version > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: store.path,
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        Ok(store)
    }

    /// A private in-memory database, for tests and dry runs.
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|error| StoreError::Sql {
            path: ":memory:".into(),
            error,
        })?;
        let mut store = Store {
            conn,
            path: ":memory:".into(),
        };
        store.mark_as_ours()?;
        store.migrate()?;
        Ok(store)
    }

    /// Runs SQL against the database; its errors name the file.
    pub(crate) fn sql<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        f(&self.conn).map_err(|error| StoreError::Sql {
            path: self.path.clone(),
            error,
        })
    }

    /// Marks the file as factbot's, or refuses it if it is someone else's.
    fn mark_as_ours(&mut self) -> Result<(), StoreError> {
        let id =
            self.sql(|c| c.pragma_query_value(None, "application_id", |r| r.get::<_, i32>(0)))?;
        if id == APPLICATION_ID {
            return Ok(());
        }
        if id != 0 || !self.sql(adoptable)? {
            return Err(StoreError::NotOurs {
                path: self.path.clone(),
            });
        }
        self.sql(|c| c.pragma_update(None, "application_id", APPLICATION_ID))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version = self.schema_version()?;
        if version > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let path = self.path.clone();
            let step = |c: &mut Connection| -> rusqlite::Result<()> {
                let tx = c.transaction()?;
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", (i + 1) as i64)?;
                tx.commit()
            };
            step(&mut self.conn).map_err(|error| StoreError::Sql { path, error })?;
        }
        Ok(())
    }

    /// Whether the database takes writes now (a write lock is taken and
    /// given back): false on a read-only file or a full disk.
    pub fn writable(&self) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute_batch(
                "BEGIN IMMEDIATE; UPDATE chat_settings SET lang = lang WHERE 0; ROLLBACK;",
            )
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<usize, StoreError> {
        self.sql(|c| c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)))
            .map(|v| v as usize)
    }

    /// The chat's chosen reply language; `None` means "the question's language".
    pub fn chat_lang(&self, chat_id: i64) -> Result<Option<Lang>, StoreError> {
        let lang: Option<Option<String>> = self.sql(|c| {
            c.query_row(
                "SELECT lang FROM chat_settings WHERE chat_id = ?1",
                [chat_id],
                |r| r.get(0),
            )
            .optional()
        })?;
        Ok(lang.flatten().and_then(|l| l.parse().ok()))
    }

    pub fn set_chat_lang(&self, chat_id: i64, lang: Option<Lang>) -> Result<(), StoreError> {
        self.sql(|c| {
            c.execute(
                "INSERT INTO chat_settings (chat_id, lang) VALUES (?1, ?2)
                 ON CONFLICT(chat_id) DO UPDATE SET lang = excluded.lang,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
                params![chat_id, lang.map(|l| l.code())],
            )
            .map(drop)
        })
    }

    /// Records a question the bot could not answer; no user or chat id is kept.
    pub fn record_unanswered(
        &self,
        question: &str,
        lang: Lang,
        chat_type: &str,
        outcome: &str,
        confidence: f32,
    ) -> Result<(), StoreError> {
        let question: String = question.chars().take(500).collect();
        self.sql(|c| {
            c.execute(
                "INSERT INTO unanswered (question, lang, chat_type, outcome, confidence) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![question.trim(), lang.code(), chat_type, outcome, f64::from(confidence)],
            )
            .map(drop)
        })
    }

    /// Unanswered questions grouped by text (case-insensitive), most frequent first.
    pub fn unanswered(&self, limit: usize) -> Result<Vec<UnansweredGroup>, StoreError> {
        self.unanswered_since("-100000 days", limit)
    }

    /// The same, for questions asked since `since` (an SQLite date modifier
    /// from today, such as "-6 days").
    pub(crate) fn unanswered_since(
        &self,
        since: &str,
        limit: usize,
    ) -> Result<Vec<UnansweredGroup>, StoreError> {
        self.sql(|c| {
            c.prepare(
                "SELECT MIN(question), lang, COUNT(*) AS n, MAX(asked_at) FROM unanswered
                 WHERE date(asked_at) >= date('now', ?2)
                 GROUP BY lower(question), lang ORDER BY n DESC, MAX(asked_at) DESC LIMIT ?1",
            )?
            .query_map(params![limit as i64, since], |r| {
                Ok(UnansweredGroup {
                    question: r.get(0)?,
                    lang: r.get(1)?,
                    count: r.get::<_, i64>(2)? as u64,
                    last_asked: r.get(3)?,
                })
            })?
            .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_record_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len());
        drop(store);
        let again = Store::open(&path).unwrap();
        assert_eq!(again.schema_version().unwrap(), MIGRATIONS.len());
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        Store::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            Store::open(&path),
            Err(StoreError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn marks_its_files_and_adopts_those_of_earlier_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        let id = |p: &Path| -> i32 {
            Connection::open(p)
                .unwrap()
                .pragma_query_value(None, "application_id", |r| r.get(0))
                .unwrap()
        };
        Store::open(&path).unwrap();
        assert_eq!(id(&path), APPLICATION_ID);
        // A file from before the mark: factbot's tables, no id.
        let old = dir.path().join("old.sqlite3");
        Connection::open(&old)
            .unwrap()
            .execute_batch(&format!("{} PRAGMA user_version = 1;", MIGRATIONS[0]))
            .unwrap();
        assert!(Store::open_read_only(&old).is_ok());
        assert_eq!(id(&old), 0, "reading does not mark it");
        let store = Store::open(&old).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len());
        assert_eq!(id(&old), APPLICATION_ID);
    }

    #[test]
    fn chat_language_round_trips() {
        let store = Store::in_memory().unwrap();
        assert_eq!(store.chat_lang(-100).unwrap(), None);
        store.set_chat_lang(-100, Some(Lang::ZhHant)).unwrap();
        assert_eq!(store.chat_lang(-100).unwrap(), Some(Lang::ZhHant));
        store.set_chat_lang(-100, None).unwrap();
        assert_eq!(store.chat_lang(-100).unwrap(), None);
    }

    #[test]
    fn groups_unanswered_questions_by_frequency() {
        let store = Store::in_memory().unwrap();
        for q in ["GDP?", "gdp?", "weather", "GDP?"] {
            store
                .record_unanswered(q, Lang::En, "private", "decline", 0.1)
                .unwrap();
        }
        let groups = store.unanswered(10).unwrap();
        assert_eq!(groups[0].count, 3);
        assert_eq!(groups[1].question, "weather");
    }
}
