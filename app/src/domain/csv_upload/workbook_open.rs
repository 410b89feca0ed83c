//! Opening a workbook with calamine (feature `workbooks`): on the server,
//! and in the browser's workbook module (`workbook/`), never in the page's
//! own wasm, whose first download it would double (calamine's text
//! encodings are data, which the page's chunks cannot split off).

use super::workbook::{Sheet, Workbook, WorkbookError, MAX_UNPACKED_BYTES};
use super::xlsx_formats::{pad, padded_cells, PaddedCells};
use calamine::{
    Data, Ods, OdsError, Range, Reader, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError,
};
use std::collections::HashMap;
use std::io::Cursor;

/// What a zip's parts add up to unpacked, as its directory declares them
/// (`None` if it is not a readable zip).
fn unpacked_bytes(bytes: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for index in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(index).ok()?.size());
    }
    Some(total)
}

impl Workbook {
    /// Reads every sheet. Whatever the file is called, its bytes decide
    /// how it is read: a workbook renamed `.csv` reads too.
    pub fn open(bytes: &[u8]) -> Result<Workbook, WorkbookError> {
        let none = PaddedCells::new();
        let xlsx = || {
            let padded = padded_cells(bytes);
            read_sheets::<Xlsx<_>>(bytes, |e| matches!(e, XlsxError::Password), &padded)
        };
        let is_zip = bytes.starts_with(b"PK");
        let unpacked = if is_zip { unpacked_bytes(bytes) } else { None };
        if let Some(unpacked) = unpacked.filter(|&u| u > MAX_UNPACKED_BYTES) {
            return Err(WorkbookError::TooBig {
                unpacked_mb: unpacked >> 20,
            });
        }
        let sheets = if is_zip {
            // The first error is the one to keep: most zips are xlsx.
            xlsx().or_else(|first| {
                read_sheets::<Ods<_>>(bytes, |e| matches!(e, OdsError::Password), &none)
                    .or_else(|_| {
                        read_sheets::<Xlsb<_>>(bytes, |e| matches!(e, XlsbError::Password), &none)
                    })
                    .map_err(|_| first)
            })
        } else {
            // An encrypted xlsx is an OLE file too; calamine's xlsx reader
            // is the one that recognises it as such.
            match xlsx() {
                Err(WorkbookError::Protected) => Err(WorkbookError::Protected),
                _ => read_sheets::<Xls<_>>(bytes, |e| matches!(e, XlsError::Password), &none),
            }
        }?;
        if sheets.iter().all(|s| s.shown.is_empty()) {
            return Err(WorkbookError::Empty);
        }
        Ok(Workbook { sheets })
    }
}

type Bytes<'a> = Cursor<&'a [u8]>;

/// Every sheet, read by calamine's reader `R`; `protected` tells its
/// error for a password from the others; `padded`, the cells whose
/// numbers show zero-padded, sheet by sheet.
fn read_sheets<'a, R>(
    bytes: &'a [u8],
    protected: fn(&R::Error) -> bool,
    padded: &PaddedCells,
) -> Result<Vec<Sheet>, WorkbookError>
where
    R: Reader<Bytes<'a>>,
    R::Error: std::fmt::Display,
{
    let refusal = |error: R::Error| match protected(&error) {
        true => WorkbookError::Protected,
        false => WorkbookError::Unreadable {
            cause: error.to_string(),
        },
    };
    let mut book: R = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(refusal)?;
    let mut sheets = Vec::new();
    for (index, name) in book.sheet_names().into_iter().enumerate() {
        let cells = book.worksheet_range(&name).map_err(refusal)?;
        sheets.push(Sheet::from_range(name, &cells, padded.get(index)));
    }
    Ok(sheets)
}

impl Sheet {
    fn from_range(
        name: String,
        cells: &Range<Data>,
        padded: Option<&HashMap<(u32, u32), usize>>,
    ) -> Sheet {
        let (top, left) = cells.start().unwrap_or((0, 0));
        let shown_at = |cell: &Data, at: (u32, u32)| {
            let width = padded.and_then(|p| p.get(&at));
            match (cell, width) {
                (Data::Float(_) | Data::Int(_), Some(&width)) => pad(shown_text(cell), width),
                _ => shown_text(cell),
            }
        };
        let mut shown: Vec<Vec<String>> = cells
            .rows()
            .zip(top..)
            .map(|(row, at_row)| {
                let mut texts: Vec<String> = row
                    .iter()
                    .zip(left..)
                    .map(|(cell, at_column)| shown_at(cell, (at_row, at_column)))
                    .collect();
                while texts.last().is_some_and(|t| t.is_empty()) {
                    texts.pop();
                }
                texts
            })
            .collect();
        while shown.last().is_some_and(|row| row.is_empty()) {
            shown.pop();
        }
        Sheet {
            name,
            first_row: top + 1,
            first_column: left,
            shown,
        }
    }
}

