//! Identifiers found in documents, validated before they are believed: PESEL (with the birth
//! date and sex it carries), NIP, REGON (9 and 14 digits), KRS, księga wieczysta, dowód
//! osobisty. The checksums are those of `DOMAIN.md`.

use crate::date::Date;

/// What a valid PESEL says of its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeselFacts {
    /// The date of birth.
    pub born: Date,
    /// Female (the 10th digit is even).
    pub female: bool,
}

fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

/// The birth date and sex of a valid PESEL; `None` when the checksum or the date fails.
pub fn pesel(s: &str) -> Option<PeselFacts> {
    let d = digits(s).filter(|d| d.len() == 11)?;
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = d.iter().zip(W).map(|(a, w)| a * w).sum();
    if (10 - sum % 10) % 10 != d[10] {
        return None;
    }
    let yy = (d[0] * 10 + d[1]) as i32;
    let mm = d[2] * 10 + d[3];
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return None,
    };
    let born = Date::new(century + yy, month, d[4] * 10 + d[5])?;
    Some(PeselFacts {
        born,
        female: d[9] % 2 == 0,
    })
}

/// Whether `s` (10 digits) is a valid NIP.
pub fn nip(s: &str) -> bool {
    let Some(d) = digits(s).filter(|d| d.len() == 10) else {
        return false;
    };
    const W: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];
    let r = d.iter().zip(W).map(|(a, w)| a * w).sum::<u32>() % 11;
    r != 10 && r == d[9]
}

/// Whether `s` (9 or 14 digits) is a valid REGON.
pub fn regon(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    let check = |d: &[u32], w: &[u32]| {
        let r = d.iter().zip(w).map(|(a, w)| a * w).sum::<u32>() % 11;
        (if r == 10 { 0 } else { r }) == d[w.len()]
    };
    match d.len() {
        9 => check(&d, &[8, 9, 2, 3, 4, 5, 6, 7]),
        14 => {
            check(&d[..9], &[8, 9, 2, 3, 4, 5, 6, 7])
                && check(&d, &[2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8])
        }
        _ => false,
    }
}

/// Whether `s` looks like a KRS number (10 digits; it has no check digit).
pub fn krs(s: &str) -> bool {
    s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The value of a character in a księga wieczysta number.
fn kw_value(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    // X = 10, A = 11, B = 12 … skipping Q and V.
    const ORDER: &str = "XABCDEFGHIJKLMNOPRSTUWYZ";
    ORDER.find(c).map(|i| 10 + i as u32)
}

/// Whether `s` is a valid księga wieczysta number `AAAA/NNNNNNNN/K`.
pub fn kw(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    let [court, number, check] = parts.as_slice() else {
        return false;
    };
    if court.len() != 4
        || number.len() != 8
        || check.len() != 1
        || !number.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let chars: Vec<char> = court.chars().chain(number.chars()).collect();
    let Some(values) = chars
        .iter()
        .map(|&c| kw_value(c))
        .collect::<Option<Vec<u32>>>()
    else {
        return false;
    };
    let sum: u32 = values
        .iter()
        .enumerate()
        .map(|(i, v)| v * [1, 3, 7][i % 3])
        .sum();
    check.chars().next().and_then(|c| c.to_digit(10)) == Some(sum % 10)
}

/// Whether `s` (3 letters + 6 digits) is a valid Polish identity card number.
pub fn id_card(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    if c.len() != 9
        || !c[..3].iter().all(|c| c.is_ascii_uppercase())
        || !c[3..].iter().all(|c| c.is_ascii_digit())
    {
        return false;
    }
    let value = |c: char| c.to_digit(36).unwrap_or(0);
    const W: [u32; 9] = [7, 3, 1, 0, 7, 3, 1, 7, 3];
    let sum: u32 = c.iter().zip(W).map(|(&c, w)| value(c) * w).sum();
    sum % 10 == value(c[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_examples() {
        let p = pesel("44051401359").unwrap();
        assert_eq!(
            (p.born.to_string(), p.female),
            ("1944-05-14".to_string(), false)
        );
        let p = pesel("02271400004").unwrap();
        assert_eq!(
            (p.born.to_string(), p.female),
            ("2002-07-14".to_string(), true)
        );
        assert!(pesel("44051401358").is_none());
        assert!(pesel("44133101350").is_none(), "month 13 is no month");
        assert!(nip("1234563218"));
        assert!(!nip("1234563217"));
        assert!(regon("123456785"));
        assert!(regon("12345678512347"));
        assert!(!regon("123456784"));
        assert!(!regon("12345678512348"));
        assert!(id_card("ABA300000"));
        assert!(!id_card("ABA300001"));
        assert!(krs("0000123456"));
    }

    #[test]
    fn land_registry_numbers() {
        // WA1M/00012345/?: compute the check digit the rule gives, then test both ways.
        let body = "WA1M00012345";
        let values: Vec<u32> = body.chars().map(|c| kw_value(c).unwrap()).collect();
        let sum: u32 = values
            .iter()
            .enumerate()
            .map(|(i, v)| v * [1, 3, 7][i % 3])
            .sum();
        let good = format!("WA1M/00012345/{}", sum % 10);
        assert!(kw(&good), "{good}");
        let bad = format!("WA1M/00012345/{}", (sum + 1) % 10);
        assert!(!kw(&bad));
        assert!(!kw("WA1M/0001234/5"));
        assert_eq!(kw_value('P'), Some(26));
        assert_eq!(kw_value('Z'), Some(33));
        assert_eq!(kw_value('Q'), None);
    }
}
