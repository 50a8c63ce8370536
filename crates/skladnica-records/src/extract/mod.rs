//! Metadata read from a document's text (born-digital or OCR): its own date and the dates it
//! cites, case signs and reference numbers, identifiers (checked), issuer, place, subject,
//! kind, amounts. Every value keeps its confidence and where in the text it came from, so that a
//! reviewer can see why.
//!
//! The extractors are rules written for Polish office documents and measured against labels
//! made from real documents (`tests/labels/`, `BENCHMARKS.md`).

mod amounts;
mod dates;
mod idents;
mod kind;
mod parties;
mod refs;

use serde::{Deserialize, Serialize};

/// What an extracted value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The document's own date (data na piśmie, the act's date).
    DocumentDate,
    /// A date the document only cites.
    CitedDate,
    /// A case sign or a reference number (an act's number, "Nr sprawy", "Znak").
    Reference,
    /// An RPW number.
    RpwNumber,
    /// PESEL (personal data).
    Pesel,
    /// NIP.
    Nip,
    /// REGON.
    Regon,
    /// KRS.
    Krs,
    /// Księga wieczysta.
    LandRegister,
    /// Dowód osobisty (personal data).
    IdCard,
    /// Who issued or sent it.
    Issuer,
    /// To whom it is addressed.
    Addressee,
    /// Where it was written.
    Place,
    /// What it is about ("w sprawie …").
    Subject,
    /// Its title: an act's heading through its subject ("Zarządzenie Nr 205/2013 Burmistrza
    /// Polic z dnia … w sprawie …").
    Title,
    /// Its kind (decyzja, uchwała, …).
    Kind,
    /// An amount in PLN.
    Amount,
}

impl Field {
    /// Whether values of this field are personal data (shown and exported masked on request).
    pub fn is_personal(self) -> bool {
        matches!(self, Field::Pesel | Field::IdCard)
    }

    /// The field's name in metadata and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::DocumentDate => "document_date",
            Field::CitedDate => "cited_date",
            Field::Reference => "reference",
            Field::RpwNumber => "rpw_number",
            Field::Pesel => "pesel",
            Field::Nip => "nip",
            Field::Regon => "regon",
            Field::Krs => "krs",
            Field::LandRegister => "land_register",
            Field::IdCard => "id_card",
            Field::Issuer => "issuer",
            Field::Addressee => "addressee",
            Field::Place => "place",
            Field::Subject => "subject",
            Field::Title => "title",
            Field::Kind => "kind",
            Field::Amount => "amount",
        }
    }
}

/// One value found in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    /// What it is.
    pub field: Field,
    /// The value, normalised (dates ISO, amounts as decimals, identifiers without separators).
    pub value: String,
    /// How sure the rule is, 0–1.
    pub confidence: f32,
    /// Where it came from: byte offsets in the text given.
    pub start: usize,
    /// End of the source span (exclusive).
    pub end: usize,
    /// Why: the rule, and what a PESEL says of its holder.
    pub note: String,
}

impl Found {
    fn new(
        field: Field,
        value: impl Into<String>,
        confidence: f32,
        start: usize,
        end: usize,
        note: impl Into<String>,
    ) -> Found {
        Found {
            field,
            value: value.into(),
            confidence,
            start,
            end,
            note: note.into(),
        }
    }
}

/// A line of the text with its byte offset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub start: usize,
    pub text: &'a str,
}

pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']);
        out.push(Line { start, text: body });
        start += piece.len();
    }
    out
}

/// Everything the extractors find in `text`, in text order within each field. The document's own
/// date, kind, issuer, place and subject appear at most once (the best candidate).
pub fn extract(text: &str) -> Vec<Found> {
    let lines = lines(text);
    let mut out = Vec::new();
    out.extend(dates::find(text, &lines));
    out.extend(refs::find(text));
    out.extend(idents::find(text));
    out.extend(parties::find(text, &lines));
    out.extend(kind::find(text, &lines));
    out.extend(amounts::find(text));
    out.extend(title(text, &out));
    out.sort_by(|a, b| a.field.cmp(&b.field).then(a.start.cmp(&b.start)));
    out
}

/// The longest title made of a heading.
const MAX_TITLE: usize = 300;

/// The title of a document with a heading: from the heading's first word through the end of
/// its subject, when the subject follows within a few lines.
fn title(text: &str, found: &[Found]) -> Option<Found> {
    let kind = found
        .iter()
        .find(|f| f.field == Field::Kind && f.end > f.start)?;
    let subject = found.iter().find(|f| f.field == Field::Subject)?;
    if subject.start < kind.start || text[kind.start..subject.start].lines().count() > 8 {
        return None;
    }
    let mut t = text[kind.start..subject.end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    t = t.trim_end_matches(['.', ',', ';']).to_string();
    if t.chars().count() > MAX_TITLE {
        let cut: String = t.chars().take(MAX_TITLE).collect();
        t = format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a));
    }
    Some(Found::new(
        Field::Title,
        t,
        0.8,
        kind.start,
        subject.end,
        "the heading through its subject",
    ))
}

