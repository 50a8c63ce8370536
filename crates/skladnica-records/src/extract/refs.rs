//! Case signs and reference numbers: znak sprawy in the instrukcja's format (checked by the
//! sign parser), numbers given after "Nr", "Znak", "Nr sprawy", "Sygn." ("Nr CKZiU2.26.16.21",
//! "Nr sprawy: GRO.271.2.2014"), act numbers of uchwały and zarządzenia ("Nr 205/2013",
//! "VII/88/2019", "851/XLIII/2021"), and RPW numbers. Citations of the Journal of Laws ("Dz. U.
//! … poz. 994") are not references.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Found};
use crate::rpw::RpwNumber;
use crate::sign::CaseSign;

/// A number after a word that introduces one ("Nr umowy o dofinansowanie: …" included).
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(nr\s+sprawy|znak\s+sprawy|nasz\s+znak|wasz\s+znak|znak\s+pisma|znak|sygn\.?(?:\s+akt)?|(?:nr|numer)\s+(?:umowy|post[eę]powania|decyzji|pisma|zlecenia|wniosku)(?:\s+\p{L}+){0,2}\s*:|numer|nr)\s*[.:]?\s*([\p{L}\d][\p{L}\d./\-]*[\p{L}\d])")
        .unwrap()
});
/// Words before "nr" that make the number an act's or a letter's (so even a bare "nr 363" is a
/// reference: "zarządzenia nr 363 Prezesa Rady Ministrów").
static ACT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(uchwa[lł]\w*|zarz[aą]dze\w*|rozporz[aą]dze\w*|obwieszcze\w*|decyzj\w*|postanowie\w*|komunikat\w*|pism\w*|stanowisk\w*|rekomendacj\w*|wojewody|umow\w*|opracowani\w*)\W+(?:\S+\W+){0,2}$")
        .unwrap()
});
/// Words before "nr" that make the number a plot's, road's, room's or list item's.
static NOT_A_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(dz\.|działk\w*|dzialk\w*|ewid\.|drog\w*|dróg|ulic\w*|lokal\w*|pokoj\w*|pokoju|budynk\w*|załącznik\w*|zalacznik\w*|zadanie|szkoł\w*|szkol\w*|kl\.|tel\.?|fax|faks|konto|rachunk\w*)(?:\W+\p{Ll}+)?\W*$|\p{Lu}\p{Ll}+,\s*$")
        .unwrap()
});
/// References without "Nr": procurement and project numbers (DZP-291-5383/2023).
static LETTERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\p{Lu}{2,}-\d+(?:-\d+)*/\d{2,4})\b").unwrap());
/// European acts: "(UE) 2019/1937".
static EU_ACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?:UE|EU|WE|EWG|Euratom)\)\s*(?:nr\s*)?(\d{4}/\d{1,4})\b").unwrap()
});
/// Act numbers without "Nr": roman/number/year and number/roman/year.
static ACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:[IVXLC][IVXLC1l]{0,6}/\d{1,4}/(?:19|20)?\d{2})|(?:\d{1,4}/[IVXLC][IVXLC1l]{0,6}/(?:19|20)\d{2}))\b")
        .unwrap()
});

/// OCR reads the roman I as 1 or l: "XXX1/234/09" is "XXXI/234/09".
fn roman_fixed(token: &str) -> String {
    let parts: Vec<&str> = token.split('/').collect();
    let fixed: Vec<String> = parts
        .iter()
        .map(|p| {
            let romanish = p.len() >= 2
                && p.chars().all(|c| "IVXLC1l".contains(c))
                && p.chars().filter(|c| "IVXLC".contains(*c)).count() >= 2;
            if romanish {
                p.replace(['1', 'l'], "I")
            } else {
                p.to_string()
            }
        })
        .collect();
    fixed.join("/")
}
/// Sign-like tokens: letters, then dot-separated parts ending in a four-digit year.
static SIGN_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\p{Lu}[\p{Lu}\d]*(?:-\p{Lu}[\p{Lu}\d]*)*\.\d{1,4}\.\d{1,7}(?:\.\d{1,7})*\.(?:19|20)\d{2}(?:\.[\p{Lu}\d]{1,6})*)\b")
        .unwrap()
});
/// An open citation of the Journal of Laws before a number.
static JOURNAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(dz\.\s?u\.|m\.\s?p\.|monitor)[^;)]*$").unwrap());
static RPW_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bRPW\s?[./]\s?(\d{1,7})\s?[./]\s?((?:19|20)\d{2})\b").unwrap()
});

