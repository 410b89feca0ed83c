//! Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) read as tables, with the
//! same header and row rules as a CSV file (issue 21). calamine reads the
//! file; what each cell shows is decided here: dates as `YYYY-MM-DD`, whole numbers without `.0`, long numbers
//! in full, error cells as the error the sheet shows (`#N/A`), which the
//! row checks refuse. Opening a workbook (calamine) is in
//! `workbook_open.rs`, behind the `workbooks` feature: the browser does it
//! in a wasm module of its own (`workbook/`).

use super::cell_names::CellNames;
use super::table::{check_headers, CsvRow, CsvTable, TableError};
use crate::text::{thousands, trim};
use serde::{Deserialize, Serialize};

/// What makes a workbook unreadable as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum WorkbookError {
    #[error("The workbook is protected with a password: open it in Excel or LibreOffice, remove the password, save it and upload it again.")]
    Protected,
    /// `cause`: what the reader said, for the log, not for the person.
    #[error("The workbook could not be read, perhaps it is damaged: open it in Excel or LibreOffice, save it again as .xlsx and upload that, or save the sheet as CSV UTF-8.")]
    Unreadable { cause: String },
    #[error("Every sheet of the workbook is empty: put the people on the first sheet, with the column headers in the first row.")]
    Empty,
    #[error(
        "The workbook unpacks to {} MB, more than the browser can read ({} MB): delete the other sheets and any pictures, or save the people's sheet as CSV UTF-8 and upload that.",
        thousands(*.unpacked_mb),
        thousands(MAX_UNPACKED_BYTES >> 20)
    )]
    TooBig { unpacked_mb: u64 },
}

/// Rows with content searched for the header row: titles and notes above
/// a table rarely run longer.
const HEADER_SEARCH_ROWS: usize = 20;

/// The most an .xlsx, .xlsb or .ods may unpack to: a 100,000-row sheet of
/// twenty columns is about a tenth of it. A zip's parts are deflated, so a
/// small upload can unpack to gigabytes that would end the tab.
pub const MAX_UNPACKED_BYTES: u64 = 512 << 20;

/// A workbook's sheets, each read whole. Serialised, it travels from the
/// browser's workbook module (which opens it) to the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

/// One sheet: its name and its cells as the spreadsheet shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    /// The sheet's row number of `shown[0]` (1 for the first row).
    pub(super) first_row: u32,
    /// The sheet's column of `shown[_][0]` (0 for A).
    pub(super) first_column: u32,
    pub(super) shown: Vec<Vec<String>>,
}

/// What the wizard shows of a workbook before a sheet is read: each
/// sheet's name and size, and the rows its headers may be in. The
/// workbook itself stays in the browser's workbook worker, which opened
/// it; a sheet's table crosses as a [`TableHead`] and parts of rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkbookOutline {
    pub sheets: Vec<SheetOutline>,
}

/// One sheet, as the sheet and header-row pickers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetOutline {
    pub name: String,
    pub rows: usize,
    pub columns: usize,
    /// The first rows with content, by row number, and the start of each:
    /// the rows a header row is chosen from.
    pub header_choices: Vec<(u32, String)>,
    pub likely_header_row: Option<u32>,
}

/// A sheet's table without its rows: its headers, and how the sheet names
/// its cells. The rows follow in parts of [`ROWS_PER_PART`], each small
/// enough for the page to take in without a long task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableHead {
    pub headers: Vec<String>,
    pub cell_names: CellNames,
}

/// Rows in one part of a table sent from the workbook worker to the page:
/// a few milliseconds of copying and parsing on a phone. (Parts of 1,000
/// rows took a task of 50–70 ms each in a traced Chromium, docs/performance.md.)
pub const ROWS_PER_PART: usize = 250;

/// The file's first bytes say a workbook: a zip (xlsx, xlsm, xlsb, ods;
/// an empty zip too, which then cannot be read) or an OLE compound file
/// (xls, or an encrypted xlsx). Text never starts this way.
pub fn is_workbook(bytes: &[u8]) -> bool {
    [
        b"PK\x03\x04".as_slice(),
        b"PK\x05\x06",
        &[0xD0, 0xCF, 0x11, 0xE0],
    ]
    .iter()
    .any(|magic| bytes.starts_with(magic))
}

impl Workbook {
    /// Sheet `index` as a table, with its headers in `header_row` (unless
    /// chosen, the sheet's likely header row), and how the sheet names the
    /// table's cells.
    pub fn table(
        &self,
        index: usize,
        header_row: Option<u32>,
        row_limit: usize,
    ) -> Result<(CsvTable, CellNames), TableError> {
        let sheet = self.sheets.get(index).ok_or(TableError::NoHeader)?;
        let likely = sheet
            .likely_header_row()
            .ok_or_else(|| TableError::EmptySheet {
                sheet: sheet.name.clone(),
            })?;
        let header_row = header_row.unwrap_or(likely);
        sheet.table(header_row, row_limit).map_err(|e| match e {
            TableError::NoHeader => TableError::EmptyHeaderRow { row: header_row },
            e => e,
        })
    }

    /// Every sheet's outline.
    pub fn outline(&self) -> WorkbookOutline {
        let sheets = self.sheets.iter().map(Sheet::outline).collect();
        WorkbookOutline { sheets }
    }

    /// The sheet offered first: the first one with anything in it.
    pub fn first_filled(&self) -> usize {
        self.sheets
            .iter()
            .position(|s| s.shown.iter().any(|row| !is_blank(row)))
            .unwrap_or(0)
    }
}

