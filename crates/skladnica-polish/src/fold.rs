//! Diacritic folding: `zaświadczenie` → `zaswiadczenie`, `Łódź` → `Lodz`.
//!
//! Covers Polish letters and the Latin letters that appear in names in Polish records (German,
//! Czech, Lithuanian, French…). Characters outside the table are kept as they are.

/// Returns `text` with diacritics removed from the letters this module knows.
pub fn fold_diacritics(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// True when folding would change `text`.
pub fn has_diacritics(text: &str) -> bool {
    text.chars().any(|c| fold_char(c) != c)
}

fn fold_char(c: char) -> char {
    match c {
        'ą' | 'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' => 'a',
        'Ą' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' | 'Ā' | 'Ă' => 'A',
        'ć' | 'č' | 'ç' => 'c',
        'Ć' | 'Č' | 'Ç' => 'C',
        'ď' => 'd',
        'Ď' => 'D',
        'ę' | 'é' | 'è' | 'ê' | 'ë' | 'ě' | 'ē' | 'ė' => 'e',
        'Ę' | 'É' | 'È' | 'Ê' | 'Ë' | 'Ě' | 'Ē' | 'Ė' => 'E',
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' | 'Į' => 'I',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'Ł' | 'Ľ' | 'Ĺ' => 'L',
        'ń' | 'ň' | 'ñ' => 'n',
        'Ń' | 'Ň' | 'Ñ' => 'N',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ő' | 'ø' => 'o',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ő' | 'Ø' => 'O',
        'ř' | 'ŕ' => 'r',
        'Ř' | 'Ŕ' => 'R',
        'ś' | 'š' | 'ş' => 's',
        'Ś' | 'Š' | 'Ş' => 'S',
        'ť' | 'ţ' => 't',
        'Ť' | 'Ţ' => 'T',
        'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' | 'ų' => 'u',
        'Ú' | 'Ù' | 'Û' | 'Ü' | 'Ů' | 'Ű' | 'Ū' | 'Ų' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' | 'Ÿ' => 'Y',
        'ź' | 'ż' | 'ž' => 'z',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_polish_letters() {
        assert_eq!(fold_diacritics("zażółć gęślą jaźń"), "zazolc gesla jazn");
        assert_eq!(fold_diacritics("ŁÓDŹ"), "LODZ");
        assert!(has_diacritics("źle"));
        assert!(!has_diacritics("umowa 2024"));
    }
}
