//! Runs the real `factbot` binary and checks what it prints, declaratively:
//! `Run::new(["ask", "hi"]).knowledge(dir).stdout_has("Hello").success()`.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod bot;
pub mod dialogue;
pub mod fake_api;

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A writable copy of a fixture knowledge folder, for tests that break it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixture(name), dir.path());
    dir
}

/// Replaces `from` with `to` in a file, insisting that `from` is there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

pub struct Run {
    args: Vec<String>,
    stdin: Vec<u8>,
    knowledge: Option<PathBuf>,
    env: Vec<(String, String)>,
}

pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Run {
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(args: I) -> Run {
        Run {
            args: args.into_iter().map(|s| s.as_ref().to_string()).collect(),
            stdin: Vec::new(),
            knowledge: None,
            env: Vec::new(),
        }
    }

    pub fn knowledge(mut self, dir: &Path) -> Run {
        self.knowledge = Some(dir.to_path_buf());
        self
    }

    pub fn stdin(self, text: &str) -> Run {
        self.stdin_bytes(text.as_bytes())
    }

    /// Input that need not be text.
    pub fn stdin_bytes(mut self, bytes: &[u8]) -> Run {
        self.stdin = bytes.to_vec();
        self
    }

    /// The command, ready to spawn (for tests that talk to it as it runs).
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_factbot"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("FACTBOT_KNOWLEDGE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = &self.knowledge {
            cmd.arg("--knowledge").arg(dir);
        }
        cmd.args(&self.args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn output(self) -> Outcome {
        let mut child = self.command().spawn().expect("factbot starts");
        let mut stdin = child.stdin.take().unwrap();
        let input = self.stdin;
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        writer.join().unwrap();
        Outcome {
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            code: status.code(),
        }
    }
}

impl Outcome {
    pub fn success(self) -> Outcome {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn failure(self) -> Outcome {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn stdout_has(self, needle: &str) -> Outcome {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    pub fn stderr_has(self, needle: &str) -> Outcome {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// A loopback address nothing listens on (the port was free a moment ago).
pub fn free_address() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// One HTTP/1.1 request on a fresh connection: (status, body).
pub fn http(address: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}