/// `text` with its personal numbers (PESEL and identity card numbers whose checksums hold)
/// masked but for their last two characters: a passage shown where its reader has no need of
/// them (a search result, on the search's hot path).
///
/// The identifier rules are run only around runs of six or more digits (every PESEL and identity
/// card number has one), on whole lines with the line before: the rules look no further (a
/// label on the same line, letters and a line break before an identity card's digits), and the
/// regexes, slow over non-ASCII text with Unicode word boundaries, then read a few lines instead
/// of a whole document. The result is the one [`idents`] gives on the whole text.
pub fn mask_personal_in(text: &str) -> std::borrow::Cow<'_, str> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    for window in candidate_lines(text) {
        let from = window.start;
        found.extend(
            idents::find(&text[window])
                .into_iter()
                .filter(|f| f.field.is_personal())
                .map(|f| (from + f.start, from + f.end)),
        );
    }
    if found.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    found.sort_unstable();
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (start, end) in found {
        if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&mask(&text[start..end], 2));
        at = end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// The stretches of `text` that may hold a personal number: each line with a run of six or more
/// digits (single spaces or dashes between them), with the line before it and the one after,
/// overlapping stretches merged. Each starts at a line's start and ends at a line's end.
fn candidate_lines(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let line_start = |i: usize| {
        bytes[..i]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
    };
    let line_end = |i: usize| {
        bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| i + p)
    };
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut i, mut run_start, mut digits) = (0, 0, 0);
    while i <= bytes.len() {
        let b = bytes.get(i).copied();
        let joins = matches!(b, Some(b' ' | b'-'))
            && digits > 0
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        match b {
            Some(d) if d.is_ascii_digit() => {
                if digits == 0 {
                    run_start = i;
                }
                digits += 1;
            }
            _ if joins => {}
            _ => {
                if digits >= 6 {
                    let first = line_start(run_start);
                    let start = if first == 0 { 0 } else { line_start(first - 1) };
                    let last = line_end(i);
                    let end = if last >= bytes.len() {
                        last
                    } else {
                        line_end(last + 1)
                    };
                    match out.last_mut() {
                        Some(prev) if prev.end >= start => prev.end = prev.end.max(end),
                        _ => out.push(start..end),
                    }
                }
                digits = 0;
            }
        }
        i += 1;
    }
    out
}

/// `value` with all but its last `keep` characters replaced by `•`, for personal data shown
/// masked.
pub fn mask(value: &str, keep: usize) -> String {
    let n = value.chars().count();
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i + keep < n { '•' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Masking the whole text at once, as the rules see it.
    fn masked_whole(text: &str) -> String {
        let mut found: Vec<Found> = idents::find(text)
            .into_iter()
            .filter(|f| f.field.is_personal())
            .collect();
        found.sort_by_key(|f| f.start);
        let (mut out, mut at) = (String::new(), 0);
        for f in found {
            if f.start >= at {
                out.push_str(&text[at..f.start]);
                out.push_str(&mask(&text[f.start..f.end], 2));
                at = f.end;
            }
        }
        out + &text[at..]
    }

    #[test]
    fn masking_around_long_numbers_only_is_masking_the_whole_text() {
        let pieces = [
            "PESEL ",
            "44051401359",
            "02271400004",
            "ABA 300000",
            "ABA300000",
            "dowód ",
            "seria ",
            " ",
            "-",
            "\n",
            "ą",
            "Zębowice ",
            "tel. ",
            "12 345 67 89",
            "123456",
            "12-345",
            "PL",
            "NIP 123-456-32-18",
            "konto 12 1234 5632 1812 3456 7850 1234",
            "7",
            "x",
            "Ż",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 12 + 1) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(mask_personal_in(&text), masked_whole(&text), "{text:?}");
        }
    }

    #[test]
    fn personal_numbers_in_a_passage_are_masked_and_nothing_else() {
        let text =
            "Pani Anna, PESEL 02271400004, dowód ABS123456? NIP 123-456-32-18, tel. 12 345 67 89";
        let masked = mask_personal_in(text);
        assert!(!masked.contains("02271400004"), "{masked}");
        assert!(masked.contains("•••••••••04"), "{masked}");
        assert!(masked.contains("NIP 123-456-32-18") && masked.contains("tel. 12 345 67 89"));
        let plain = "Decyzja o warunkach zabudowy, działka 12/3.";
        assert!(matches!(
            mask_personal_in(plain),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn every_span_is_a_slice_of_the_text_whatever_the_letters() {
        // Multi-byte letters right before dates, numbers and keywords, where the rules look back.
        let text = "ąęśćżźńół, 12.03.2024 r. żółć NIP 123-456-32-18 śś Nr ŻŁ/1/2024 ęę z dnia 5 maja 2024 \
                    łąka Dyrektora Szkoły Źródło PESEL 44051401359 ść 1 500 zł ąą w sprawie łąk";
        for cut in 0..text.len() {
            if !text.is_char_boundary(cut) {
                continue;
            }
            for f in extract(&text[cut..]) {
                assert!(text[cut..].get(f.start..f.end).is_some(), "{f:?}");
            }
        }
    }
}