/// What a cell shows in the spreadsheet, as text.
pub fn shown_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => number_text(*number),
        Data::Bool(true) => "TRUE".to_owned(),
        Data::Bool(false) => "FALSE".to_owned(),
        Data::DateTime(moment) if moment.is_duration() => duration_text(moment.as_f64() * 86_400.0),
        Data::DateTime(moment) => {
            let (year, month, day, hour, minute, second, _) = moment.to_ymd_hms_milli();
            let date = format!("{year:04}-{month:02}-{day:02}");
            match (hour, minute, second) {
                (0, 0, 0) => date,
                _ => format!("{date} {hour:02}:{minute:02}:{second:02}"),
            }
        }
        // OpenDocument's own dates and durations, ISO 8601.
        Data::DateTimeIso(iso) => match iso.split_once('T') {
            Some((date, "00:00:00")) => date.to_owned(),
            Some((date, time)) => format!("{date} {time}"),
            None => iso.clone(),
        },
        Data::DurationIso(iso) => iso.clone(),
        Data::Error(error) => error.to_string(),
    }
}

/// A number as a spreadsheet's General format shows it: whole numbers
/// without a decimal point or an exponent (a 16-digit ID in full), others
/// to 15 significant digits, as Excel keeps them (0.1 + 0.2 shows 0.3).
fn number_text(number: f64) -> String {
    if !number.is_finite() {
        return number.to_string();
    }
    if number == 0.0 {
        return "0".to_owned();
    }
    if number.fract() == 0.0 && number.abs() < 1e21 {
        return format!("{number:.0}");
    }
    let rounded: f64 = format!("{number:.14e}").parse().unwrap_or(number);
    rounded.to_string()
}

