//! Time per question over the evaluation set (answers and declines apart,
//! and the spread across questions: median and 99th percentile), knowledge
//! load plus index build, and how time per question grows with knowledge
//! 10 times the real one. Figures are reported in README.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use factbot::eval;
use factbot::knowledge::{embedded_files, Knowledge, KnowledgeFiles};
use factbot::Engine;

// The allocator the binary runs with (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cases() -> Vec<eval::Case> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "tsv") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let cases = eval::parse(&path.display().to_string(), &text, &mut Default::default());
        out.extend(cases.unwrap());
    }
    out
}

fn questions() -> Vec<String> {
    cases().into_iter().map(|c| c.question).collect()
}

/// The real knowledge with every fact and topic copied `times` times under new ids.
fn replicated(times: usize) -> KnowledgeFiles {
    let mut files = Vec::new();
    for (name, text) in embedded_files() {
        if !name.starts_with("facts/") {
            files.push((name, text));
            continue;
        }
        for copy in 0..times {
            let renamed = text
                .replace("id = \"", &format!("id = \"c{copy}-"))
                .replace("topic = \"", &format!("topic = \"c{copy}-"))
                .replace("adds_to = \"", &format!("adds_to = \"c{copy}-"))
                .lines()
                .map(|line| renamed_owners(line, copy))
                .collect::<Vec<_>>()
                .join("\n");
            files.push((
                format!("facts/c{copy}-{}", &name["facts/".len()..]),
                renamed,
            ));
        }
    }
    files
}

/// A topic's `within` line with its owners' ids renamed as `replicated`
/// renames them (ids, topics and `adds_to` are renamed in place); any
/// other line as it is.
fn renamed_owners(line: &str, copy: usize) -> String {
    match line.strip_prefix("within = [") {
        Some(owners) => {
            let ids: Vec<String> = owners
                .trim_end_matches(']')
                .split(", ")
                .map(|id| format!("\"c{copy}-{}", id.trim_start_matches('"')))
                .collect();
            format!("within = [{}]", ids.join(", "))
        }
        None => line.to_string(),
    }
}

fn per_question(c: &mut Criterion) {
    let engine = Engine::new(Knowledge::load_from(None).unwrap());
    let cases = cases();
    let (declines, answers): (Vec<_>, Vec<_>) = cases
        .iter()
        .partition(|c| c.expected == eval::Expected::Decline);
    let mut group = c.benchmark_group("question");
    group.sample_size(10);
    for (name, set) in [("answerable", answers), ("must decline", declines)] {
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                for case in &set {
                    black_box(engine.ask(black_box(&case.question)));
                }
            })
        });
    }
    group.finish();
    spread(&engine, &cases);
}

/// The spread across questions, which criterion's per-benchmark figures do
/// not show: each question's median time over several runs, then the median
/// and 99th percentile of those.
fn spread(engine: &Engine, cases: &[eval::Case]) {
    const RUNS: usize = 21;
    let mut times: Vec<Duration> = cases
        .iter()
        .map(|case| {
            let mut runs: Vec<Duration> = (0..RUNS)
                .map(|_| {
                    let start = Instant::now();
                    black_box(engine.ask(black_box(&case.question)));
                    start.elapsed()
                })
                .collect();
            runs.sort();
            runs[RUNS / 2]
        })
        .collect();
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "question spread over {} questions: median {:.1} µs, p99 {:.1} µs, slowest {:.1} µs",
        times.len(),
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        at(1.0).as_secs_f64() * 1e6
    );
}

fn load(c: &mut Criterion) {
    let files = embedded_files();
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("check and index", |b| {
        b.iter(|| Engine::new(Knowledge::load(black_box(&files)).unwrap()))
    });
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let questions = questions();
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    group.throughput(Throughput::Elements(questions.len() as u64));
    for times in [1, 10] {
        let engine = Engine::new(Knowledge::load(&replicated(times)).unwrap());
        group.bench_with_input(
            BenchmarkId::new("knowledge ×", times),
            &engine,
            |b, engine| {
                b.iter(|| {
                    for q in &questions {
                        black_box(engine.ask(black_box(q)));
                    }
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, per_question, load, scaling);
criterion_main!(benches);
