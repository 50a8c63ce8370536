//! Who issued a document, where, to whom, and what it is about: the issuer under an act's
//! heading ("RADY GMINY MOGILANY" → "Rada Gminy Mogilany"), in a letterhead, or in the
//! signature block; the place of a place-and-date line; an addressee after "Pan", "Pani";
//! the subject after "w sprawie".

use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Found, Line};

/// Offices and bodies as a heading names them in the genitive, with their nominative, and
/// whether the noun is feminine (its adjective then changes too: Rady Miejskiej → Rada Miejska).
const OFFICES: &[(&str, &str, bool)] = &[
    ("rady", "Rada", true),
    ("burmistrza", "Burmistrz", false),
    ("wójta", "Wójt", false),
    ("wojta", "Wójt", false),
    ("prezydenta", "Prezydent", false),
    ("zarządu", "Zarząd", false),
    ("zarzadu", "Zarząd", false),
    ("starosty", "Starosta", false),
    ("rektora", "Rektor", false),
    ("dyrektora", "Dyrektor", false),
    ("marszałka", "Marszałek", false),
    ("marszalka", "Marszałek", false),
    ("wojewody", "Wojewoda", false),
    ("ministra", "Minister", false),
    ("prezesa", "Prezes", false),
    ("kierownika", "Kierownik", false),
    ("komendanta", "Komendant", false),
    ("sejmiku", "Sejmik", false),
    ("przewodniczącego", "Przewodniczący", false),
    ("sołtysa", "Sołtys", false),
    ("skarbnika", "Skarbnik", false),
    ("sekretarza", "Sekretarz", false),
];

/// Words that begin an institution's name in a letterhead.
static INSTITUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:\S{1,3}\s+){0,2}?(urząd|urzad|gmina|centrum|zarząd|zarzad|starostwo|szkoła|szkola|ośrodek|osrodek|rada|agencja|ministerstwo|sąd|sad|komenda|powiat|przedszkole|biblioteka|spółdzielnia|fundacja|stowarzyszenie|instytut|uniwersytet|zakład|zaklad|regionalna|samorządowe|miejski|gminny|powiatowy|wojewódzki)\b")
        .unwrap()
});
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(uchwała|uchwala|zarządzenie|zarzadzenie|obwieszczenie|decyzja|postanowienie|rozporządzenie|oświadczenie|oswiadczenie|sprawozdanie|do\s+zarządzenia|do\s+uchwały)\b")
        .unwrap()
});
static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<before>.*?)(?P<place>[\p{Lu}][\p{Ll}\-]+(?:\s[\p{Lu}][\p{Ll}\-]+)?),\s*(?:dnia\s*|dn\.\s*)?(?:\d{1,2}(?:[ .\-/]|\s\p{L})|\d{4}-\d{2}-\d{2})")
        .unwrap()
});
static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(Pan|Pani|Państwo)\s+(\p{Lu}[\p{L}\-]+(?:\s\p{Lu}[\p{L}\-]+){0,2})\s*$")
        .unwrap()
});
static SIGNATORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(Burmistrz|Wójt|Prezydent|Starosta|Przewodnicząc[ya]|Dyrektor|Kierownik|Marszałek|Wojewoda|Sekretarz)\b[\p{L} .\-]{0,60}$")
        .unwrap()
});
static SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bw\s+sprawie\s*:?\s*").unwrap());