impl WorkbookOutline {
    /// The sheet offered first: the first one with a row of content.
    pub fn first_filled(&self) -> usize {
        self.sheets.iter().position(|s| s.rows > 0).unwrap_or(0)
    }
}

impl Sheet {
    fn outline(&self) -> SheetOutline {
        SheetOutline {
            name: self.name.clone(),
            rows: self.rows(),
            columns: self.columns(),
            header_choices: self.header_choices(),
            likely_header_row: self.likely_header_row(),
        }
    }

    /// Rows with content.
    pub(super) fn rows(&self) -> usize {
        self.shown.iter().filter(|row| !is_blank(row)).count()
    }

    /// Columns up to the last with content in any row.
    pub(super) fn columns(&self) -> usize {
        self.shown.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The row that most likely holds the headers: the first of the rows
    /// with content that fills more than half as many cells as the fullest
    /// of the first rows. A title or a note above the headers fills one
    /// or two; the header row fills every column.
    pub(super) fn likely_header_row(&self) -> Option<u32> {
        let filled = |row: &Vec<String>| row.iter().filter(|c| !trim(c).is_empty()).count();
        let first_rows = || {
            self.shown
                .iter()
                .zip(self.first_row..)
                .filter(|(row, _)| !is_blank(row))
                .take(HEADER_SEARCH_ROWS)
        };
        let fullest = first_rows().map(|(row, _)| filled(row)).max()?;
        first_rows()
            .find(|(row, _)| filled(row) * 2 > fullest)
            .map(|(_, number)| number)
    }

    /// The first [`HEADER_SEARCH_ROWS`] rows with content, each with its row number and
    /// the start of its text: the rows a header row is chosen from.
    fn header_choices(&self) -> Vec<(u32, String)> {
        const SHOWN_CHARS: usize = 60;
        self.shown
            .iter()
            .zip(self.first_row..)
            .filter(|(row, _)| !is_blank(row))
            .take(HEADER_SEARCH_ROWS)
            .map(|(row, number)| {
                let cells: Vec<&str> = row
                    .iter()
                    .map(|c| trim(c))
                    .filter(|c| !c.is_empty())
                    .collect();
                let text = cells.join(", ");
                match text.char_indices().nth(SHOWN_CHARS) {
                    Some((end, _)) => (number, format!("{}…", &text[..end])),
                    None => (number, text),
                }
            })
            .collect()
    }

    /// The sheet as a table whose headers are in `header_row` (the sheet's
    /// row number); rows above it are left out, and so are empty rows.
    /// Lines are the sheet's row numbers. With it, how the spreadsheet
    /// names the table's cells, for messages such as "Staff!C7".
    pub fn table(
        &self,
        header_row: u32,
        row_limit: usize,
    ) -> Result<(CsvTable, CellNames), TableError> {
        let (header, data) = self.header_and_data(header_row)?;
        let margin = empty_margin(header, &data);
        let headers = trimmed_headers(header, margin);
        check_headers(&headers)?;
        let count = data.len();
        let rows = data
            .into_iter()
            .take(row_limit)
            .map(|(row, line)| {
                // Empty cells at a row's end are not in the sheet's row:
                // the row is as wide as the header, as a CSV row would be.
                let row = row.get(margin..).unwrap_or_default();
                let empty = headers.len().saturating_sub(row.len());
                let cells = row
                    .iter()
                    .map(String::as_str)
                    .chain(std::iter::repeat_n("", empty));
                CsvRow {
                    line: u64::from(line),
                    cells: cells.collect(),
                }
            })
            .collect();
        let names = CellNames::new(
            self.name.clone(),
            self.first_column as usize + margin,
            headers.clone(),
        );
        Ok((CsvTable::of_rows(headers, rows, count, row_limit)?, names))
    }
}

impl Sheet {
    /// The header row (blank: none) and the rows with content below it.
    fn header_and_data(&self, header_row: u32) -> Result<(&Vec<String>, DataRows<'_>), TableError> {
        let skip = header_row.saturating_sub(self.first_row) as usize;
        let mut rows_below = self.shown.iter().zip(self.first_row..).skip(skip);
        match rows_below.next() {
            Some((header, _)) if !is_blank(header) => Ok((
                header,
                rows_below.filter(|(row, _)| !is_blank(row)).collect(),
            )),
            _ => Err(TableError::NoHeader),
        }
    }
}

/// Rows with content and their row numbers.
type DataRows<'s> = Vec<(&'s Vec<String>, u32)>;

/// Columns left of the header that hold nothing in any row: a table drawn
/// a column or two in from the sheet's edge.
fn empty_margin(header: &[String], data: &DataRows<'_>) -> usize {
    let blank = |cell: Option<&String>| cell.is_none_or(|c| trim(c).is_empty());
    (0..header.len())
        .take_while(|&column| {
            blank(header.get(column)) && data.iter().all(|(row, _)| blank(row.get(column)))
        })
        .count()
}

/// The header row's names right of the margin, as the table has them.
fn trimmed_headers(header: &[String], margin: usize) -> Vec<String> {
    header
        .iter()
        .skip(margin)
        .map(|h| h.trim().to_owned())
        .collect()
}

pub(super) fn is_blank(row: &[String]) -> bool {
    row.iter().all(|cell| trim(cell).is_empty())
}
