//! The real `factbot run` as a child process against a fake Bot API, with
//! its log collected as it runs, and stopped by SIGTERM or kill -9.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::fake_api::{FakeApi, TOKEN};

pub struct BotProcess {
    child: Child,
    log: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

/// `factbot --knowledge <mini fixture> run --db <db> <args…>`, pointed at `api`.
pub fn command(api: &FakeApi, db: &Path, args: &[&str]) -> Command {
    command_with(&super::fixture("mini"), api, db, args)
}

/// The same with the knowledge in `knowledge`.
pub fn command_with(knowledge: &Path, api: &FakeApi, db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factbot"));
    cmd.arg("--knowledge")
        .arg(knowledge)
        .args(["run", "--db"])
        .arg(db)
        .args(args)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url())
        .env(
            "RUST_LOG",
            std::env::var("TEST_BOT_LOG").unwrap_or("info".into()),
        )
        .env_remove("FACTBOT_KNOWLEDGE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

impl BotProcess {
    pub fn start(api: &FakeApi, db: &Path, args: &[&str]) -> BotProcess {
        BotProcess::spawn(command(api, db, args))
    }

    pub fn spawn(mut cmd: Command) -> BotProcess {
        let mut child = cmd.spawn().expect("factbot starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        BotProcess {
            child,
            log,
            reader: Some(reader),
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log contains `needle`, for at most `limit`.
    pub async fn wait_for_log(&self, needle: &str, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.log().contains(needle) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// SIGHUP: re-read the knowledge.
    pub fn hangup(&self) {
        self.signal("-HUP");
    }

    /// Waits for the process to exit by itself, for at most `limit`; the
    /// exit status (None if it had to be killed) and the whole log.
    pub async fn wait(mut self, limit: Duration) -> (Option<ExitStatus>, Duration, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break Some(status);
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let took = start.elapsed();
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        (status, took, self.log())
    }

    /// SIGTERM, then waits up to `limit` for the process to exit.
    pub async fn terminate(self, limit: Duration) -> (Option<ExitStatus>, Duration, String) {
        self.signal("-TERM");
        self.wait(limit).await
    }

    /// kill -9: no chance to clean up.
    pub async fn kill9(self) -> String {
        self.signal("-KILL");
        self.wait(Duration::from_secs(10)).await.2
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
