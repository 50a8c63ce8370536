//! Real Polish text from `../shared/corpus` for benchmarks: the two acts (pdftotext output),
//! the PolEval 2021 gold transcriptions of book pages, and the short topic-labelled texts.

use std::process::Command;

use crate::corpus;

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
