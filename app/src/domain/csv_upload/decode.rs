//! Turning an uploaded file's bytes into text (docs/importing.md, step 1).
//!
//! UTF-8 (with or without a byte-order mark) is read as is. What Excel
//! writes otherwise — Windows-1252 "CSV" and UTF-16 "Unicode text" — is
//! recognised and converted, and the admin confirms the conversion. Files
//! that are not text at all are named for what they are.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextEncoding {
    Utf8,
    Windows1252,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Windows1252 => "Windows-1252",
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => "UTF-16",
        }
    }
}

/// A file read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedFile {
    pub text: String,
    pub encoding: TextEncoding,
}

impl DecodedFile {
    /// Anything but UTF-8 was converted, and the admin should confirm that
    /// names with accents came out right before going on.
    pub fn needs_confirmation(&self) -> bool {
        self.encoding != TextEncoding::Utf8
    }

    /// What to tell the admin about a converted file.
    pub fn notice(&self) -> Option<String> {
        match self.encoding {
            TextEncoding::Utf8 => None,
            TextEncoding::Windows1252 => Some(
                "This file is not saved as UTF-8. Roster read it as Windows-1252, the encoding of Excel's plain \
                 \"CSV\" format: check that names with accents look right below, then confirm. To avoid this \
                 step, save the file in Excel with File → Save As → \"CSV UTF-8\"."
                    .to_owned(),
            ),
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => Some(
                "This file is saved as UTF-16 (Excel's \"Unicode Text\"). Roster converted it: check the names \
                 below look right, then confirm. To avoid this step, save the file in Excel with File → Save As \
                 → \"CSV UTF-8\"."
                    .to_owned(),
            ),
        }
    }
}

/// Why a file cannot be read as a table at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DecodeError {
    #[error("The file is empty: export your spreadsheet as CSV again and choose that file.")]
    Empty,
    #[error(
        "This file holds binary data, not text: upload the spreadsheet saved as \"CSV UTF-8\"."
    )]
    Binary,
}

/// A short fingerprint of a file's bytes (64-bit FNV-1a), to recognise the
/// same file in the history; not for security.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut fingerprint = Fingerprint::default();
    fingerprint.update(bytes);
    fingerprint.finish()
}

/// [`fingerprint`] fed a part at a time, so that a browser can take a big
/// file in slices.
#[derive(Debug, Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    }

    pub fn finish(self) -> String {
        format!("{:016x}", self.0)
    }
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

pub fn decode(bytes: &[u8]) -> Result<DecodedFile, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, TextEncoding::Utf16Be);
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Some(encoding) = utf16_without_bom(body) {
        return utf16(body, encoding);
    }
    if body.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let decoded = match std::str::from_utf8(body) {
        Ok(text) => DecodedFile {
            text: text.to_owned(),
            encoding: TextEncoding::Utf8,
        },
        Err(_) => DecodedFile {
            text: windows_1252(body),
            encoding: TextEncoding::Windows1252,
        },
    };
    if decoded.text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(decoded)
}

/// UTF-16 text without a byte-order mark has a zero byte beside nearly
/// every ASCII character; which side tells the byte order.
fn utf16_without_bom(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_odd = sample
        .chunks_exact(2)
        .filter(|p| p[0] != 0 && p[1] == 0)
        .count();
    let zero_even = sample
        .chunks_exact(2)
        .filter(|p| p[0] == 0 && p[1] != 0)
        .count();
    if zero_odd * 10 >= pairs * 8 {
        Some(TextEncoding::Utf16Le)
    } else if zero_even * 10 >= pairs * 8 {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

fn utf16(bytes: &[u8], encoding: TextEncoding) -> Result<DecodedFile, DecodeError> {
    let units = bytes.chunks_exact(2).map(|p| match encoding {
        TextEncoding::Utf16Be => u16::from_be_bytes([p[0], p[1]]),
        _ => u16::from_le_bytes([p[0], p[1]]),
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(DecodedFile { text, encoding })
}

/// Windows-1252: Latin-1 except for 0x80–0x9F, where it has typographic
/// characters (the five holes keep their Latin-1 control meaning).
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_tells_files_apart() {
        // The published FNV-1a test vector.
        assert_eq!(fingerprint(b"a"), "af63dc4c8601ec8c");
        assert_ne!(fingerprint(b"a,b\n1,2\n"), fingerprint(b"a,b\n1,3\n"));
        let mut in_parts = Fingerprint::default();
        for part in b"a,b\n1,2\n".chunks(3) {
            in_parts.update(part);
        }
        assert_eq!(in_parts.finish(), fingerprint(b"a,b\n1,2\n"));
    }

    #[test]
    fn utf8_is_read_as_is_and_a_bom_is_stripped() {
        let plain = decode("First Name,Email\nJosé,j@example.com\n".as_bytes()).unwrap();
        assert_eq!(plain.encoding, TextEncoding::Utf8);
        assert!(!plain.needs_confirmation());
        let bom = decode(b"\xEF\xBB\xBFFirst Name,Email\n").unwrap();
        assert_eq!(bom.text, "First Name,Email\n");
        assert_eq!(bom.encoding, TextEncoding::Utf8);
    }

    #[test]
    fn windows_1252_is_converted_and_needs_confirmation() {
        // "José,Zoë,“quoted”,€" as Excel's legacy CSV writes it.
        let decoded = decode(b"Jos\xE9,Zo\xEB,\x93quoted\x94,\x80\n").unwrap();
        assert_eq!(decoded.text, "José,Zoë,“quoted”,€\n");
        assert_eq!(decoded.encoding, TextEncoding::Windows1252);
        assert!(decoded.needs_confirmation());
        assert!(decoded.notice().unwrap().contains("CSV UTF-8"));
    }

    #[test]
    fn utf16_with_and_without_bom_is_converted() {
        let text = "First Name\tEmail\r\nZoë\tz@example.com\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for (bytes, encoding) in [
            (le, TextEncoding::Utf16Le),
            (be, TextEncoding::Utf16Be),
            (bare, TextEncoding::Utf16Le),
        ] {
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.text, text);
            assert_eq!(decoded.encoding, encoding);
            assert!(decoded.needs_confirmation());
        }
    }

    #[test]
    fn binary_and_empty_files_are_named_for_what_they_are() {
        assert_eq!(
            decode(b"\x00\x01\x02\x03\x00\x00\x00\x00\xFF"),
            Err(DecodeError::Binary)
        );
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF \r\n\r\n"), Err(DecodeError::Empty));
    }

    proptest::proptest! {
        #[test]
        fn any_utf8_text_comes_back_unchanged(text in "[^\\x00\\x{FEFF}]{1,200}") {
            proptest::prop_assume!(!text.trim().is_empty());
            let decoded = decode(text.as_bytes()).unwrap();
            proptest::prop_assert_eq!(decoded.text, text);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = decode(&bytes);
        }
    }
}
