//! Amounts in PLN: "46 774 zł", "1 016 500 zł", "528,00 zł", "27.430,00 zł", "690 PLN" (and
//! OCR's "zt" for "zł"), normalised to a decimal with two places.

use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Found};

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(\d{1,3}(?:[ .\u{a0}]\d{3})+|\d+)(?:,(\d{2}))?\s?(zł|zl|zt|PLN)(?:\b|[^\p{L}]|$)",
    )
    .unwrap()
});

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for c in AMOUNT.captures_iter(text) {
        let whole: String = c[1].chars().filter(char::is_ascii_digit).collect();
        let Ok(units) = whole.parse::<u64>() else {
            continue;
        };
        let cents = c.get(2).map_or("00", |m| m.as_str());
        let m = c.get(0).unwrap();
        let end = c.get(3).unwrap().end();
        out.push(Found::new(
            Field::Amount,
            format!("{units}.{cents}"),
            0.9,
            m.start(),
            end,
            "an amount in złoty",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::{Field, extract};

    #[test]
    fn amounts_in_their_forms() {
        let found: Vec<String> = extract("w kwocie 46 774 zł oraz 1 016 500 zł, 528,00 zł i 27.430,00 zł; opłata 690 zt, 15 PLN.")
            .into_iter()
            .filter(|f| f.field == Field::Amount)
            .map(|f| f.value)
            .collect();
        assert_eq!(
            found,
            [
                "46774.00",
                "1016500.00",
                "528.00",
                "27430.00",
                "690.00",
                "15.00"
            ]
        );
    }
}
