//! File and folder names that every carrier accepts: FAT32, exFAT, NTFS and SMB shares. Polish
//! letters stay (all of these store Unicode names); what Windows forbids is replaced, reserved
//! device names get a suffix, and each part is kept short enough for the 255-character limits
//! and for Windows' 260-character paths.

/// The longest name part written, in characters.
pub const MAX_PART: usize = 80;

/// Names Windows reserves for devices, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// `name` made safe as one path part: characters FAT32, NTFS and SMB refuse (`<>:"/\|?*`,
/// control characters) become `_`, trailing dots and spaces go, a reserved device name gets
/// `_`, and the part is cut to [`MAX_PART`] characters keeping its extension.
pub fn safe_part(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = out.trim_end_matches(['.', ' ']).trim_start().to_string();
    out = if trimmed.is_empty() {
        "_".to_string()
    } else {
        trimmed
    };
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        out = format!("_{out}");
    }
    if out.chars().count() > MAX_PART {
        let (stem, ext) = match out.rfind('.') {
            Some(i) if out.len() - i <= 6 && i > 0 => (out[..i].to_string(), out[i..].to_string()),
            _ => (out.clone(), String::new()),
        };
        let keep = MAX_PART - ext.chars().count();
        out = stem.chars().take(keep).collect::<String>() + &ext;
    }
    out
}

/// `name` with `suffix` before its extension: `skan.tiff` + `-archiwalny` + `pdf` →
/// `skan-archiwalny.pdf`.
pub fn with_suffix(name: &str, suffix: &str, extension: &str) -> String {
    let stem = match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    safe_part(&format!("{stem}{suffix}.{extension}"))
}

/// True when `relative` is a plain relative path inside a package: `/`-separated parts, none
/// empty, `.` or `..`, no drive letter, no backslash.
pub fn is_inside(relative: &str) -> bool {
    !relative.is_empty()
        && !relative.starts_with('/')
        && !relative.contains('\\')
        && !relative.contains(':')
        && relative
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_carrier_accepts() {
        assert_eq!(
            safe_part("Wniosek: \"pilne\"?.pdf"),
            "Wniosek_ _pilne__.pdf"
        );
        assert_eq!(
            safe_part("zażółć gęślą jaźń.tiff"),
            "zażółć gęślą jaźń.tiff"
        );
        assert_eq!(safe_part("CON.txt"), "_CON.txt");
        assert_eq!(safe_part("lpt1"), "_lpt1");
        assert_eq!(safe_part("koniec. . "), "koniec");
        assert_eq!(safe_part("..."), "_");
        assert_eq!(safe_part("a\u{7}b"), "a_b");
        let long = format!("{}.pdf", "x".repeat(300));
        let cut = safe_part(&long);
        assert_eq!(cut.chars().count(), MAX_PART);
        assert!(cut.ends_with(".pdf"));
        assert_eq!(
            with_suffix("skan.tiff", "-archiwalny", "pdf"),
            "skan-archiwalny.pdf"
        );
    }

    #[test]
    fn paths_that_leave_the_package_are_refused() {
        assert!(is_inside("dokumenty/OR.0050.1.2026/01-skan.pdf"));
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "a/../../b",
            "a//b",
            "C:/x",
            "a\\b",
            "",
            "./a",
        ] {
            assert!(!is_inside(bad), "{bad}");
        }
    }
}
