//! Identifiers in text, reported only when their checksum holds: PESEL (personal data; the
//! note gives the birth date and sex it carries), NIP (with dashes or spaces, with or without
//! "PL"), REGON (9 or 14 digits), KRS (10 digits, only after the word "KRS": it has no check
//! digit), księga wieczysta, dowód osobisty (personal data).

use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Found};
use crate::ids;

static NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
    // Runs of digits with single dashes or spaces between groups: 123-456-32-18, 12 345 678 512 347.
    Regex::new(r"(?:\bPL\s?)?\b\d(?:[\- ]?\d){8,13}\b").unwrap()
});
static KW_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([A-Z0-9]{4}/\d{8}/\d)\b").unwrap());
static ID_CARD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b([A-Z]{3}\s?\d{6})\b").unwrap());

/// The nearest word before `at` (on the same line), lower case.
fn label_before(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[text.floor_char_boundary(start.max(at.saturating_sub(40)))..at];
    before.to_lowercase()
}

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for m in NUMBERS.find_iter(text) {
        let raw = m.as_str();
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let label = label_before(text, m.start());
        let has = |w: &str| label.contains(w);
        let (s, e) = (m.start(), m.end());
        // Part of a longer number (a bank account), or a phone or fax number: not an identifier.
        let after = text[e..].chars().take(2).collect::<String>();
        let joined_after = after.starts_with(|c: char| c.is_ascii_digit())
            || (after.starts_with([' ', '-'])
                && after.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
        let before = text[..s].chars().rev().take(2).collect::<String>();
        let joined_before = before.starts_with(|c: char| c.is_ascii_digit())
            || (before.starts_with([' ', '-'])
                && before.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
        if joined_after
            || joined_before
            || ["tel", "fax", "faks", "konto", "rachun", "iban", "kom."]
                .iter()
                .any(|w| has(w))
        {
            continue;
        }
        // NIP as offices write it: 123-456-32-18 or 123-45-67-819.
        let nip_shape = {
            let groups: Vec<usize> = raw
                .trim_start_matches("PL")
                .trim()
                .split(['-', ' '])
                .map(str::len)
                .collect();
            groups == [3, 3, 2, 2] || groups == [3, 2, 2, 3]
        };
        match digits.len() {
            11 => {
                if let Some(p) = ids::pesel(&digits) {
                    out.push(Found::new(
                        Field::Pesel,
                        digits,
                        if has("pesel") { 0.99 } else { 0.9 },
                        s,
                        e,
                        format!(
                            "PESEL: born {}, {}",
                            p.born,
                            if p.female { "female" } else { "male" }
                        ),
                    ));
                }
            }
            10 => {
                if has("krs") && ids::krs(&digits) {
                    out.push(Found::new(Field::Krs, digits, 0.95, s, e, "after \"KRS\""));
                } else if ids::nip(&digits) && (has("nip") || raw.starts_with("PL") || nip_shape) {
                    let sure = has("nip") || raw.starts_with("PL");
                    out.push(Found::new(
                        Field::Nip,
                        digits,
                        if sure { 0.99 } else { 0.9 },
                        s,
                        e,
                        "NIP checksum holds",
                    ));
                }
            }
            // Nine digits are also phone numbers and amounts: only after "REGON".
            9 | 14 if has("regon") && ids::regon(&digits) => {
                out.push(Found::new(
                    Field::Regon,
                    digits,
                    0.99,
                    s,
                    e,
                    "after \"REGON\", checksum holds",
                ));
            }
            _ => {}
        }
    }
    for c in KW_RE.captures_iter(text) {
        let m = c.get(1).unwrap();
        if ids::kw(m.as_str()) {
            out.push(Found::new(
                Field::LandRegister,
                m.as_str(),
                0.97,
                m.start(),
                m.end(),
                "księga wieczysta check digit holds",
            ));
        }
    }
    for c in ID_CARD.captures_iter(text) {
        let m = c.get(1).unwrap();
        let value: String = m.as_str().split_whitespace().collect();
        if ids::id_card(&value) {
            let label = label_before(text, m.start());
            let sure =
                label.contains("dowod") || label.contains("dowód") || label.contains("seria");
            out.push(Found::new(
                Field::IdCard,
                value,
                if sure { 0.97 } else { 0.8 },
                m.start(),
                m.end(),
                "identity card check digit holds",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::{Field, extract};

    fn found(text: &str) -> Vec<(Field, String)> {
        extract(text)
            .into_iter()
            .filter(|f| {
                !matches!(
                    f.field,
                    Field::Kind | Field::CitedDate | Field::DocumentDate | Field::Amount
                )
            })
            .map(|f| (f.field, f.value))
            .collect()
    }

    #[test]
    fn valid_identifiers_in_their_usual_forms() {
        assert_eq!(
            found("PESEL: 44051401359"),
            [(Field::Pesel, "44051401359".into())]
        );
        assert_eq!(
            found("NIP 123-456-32-18"),
            [(Field::Nip, "1234563218".into())]
        );
        assert_eq!(
            found("NIP: PL 1234563218"),
            [(Field::Nip, "1234563218".into())]
        );
        assert_eq!(
            found("REGON 123456785"),
            [(Field::Regon, "123456785".into())]
        );
        assert_eq!(
            found("REGON: 12345678512347"),
            [(Field::Regon, "12345678512347".into())]
        );
        assert_eq!(found("KRS 0000123456"), [(Field::Krs, "0000123456".into())]);
        assert_eq!(
            found("dowód osobisty ABA 300000"),
            [(Field::IdCard, "ABA300000".into())]
        );
    }

    #[test]
    fn a_failing_checksum_is_not_that_identifier() {
        assert!(found("PESEL: 44051401358").is_empty());
        assert!(found("NIP 123-456-32-17").is_empty());
        assert!(found("REGON 123456784").is_empty());
        assert!(
            found("tel. 0000123456").is_empty(),
            "KRS only after its name"
        );
        assert!(found("tel. 12-345-63-218").is_empty(), "a phone number");
        assert!(
            found("konto 12 1234 5632 1812 3456 7850 1234").is_empty(),
            "part of an account number"
        );
        assert!(
            found("kwota 123456785 zł").is_empty(),
            "nine digits without REGON"
        );
        assert!(found("seria ABA300001").is_empty());
    }

    #[test]
    fn pesel_is_personal_and_says_who() {
        let f = extract("PESEL 02271400004")
            .into_iter()
            .find(|f| f.field == Field::Pesel)
            .unwrap();
        assert!(f.field.is_personal());
        assert_eq!(f.note, "PESEL: born 2002-07-14, female");
    }
}