/// "RADY MIEJSKIEJ W PIASECZNIE" → "Rada Miejska w Piasecznie"; None when the line does not
/// start with an office.
fn nominative(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = words.first()?.to_lowercase();
    let (_, nom, feminine) = OFFICES.iter().find(|(g, _, _)| *g == first)?;
    let shouting = line
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| !c.is_lowercase());
    let mut out = vec![nom.to_string()];
    for (i, w) in words[1..].iter().enumerate() {
        let mut w = if shouting {
            title_case(w)
        } else {
            w.to_string()
        };
        let lower = w.to_lowercase();
        if i == 0 && *feminine {
            if let Some(stem) = lower.strip_suffix("iej") {
                w = format!("{}a", capitalise(stem));
            } else if let Some(stem) = lower.strip_suffix("ej") {
                w = format!("{}a", capitalise(stem));
            }
        } else if i == 0 && lower.ends_with("ego") && w.starts_with(char::is_uppercase) {
            // Starosty Wadowickiego → Starosta Wadowicki; Powiatowego → Powiatowy.
            let stem = &lower[..lower.len() - 3];
            w = if stem.ends_with('k') || stem.ends_with('g') {
                capitalise(&stem[..stem.len() - 1]) + &stem[stem.len() - 1..] + "i"
            } else if let Some(s) = stem.strip_suffix('i') {
                capitalise(s) + "i"
            } else {
                capitalise(stem) + "y"
            };
        }
        out.push(w);
    }
    Some(out.join(" "))
}

