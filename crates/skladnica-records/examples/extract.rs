//! Prints what the extractors find in text files: `cargo run -p skladnica-records --example
//! extract -- FILE...` (one line per value: field, value, confidence, the source text).

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        println!("== {path}");
        for f in skladnica_records::extract::extract(&text) {
            let source: String = text[f.start..f.end].chars().take(60).collect();
            println!(
                "{:<14} {:<50} {:.2}  «{}»",
                f.field.name(),
                f.value.chars().take(50).collect::<String>(),
                f.confidence,
                source.replace('\n', "⏎")
            );
        }
    }
}
