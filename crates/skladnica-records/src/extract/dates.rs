//! Dates in the forms Polish documents write them ("21.10.2013 roku", "5 lutego 2014 roku",
//! "dnia 20 XI 2023r.", "2024-03-13", "16.07 2009 r.") and which one is the document's own: the
//! date under an act's heading ("UCHWAŁA NR … z dnia …"), a place-and-date line ("Racibórz,
//! 24.09.2021r."), else an early date that nothing marks as cited. Dates after "ustawy z dnia",
//! "rozporządzenia …", "Dz. U." and the like are cited.

use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Found, Line};
use crate::date::Date;

/// A date found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateMatch {
    date: Date,
    start: usize,
    end: usize,
}

const MONTHS: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s?[.\-/]\s?(\d{1,2})\s?[.\-/ ]\s?((?:1[89]|2[01])\d{2})(?:\s?(?:r\.|roku|r\b))?")
        .unwrap()
});
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:1[89]|2[01])\d{2})-(\d{2})-(\d{2})\b").unwrap());
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})\s+(stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze[sś]nia|pa[zź]dziernika|listopada|grudnia)\s+((?:1[89]|2[01])\d{2})(?:\s?(?:r\.|roku|r\b))?")
        .unwrap()
});
static ROMAN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s+(XII|XI|X|IX|VIII|VII|VI|IV|V|III|II|I)\s+((?:1[89]|2[01])\d{2})(?:\s?(?:r\.|roku|r\b))?")
        .unwrap()
});
/// Words before a date that make it a citation of another act or letter.
static CITED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(ustaw[aęyąi]|rozporz[aą]dze\w*|uchwa[lł]\w*|zarz[aą]dze\w*|obwieszcze\w*|decyzj\w*|postanowie\w*|pism\w*|umow\w*|porozumie\w*|wyrok\w*|kodeks\w*|dz\.\s?u\.|statut\w*|przed dniem|do dnia|od dnia|terminie|po dniu|dniem)(?:\W+\S+){0,8}\W*$|(?i)\b(do|od|po|przed|czynny|ważn\w*|wazn\w*)\s*$")
        .unwrap()
});
/// An act's heading: the date under it is the act's own.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(uchwała|zarządzenie|obwieszczenie|decyzja|postanowienie|rozporządzenie|ustawa|regulamin|załącznik|ogłoszenie|porozumienie|umowa|protokół)\b")
        .unwrap()
});
/// A place-and-date line: "Racibórz, 24.09.2021r.", "Warszawa, dnia 13 sierpnia 2015 r.".
static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[\p{L}.\-]+\s){0,3}?([\p{L}][\p{L}.\-]+(?:\s[\p{Lu}][\p{L}.\-]+){0,2}),\s*(?:dnia|dn\.)?\s*$")
        .unwrap()
});

/// Whether `token` is, whole, a date ("12.03.2024").
pub(super) fn is_date(token: &str) -> bool {
    all(token)
        .first()
        .is_some_and(|m| m.start == 0 && m.end == token.len())
}

fn all(text: &str) -> Vec<DateMatch> {
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, y: &str, m: u32, d: &str| {
        let (Ok(y), Ok(d)) = (y.parse::<i32>(), d.parse::<u32>()) else {
            return;
        };
        if let Some(date) = Date::new(y, m, d) {
            out.push(DateMatch { date, start, end });
        }
    };
    for c in NUMERIC.captures_iter(text) {
        let all = c.get(0).unwrap();
        if let Ok(m) = c[2].parse::<u32>() {
            push(all.start(), all.end(), &c[3], m, &c[1]);
        }
    }
    for c in ISO.captures_iter(text) {
        let all = c.get(0).unwrap();
        if let Ok(m) = c[2].parse::<u32>() {
            push(all.start(), all.end(), &c[1], m, &c[3]);
        }
    }
    for c in WORDS.captures_iter(text) {
        let all = c.get(0).unwrap();
        let name = crate::fold(&c[2]);
        if let Some(m) = MONTHS.iter().position(|n| crate::fold(n) == name) {
            push(all.start(), all.end(), &c[3], m as u32 + 1, &c[1]);
        }
    }
    for c in ROMAN_RE.captures_iter(text) {
        let all = c.get(0).unwrap();
        if let Some(m) = ROMAN.iter().position(|r| *r == &c[2]) {
            push(all.start(), all.end(), &c[3], m as u32 + 1, &c[1]);
        }
    }
    out.sort_by_key(|m| m.start);
    out.dedup_by(|b, a| b.start < a.end);
    out
}

/// Whether the text before a date on its line is only "z dnia" (or "z dn.").
fn z_dnia_alone(before_on_line: &str) -> bool {
    matches!(
        before_on_line.trim().to_lowercase().as_str(),
        "z dnia" | "z dn." | "z dn"
    )
}

/// How many non-empty lines count as the document's head.
const HEAD_LINES: usize = 15;

