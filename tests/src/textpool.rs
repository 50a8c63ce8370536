//! Real Polish text from `../shared/corpus` for benchmarks: the two acts (pdftotext output),
//! the PolEval 2021 gold transcriptions of book pages, and the short topic-labelled texts.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::{corpus, paginate, pdf};

/// Paragraphs of real Polish text, in corpus order.
pub fn paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in crate::admin_texts() {
        for para in text.split("\n\n") {
            let p = para.split_whitespace().collect::<Vec<_>>().join(" ");
            if p.chars().count() > 40 {
                out.push(p);
            }
        }
    }
    let gold = corpus().join("ocr_text_pairs/poleval2021-ocr-correction/dev-0/expected.tsv.xz");
    if let Ok(o) = Command::new("xz").arg("-dc").arg(&gold).output()
        && o.status.success()
    {
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            for para in line.split("\\n") {
                let p = para.split_whitespace().collect::<Vec<_>>().join(" ");
                if p.chars().count() > 40 {
                    out.push(p);
                }
            }
        }
    }
    for file in ["dev.txt", "test.txt"] {
        let path = corpus().join("labelled/topic_8tags").join(file);
        if let Ok(text) = std::fs::read_to_string(path) {
            let mut para = String::new();
            for line in text.lines() {
                let sentence = line.split_once(' ').map_or(line, |(_, s)| s);
                para.push_str(sentence);
                para.push(' ');
                if para.len() > 600 {
                    out.push(std::mem::take(&mut para).trim().to_string());
                }
            }
        }
    }
    out
}

/// A small deterministic random generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// Pages per document: most office documents are short.
pub fn page_count(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=59 => 1,
        60..=79 => 2,
        80..=91 => 3 + rng.below(3) as usize,
        _ => 6 + rng.below(15) as usize,
    }
}

/// About `chars` characters of text from the pool, starting at paragraph `start`.
pub fn take_text(pool: &[String], start: usize, chars: usize) -> String {
    let mut out = String::new();
    let mut i = start;
    while out.chars().count() < chars {
        let p = &pool[i % pool.len()];
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(p);
        i += 1;
    }
    // Cut at a word boundary near the target length.
    let mut cut = 0;
    for (n, (idx, c)) in out.char_indices().enumerate() {
        if n >= chars && c.is_whitespace() {
            cut = idx;
            break;
        }
    }
    if cut > 0 {
        out.truncate(cut);
    }
    out
}

/// Writes `n` PDFs into `dir`; returns (pages, bytes).
pub fn generate(pool: &[String], n: usize, dir: &Path) -> (usize, u64) {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let results: Vec<(usize, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut pages = 0;
                    let mut bytes = 0;
                    for i in (t..n).step_by(threads) {
                        let mut rng = Rng::new(i as u64 * 7919 + 17);
                        let year = 2010 + rng.below(16);
                        let month = 1 + rng.below(12);
                        let day = 1 + rng.below(28);
                        let count = page_count(&mut rng);
                        let mut doc_pages = Vec::with_capacity(count);
                        for p in 0..count {
                            let start = rng.below(pool.len() as u64) as usize;
                            let mut text = take_text(pool, start, 1150);
                            if p == 0 {
                                text = format!(
                                    "Urząd Gminy Przykładowo, znak OR.0012.{i}.{year}\n{text}"
                                );
                            }
                            let mut lines = paginate(&text).concat();
                            lines.truncate(60);
                            doc_pages.push(lines);
                        }
                        pages += count;
                        let date = format!("{year}{month:02}{day:02}");
                        let bytes_ = pdf(&doc_pages, None, Some(&date));
                        bytes += bytes_.len() as u64;
                        let path = dir
                            .join(format!("{:03}", i / 1000))
                            .join(format!("{i:06}.pdf"));
                        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                        std::fs::write(path, bytes_).unwrap();
                    }
                    (pages, bytes)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    results
        .into_iter()
        .fold((0, 0), |(p, b), (p2, b2)| (p + p2, b + b2))
}

/// A fixed set of clerk-like queries plus words sampled from the texts.
pub fn latency_queries(pool: &[String]) -> Vec<String> {
    let mut q: Vec<String> = [
        "umowa",
        "umowy dzierżawy",
        "zaświadczenie",
        "zaswiadczenie",
        "wniosek o wydanie",
        "decyzja",
        "\"ochrony konkurencji\"",
        "konsumentów",
        "prezes urzędu",
        "rzeczpospolita",
        "sejm",
        "ustawa rok:2020",
        "kara pieniężna",
        "przedsiębiorca",
        "rada ministrów",
        "trybunał konstytucyjny",
        "prawo własności",
        "gmina",
        "obywatel -prawo",
        "\"w sprawie\"",
        "postępowanie",
        "tytul:urząd",
        "data:2015..2018 decyzja",
        "kościół",
        "wojna",
        "król",
        "miasto",
        "dom",
        "ziemia",
        "sąd",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rng = Rng::new(42);
    while q.len() < 100 {
        let p = &pool[rng.below(pool.len() as u64) as usize];
        let words: Vec<&str> = p
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 5)
            .collect();
        if words.len() < 2 {
            continue;
        }
        let i = rng.below(words.len() as u64 - 1) as usize;
        if q.len().is_multiple_of(3) {
            q.push(format!("{} {}", words[i], words[i + 1]));
        } else {
            q.push(words[i].to_lowercase());
        }
    }
    q
}

/// p50, p95, p99 in milliseconds over 5 rounds (after a warm-up round).
pub fn latency(queries: &[String], mut f: impl FnMut(&str) -> usize) -> (f64, f64, f64) {
    for q in queries {
        f(q);
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        for q in queries {
            let t = Instant::now();
            std::hint::black_box(f(q));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    (pct(0.50), pct(0.95), pct(0.99))
}
