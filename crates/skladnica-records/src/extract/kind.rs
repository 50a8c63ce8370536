//! The kind of a document (decyzja, uchwała, zarządzenie, …) from its heading: the first of
//! its opening lines that begins with a kind's name. A letter without a heading (a place-and-date
//! line, a salutation) is a "pismo"; anything else an "informacja".

use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Found, Line};

/// The kinds the extractor names, with the word stems that announce each (upper or lower case,
/// with or without Polish letters).
const KINDS: &[(&str, &[&str])] = &[
    ("uchwała", &["uchwała", "uchwala"]),
    ("zarządzenie", &["zarządzenie", "zarzadzenie"]),
    ("obwieszczenie", &["obwieszczenie"]),
    ("decyzja", &["decyzja"]),
    ("postanowienie", &["postanowienie"]),
    ("zawiadomienie", &["zawiadomienie"]),
    ("ogłoszenie", &["ogłoszenie", "ogloszenie"]),
    ("wniosek", &["wniosek"]),
    ("oświadczenie", &["oświadczenie", "oswiadczenie"]),
    ("regulamin", &["regulamin"]),
    ("umowa", &["umowa"]),
    ("faktura", &["faktura"]),
    ("ustawa", &["ustawa"]),
    ("rozporządzenie", &["rozporządzenie", "rozporzadzenie"]),
    ("załącznik", &["załącznik", "zalacznik"]),
    ("specyfikacja", &["specyfikacja"]),
    ("protokół", &["protokół", "protokol"]),
    ("opinia", &["opinia"]),
    ("sprawozdanie", &["sprawozdanie"]),
    ("informacja", &["informacja", "informacje"]),
    ("pismo", &["pismo"]),
];

static SALUTATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(szanown\w+|pan\s|pani\s|dotyczy:|dot\.)").unwrap());
static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[\p{Lu}][\p{L} .\-]{1,60},\s*(?:dnia\s*)?\d{1,2}[ .\-]").unwrap()
});

/// How many non-empty lines are searched for a heading.
const HEAD_LINES: usize = 14;

pub(super) fn find(_text: &str, lines: &[Line<'_>]) -> Vec<Found> {
    let head: Vec<&Line<'_>> = lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .take(HEAD_LINES)
        .collect();
    for line in &head {
        // OCR leaves marks before the first letter; "Projekt" stands above a draft's heading.
        let t = line.text.trim_start_matches(|c: char| !c.is_alphabetic());
        let lower = t.to_lowercase();
        for (kind, stems) in KINDS {
            if let Some(stem) = stems.iter().find(|s| lower.starts_with(*s)) {
                let rest = &lower[stem.len()..];
                // The word itself, not a longer one ("uchwałą", "informacjami").
                if rest.chars().next().is_some_and(char::is_alphabetic) {
                    continue;
                }
                // "rozporządzenie Ministra … z dn. 24 lutego 2016 r. w sprawie …" in running
                // text or a list cites an act; a heading stands alone.
                if (rest.contains("z dnia") || rest.contains("z dn."))
                    && t.split_whitespace().count() > 6
                {
                    continue;
                }
                let upper = t
                    .chars()
                    .take(stem.chars().count())
                    .all(|c| !c.is_lowercase());
                let numbered =
                    rest.trim_start().starts_with("nr") || rest.trim_start().starts_with("z dnia");
                let start = line.start + (line.text.len() - t.len());
                return vec![Found::new(
                    Field::Kind,
                    *kind,
                    if upper || numbered { 0.9 } else { 0.75 },
                    start,
                    start + stem.len(),
                    "the heading's first word",
                )];
            }
        }
    }
    let letter = head
        .iter()
        .find(|l| PLACE_DATE.is_match(l.text) || SALUTATION.is_match(l.text));
    match letter {
        Some(l) => vec![Found::new(
            Field::Kind,
            "pismo",
            0.6,
            l.start,
            l.start + l.text.len(),
            "a letter: place and date, or a salutation, without a heading",
        )],
        None => vec![Found::new(
            Field::Kind,
            "informacja",
            0.3,
            0,
            0,
            "no heading names a kind",
        )],
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{Field, extract};

    fn kind(text: &str) -> String {
        extract(text)
            .into_iter()
            .find(|f| f.field == Field::Kind)
            .unwrap()
            .value
    }

    #[test]
    fn kinds_from_headings() {
        assert_eq!(kind("UCHWAŁA NR VII/88/2019\nRADY GMINY"), "uchwała");
        assert_eq!(
            kind("Projekt\nUchwała Nr............\nRady Miejskiej"),
            "uchwała"
        );
        assert_eq!(
            kind("Załącznik nr 3\ndo Zarządzenia III/118/2009"),
            "załącznik"
        );
        assert_eq!(
            kind(
                "Centrum Racibórz, 24.09.2021r.\nNr CKZiU2.26.16.21\nZAWIADOMIENIE O ODRZUCENIU OFERTY"
            ),
            "zawiadomienie"
        );
        assert_eq!(
            kind("Gmina X\nCzernichów, 2014-07-21\nSPECYFIKACJA ISTOTNYCH WARUNKÓW"),
            "specyfikacja"
        );
        assert_eq!(
            kind("Kraków, 12.03.2024\nSzanowny Panie,\nuprzejmie informuję"),
            "pismo"
        );
        assert_eq!(kind("Dopłaty do czynszu\nDEFINICJA DOCHODU"), "informacja");
        assert_eq!(kind("Uchwałą Rady z dnia"), "informacja");
    }
}
