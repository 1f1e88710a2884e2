//! Time per question over the evaluation set, knowledge load plus index
//! build, and how time per question grows with knowledge 10× and 100× the
//! real one. Figures are reported in README.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use factbot::eval;
use factbot::knowledge::{embedded_files, Knowledge, KnowledgeFiles};
use factbot::Engine;

fn questions() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let cases = eval::parse(&path.display().to_string(), &text, &mut Default::default());
        out.extend(cases.unwrap().into_iter().map(|c| c.question));
    }
    out
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
                .replace("topic = \"", &format!("topic = \"c{copy}-"));
            files.push((
                format!("facts/c{copy}-{}", &name["facts/".len()..]),
                renamed,
            ));
        }
    }
    files
}

fn per_question(c: &mut Criterion) {
    let engine = Engine::new(Knowledge::load_from(None).unwrap());
    let questions = questions();
    let mut group = c.benchmark_group("question");
    group.throughput(Throughput::Elements(questions.len() as u64));
    group.bench_function("evaluation set", |b| {
        b.iter(|| {
            for q in &questions {
                black_box(engine.ask(black_box(q)));
            }
        })
    });
    group.finish();
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
    for times in [1, 10, 100] {
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