/// A duration in seconds as `h:mm:ss`.
fn duration_text(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let (hours, rest) = (total / 3600, total.rem_euclid(3600));
    format!("{hours}:{:02}:{:02}", rest / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_upload::{is_workbook, TableError};
    use rust_xlsxwriter::{Format, Formula};

    /// A workbook as Excel would save it: an empty first sheet, then a
    /// staff list under a title row, with dates, numbers, text that looks
    /// like a number, a boolean and formulas.
    fn staff_workbook() -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().set_name("Notes").unwrap();
        let staff = book.add_worksheet().set_name("Staff").unwrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let moment = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        staff.write_string(0, 0, "Staff list, March").unwrap();
        let headers = [
            "First Name",
            "Email",
            "Start Date",
            "Years",
            "Score",
            "Employee ID",
            "Badge",
            "Mentor",
            "Total",
            "Lookup",
        ];
        for (column, header) in (0u16..).zip(headers) {
            staff.write_string(2, column, header).unwrap();
        }
        staff.write_string(3, 0, "Ann").unwrap();
        staff.write_string(3, 1, "ann@example.com").unwrap();
        staff
            .write_number_with_format(3, 2, 45231.0, &date)
            .unwrap();
        staff.write_number(3, 3, 42.0).unwrap();
        staff.write_number(3, 4, 0.1 + 0.2).unwrap();
        staff.write_number(3, 5, 1234567890123456.0).unwrap();
        staff.write_string(3, 6, "000042").unwrap();
        staff.write_boolean(3, 7, true).unwrap();
        staff
            .write_formula(3, 8, Formula::new("=D4*2").set_result("84"))
            .unwrap();
        staff
            .write_formula(3, 9, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
        // An empty row, then a row with only its first cells filled.
        staff.write_string(5, 0, "Bob").unwrap();
        staff
            .write_number_with_format(5, 2, 45231.5, &moment)
            .unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn cells_read_as_the_sheet_shows_them_with_the_sheets_row_numbers() {
        let bytes = staff_workbook();
        assert!(is_workbook(&bytes));
        let book = Workbook::open(&bytes).unwrap();
        let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Notes", "Staff"]);
        let staff = &book.sheets[book.first_filled()];
        assert_eq!(
            (staff.name.as_str(), staff.rows(), staff.columns()),
            ("Staff", 4, 10)
        );
        assert_eq!(
            staff.likely_header_row(),
            Some(3),
            "the title row above the headers is skipped"
        );
        let (table, names) = staff.table(3, 100).unwrap();
        assert_eq!(names.name(9, 4), "Staff!J4", "the Lookup cell of Ann's row");
        assert_eq!(table.headers[2], "Start Date");
        let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 6], "the empty row 5 is left out");
        assert_eq!(
            table.rows[0].cells,
            [
                "Ann",
                "ann@example.com",
                "2023-11-01",
                "42",
                "0.3",
                "1234567890123456",
                "000042",
                "TRUE",
                "84",
                "#N/A"
            ]
        );
        assert_eq!(
            table.rows[1].cells,
            ["Bob", "", "2023-11-01 12:00:00", "", "", "", "", "", "", ""],
            "short rows are as wide as the header"
        );
    }

    #[test]
    fn the_outline_is_what_the_pickers_show_of_each_sheet() {
        let book = Workbook::open(&staff_workbook()).unwrap();
        let outline = book.outline();
        assert_eq!(
            outline.first_filled(),
            1,
            "the empty Notes sheet is passed over"
        );
        let notes = &outline.sheets[0];
        assert_eq!(
            (notes.name.as_str(), notes.rows, notes.columns),
            ("Notes", 0, 0)
        );
        assert_eq!(notes.likely_header_row, None);
        let staff = &outline.sheets[1];
        assert_eq!(
            (staff.name.as_str(), staff.rows, staff.columns),
            ("Staff", 4, 10)
        );
        assert_eq!(staff.likely_header_row, Some(3));
        let rows: Vec<u32> = staff.header_choices.iter().map(|(row, _)| *row).collect();
        assert_eq!(
            rows,
            [1, 3, 4, 6],
            "the rows with content, by the sheet's numbers"
        );
        assert!(staff.header_choices[1]
            .1
            .starts_with("First Name, Email, Start Date"));
        assert!(
            staff.header_choices[1].1.ends_with('…'),
            "a long row is cut short: {:?}",
            staff.header_choices[1].1
        );
    }

    #[test]
    fn a_table_drawn_in_from_the_edge_loses_only_its_empty_margin() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "People").unwrap();
        for (row, cells) in [
            (2, ["First Name", "Email"]),
            (3, ["Ann", "ann@example.com"]),
        ] {
            sheet.write_string(row, 1, cells[0]).unwrap();
            sheet.write_string(row, 2, cells[1]).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let (table, names) = Workbook::open(&bytes).unwrap().sheets[0]
            .table(3, 10)
            .unwrap();
        assert_eq!(table.headers, ["First Name", "Email"]);
        assert_eq!(table.rows[0].cells, ["Ann", "ann@example.com"]);
        assert_eq!(table.rows[0].line, 4);
        assert_eq!(
            names.name(1, 4),
            "Sheet1!C4",
            "the margin column A is not the table's"
        );

        // A value under no header is not margin: the header is incomplete.
        let sheet = book.worksheet_from_index(0).unwrap();
        sheet.write_string(4, 0, "stray").unwrap();
        sheet.write_string(4, 1, "Bob").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let refused = Workbook::open(&bytes).unwrap().sheets[0].table(3, 10);
        assert_eq!(refused, Err(TableError::BlankHeader { column: 1 }));
    }

    #[test]
    fn numbers_formatted_with_zeros_keep_them() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let zeros = Format::new().set_num_format("000000");
        let other = book.add_worksheet().set_name("Other").unwrap();
        other.write_number(0, 0, 1.0).unwrap();
        let ids = book.add_worksheet().set_name("IDs").unwrap();
        ids.write_string(0, 0, "Employee ID").unwrap();
        ids.write_number_with_format(1, 0, 42.0, &zeros).unwrap();
        ids.write_number_with_format(2, 0, 1234567.0, &zeros)
            .unwrap();
        ids.write_string_with_format(3, 0, "7", &zeros).unwrap();
        ids.write_number(4, 0, 42.0).unwrap();
        let book = Workbook::open(&book.save_to_buffer().unwrap()).unwrap();
        let (table, _) = book.sheets[1].table(1, 10).unwrap();
        let shown: Vec<&str> = table.rows.iter().filter_map(|r| r.cells.get(0)).collect();
        assert_eq!(
            shown,
            ["000042", "1234567", "7", "42"],
            "padded to the format's width; longer numbers, text and unformatted numbers as they are"
        );
    }

    #[test]
    fn a_missing_header_and_too_many_rows_are_refused_as_in_a_csv() {
        let book = Workbook::open(&staff_workbook()).unwrap();
        let staff = &book.sheets[1];
        assert!(matches!(staff.table(2, 100), Err(TableError::NoHeader)));
        assert!(matches!(
            staff.table(3, 1),
            Err(TableError::TooManyRows { count: 2, limit: 1 })
        ));
    }

    #[test]
    fn files_that_are_not_workbooks_get_a_sentence() {
        let zip = Workbook::open(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(matches!(zip, WorkbookError::Unreadable { .. }), "{zip:?}");
        let ole = Workbook::open(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).unwrap_err();
        assert!(matches!(ole, WorkbookError::Unreadable { .. }), "{ole:?}");
        let mut empty = rust_xlsxwriter::Workbook::new();
        empty.add_worksheet();
        assert_eq!(
            Workbook::open(&empty.save_to_buffer().unwrap()).unwrap_err(),
            WorkbookError::Empty
        );
        let too_big = WorkbookError::TooBig { unpacked_mb: 900 };
        for error in [WorkbookError::Protected, zip, WorkbookError::Empty, too_big] {
            let said = error.to_string();
            assert!(said.ends_with('.') && said.contains(':'), "{said}");
        }
    }

    #[test]
    fn the_header_row_is_the_first_filled_across_the_table() {
        let sheet = |rows: &[&[&str]]| Sheet {
            name: "S".into(),
            first_row: 2,
            first_column: 0,
            shown: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        };
        let headers: &[&str] = &["Email", "Name"];
        let person: &[&str] = &["a@x.org", "A"];
        assert_eq!(sheet(&[headers, person]).likely_header_row(), Some(2));
        assert_eq!(
            sheet(&[&["Staff"], &[], headers, person]).likely_header_row(),
            Some(4),
            "a title and a blank row above"
        );
        assert_eq!(
            sheet(&[&["Email"], &["a@x.org"]]).likely_header_row(),
            Some(2)
        );
        assert_eq!(sheet(&[&[" "], &[]]).likely_header_row(), None);
    }

    /// A zip bomb: a small upload whose parts declare gigabytes unpacked
    /// is refused before anything is unpacked.
    #[test]
    fn a_workbook_unpacking_past_the_bound_is_too_big() {
        let mut bytes = staff_workbook();
        let declared = 3_800_000_000u32;
        let entry = bytes
            .windows(4)
            .position(|w| w == b"PK\x01\x02")
            .expect("a zip has a central directory");
        // A directory entry's uncompressed size is at offset 24.
        bytes[entry + 24..entry + 28].copy_from_slice(&declared.to_le_bytes());
        let error = Workbook::open(&bytes).unwrap_err();
        let declared_mb = u64::from(declared) >> 20;
        assert!(
            matches!(error, WorkbookError::TooBig { unpacked_mb } if unpacked_mb >= declared_mb),
            "{error:?}"
        );
        assert!(error.to_string().contains("3,62"), "{error}");
        assert!(unpacked_bytes(&staff_workbook()).unwrap() < MAX_UNPACKED_BYTES);
    }

    #[test]
    fn each_kind_of_cell_shows_as_in_the_spreadsheet() {
        use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};
        let moment = |value, kind| Data::DateTime(ExcelDateTime::new(value, kind, false));
        let cases = [
            (Data::Int(42), "42"),
            (Data::Float(-0.0), "0"),
            (Data::Float(2.5), "2.5"),
            (Data::Bool(false), "FALSE"),
            (Data::Error(CellErrorType::NA), "#N/A"),
            (Data::Error(CellErrorType::Div0), "#DIV/0!"),
            (moment(45231.0, ExcelDateTimeType::DateTime), "2023-11-01"),
            (moment(1.5, ExcelDateTimeType::TimeDelta), "36:00:00"),
            // OpenDocument's dates and durations.
            (
                Data::DateTimeIso("2021-01-01T00:00:00".into()),
                "2021-01-01",
            ),
            (
                Data::DateTimeIso("2021-01-01T10:10:10".into()),
                "2021-01-01 10:10:10",
            ),
            (Data::DateTimeIso("2021-01-01".into()), "2021-01-01"),
            (Data::DurationIso("PT10H10M10S".into()), "PT10H10M10S"),
        ];
        for (cell, shown) in cases {
            assert_eq!(shown_text(&cell), shown, "{cell:?}");
        }
    }

    proptest::proptest! {
        /// A number shows as General does: whole numbers in full, others
        /// to 15 significant digits, and it reads back as the same number.
        #[test]
        fn numbers_show_as_general_does(number in proptest::num::f64::NORMAL) {
            let shown = number_text(number);
            let back: f64 = shown.parse().unwrap();
            proptest::prop_assert!((back - number).abs() <= number.abs() * 1e-14, "{number} shown {shown}");
            if number.fract() == 0.0 && number.abs() < 1e21 {
                proptest::prop_assert!(!shown.contains('.'), "{shown}");
            }
        }

        /// Whatever the bytes, opening them answers and never panics.
        #[test]
        fn any_bytes_open_or_get_a_sentence(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..200), zip in proptest::bool::ANY) {
            let mut bytes = if zip { b"PK\x03\x04".to_vec() } else { vec![0xD0, 0xCF, 0x11, 0xE0] };
            bytes.extend(tail);
            let _ = Workbook::open(&bytes);
        }
    }
}