/// A place-and-date line split: the text before the place (a letterhead sharing the line), the
/// place, and the place's offset. "Centrum … Zawodowego Racibórz, 24.09.2021r.": the place is the
/// last word; a line that is only "Nowy Sącz, …" keeps both words.
fn place_of(line: &str) -> Option<(String, String, usize)> {
    let c = PLACE_DATE.captures(line)?;
    let place = c.name("place").unwrap();
    let before = c["before"].trim();
    let words: Vec<&str> = place.as_str().split_whitespace().collect();
    if words.len() == 2 && !before.is_empty() {
        let prefix = format!("{before} {}", words[0]);
        return Some((
            prefix,
            words[1].to_string(),
            place.start() + words[0].len() + 1,
        ));
    }
    Some((
        before.to_string(),
        place.as_str().to_string(),
        place.start(),
    ))
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn title_case(w: &str) -> String {
    let lower = w.to_lowercase();
    if ["i", "w", "we", "z", "ze", "na", "do", "nr", "im."].contains(&lower.as_str()) {
        return lower;
    }
    capitalise(&lower)
}

pub(super) fn find(text: &str, lines: &[Line<'_>]) -> Vec<Found> {
    let mut out = Vec::new();
    let head: Vec<&Line<'_>> = lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .take(16)
        .collect();

    // The issuer: under an act's heading; else a letterhead; else a signature block.
    let mut issuer = None;
    for (i, line) in head.iter().enumerate() {
        if !HEADING.is_match(line.text) {
            continue;
        }
        // The office is on the heading's line after the number, or on one of the next lines.
        for next in head.iter().skip(i + 1).take(2) {
            if let Some(name) = nominative(next.text.trim()) {
                let mut name = name;
                let mut end = next.start + next.text.len();
                // "Dyrektora Szkoły Podstawowej nr 35 … / w Rybniku": a place on the next line.
                if let Some(cont) = head.iter().find(|l| l.start > next.start)
                    && cont.text.trim_start().starts_with("w ")
                    && cont.text.split_whitespace().count() <= 3
                {
                    name = format!("{name} {}", cont.text.trim());
                    end = cont.start + cont.text.len();
                }
                issuer = Some(Found::new(
                    Field::Issuer,
                    name,
                    0.9,
                    next.start,
                    end,
                    "the office under the act's heading",
                ));
                break;
            }
        }
        if issuer.is_some() {
            break;
        }
    }
    if issuer.is_none() {
        for (i, line) in head.iter().take(6).enumerate() {
            let Some(c) = INSTITUTION.captures(line.text.trim()) else {
                continue;
            };
            // From the institution's word on: OCR leaves marks before it.
            let t = &line.text.trim()[c.get(1).unwrap().start()..];
            let t = t.split('©').next().unwrap_or(t).trim();
            // Cut a place-and-date that shares the line; join a continuation line.
            let own = match place_of(t) {
                Some((before, _, _)) => before,
                None => t.to_string(),
            };
            // A letterhead is a name, not a sentence.
            if own.split_whitespace().count() > 10 || own.contains(", ") || own.ends_with('.') {
                continue;
            }
            let mut name = own;
            let mut end = line.start + line.text.len();
            for next in head.iter().skip(i + 1).take(2) {
                let n = next.text.trim();
                let short = n.split_whitespace().count() <= 6 && !n.contains(',');
                // A line of OCR noise ("FZZ Aa") has no real word in it.
                let wordy = n
                    .split_whitespace()
                    .any(|w| w.chars().count() >= 4 && w.chars().skip(1).all(|c| c.is_lowercase()));
                // "i Ustawicznego nr 2 …", "w Raciborzu" continue the name; "Zarząd" /
                // "Powiatu Rawskiego" too.
                let street = ["ul.", "ul ", "al.", "pl.", "os.", "tel", "fax"]
                    .iter()
                    .any(|p| n.to_lowercase().starts_with(p));
                if wordy
                    && !street
                    && ((n.starts_with(|c: char| c.is_lowercase()) && n.len() < 80)
                        || (name.split_whitespace().count() < 3 && short && place_of(n).is_none()))
                {
                    name = format!("{name} {}", n.split('©').next().unwrap_or(n).trim());
                    end = next.start + next.text.len();
                } else {
                    break;
                }
            }
            // A letterhead in capitals reads better as a name: "UNIWERSYTET ROLNICZY".
            let name: String = name
                .split_whitespace()
                .map(|w| {
                    if w.chars().count() > 3 && w.chars().all(|c| !c.is_lowercase()) {
                        capitalise(&w.to_lowercase())
                    } else {
                        w.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            if name.split_whitespace().count() >= 2 {
                issuer = Some(Found::new(
                    Field::Issuer,
                    name,
                    0.7,
                    line.start,
                    end,
                    "the letterhead",
                ));
                break;
            }
        }
    }
    if issuer.is_none() {
        let tail = &lines[lines.len().saturating_sub(15)..];
        if let Some(l) = tail.iter().rev().find(|l| SIGNATORY.is_match(l.text)) {
            issuer = Some(Found::new(
                Field::Issuer,
                l.text.trim(),
                0.6,
                l.start,
                l.start + l.text.len(),
                "the signature block",
            ));
        }
    }
    out.extend(issuer);

    // The place: from the first place-and-date line of the head.
    for line in &head {
        if let Some((_, value, start)) = place_of(line.text) {
            out.push(Found::new(
                Field::Place,
                value.clone(),
                0.85,
                line.start + start,
                line.start + start + value.len(),
                "a place-and-date line",
            ));
            break;
        }
    }

    // Addressee.
    for line in lines.iter().take(40) {
        if let Some(c) = ADDRESSEE.captures(line.text) {
            let m = c.get(0).unwrap();
            out.push(Found::new(
                Field::Addressee,
                m.as_str().trim(),
                0.7,
                line.start + m.start(),
                line.start + m.end(),
                "\"Pan\"/\"Pani\" and a name on a line of its own",
            ));
            break;
        }
    }

    // Subject: "w sprawie …" in the head, to the end of its paragraph.
    let head_end = head.last().map_or(text.len(), |l| l.start + l.text.len());
    if let Some(m) = SUBJECT.find(&text[..head_end.min(text.len())]) {
        let mut subject = String::new();
        let mut end = m.end();
        let mut first = true;
        for line in lines.iter().filter(|l| l.start + l.text.len() >= m.end()) {
            let piece = if first {
                &text[m.end()..line.start + line.text.len()]
            } else {
                line.text
            };
            let t = piece.trim();
            let stop = t.is_empty()
                || (!first
                    && [
                        "na podstawie",
                        "działając",
                        "dzialajac",
                        "§",
                        "$",
                        "rada ",
                        "zarządzam",
                        "postanawia",
                        "uchwala",
                    ]
                    .iter()
                    .any(|w| t.to_lowercase().starts_with(w)));
            if stop {
                break;
            }
            if !subject.is_empty() {
                subject.push(' ');
            }
            subject.push_str(t);
            end = line.start + line.text.len();
            first = false;
            if subject.ends_with('.') || subject.len() > 400 {
                break;
            }
        }
        let subject = subject.trim_end_matches('.').trim().to_string();
        if !subject.is_empty() {
            out.push(Found::new(
                Field::Subject,
                subject,
                0.85,
                m.start(),
                end,
                "after \"w sprawie\"",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::{Field, extract};

    fn get(text: &str, field: Field) -> Option<String> {
        extract(text)
            .into_iter()
            .find(|f| f.field == field)
            .map(|f| f.value)
    }

    #[test]
    fn issuers_in_the_nominative() {
        let t =
            "UCHWAŁA NR 851/XLIII/2021\nRADY MIEJSKIEJ W PIASECZNIE\nz dnia 22 września 2021 r.";
        assert_eq!(
            get(t, Field::Issuer).as_deref(),
            Some("Rada Miejska w Piasecznie")
        );
        let t = "ZARZĄDZENIE NR KB.0050.19.2021\nBURMISTRZA MIASTA I GMINY PIASECZNO\nz dnia 26 lutego 2021 r.";
        assert_eq!(
            get(t, Field::Issuer).as_deref(),
            Some("Burmistrz Miasta i Gminy Piaseczno")
        );
        let t = "Zarządzenie nr 3/2023/2024\nDyrektora Szkoły Podstawowej nr 35\nw Rybniku\nz dnia 01.09.2023r.";
        assert_eq!(
            get(t, Field::Issuer).as_deref(),
            Some("Dyrektor Szkoły Podstawowej nr 35 w Rybniku")
        );
        let t = "Centrum Kształcenia Zawodowego Racibórz, 24.09.2021r.\ni Ustawicznego nr 2 „Mechanik” w Raciborzu\nul. Zamkowa 1";
        assert_eq!(
            get(t, Field::Issuer).as_deref(),
            Some("Centrum Kształcenia Zawodowego i Ustawicznego nr 2 „Mechanik” w Raciborzu")
        );
        assert_eq!(get(t, Field::Place).as_deref(), Some("Racibórz"));
    }

    #[test]
    fn a_title_from_the_heading() {
        let t = "ZARZĄDZENIE Nr 205/2013\nBurmistrza Polic\nz dnia 21.10.2013 roku\nw sprawie zasad przydziału lokali.\n\nNa podstawie art. 30";
        assert_eq!(
            get(t, Field::Title).as_deref(),
            Some(
                "ZARZĄDZENIE Nr 205/2013 Burmistrza Polic z dnia 21.10.2013 roku w sprawie zasad przydziału lokali"
            )
        );
        assert_eq!(
            get("Kraków, 5 maja 2024\nSzanowny Panie", Field::Title),
            None
        );
    }

    #[test]
    fn subject_to_the_end_of_its_paragraph() {
        let t = "UCHWAŁA NR 1\nRADY GMINY X\nz dnia 1 marca 2020 r.\nw sprawie zmiany uchwały nr 694/XXXIII/2020 Rady Miejskiej z dnia 22 grudnia\n2020 r.\n\nNa podstawie art. 18";
        assert_eq!(
            get(t, Field::Subject).as_deref(),
            Some("zmiany uchwały nr 694/XXXIII/2020 Rady Miejskiej z dnia 22 grudnia 2020 r")
        );
        assert_eq!(
            get(
                "Kraków, dnia 5 maja 2024 r.\nPan\nPan Jan Kowalski\n",
                Field::Addressee
            )
            .as_deref(),
            Some("Pan Jan Kowalski")
        );
        assert_eq!(
            get("Warszawa, dnia 13 sierpnia 2015 r.", Field::Place).as_deref(),
            Some("Warszawa")
        );
    }
}
