//! The one number format calamine does not hand over that changes what a
//! person's data means: an .xlsx cell formatted with zeros only (`000000`)
//! shows its number zero-padded to that width — an employee ID typed as a
//! number and formatted to keep its zeros. Read from the same zip with
//! calamine's own zip and quick-xml; a file that does not read this way
//! simply gets no padding.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor};
use zip::ZipArchive;

/// For each sheet, in the workbook's order: the cells (0-based row and
/// column) whose number shows zero-padded, and to how many digits.
pub(super) type PaddedCells = Vec<HashMap<(u32, u32), usize>>;

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// The longest format Excel accepts: a longer run of zeros is not from a
/// spreadsheet, and would pad every number of its cells to its length.
const MAX_FORMAT_LEN: usize = 255;

/// The zero-padded cells of an .xlsx; none when no style pads (the usual
/// case, which costs one small read of the styles).
pub(super) fn padded_cells(bytes: &[u8]) -> PaddedCells {
    read_padded_cells(bytes).unwrap_or_default()
}

fn read_padded_cells(bytes: &[u8]) -> Option<PaddedCells> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let widths = style_widths(xml(&mut zip, "xl/styles.xml")?)?;
    if widths.iter().all(Option::is_none) {
        return None;
    }
    let mut sheets = Vec::new();
    for part in sheet_parts(&mut zip)? {
        let cells = xml(&mut zip, &part).and_then(|sheet| padded_in_sheet(sheet, &widths));
        sheets.push(cells.unwrap_or_default());
    }
    Some(sheets)
}

fn xml<'z, 'b>(zip: &'z mut Zip<'b>, path: &str) -> Option<XmlReader<impl BufRead + use<'z, 'b>>> {
    Some(XmlReader::from_reader(BufReader::new(
        zip.by_name(path).ok()?,
    )))
}

/// Calls `each` with every element's start (`<a>` and `<a/>` alike);
/// `None` if the XML is malformed.
fn each_element(
    mut xml: XmlReader<impl BufRead>,
    mut each: impl FnMut(&BytesStart<'_>),
) -> Option<()> {
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(element) | Event::Empty(element) => each(&element),
            Event::Eof => return Some(()),
            _ => {}
        }
        buf.clear();
    }
}

fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Option<Vec<u8>> {
    let found = element.try_get_attribute(name).ok()??;
    Some(found.value.into_owned())
}

/// For each cell style (`cellXfs`, by index): the width it pads numbers
/// to, if its format is zeros only. (The `xf`s of `cellStyleXfs` come
/// before `cellXfs`, and none after it.)
fn style_widths(styles: XmlReader<impl BufRead>) -> Option<Vec<Option<usize>>> {
    let mut padding_formats: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut widths = Vec::new();
    let mut in_cell_styles = false;
    each_element(styles, |element| match element.local_name().as_ref() {
        b"numFmt" => {
            let id = attribute(element, b"numFmtId");
            let code = attribute(element, b"formatCode").unwrap_or_default();
            if let Some(id) = id.filter(|_| pads(&code)) {
                padding_formats.insert(id, code.len());
            }
        }
        b"cellXfs" => in_cell_styles = true,
        b"xf" if in_cell_styles => widths
            .push(attribute(element, b"numFmtId").and_then(|id| padding_formats.get(&id).copied())),
        _ => {}
    })?;
    Some(widths)
}

/// A format of zeros only (`000000`), as long as Excel allows.
fn pads(code: &[u8]) -> bool {
    (2..=MAX_FORMAT_LEN).contains(&code.len()) && code.iter().all(|&b| b == b'0')
}

/// Each sheet's part in the zip, in the workbook's order (the order
/// calamine lists sheets in).
fn sheet_parts(zip: &mut Zip<'_>) -> Option<Vec<String>> {
    let mut ids = Vec::new();
    let workbook = xml(zip, "xl/workbook.xml")?;
    each_element(workbook, |element| {
        if element.local_name().as_ref() == b"sheet" {
            ids.push(attribute(element, b"r:id").unwrap_or_default());
        }
    })?;
    let mut targets: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let relationships = xml(zip, "xl/_rels/workbook.xml.rels")?;
    each_element(relationships, |element| {
        if let (Some(id), Some(target)) = (attribute(element, b"Id"), attribute(element, b"Target"))
        {
            targets.insert(id, target);
        }
    })?;
    let part = |target: &[u8]| {
        let target = String::from_utf8_lossy(target);
        match target.strip_prefix('/') {
            Some(absolute) => absolute.to_owned(),
            None => format!("xl/{target}"),
        }
    };
    Some(
        ids.iter()
            .map(|id| targets.get(id).map(|t| part(t)).unwrap_or_default())
            .collect(),
    )
}

fn padded_in_sheet(
    sheet: XmlReader<impl BufRead>,
    widths: &[Option<usize>],
) -> Option<HashMap<(u32, u32), usize>> {
    let mut cells = HashMap::new();
    each_element(sheet, |element| {
        if element.local_name().as_ref() != b"c" {
            return;
        }
        let style = attribute(element, b"s")
            .and_then(|s| std::str::from_utf8(&s).ok()?.parse::<usize>().ok());
        let width = style.and_then(|s| widths.get(s).copied().flatten());
        let at = attribute(element, b"r").and_then(|r| cell_position(&r));
        if let (Some(width), Some(at)) = (width, at) {
            cells.insert(at, width);
        }
    })?;
    Some(cells)
}

/// `F4` as (row 3, column 5), both from 0.
pub(super) fn cell_position(reference: &[u8]) -> Option<(u32, u32)> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_uppercase())
        .count();
    let (column, row) = reference.split_at(letters);
    let column = column.iter().try_fold(0u32, |n, &b| {
        n.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)
    })?;
    let row: u32 = std::str::from_utf8(row).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, column.checked_sub(1)?))
}

/// A whole, non-negative number as the format shows it: zeros in front
/// up to `width` digits.
pub(super) fn pad(shown: String, width: usize) -> String {
    if shown.len() < width && shown.bytes().all(|b| b.is_ascii_digit()) {
        format!("{shown:0>width$}")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_rows_and_columns_from_zero() {
        assert_eq!(cell_position(b"A1"), Some((0, 0)));
        assert_eq!(cell_position(b"F4"), Some((3, 5)));
        assert_eq!(cell_position(b"AA10"), Some((9, 26)));
        assert_eq!(cell_position(b"XFD1048576"), Some((1_048_575, 16_383)));
        for bad in [&b"A0"[..], b"1", b"A", b"", b"a1"] {
            assert_eq!(cell_position(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_formats_of_zeros_as_long_as_excel_allows_pad() {
        assert!(pads(b"000000"));
        assert!(pads(&[b'0'; MAX_FORMAT_LEN]));
        assert!(
            !pads(&[b'0'; MAX_FORMAT_LEN + 1]),
            "a hostile file's format"
        );
        for other in [&b"0"[..], b"0.00", b"@", b"", b"00-00"] {
            assert!(!pads(other), "{other:?}");
        }
    }

    #[test]
    fn only_whole_numbers_shorter_than_the_format_are_padded() {
        assert_eq!(pad("42".into(), 6), "000042");
        assert_eq!(pad("1234567".into(), 6), "1234567");
        assert_eq!(pad("-42".into(), 6), "-42");
        assert_eq!(pad("4.5".into(), 6), "4.5");
    }
}
