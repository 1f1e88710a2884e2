//! The bot's state in one SQLite file: chat preferences, the log of
//! unanswered questions, and (for the announcer) subscriptions and the
//! announcement ledger. The schema evolves through an append-only list of
//! migrations; a file is never opened by a binary older than its schema.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

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
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the database {path} has schema version {found}, newer than this factbot knows ({known}): upgrade factbot or use another --db")]
    TooNew {
        path: String,
        found: usize,
        known: usize,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

pub struct Store {
    conn: Connection,
}

/// One row of `factbot unanswered`: a question and how often it was asked.
#[derive(Debug, Clone, PartialEq)]
pub struct UnansweredGroup {
    pub question: String,
    pub lang: String,
    pub count: u64,
    pub last_asked: String,
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Store::init(conn, &path.display().to_string())
    }

    /// A private in-memory database, for tests and dry runs.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(conn: Connection, path: &str) -> Result<Store, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store { conn };
        store.migrate(path)?;
        Ok(store)
    }

    fn migrate(&mut self, path: &str) -> Result<(), StoreError> {
        let version: usize = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?
            as usize;
        if version > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: path.to_string(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize)
    }

    /// The chat's chosen reply language; `None` means "the question's language".
    pub fn chat_lang(&self, chat_id: i64) -> Result<Option<Lang>, StoreError> {
        let lang: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT lang FROM chat_settings WHERE chat_id = ?1",
                [chat_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(lang.flatten().and_then(|l| l.parse().ok()))
    }

    pub fn set_chat_lang(&self, chat_id: i64, lang: Option<Lang>) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO chat_settings (chat_id, lang) VALUES (?1, ?2)
             ON CONFLICT(chat_id) DO UPDATE SET lang = excluded.lang,
               updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
            params![chat_id, lang.map(|l| l.code())],
        )?;
        Ok(())
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
        self.conn.execute(
            "INSERT INTO unanswered (question, lang, chat_type, outcome, confidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![question.trim(), lang.code(), chat_type, outcome, f64::from(confidence)],
        )?;
        Ok(())
    }

    /// Unanswered questions grouped by text (case-insensitive), most frequent first.
    pub fn unanswered(&self, limit: usize) -> Result<Vec<UnansweredGroup>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT MIN(question), lang, COUNT(*) AS n, MAX(asked_at) FROM unanswered
             GROUP BY lower(question), lang ORDER BY n DESC, MAX(asked_at) DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(UnansweredGroup {
                question: r.get(0)?,
                lang: r.get(1)?,
                count: r.get::<_, i64>(2)? as u64,
                last_asked: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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
