//! Prints the lemmas of each word given on the command line (a debugging aid).
fn main() {
    let dict = skladnica_polish::Morfologik::polish();
    for w in std::env::args().skip(1) {
        println!("{w}: {:?}", dict.lemmas(&w));
    }
}
