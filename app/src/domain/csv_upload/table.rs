//! Reading decoded text as a table: delimiter, header row, data rows
//! (docs/importing.md, step 1: file, header row, row limit).

pub use super::cells::Cells;
use crate::text::{thousands, trim};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub const ALL: [Delimiter; 3] = [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab];

    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delimiter::Comma => "Comma",
            Delimiter::Semicolon => "Semicolon",
            Delimiter::Tab => "Tab",
        }
    }

    /// The delimiter of a file: the candidate that splits the header row
    /// into the most columns (outside quotes); comma when none does.
    pub fn detect(text: &str) -> Delimiter {
        let mut counts = [0usize; 3];
        let mut in_quotes = false;
        let mut seen_content = false;
        for c in text.chars() {
            match c {
                '"' => in_quotes = !in_quotes,
                '\n' | '\r' if !in_quotes && seen_content => break,
                ',' if !in_quotes => counts[0] += 1,
                ';' if !in_quotes => counts[1] += 1,
                '\t' if !in_quotes => counts[2] += 1,
                _ => {}
            }
            if !c.is_whitespace() {
                seen_content = true;
            }
        }
        let best = (0..3)
            .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
            .unwrap_or(0);
        if counts[best] == 0 {
            Delimiter::Comma
        } else {
            Delimiter::ALL[best]
        }
    }
}

/// One data row: its line in the file as a spreadsheet shows it, and its cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvRow {
    pub line: u64,
    pub cells: Cells,
}

/// A file's header and data rows, wholly empty rows left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvTable {
    pub headers: Vec<String>,
    pub rows: Vec<CsvRow>,
}

impl CsvTable {
    /// The table of the rows kept (at most `row_limit`) of the `count`
    /// read: refused when there are none, or more than the limit.
    pub(super) fn of_rows(
        headers: Vec<String>,
        rows: Vec<CsvRow>,
        count: usize,
        row_limit: usize,
    ) -> Result<CsvTable, TableError> {
        match count {
            0 => Err(TableError::NoRows),
            _ if count > row_limit => Err(TableError::TooManyRows {
                count,
                limit: row_limit,
            }),
            _ => Ok(CsvTable { headers, rows }),
        }
    }
}

/// What makes a file unusable as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TableError {
    #[error("The first row is empty: it must hold the column headers, such as First Name, Last Name and Email.")]
    NoHeader,
    #[error("Column {column} has no header: give every column a name in the first row, or delete the empty column.")]
    BlankHeader { column: usize },
    #[error(
        "Columns {first} and {second} are both called “{name}”: rename or delete one of them."
    )]
    DuplicateHeader {
        name: String,
        first: usize,
        second: usize,
    },
    #[error("The sheet “{sheet}” is empty: choose the sheet that holds the people.")]
    EmptySheet { sheet: String },
    #[error("Row {row} of the sheet is empty: choose the row that holds the column headers.")]
    EmptyHeaderRow { row: u32 },
    #[error("The file has a header row but no people: add one row per person under the headers.")]
    NoRows,
    #[error(
        "The file has {count} rows of people, but one upload may hold at most {limit}: split it into files of {limit} rows or fewer.",
        count = thousands(*.count),
        limit = thousands(*.limit)
    )]
    TooManyRows { count: usize, limit: usize },
}

/// Reads the table; `row_limit` is the instance's upload limit.
pub fn read_table(
    text: &str,
    delimiter: Delimiter,
    row_limit: usize,
) -> Result<CsvTable, TableError> {
    let mut reader = TableReader::new(text, delimiter, row_limit)?;
    while !reader.read_some(usize::MAX) {}
    reader.finish()
}

/// Reads a table a slice of rows at a time, so that a browser can let the
/// page respond between slices of a big file; [`read_table`] in one go.
pub struct TableReader<T: AsRef<str>> {
    text: T,
    scanner: Scanner,
    headers: Vec<String>,
    rows: Vec<CsvRow>,
    /// Non-blank records read, including those past the limit.
    count: usize,
    row_limit: usize,
}

