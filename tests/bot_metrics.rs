//! `factbot run --metrics-listen`: Prometheus counts of what the bot did and
//! how Telegram treated it, and `/healthz` following the database.

mod support;

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use factbot::store::Store;
use support::fake_api::{private_text, FakeApi, Fault, Script, TOKEN};
use support::{free_address, http};

/// GET a path on the metrics listener: (status code, body).
fn get(address: SocketAddr, path: &str) -> (u16, String) {
    http(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

/// The value of the sample of `metric` whose labels include all of `labels`.
fn sample(metrics: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    metrics
        .lines()
        .filter(|l| l.starts_with(&format!("{metric}{{")) || l.starts_with(&format!("{metric} ")))
        .find(|l| labels.iter().all(|label| l.contains(label)))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

async fn eventually(mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_questions_and_telegram_errors_and_health_follows_the_database() {
    let mut script = Script {
        flood_first: 1,
        ..Script::default()
    };
    script.updates.extend([
        private_text(1, 41, "how big is science park"),
        private_text(2, 42, "When was the ITF set up?"),
        private_text(3, 43, "how many projects has the itf approved"),
        private_text(4, 44, "What is Hong Kong's GDP?"),
        private_text(5, 45, "科学园占地多少公顷"),
    ]);
    script
        .faults
        .push_back(("sendmessage".to_string(), Fault::ServerErrorJson));
    let api = FakeApi::start(script).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.sqlite3");
    let port = free_address();
    let mut child = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args([
            "--knowledge",
            &support::fixture("mini").display().to_string(),
        ])
        .args(["run", "--metrics-listen", &port.to_string(), "--db"])
        .arg(&db)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        api.wait_for(Duration::from_secs(60), |s| s.delivered.len() >= 5)
            .await,
        "the five answers were delivered"
    );

    let (status, metrics) = tokio::task::spawn_blocking(move || get(port, "/metrics"))
        .await
        .unwrap();
    assert_eq!(status, 200, "{metrics}");
    let count = |labels: &[&str]| sample(&metrics, "factbot_questions_total", labels);
    assert_eq!(
        count(&["outcome=\"fact\"", "lang=\"en\""]),
        Some(3.0),
        "{metrics}"
    );
    assert_eq!(
        count(&["outcome=\"fact\"", "lang=\"zh-Hans\""]),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(
        count(&["outcome=\"decline\"", "lang=\"en\""]),
        Some(1.0),
        "{metrics}"
    );
    let errors = |kind: &str| sample(&metrics, "factbot_telegram_errors_total", &[kind]);
    assert_eq!(errors("kind=\"429\""), Some(1.0), "{metrics}");
    assert_eq!(errors("kind=\"5xx\""), Some(1.0), "{metrics}");
    assert_eq!(
        sample(&metrics, "factbot_replies_sent_total", &[]),
        Some(5.0),
        "{metrics}"
    );
    assert_eq!(
        sample(&metrics, "factbot_engine_seconds_count", &[]),
        Some(5.0),
        "{metrics}"
    );
    assert_eq!(
        sample(&metrics, "factbot_inbox_backlog", &[]),
        Some(0.0),
        "{metrics}"
    );
    assert!(
        metrics.contains("factbot_knowledge_info{version=\""),
        "{metrics}"
    );

    let health = move || get(port, "/healthz");
    assert_eq!(tokio::task::spawn_blocking(health).await.unwrap().0, 200);
    // Another process holds the database's write lock: the bot cannot write.
    let store = Store::open(&db).unwrap();
    store.connection().execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (status, body) = tokio::task::spawn_blocking(health).await.unwrap();
    assert_eq!((status, body.as_str()), (503, "database not writable\n"));
    store.connection().execute_batch("COMMIT").unwrap();
    assert!(
        eventually(|| get(port, "/healthz").0 == 200).await,
        "healthy again once the database takes writes"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