pub(super) fn find(text: &str, lines: &[Line<'_>]) -> Vec<Found> {
    let dates = all(text);
    if dates.is_empty() {
        return Vec::new();
    }
    // The head: the first non-empty lines of the text.
    let head_end = lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .nth(HEAD_LINES)
        .map_or(text.len(), |l| l.start);
    let line_of = |pos: usize| lines.iter().rposition(|l| l.start <= pos).unwrap_or(0);
    let mut best: Option<(f32, usize, &'static str)> = None;
    let mut scored = Vec::new();
    for (i, m) in dates.iter().enumerate() {
        let li = line_of(m.start);
        let line = &lines[li];
        let before_on_line = &text[line.start..m.start];
        let before = &text[text.floor_char_boundary(m.start.saturating_sub(80))..m.start];
        let cited = CITED.is_match(before);
        let mut score: f32 = 0.0;
        let mut why = "";
        let heading_above = lines[li.saturating_sub(3)..=li]
            .iter()
            .any(|l| HEADING.is_match(l.text));
        let z_dnia = before_on_line.trim().to_lowercase();
        let z_dnia = z_dnia.ends_with("z dnia") || z_dnia.ends_with("z dn.") || z_dnia == "z";
        // Under an act's heading the heading's own word ("OBWIESZCZENIE … z dnia") is no
        // citation.
        let cited = cited && !(heading_above && z_dnia && z_dnia_alone(before_on_line));
        if m.start < head_end && !cited {
            if heading_above && z_dnia {
                score = 0.95;
                why = "the date under the act's heading";
            } else if PLACE_DATE.is_match(before_on_line) {
                score = 0.9;
                why = "a place-and-date line";
            } else if z_dnia {
                score = 0.8;
                why = "\"z dnia\" in the document's head";
            } else {
                score = 0.5;
                why = "an early date nothing marks as cited";
            }
        }
        // A form's place-and-date line stands at its end, above the signature.
        if score == 0.0 && !cited && PLACE_DATE.is_match(before_on_line) {
            score = 0.85;
            why = "a place-and-date line below the text";
        }
        if score > 0.0 && best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, i, why));
        }
        scored.push(cited);
    }
    let mut out = Vec::new();
    for (i, m) in dates.iter().enumerate() {
        match best {
            Some((score, b, why)) if b == i => out.push(Found::new(
                Field::DocumentDate,
                m.date.to_string(),
                score,
                m.start,
                m.end,
                why,
            )),
            _ => out.push(Found::new(
                Field::CitedDate,
                m.date.to_string(),
                if scored[i] { 0.9 } else { 0.6 },
                m.start,
                m.end,
                if scored[i] {
                    "cited: after a reference to another act or letter"
                } else {
                    "not the document's own date"
                },
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Field, extract};

    fn own(text: &str) -> Option<String> {
        extract(text)
            .into_iter()
            .find(|f| f.field == Field::DocumentDate)
            .map(|f| f.value)
    }

    #[test]
    fn reads_the_forms_in_the_issue() {
        for (text, want) in [
            ("z dnia 21.10.2013 roku", "2013-10-21"),
            ("z dnia 5 lutego 2014 roku", "2014-02-05"),
            ("dnia 20 XI 2023r.", "2023-11-20"),
            ("Kraków, 2024-03-13", "2024-03-13"),
            ("z dnia 16.07 2009 r.", "2009-07-16"),
            ("Racibórz, 24.09.2021r.", "2021-09-24"),
            ("z dnia 30 pazdziernika 2020 r.", "2020-10-30"),
        ] {
            let m = all(text);
            assert_eq!(m.len(), 1, "{text}");
            assert_eq!(m[0].date.to_string(), want, "{text}");
        }
        assert!(all("31.02.2024").is_empty(), "no such day");
        assert!(all("Nr CKZiU2.26.16.21").is_empty());
    }

    #[test]
    fn the_acts_own_date_not_the_cited_ones() {
        let text = "UCHWAŁA NR VII/88/2019\nRADY GMINY MOGILANY\nz dnia 11 kwietnia 2019 r.\nw sprawie zmiany Statutu\nNa podstawie art. 18 ustawy z dnia 8 marca 1990 roku o samorządzie gminnym";
        assert_eq!(own(text).as_deref(), Some("2019-04-11"));
        let cited: Vec<String> = extract(text)
            .into_iter()
            .filter(|f| f.field == Field::CitedDate)
            .map(|f| f.value)
            .collect();
        assert_eq!(cited, ["1990-03-08"]);
        // A journal's header date gives way to the act's own.
        let text = "Warszawa, dnia 13 sierpnia 2015 r.\nPoz. 1160\nOBWIESZCZENIE\nMARSZAŁKA SEJMU\nz dnia 30 lipca 2015 r.\nw sprawie";
        assert_eq!(own(text).as_deref(), Some("2015-07-30"));
        let text = "Centrum Kształcenia Racibórz, 24.09.2021r.\nNr CKZiU2.26.16.21\nZAWIADOMIENIE\nustawy z dnia 11 września 2019 r.";
        assert_eq!(own(text).as_deref(), Some("2021-09-24"));
        assert_eq!(own("Na podstawie ustawy z dnia 8 marca 1990 r."), None);
    }
}