impl<T: AsRef<str>> TableReader<T> {
    /// Reads the header row (the first row with content).
    pub fn new(text: T, delimiter: Delimiter, row_limit: usize) -> Result<Self, TableError> {
        let mut scanner = Scanner::new(delimiter, text.as_ref());
        let headers: Vec<String> = loop {
            match scanner.record(text.as_ref()) {
                None => return Err(TableError::NoHeader),
                Some(record) if record.is_blank() => continue,
                Some(record) => break record.cells().iter().map(|h| h.trim().to_owned()).collect(),
            }
        };
        check_headers(&headers)?;
        Ok(TableReader {
            text,
            scanner,
            headers,
            rows: Vec::new(),
            count: 0,
            row_limit,
        })
    }

    /// Reads up to `max_records` more records; `true` once the whole file
    /// is read.
    pub fn read_some(&mut self, max_records: usize) -> bool {
        let text = self.text.as_ref();
        for _ in 0..max_records {
            let Some(record) = self.scanner.record(text) else {
                return true;
            };
            if record.is_blank() {
                continue;
            }
            self.count += 1;
            // Past the limit only the count matters, for the message.
            if self.count <= self.row_limit {
                self.rows.push(CsvRow {
                    line: record.line,
                    cells: record.cells(),
                });
            }
        }
        false
    }

    /// Data rows read so far (with content, counting those past the limit).
    pub fn rows_read(&self) -> usize {
        self.count
    }

    /// The table, once [`Self::read_some`] has said the file is read.
    pub fn finish(self) -> Result<CsvTable, TableError> {
        CsvTable::of_rows(self.headers, self.rows, self.count, self.row_limit)
    }
}

/// Splits text into records with `csv-core`, as RFC 4180 and spreadsheets
/// write them — quoted cells with `""` for a quote and line breaks inside,
/// `\r\n`, `\n` or a lone `\r` ending a record — and as leniently as the csv
/// crate reads them (a quote inside an unquoted cell is kept, text after a
/// closing quote joins the cell, an unclosed quote runs to the end of the
/// file). It numbers lines as a spreadsheet shows them: csv-core counts
/// `\n` (rust-csv issue 395), which is every line break unless the file
/// has a lone `\r`; then lines are counted from the bytes each record took.
struct Scanner {
    core: csv_core::Reader,
    /// Where the next record starts in the text.
    pos: usize,
    /// The file has a `\r` not followed by `\n` (old Mac line ends).
    lone_cr: bool,
    /// The line `pos` is on, kept only when `lone_cr`.
    line: u64,
    /// The record being read, as csv-core writes it: its cells' text one
    /// after another, and where each cell ends. Reused for every record.
    out: Vec<u8>,
    ends: Vec<usize>,
}

/// One record, borrowed from the [`Scanner`] until the next is read.
struct Record<'a> {
    line: u64,
    text: Cow<'a, str>,
    ends: &'a [usize],
}

impl Record<'_> {
    /// Every cell is empty or blank.
    fn is_blank(&self) -> bool {
        trim(&self.text).is_empty()
    }

    fn cells(&self) -> Cells {
        Cells::from_parts(self.text.as_ref().to_owned(), self.ends.to_vec())
    }
}

impl Scanner {
    fn new(delimiter: Delimiter, text: &str) -> Self {
        let bytes = text.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'));
        Scanner {
            core: csv_core::ReaderBuilder::new()
                .delimiter(delimiter.byte())
                .build(),
            pos: 0,
            lone_cr,
            line: 1,
            out: vec![0; 1 << 12],
            ends: vec![0; 64],
        }
    }

