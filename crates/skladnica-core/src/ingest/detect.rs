//! Recognising what a file is from its content, and checking that its name does not lie.

use std::path::Path;

use crate::error::Rejection;

/// The kinds of file Składnica imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A PDF document.
    Pdf,
    /// A JPEG image.
    Jpeg,
    /// A PNG image.
    Png,
    /// A TIFF image, possibly of several pages.
    Tiff,
}

impl FileKind {
    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Tiff => "image/tiff",
        }
    }

    /// How an error message names this kind.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Pdf => "a PDF document",
            FileKind::Jpeg => "a JPEG image",
            FileKind::Png => "a PNG image",
            FileKind::Tiff => "a TIFF image",
        }
    }

    /// The kind an extension claims, if it is one of ours.
    pub fn from_extension(ext: &str) -> Option<FileKind> {
        match ext.to_ascii_lowercase().as_str() {
            "pdf" => Some(FileKind::Pdf),
            "jpg" | "jpeg" | "jpe" | "jfif" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            "tif" | "tiff" => Some(FileKind::Tiff),
            _ => None,
        }
    }
}

/// What the bytes are, by their signature.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some(FileKind::Tiff)
    } else if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        // The PDF header may follow some junk; readers accept it within the first KiB.
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// The kind of a file: by content, and refused when the extension names another of our kinds.
/// Files with no extension, or one we do not know, are taken for what their content is.
pub fn classify(path: &Path, bytes: &[u8]) -> Result<FileKind, Rejection> {
    let content = sniff(bytes).ok_or(Rejection::UnknownType)?;
    if let Some(ext) = path.extension().and_then(|e| e.to_str())
        && let Some(claimed) = FileKind::from_extension(ext)
        && claimed != content
    {
        return Err(Rejection::ExtensionMismatch {
            extension: ext.to_string(),
            content: content.describe(),
        });
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_signatures() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxxxx"), Some(FileKind::Png));
        assert_eq!(sniff(b"II*\0...."), Some(FileKind::Tiff));
        assert_eq!(sniff(b"PK\x03\x04"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_lying_extension_is_refused() {
        let err = classify(Path::new("skan.pdf"), b"\x89PNG\r\n\x1a\n").unwrap_err();
        assert_eq!(err.code(), "extension_mismatch");
        assert!(err.to_string().contains("PNG"));
        assert_eq!(
            classify(Path::new("skan"), b"\x89PNG\r\n\x1a\n").unwrap(),
            FileKind::Png
        );
        assert_eq!(
            classify(Path::new("skan.JPG"), b"\xff\xd8\xff").unwrap(),
            FileKind::Jpeg
        );
        assert_eq!(
            classify(Path::new("a.docx"), b"PK\x03\x04").unwrap_err(),
            Rejection::UnknownType
        );
    }
}