/// Is this token a reference number (has digits, is not a date, a range, a phone number or a
/// plain number)? `act` says an act's or a letter's name stands before its "nr".
fn reference_like(token: &str, act: bool) -> bool {
    let digits = token.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    // A bare number ("nr 3", "Nr 1") is a paragraph or list number, unless an act's name
    // precedes it.
    if token.chars().all(|c| c.is_ascii_digit()) {
        return act;
    }
    // Ranges ("nr 6-9") and phone numbers (digits and dashes only).
    if token.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return false;
    }
    // "nr 558/1": a small number over a one- or two-digit one is a plot or road, unless an act
    // is named ("zarządzenie nr 13/10").
    if let Some((a, b)) = token.split_once('/')
        && a.chars().all(|c| c.is_ascii_digit())
        && b.len() <= 2
        && b.chars().all(|c| c.is_ascii_digit())
        && !act
    {
        return false;
    }
    // Dates written with dots are dates.
    if super::dates::is_date(token) {
        return false;
    }
    token.len() >= 3
}

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut push = |out: &mut Vec<Found>, f: Found| {
        if out.iter().any(|o| o.start < f.end && f.start < o.end) {
            return;
        }
        if seen.insert((f.start, f.end)) {
            out.push(f);
        }
    };
    for c in RPW_RE.captures_iter(text) {
        let m = c.get(0).unwrap();
        if let Ok(n) = format!("RPW.{}.{}", &c[1], &c[2]).parse::<RpwNumber>() {
            push(
                &mut out,
                Found::new(
                    Field::RpwNumber,
                    n.to_string(),
                    0.95,
                    m.start(),
                    m.end(),
                    "an RPW number",
                ),
            );
        }
    }
    for c in SIGN_LIKE.captures_iter(text) {
        let m = c.get(1).unwrap();
        if let Ok(sign) = m.as_str().parse::<CaseSign>() {
            push(
                &mut out,
                Found::new(
                    Field::Reference,
                    sign.to_string(),
                    0.95,
                    m.start(),
                    m.end(),
                    "a case sign in the instrukcja's format",
                ),
            );
        }
    }
    for c in LABELLED.captures_iter(text) {
        let label = c.get(1).unwrap().as_str().to_lowercase();
        let m = c.get(2).unwrap();
        let token = m.as_str().trim_end_matches(['.', '/', '-']);
        let end = m.start() + token.len();
        let at = c.get(0).unwrap().start();
        let before = &text[text.floor_char_boundary(at.saturating_sub(60))..at];
        let plain_nr = label == "nr" || label == "numer";
        if plain_nr && NOT_A_REFERENCE.is_match(before) {
            continue;
        }
        if !reference_like(token, !plain_nr || ACT_WORD.is_match(before)) {
            continue;
        }
        // "Dz. U. z 2011 r. Nr 197, poz. 1172": a journal issue, not a reference.
        if JOURNAL.is_match(before) {
            continue;
        }
        let confidence = if plain_nr { 0.85 } else { 0.95 };
        push(
            &mut out,
            Found::new(
                Field::Reference,
                roman_fixed(token),
                confidence,
                m.start(),
                end,
                format!("after \"{}\"", c.get(1).unwrap().as_str()),
            ),
        );
    }
    for c in ACT.captures_iter(text) {
        let m = c.get(1).unwrap();
        let before = &text[text.floor_char_boundary(m.start().saturating_sub(60))..m.start()];
        if JOURNAL.is_match(before) {
            continue;
        }
        push(
            &mut out,
            Found::new(
                Field::Reference,
                roman_fixed(m.as_str()),
                0.8,
                m.start(),
                m.end(),
                "an act number (roman and arabic numbers, year)",
            ),
        );
    }
    for (re, confidence, note) in [
        (&*LETTERED, 0.8, "letters, numbers and a year"),
        (&*EU_ACT, 0.85, "a European act's number"),
    ] {
        for c in re.captures_iter(text) {
            let m = c.get(1).unwrap();
            let f = Found::new(
                Field::Reference,
                m.as_str(),
                confidence,
                m.start(),
                m.end(),
                note,
            );
            push(&mut out, f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::{Field, extract};

    fn refs(text: &str) -> Vec<String> {
        extract(text)
            .into_iter()
            .filter(|f| f.field == Field::Reference)
            .map(|f| f.value)
            .collect()
    }

    #[test]
    fn the_forms_in_the_issue() {
        assert_eq!(
            refs("Nr CKZiU2.26.16.21\nZAWIADOMIENIE"),
            ["CKZiU2.26.16.21"]
        );
        assert_eq!(refs("Nr sprawy: GRO.271.2.2014"), ["GRO.271.2.2014"]);
        assert_eq!(
            refs("ZARZĄDZENIE Nr 205/2013\nBurmistrza Polic"),
            ["205/2013"]
        );
        assert_eq!(refs("UCHWAŁA NR VII/88/2019"), ["VII/88/2019"]);
        assert_eq!(
            refs("zatwierdzonego uchwałą Nr XXX/270/2013 z dnia"),
            ["XXX/270/2013"]
        );
        assert_eq!(refs("ZARZĄDZENIE NR KB.0050.19.2021"), ["KB.0050.19.2021"]);
        assert_eq!(refs("Uchwały Nr XXX1/234/09 Rady Gminy"), ["XXXI/234/09"]);
        assert_eq!(refs("zarządzenia nr 363 Prezesa Rady Ministrów"), ["363"]);
        assert_eq!(refs("Zarządzenie nr 13/10 z dnia"), ["13/10"]);
        assert_eq!(
            refs("Nr umowy o dofinansowanie: RPOP.10.03.00-16-0012/17-00"),
            ["RPOP.10.03.00-16-0012/17-00"]
        );
        assert_eq!(
            refs("postępowania: DZP-291-5383/2023"),
            ["DZP-291-5383/2023"]
        );
        assert_eq!(refs("Dyrektywy (UE) 2019/1937 z dnia"), ["2019/1937"]);
        assert_eq!(
            refs("w sprawie OR.0012.3.2026 i ABC-A.123.77.3.2011.JW"),
            ["OR.0012.3.2026", "ABC-A.123.77.3.2011.JW"]
        );
    }

    #[test]
    fn not_journal_citations_dates_or_list_numbers() {
        assert!(refs("(Dz. U. z 2011 r. Nr 197, poz. 1172 i Nr 232, poz. 1378)").is_empty());
        assert!(refs("Szkoła Podstawowa nr 35 im. Blachnickiego").is_empty());
        assert!(refs("Załącznik nr 1 z dnia 12.03.2024").is_empty());
        assert!(
            refs("Mucharz dz. Nr 890/1, drogi powiatowej Nr 2838W, dróg rolniczych nr 558/1")
                .is_empty()
        );
        assert!(refs("załączniki nr 6-9, faksem na numer 12-270-23-24, pokoju nr 12").is_empty());
        let rpw: Vec<String> = extract("wpłynęło RPW/12/2026")
            .into_iter()
            .filter(|f| f.field == Field::RpwNumber)
            .map(|f| f.value)
            .collect();
        assert_eq!(rpw, ["RPW.12.2026"]);
    }
}