    /// Reads the next record; `None` at the end of the text. csv-core
    /// passes over empty lines; a line of spaces is a record of one blank
    /// cell.
    fn record<'s>(&'s mut self, text: &str) -> Option<Record<'s>> {
        use csv_core::ReadRecordResult as Read;
        let bytes = text.as_bytes();
        let start = self.pos;
        let newlines_before = self.core.line();
        let (mut written, mut cells) = (0, 0);
        loop {
            // Empty input tells csv-core the text has ended.
            let input = bytes.get(self.pos..).unwrap_or_default();
            let output = self.out.get_mut(written..).unwrap_or_default();
            let ends = self.ends.get_mut(cells..).unwrap_or_default();
            let (result, read, wrote, ended) = self.core.read_record(input, output, ends);
            self.pos += read;
            written += wrote;
            cells += ended;
            match result {
                Read::InputEmpty => {}
                Read::OutputFull => self.out.resize(self.out.len() * 2, 0),
                Read::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                Read::Record => break,
                Read::End => return None,
            }
        }
        let line = self.first_line(bytes, start, newlines_before);
        // csv-core leaves out only ASCII bytes (quotes, delimiters, line
        // breaks) of valid UTF-8, so the text is valid. (`from_utf8_lossy`
        // would check it a character at a time: 8% of reading, in wasm.)
        let written = self.out.get(..written).unwrap_or_default();
        let text = match std::str::from_utf8(written) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(written),
        };
        let ends = self.ends.get(..cells).unwrap_or_default();
        Some(Record { line, text, ends })
    }

    /// The line the record just read (from `start` to `self.pos`) starts
    /// on, given csv-core's count of `\n` before it.
    fn first_line(&mut self, bytes: &[u8], start: usize, newlines_before: u64) -> u64 {
        let took = bytes.get(start..self.pos).unwrap_or_default();
        // Empty lines before the record, which csv-core passed over.
        let skipped = took
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if !self.lone_cr {
            let blank = took.iter().take(skipped).filter(|&&b| b == b'\n').count();
            return newlines_before + blank as u64;
        }
        let first_line = self.line + line_breaks(bytes, start, start + skipped);
        self.line = first_line + line_breaks(bytes, start + skipped, self.pos);
        first_line
    }
}

/// Line breaks in `bytes[from..to]`: each `\r`, and each `\n` not right
/// after a `\r` (which ended the line already). memchr skips the bytes
/// between breaks a word at a time.
fn line_breaks(bytes: &[u8], from: usize, to: usize) -> u64 {
    let part = bytes.get(from..to).unwrap_or_default();
    let ends_a_line = |at: usize| bytes[at] == b'\r' || at == 0 || bytes[at - 1] != b'\r';
    memchr::memchr2_iter(b'\r', b'\n', part)
        .filter(|&i| ends_a_line(from + i))
        .count() as u64
}

