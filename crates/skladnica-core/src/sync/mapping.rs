//! How a letter's local metadata maps onto what the EZD instance offers: its dictionaries
//! (sposób dostarczenia, rodzaj and typ dokumentu, dostęp, the sender kinds), its contact base
//! and its JRWA. A value is matched by its words against the instance's own; a value with no
//! match, or with two, is not guessed: the item stops naming the value and what the EZD offers.

use skladnica_ezd::{
    Addressee, Choice, Contact, Dictionary, JrwaClass, JrwaSchema, NewCase, RpwMetadata, RpwUpdate,
};
use skladnica_records::rpw::{Delivery, IncomingItem};
use skladnica_records::{Access, Party};

use crate::db::cases::Case;

/// Lower case, without Polish diacritics, single spaces.
fn plain(s: &str) -> String {
    skladnica_records::fold(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A rule matching a dictionary's words: any of `with`, none of `without` (plain words).
struct Rule {
    with: &'static [&'static str],
    without: &'static [&'static str],
}

const fn rule(with: &'static [&'static str], without: &'static [&'static str]) -> Rule {
    Rule { with, without }
}

/// The one choice whose words match `r`; an error naming `what`, the local value and the
/// choices when none does or several do.
fn pick(choices: &[Choice], r: &Rule, field: &str, local: &str) -> Result<String, String> {
    let found: Vec<&Choice> = choices
        .iter()
        .filter(|c| {
            let t = plain(&c.text);
            r.with.iter().any(|w| t.contains(w)) && !r.without.iter().any(|w| t.contains(w))
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(no_value(field, local, choices)),
        many => Err(format!(
            "the EZD's {field} has several values that could be \"{local}\" ({}); a person must \
             say which",
            many.iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Why a local value was not sent: the EZD's dictionary has nothing for it.
fn no_value(field: &str, local: &str, choices: &[Choice]) -> String {
    format!(
        "the EZD's {field} has no value for \"{local}\" (it offers: {}); add it to the EZD's \
         dictionary or change the letter",
        offered(choices)
    )
}

fn offered(choices: &[Choice]) -> String {
    if choices.is_empty() {
        return "nothing".into();
    }
    choices
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn delivery_rule(d: Delivery) -> Rule {
    match d {
        Delivery::Post => rule(
            &["poczta", "list", "pocztow"],
            &["elektron", "e-mail", "email"],
        ),
        Delivery::InPerson => rule(&["osobisc"], &[]),
        Delivery::Courier => rule(&["kurier"], &[]),
        Delivery::Fax => rule(&["faks", "fax"], &[]),
        Delivery::Email => rule(
            &["e-mail", "email", "elektroniczn"],
            &["epuap", "doreczen", "skrzynk"],
        ),
        Delivery::Epuap => rule(&["epuap"], &[]),
        Delivery::EDoreczenia => rule(&["doreczen"], &[]),
        Delivery::Other => rule(&["inn"], &[]),
    }
}

fn access_rule(a: Access) -> Rule {
    match a {
        Access::Public => rule(&["publiczn"], &["niepubliczn"]),
        Access::NonPublic => rule(&["niepubliczn"], &[]),
        Access::Excluded => rule(&["wylaczon", "ograniczon"], &[]),
    }
}

fn type_rule(dc_type: &str) -> Rule {
    match dc_type {
        "Text" => rule(&["tekst"], &[]),
        "Image" | "StillImage" => rule(&["obraz"], &["ruchom"]),
        "MovingImage" => rule(&["ruchom", "film", "wideo"], &[]),
        "Sound" => rule(&["dzwiek", "audio"], &[]),
        "Dataset" => rule(&["dane", "danych"], &[]),
        _ => rule(&["inn"], &[]),
    }
}

/// A dictionary value for a free-text local value (the letter's kind): the choice whose words
/// are the same, or else begin with it.
fn pick_text(choices: &[Choice], field: &str, local: &str) -> Result<String, String> {
    let want = plain(local);
    let same: Vec<&Choice> = choices.iter().filter(|c| plain(&c.text) == want).collect();
    if let [one] = same.as_slice() {
        return Ok(one.id.clone());
    }
    let begins: Vec<&Choice> = choices
        .iter()
        .filter(|c| plain(&c.text).starts_with(&want) || want.starts_with(&plain(&c.text)))
        .collect();
    match begins.as_slice() {
        [one] => Ok(one.id.clone()),
        _ => Err(no_value(field, local, choices)),
    }
}

/// A dictionary field whose local value is missing: the EZD's current value when it has one,
/// else its "other" value (not a guess: the letter does not say).
fn current(d: &Dictionary, field: &str, what: &str) -> Result<String, String> {
    if d.choices.iter().any(|c| c.id == d.current) {
        return Ok(d.current.clone());
    }
    pick(
        &d.choices,
        &rule(&["inny", "inne", "pozostale"], &[]),
        field,
        "inny",
    )
    .map_err(|_| {
        format!(
            "the letter does not say {what}, and the EZD requires its {field} and offers no \
             \"other\" value (it offers: {})",
            offered(&d.choices)
        )
    })
}

/// The RPW entry's metadata for `item`, registered locally as `local_number`, sent by the
/// address version `sender` of kind `sender_kind`. Every problem is said at once.
pub fn rpw_update(
    item: &IncomingItem,
    local_number: &str,
    ezd: &RpwMetadata,
    sender: (String, String),
) -> Result<RpwUpdate, String> {
    let mut problems = Vec::new();
    let mut take = |r: Result<String, String>| r.map_err(|e| problems.push(e)).unwrap_or_default();
    let delivery = take(match item.delivery {
        Some(d) => pick(
            &ezd.delivery.choices,
            &delivery_rule(d),
            "sposób dostarczenia",
            d.polish(),
        ),
        None => current(&ezd.delivery, "sposób dostarczenia", "how it arrived"),
    });
    let kind = take(match &item.kind {
        Some(k) => pick_text(&ezd.kind.choices, "rodzaj dokumentu", k),
        None => current(&ezd.kind, "rodzaj dokumentu", "what kind of letter it is"),
    });
    let doc_type = take(pick(
        &ezd.doc_type.choices,
        &type_rule(&item.dc_type),
        "typ dokumentu",
        &item.dc_type,
    ));
    let access = take(pick(
        &ezd.access.choices,
        &access_rule(item.access),
        "dostęp",
        item.access.nes20(),
    ));
    // The instance's own fields are kept as they are; one it requires and nobody filled in is
    // for a person on the EZD.
    let unfilled: Vec<&str> = ezd
        .own_fields
        .iter()
        .filter(|f| f.required && f.value.trim().is_empty())
        .map(|f| f.name.as_str())
        .collect();
    if !unfilled.is_empty() {
        problems.push(format!(
            "the EZD requires its own field{} {} on this RPW entry, which Składnica does not \
             know; fill {} in on the EZD, then send the letter again",
            if unfilled.len() > 1 { "s" } else { "" },
            unfilled.join(", "),
            if unfilled.len() > 1 { "them" } else { "it" }
        ));
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    // The EZD takes whole days; a year or a month on the letter goes into the remarks.
    let (letter_date, partial) = match item.letter_date {
        Some(d) if d.to_string().len() == 10 => (Some(d.to_string()), None),
        Some(d) => (None, Some(format!("data na piśmie: {d}"))),
        None => (None, None),
    };
    let remarks = [
        item.remarks.clone(),
        partial,
        Some(format!("numer tymczasowy w Składnicy: {local_number}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("; ");
    Ok(RpwUpdate {
        received_on: item.received_on.to_string(),
        sent_on: item.sent_on.map(|d| d.to_string()),
        letter_date,
        remarks: Some(remarks),
        sender_sign: item.sender_sign.clone(),
        delivery,
        kind,
        doc_type,
        access,
        senders: vec![sender],
        own_fields: ezd
            .own_fields
            .iter()
            .filter(|f| !f.value.is_empty())
            .map(|f| (f.id.clone(), f.value.clone()))
            .collect(),
    })
}

/// The sender kind (`EZDRP.RPW.RodzajNadawcy`) for `party`.
pub fn sender_kind(kinds: &[Choice], party: &Party) -> Result<String, String> {
    match party {
        Party::Person { .. } => pick(
            kinds,
            &rule(&["osoba fizyczna", "obywatel", "osoba"], &["prawn"]),
            "rodzaj nadawcy",
            "osoba fizyczna",
        ),
        Party::Institution { .. } => pick(
            kinds,
            &rule(&["instytucj", "podmiot", "urzad", "organ"], &[]),
            "rodzaj nadawcy",
            "instytucja",
        ),
    }
}

/// The sender as the EZD's contact base describes it.
pub fn contact(item: &IncomingItem) -> Contact {
    let person = matches!(item.sender, Party::Person { .. });
    let address = item.sender.addresses().first().cloned().unwrap_or_default();
    let mut c = Contact {
        person,
        town: address.town.clone(),
        postal_code: address.postal_code.clone(),
        street: address.street.clone(),
        building: address.building.clone(),
        flat: address.flat.clone(),
        country: if address.country.is_empty() {
            "PL".into()
        } else {
            address.country.clone()
        },
        ..Contact::default()
    };
    match &item.sender {
        Party::Person {
            surname,
            first_names,
            ..
        } => {
            c.surname = Some(surname.clone());
            c.first_name = first_names.first().cloned();
            c.second_name = first_names.get(1).cloned();
        }
        Party::Institution { name, .. } => c.name = Some(name.clone()),
    }
    if let Some(id) = &item.sender_id {
        match skladnica_records::rpw::sender_id_kind(id, person) {
            Some("PESEL") => c.pesel = Some(id.clone()),
            Some("NIP") => c.nip = Some(id.clone()),
            Some("REGON") => c.regon = Some(id.clone()),
            _ => {}
        }
    }
    c
}

/// Among the contacts a search found, the sender's address version: found by its identifier,
/// any of them; found by name, the one with the same name and an address in the same town.
pub fn sender_address(wanted: &Contact, found: &[Addressee]) -> Option<(String, String)> {
    let identified = wanted.pesel.is_some() || wanted.nip.is_some() || wanted.regon.is_some();
    let name = plain(&match (&wanted.name, &wanted.first_name, &wanted.surname) {
        (Some(n), _, _) => n.clone(),
        (None, f, s) => [f.clone(), s.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
    });
    let town = plain(&wanted.town);
    for a in found {
        if !identified && plain(&a.name) != name {
            continue;
        }
        let in_town = a.addresses.iter().find(|x| {
            plain(&x.town) == town
                && wanted
                    .postal_code
                    .as_ref()
                    .is_none_or(|p| x.postal_code.is_empty() || &x.postal_code == p)
        });
        match in_town.or(if identified {
            a.addresses.first()
        } else {
            None
        }) {
            Some(x) => return Some((a.id.clone(), x.version.clone())),
            None => continue,
        }
    }
    None
}

/// The schema the EZD uses now: the main one, or the only one.
pub fn main_schema(schemas: &[JrwaSchema]) -> Result<&JrwaSchema, String> {
    schemas
        .iter()
        .find(|s| s.main)
        .or(if schemas.len() == 1 {
            schemas.first()
        } else {
            None
        })
        .ok_or_else(|| {
            format!(
                "the EZD has {} JRWA schemas and none is marked main; a person must set one",
                schemas.len()
            )
        })
}

/// The case to open on the EZD for the local case `case`, in the class of its symbol.
pub fn new_case(case: &Case, classes: &[JrwaClass], schema: &str) -> Result<NewCase, String> {
    let class = classes
        .iter()
        .find(|c| c.symbol == case.jrwa_symbol)
        .ok_or_else(|| {
            format!(
                "the EZD's JRWA ({schema}) has no class {} for case {}; add it there or file the \
                 case under a class it has",
                case.jrwa_symbol, case.sign
            )
        })?;
    let local = case.category.to_string();
    let bare = |s: &str| s.replace('-', "").to_uppercase();
    let category = class
        .categories
        .iter()
        .find(|c| bare(c) == bare(&local))
        .ok_or_else(|| {
            format!(
                "case {}: the EZD's class {} allows the categories {} and not {local}",
                case.sign,
                class.symbol,
                class.categories.join(", ")
            )
        })?;
    let words = case
        .title
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .count();
    if words < 2 {
        return Err(format!(
            "case {}: the EZD wants a title of two or more words of three or more letters, and \
             \"{}\" is not; give the case a longer title",
            case.sign, case.title
        ));
    }
    Ok(NewCase {
        class: class.id.clone(),
        category: category.clone(),
        number: 0,
        year: case.year,
        title: case.title.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(words: &[&str]) -> Vec<Choice> {
        words
            .iter()
            .enumerate()
            .map(|(i, w)| Choice {
                id: format!("id{i}"),
                text: w.to_string(),
            })
            .collect()
    }

    #[test]
    fn local_values_find_the_instances_words() {
        let d = choices(&[
            "Poczta tradycyjna",
            "Poczta elektroniczna",
            "ePUAP",
            "Osobiście",
        ]);
        let r = |x| pick(&d, &delivery_rule(x), "sposób dostarczenia", "?");
        assert_eq!(r(Delivery::Post).unwrap(), "id0");
        assert_eq!(r(Delivery::Email).unwrap(), "id1");
        assert_eq!(r(Delivery::Epuap).unwrap(), "id2");
        assert_eq!(r(Delivery::InPerson).unwrap(), "id3");
        let e = r(Delivery::Courier).unwrap_err();
        assert!(
            e.contains("offers: Poczta tradycyjna, Poczta elektroniczna"),
            "{e}"
        );
        let a = choices(&["Publiczny", "Niepubliczny"]);
        assert_eq!(
            pick(&a, &access_rule(Access::Public), "dostęp", "?").unwrap(),
            "id0"
        );
        assert_eq!(
            pick(&a, &access_rule(Access::NonPublic), "dostęp", "?").unwrap(),
            "id1"
        );
    }

    #[test]
    fn two_matches_are_not_guessed_between() {
        let d = choices(&["Poczta tradycyjna", "Poczta polska – list polecony"]);
        let e = pick(
            &d,
            &delivery_rule(Delivery::Post),
            "sposób dostarczenia",
            "poczta",
        )
        .unwrap_err();
        assert!(e.contains("several"), "{e}");
        let k = choices(&["Wniosek", "Wniosek o dostęp"]);
        assert_eq!(pick_text(&k, "rodzaj", "wniosek").unwrap(), "id0");
        assert!(pick_text(&k, "rodzaj", "faktura").is_err());
    }
}