pub(super) fn check_headers(headers: &[String]) -> Result<(), TableError> {
    // A trailing empty header is usually a stray delimiter at the end of the
    // header row; it is still a column, so it is still reported.
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(headers.len());
    for (index, header) in headers.iter().enumerate() {
        let column = index + 1;
        if header.is_empty() {
            return Err(TableError::BlankHeader { column });
        }
        if let Some(&first) = seen.get(&header.to_lowercase()) {
            return Err(TableError::DuplicateHeader {
                name: header.clone(),
                first,
                second: column,
            });
        }
        seen.insert(header.to_lowercase(), column);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<CsvTable, TableError> {
        read_table(text, Delimiter::detect(text), 1_000)
    }

    #[test]
    fn detects_comma_semicolon_and_tab() {
        assert_eq!(
            Delimiter::detect("First Name,Last Name,Email\n"),
            Delimiter::Comma
        );
        assert_eq!(
            Delimiter::detect("First Name;Last Name;Email\nA;B;c@d.e\n"),
            Delimiter::Semicolon
        );
        assert_eq!(
            Delimiter::detect("First Name\tLast Name\tEmail\r\n"),
            Delimiter::Tab
        );
        assert_eq!(
            Delimiter::detect("\"Smith, Ann\";Email\n"),
            Delimiter::Semicolon,
            "quoted commas do not count"
        );
        assert_eq!(
            Delimiter::detect("\n\nEmail;Name\n"),
            Delimiter::Semicolon,
            "leading blank lines are skipped"
        );
        assert_eq!(Delimiter::detect("Email\n"), Delimiter::Comma);
    }

    #[test]
    fn lines_are_as_a_spreadsheet_counts_them_even_with_embedded_newlines() {
        let text = "First Name,Notes\r\nAnn,\"two\r\nlines\"\r\nBob,x\r\n\r\n,\r\nCy,y\r\n\r\n";
        let table = read(text).unwrap();
        assert_eq!(table.headers, ["First Name", "Notes"]);
        let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            [2, 4, 7],
            "blank and all-empty rows are ignored, numbering is kept"
        );
        assert_eq!(table.rows[0].cells.get(1), Some("two\r\nlines"));
    }

    #[test]
    fn lines_are_counted_for_lf_and_lone_cr_files_too() {
        let lf = read("Email\na@b.co\n\nc@d.co\n").unwrap();
        assert_eq!(lf.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        let cr = read("Email\ra@b.co\r\rc@d.co\r").unwrap();
        assert_eq!(cr.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        for end in ["\n", "\r"] {
            let text = "Email,Notes\na@b.co,\"x\ny\"\n\nc@d.co,z\n".replace('\n', end);
            let table = read(&text).unwrap();
            let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 5], "a cell's own line break counts ({end:?})");
        }
    }

    #[test]
    fn every_cell_stays_text() {
        let table = read("Employee ID,Email\n000123,a@b.co\n").unwrap();
        assert_eq!(table.rows[0].cells.get(0), Some("000123"));
    }

    #[test]
    fn header_problems_name_the_column() {
        assert_eq!(
            read("First Name,,Email\na,b,c\n"),
            Err(TableError::BlankHeader { column: 2 })
        );
        assert_eq!(
            read("Email,Name,email\na,b,c\n"),
            Err(TableError::DuplicateHeader {
                name: "email".into(),
                first: 1,
                second: 3
            })
        );
        assert_eq!(read("First Name,Email\n\n\n"), Err(TableError::NoRows));
        assert_eq!(read("\n\n"), Err(TableError::NoHeader));
        let message = TableError::BlankHeader { column: 2 }.to_string();
        assert!(message.starts_with("Column 2 has no header"), "{message}");
    }

    #[test]
    fn the_row_limit_counts_people_and_says_both_numbers() {
        let mut text = String::from("Email\n");
        for i in 0..1_001 {
            text.push_str(&format!("p{i}@example.com\n"));
        }
        let err = read_table(&text, Delimiter::Comma, 1_000).unwrap_err();
        assert_eq!(
            err,
            TableError::TooManyRows {
                count: 1_001,
                limit: 1_000
            }
        );
        assert_eq!(
            err.to_string(),
            "The file has 1,001 rows of people, but one upload may hold at most 1,000: \
             split it into files of 1,000 rows or fewer."
        );
        assert_eq!(
            read_table(&text, Delimiter::Comma, 1_001)
                .unwrap()
                .rows
                .len(),
            1_001
        );
    }

    #[test]
    fn rows_wider_and_cells_longer_than_the_buffers_read_whole() {
        let wide: Vec<String> = (0..300).map(|i| format!("c{i}")).collect();
        let long = "x\"\"y\r\n".repeat(4_000);
        let text = format!(
            "{}\r\n{}\r\n\"{long}\"\r\nlast\r\n",
            wide.join(","),
            wide.join(",")
        );
        let table = read(&text).unwrap();
        assert_eq!(table.headers, wide);
        assert_eq!(table.rows[0].cells.iter().collect::<Vec<_>>(), wide);
        assert_eq!(
            table.rows[1].cells.get(0),
            Some(long.replace("\"\"", "\"").as_str())
        );
        let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4_004]);
    }

    #[test]
    fn ragged_rows_are_kept_for_the_row_checks() {
        let table = read("A,B,C\n1,2\n1,2,3,4\n").unwrap();
        assert_eq!(table.rows[0].cells.len(), 2);
        assert_eq!(table.rows[1].cells.len(), 4);
    }

    proptest::proptest! {
        /// Whatever the csv crate writes reads back to the same cells.
        #[test]
        fn written_csv_reads_back_the_same(
            rows in proptest::collection::vec(proptest::collection::vec("[a-zA-Z0-9 ,;\"\n\té]{1,12}", 3), 1..20),
            delimiter in proptest::sample::select(Delimiter::ALL.to_vec()),
        ) {
            let headers = ["First Name", "Last Name", "Email"];
            let mut writer = csv::WriterBuilder::new().delimiter(delimiter.byte()).from_writer(Vec::new());
            writer.write_record(headers).unwrap();
            for row in &rows {
                writer.write_record(row).unwrap();
            }
            let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            proptest::prop_assert_eq!(Delimiter::detect(&text), delimiter);
            let table = read_table(&text, delimiter, 1_000).unwrap();
            let expected: Vec<&Vec<String>> = rows.iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
            proptest::prop_assert_eq!(table.rows.len(), expected.len());
            for (read, written) in table.rows.iter().zip(expected) {
                proptest::prop_assert_eq!(read.cells.iter().collect::<Vec<_>>(), written.clone());
            }
        }

        /// Each row is numbered with its line, whatever ends the lines
        /// (LF, CRLF, a lone CR, mixed) and however many are blank; files
        /// without a lone CR are numbered by csv-core's count, the others
        /// by the scanner's, so both kinds are drawn.
        #[test]
        fn rows_are_numbered_by_their_line_whatever_ends_it(
            lines in proptest::collection::vec(("[a-z]{0,3}(,[a-z]{0,2}){0,2}", 0usize..3), 1..40),
            lone_cr in proptest::bool::ANY,
        ) {
            let lines: Vec<(String, usize)> = lines
                .into_iter()
                .map(|(content, end)| (content, if lone_cr { end } else { end % 2 }))
                .collect();
            let mut text = String::new();
            for (content, end) in &lines {
                text.push_str(content);
                text.push_str(["\n", "\r\n", "\r"][*end]);
            }
            let blank = |c: &str| c.chars().all(|ch| ch == ',');
            let expected: Vec<u64> = lines
                .iter()
                .zip(1u64..)
                .filter(|((content, _), _)| !blank(content))
                .map(|(_, line)| line)
                .collect();
            let mut scanner = Scanner::new(Delimiter::Comma, &text);
            let mut found = Vec::new();
            while let Some(record) = scanner.record(&text) {
                if !record.is_blank() {
                    found.push(record.line);
                }
            }
            // A lone CR right before an empty line's LF is one CRLF break.
            let joined = lines.windows(2).any(|w| w[0].1 == 2 && w[1].0.is_empty() && w[1].1 == 0);
            if !joined {
                proptest::prop_assert_eq!(found, expected);
            }
        }

        /// Slices of any size read the same table as one go, lines included.
        #[test]
        fn reading_in_slices_reads_the_same_table(
            text in "(First Name,Email\r?\n)?([a-z\",]{0,8}(\r\n|\n|\r)){0,30}",
            slice in 1usize..7,
        ) {
            let whole = read_table(&text, Delimiter::Comma, 20);
            let sliced = TableReader::new(text.as_str(), Delimiter::Comma, 20).and_then(|mut reader| {
                while !reader.read_some(slice) {}
                reader.finish()
            });
            proptest::prop_assert_eq!(whole, sliced);
        }

        /// Any text, however malformed, splits into the cells the csv
        /// crate (flexible, quotes doubled) reads from it.
        #[test]
        fn cells_are_those_the_csv_crate_reads(
            text in "[ab \",;\t\r\n]{0,60}",
            delimiter in proptest::sample::select(Delimiter::ALL.to_vec()),
        ) {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter.byte())
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let expected: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
                .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
                .collect();
            let mut scanner = Scanner::new(delimiter, text.as_ref());
            let mut read = Vec::new();
            while let Some(record) = scanner.record(&text) {
                if !record.is_blank() {
                    read.push(record.cells().iter().map(str::to_owned).collect::<Vec<_>>());
                }
            }
            proptest::prop_assert_eq!(read, expected);
        }

        #[test]
        fn read_table_never_panics(text in "\\PC{0,300}") {
            let _ = read_table(&text, Delimiter::detect(&text), 50);
        }
    }
}
