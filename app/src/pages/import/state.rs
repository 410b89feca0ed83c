//! The wizard's state: one file on its way from upload to done. It lives in
//! the wizard's parent route, so it survives moving between steps (and the
//! browser's Back button); a reload starts over at the upload step.

use crate::api::mappings::{load_mapping_start, MappingStart};
use crate::api::{ImportContext, ImportCounts, ImportPlan, RowResult};
use crate::components::slices::{in_slices, yield_to_browser};
use crate::components::workbook_module::{open_workbook, sheet_table, SheetTable};
use crate::domain::csv_upload::decode::Fingerprint;
use crate::domain::csv_upload::{
    decode, is_workbook, CellNames, CsvRow, CsvTable, DecodedFile, Delimiter, KnownPerson, Mapping,
    RoleChoice, TableError, TableReader, WorkbookOutline,
};
use crate::domain::text::thousands;
use crate::domain::{Roles, UpdateRule};
use crate::AppError;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A file the admin chose, decoded as text or opened as a workbook.
#[derive(Debug)]
pub struct LoadedFile {
    pub name: String,
    pub hash: String,
    pub content: FileContent,
}

/// What a chosen file holds: its bytes decide, not its name. A workbook
/// stays in the workbook worker, which opened it; the page has its outline.
#[derive(Debug)]
pub enum FileContent {
    Text(Arc<DecodedFile>),
    Workbook(WorkbookOutline),
}

impl LoadedFile {
    /// The decoded text of a CSV file.
    pub fn text(&self) -> Option<&DecodedFile> {
        match &self.content {
            FileContent::Text(decoded) => Some(decoded),
            FileContent::Workbook(_) => None,
        }
    }

    /// The sheets of a workbook.
    pub fn workbook(&self) -> Option<&WorkbookOutline> {
        match &self.content {
            FileContent::Text(_) => None,
            FileContent::Workbook(book) => Some(book),
        }
    }
}

/// A CSV file's text, for a [`TableReader`] that reads it across turns.
struct FileText(Arc<DecodedFile>);

impl AsRef<str> for FileText {
    fn as_ref(&self) -> &str {
        &self.0.text
    }
}

/// The largest file the wizard reads: ten times a 100,000-row file of
/// twenty columns, and a tab holds it a few times over while reading.
const MAX_FILE_BYTES: usize = 256 << 20;

/// Records read between two looks at the clock.
const READ_STEP: usize = 256;
/// Bytes fingerprinted between two looks at the clock.
const HASH_STEP: usize = 1 << 20;

/// Where the chosen file stands: one of these at a time, so a file being
/// read has neither a table nor an error yet.
#[derive(Debug, Clone)]
pub enum FileState {
    NoFile,
    /// Being fingerprinted and read: the rows read so far.
    Reading {
        rows: usize,
    },
    /// Cannot be used as a whole, or not with the separator, sheet or
    /// header row chosen: why.
    Unusable(String),
    /// Read as a table (its headers and rows are the wizard's, where the
    /// preview edits them).
    Read(Arc<LoadedFile>),
}

impl FileState {
    fn read(&self) -> Option<Arc<LoadedFile>> {
        match self {
            FileState::Read(file) => Some(file.clone()),
            _ => None,
        }
    }
}

/// Where sending the rows stands (docs/importing.md, step 4). The import exists on the
/// server from the first batch on; only a finished run has counts.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    NotStarted,
    Running {
        import_id: Option<i64>,
        sent: usize,
        total: usize,
        /// Rows a second and time left, once a batch of this run is done.
        pace: Option<String>,
    },
    /// Stopped at a batch; trying again resumes there (batches are idempotent).
    Failed {
        import_id: Option<i64>,
        error: AppError,
        sent: usize,
        total: usize,
    },
    Finished {
        import_id: i64,
        counts: ImportCounts,
    },
}

impl RunState {
    /// The import on the server, once started.
    pub fn import_id(&self) -> Option<i64> {
        match self {
            RunState::NotStarted => None,
            RunState::Running { import_id, .. } | RunState::Failed { import_id, .. } => *import_id,
            RunState::Finished { import_id, .. } => Some(*import_id),
        }
    }
}

/// What the preview asks the server about: a normalised email, or an
/// external ID (when the instance names one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Asked {
    Email(String),
    Id(String),
}

/// Everything the steps share; `Copy`, so each handler takes its own.
#[derive(Clone, Copy)]
pub struct Wizard {
    /// The wizard's own URL, e.g. `/tracks/engineering/import`.
    base: StoredValue<String>,
    pub track_slug: StoredValue<Option<String>>,
    /// Dormant: nobody joins a track, so there are no roles to choose.
    dormant: bool,
    file: RwSignal<FileState>,
    /// The file chosen, once decoded or opened: its separator, sheet and
    /// header row stay on offer while it is read again, and when the
    /// choice made its table unusable.
    chosen: RwSignal<Option<Arc<LoadedFile>>>,
    /// Bumped by every new reading, so that an outdated one stops.
    reading_number: StoredValue<u64>,
    /// The admin confirmed a converted (non-UTF-8) file reads right.
    pub confirmed: RwSignal<bool>,
    pub detected: RwSignal<Delimiter>,
    /// The admin's choice of separator, when not the detected one.
    pub delimiter: RwSignal<Option<Delimiter>>,
    /// A workbook's sheet, by position.
    pub sheet: RwSignal<usize>,
    /// A workbook's header row, as the sheet numbers it, when the admin
    /// chose one; else the sheet's likely header row.
    pub header_row: RwSignal<Option<u32>>,
    /// How the sheet names the table's cells (`Staff!C7`); `None` for CSV.
    pub cell_names: RwSignal<Option<CellNames>>,
    pub roles_from_column: RwSignal<bool>,
    pub roles: RwSignal<Roles>,
    pub headers: RwSignal<Vec<String>>,
    /// The data rows, as edited in the preview.
    pub rows: RwSignal<Vec<CsvRow>>,
    pub mapping: RwSignal<Mapping>,
    /// The remembered mapping for the file's headers, and hints.
    pub mapping_start: RwSignal<MappingStart>,
    /// Whom the import adds and what it writes over, chosen on the preview.
    pub rule: RwSignal<UpdateRule>,
    /// Lines the admin edited: they stay editable (and in the errors
    /// filter) while being fixed, even once their errors are gone.
    pub edited: RwSignal<HashSet<u64>>,
    /// What the server knows of the file's people (found by email or by
    /// ID), by normalised email.
    pub known: RwSignal<HashMap<String, KnownPerson>>,
    pub lookups_pending: RwSignal<usize>,
    pub lookup_error: RwSignal<Option<AppError>>,
    asked: StoredValue<HashSet<Asked>>,
    pub run: RwSignal<RunState>,
    /// Each row's outcome, as the batches come back.
    pub results: RwSignal<Vec<RowResult>>,
}

impl Wizard {
    pub fn new(base: String, track_slug: Option<String>, dormant: bool) -> Self {
        Wizard {
            base: StoredValue::new(base),
            track_slug: StoredValue::new(track_slug),
            dormant,
            file: RwSignal::new(FileState::NoFile),
            chosen: RwSignal::new(None),
            reading_number: StoredValue::new(0),
            confirmed: RwSignal::new(false),
            detected: RwSignal::new(Delimiter::Comma),
            delimiter: RwSignal::new(None),
            sheet: RwSignal::new(0),
            header_row: RwSignal::new(None),
            cell_names: RwSignal::new(None),
            roles_from_column: RwSignal::new(false),
            roles: RwSignal::new(Roles::empty()),
            headers: RwSignal::new(Vec::new()),
            rows: RwSignal::new(Vec::new()),
            mapping: RwSignal::new(Mapping::default()),
            mapping_start: RwSignal::new(MappingStart::default()),
            rule: RwSignal::new(UpdateRule::default()),
            edited: RwSignal::new(HashSet::new()),
            known: RwSignal::new(HashMap::new()),
            lookups_pending: RwSignal::new(0),
            lookup_error: RwSignal::new(None),
            asked: StoredValue::new(HashSet::new()),
            run: RwSignal::new(RunState::NotStarted),
            results: RwSignal::new(Vec::new()),
        }
    }

    /// The URL of a step: `""` for upload, else `map`, `preview`…
    pub fn url(&self, step: &str) -> String {
        let base = self.base.get_value();
        if step.is_empty() {
            base
        } else {
            format!("{base}/{step}")
        }
    }

    /// The import makes people members of a track (not a dormant one).
    pub fn adds_members(&self) -> bool {
        !self.dormant
    }

    /// A file is loaded and read as a table.
    pub fn has_table(&self) -> bool {
        self.file.with(|f| matches!(f, FileState::Read(_)))
    }

    /// The file read as a table.
    pub fn table_file(&self) -> Option<Arc<LoadedFile>> {
        self.file.with(FileState::read)
    }

    /// The file chosen, decoded or opened, whether or not its table is
    /// usable with the choices made.
    pub fn chosen_file(&self) -> Option<Arc<LoadedFile>> {
        self.chosen.get()
    }

    /// The rows read so far, while the file is being read.
    pub fn reading(&self) -> Option<usize> {
        self.file.with(|f| match f {
            FileState::Reading { rows } => Some(*rows),
            _ => None,
        })
    }

    /// Why the chosen file cannot be used.
    pub fn file_error(&self) -> Option<String> {
        self.file.with(|f| match f {
            FileState::Unusable(why) => Some(why.clone()),
            _ => None,
        })
    }

    /// A file that could not be taken at all (unreadable, too large).
    pub fn refuse_file(&self, why: String) {
        self.clear();
        self.file.set(FileState::Unusable(why));
    }

    pub fn role_choice(&self) -> RoleChoice {
        if self.dormant {
            RoleChoice::Dormant
        } else if self.roles_from_column.get() {
            RoleChoice::FromColumn
        } else {
            RoleChoice::Everyone(self.roles.get())
        }
    }

    /// Takes a newly chosen file: everything about the previous one goes.
    /// A big file is fingerprinted and read in slices, `reading` counting
    /// the rows.
    pub fn load(&self, name: String, bytes: Vec<u8>, context: &ImportContext) {
        if bytes.len() > MAX_FILE_BYTES {
            return self.refuse_file(format!(
                "This file is {} MB, more than the browser can read ({} MB): split it into smaller files, or delete the columns Roster does not need.",
                thousands(bytes.len() >> 20),
                thousands(MAX_FILE_BYTES >> 20)
            ));
        }
        self.clear();
        self.confirmed.set(false);
        self.delimiter.set(None);
        self.header_row.set(None);
        let reading = self.start_reading();
        let (wizard, context) = (*self, context.clone());
        leptos::task::spawn_local(async move {
            // Each step below in a task of its own: taking the file's bytes
            // in, fingerprinting them, decoding them and reading the table
            // made long tasks together for a file of 100,000 rows.
            yield_to_browser().await;
            let mut fingerprint = Fingerprint::default();
            let mut parts = bytes.chunks(HASH_STEP);
            in_slices(|| {
                !wizard.is_current(reading) || parts.next().map(|p| fingerprint.update(p)).is_none()
            })
            .await;
            if !wizard.is_current(reading) {
                return;
            }
            let opened = open(&bytes).await;
            yield_to_browser().await;
            // A workbook is opened by the workbook module meanwhile.
            if !wizard.is_current(reading) {
                return;
            }
            match opened {
                Err(why) => wizard.file.set(FileState::Unusable(why)),
                Ok(content) => {
                    match &content {
                        FileContent::Workbook(book) => wizard.sheet.set(book.first_filled()),
                        FileContent::Text(text) => {
                            wizard.detected.set(Delimiter::detect(&text.text))
                        }
                    }
                    let file = Arc::new(LoadedFile {
                        name,
                        hash: fingerprint.finish(),
                        content,
                    });
                    wizard.chosen.set(Some(file.clone()));
                    wizard.read_table(reading, file, context).await;
                }
            }
        });
    }

    /// Reads the table again, with the separator, sheet or header row the
    /// admin chose.
    pub fn read(&self, context: &ImportContext) {
        let Some(file) = self.chosen.get_untracked() else {
            return;
        };
        self.forget_table();
        let reading = self.start_reading();
        let (wizard, context) = (*self, context.clone());
        leptos::task::spawn_local(async move { wizard.read_table(reading, file, context).await });
    }

    /// Numbers a new reading, which stops any earlier one.
    fn start_reading(&self) -> u64 {
        self.reading_number.update_value(|n| *n += 1);
        self.file.set(FileState::Reading { rows: 0 });
        self.reading_number.get_value()
    }

    /// No newer reading has started and the wizard is still open.
    fn is_current(&self, reading: u64) -> bool {
        self.reading_number.try_get_value() == Some(reading)
    }

    /// Reads the table in slices and pre-matches its columns.
    async fn read_table(self, reading: u64, file: Arc<LoadedFile>, context: ImportContext) {
        let limit = usize::try_from(context.row_limit).unwrap_or(usize::MAX);
        let read = match &file.content {
            FileContent::Text(text) => {
                let delimiter = self
                    .delimiter
                    .get_untracked()
                    .unwrap_or(self.detected.get_untracked());
                read_in_slices(
                    TableReader::new(FileText(text.clone()), delimiter, limit),
                    || self.is_current(reading),
                    |rows| self.show_reading(rows),
                )
                .await
                .map(|table| (table, None))
            }
            FileContent::Workbook(_) => self
                .read_sheet(reading, limit)
                .await
                .map(|(table, names)| (table, Some(names))),
        };
        if !self.is_current(reading) {
            return;
        }
        let start = match &read {
            // Without an answer the columns are pre-matched as usual: a
            // remembered mapping saves work, and is never a reason to stop.
            Ok((table, _)) => {
                load_mapping_start(self.track_slug.get_value(), table.headers.clone())
                    .await
                    .unwrap_or_default()
            }
            Err(_) => MappingStart::default(),
        };
        if !self.is_current(reading) {
            return;
        }
        match read {
            Ok((table, names)) => {
                self.cell_names.set(names);
                self.headers.set(table.headers);
                self.rows.set(table.rows);
                self.mapping_start.set(start);
                self.suggest_mapping(&context);
                self.file.set(FileState::Read(file));
            }
            Err(why) => self.file.set(FileState::Unusable(why)),
        }
    }

    /// The chosen sheet as a table, its headers in the chosen row, read by
    /// the workbook worker; its rows taken in a part at a time.
    async fn read_sheet(
        &self,
        reading: u64,
        limit: usize,
    ) -> Result<(CsvTable, CellNames), String> {
        let sheet = self.sheet.get_untracked();
        let SheetTable { head, mut parts } =
            sheet_table(sheet, self.header_row.get_untracked(), limit).await?;
        let mut rows = Vec::new();
        let mut broken = None;
        in_slices(|| {
            if !self.is_current(reading) {
                return true;
            }
            match parts.next_rows() {
                Some(Ok(mut part)) => {
                    rows.append(&mut part);
                    self.show_reading(rows.len());
                    false
                }
                Some(Err(why)) => {
                    broken = Some(why);
                    true
                }
                None => true,
            }
        })
        .await;
        if let Some(why) = broken {
            return Err(why);
        }
        let table = CsvTable {
            headers: head.headers,
            rows,
        };
        Ok((table, head.cell_names))
    }

    /// The rows read so far, while reading.
    fn show_reading(&self, rows: usize) {
        self.file.try_set(FileState::Reading { rows });
    }

    /// The remembered mapping laid over the file's headers, else the
    /// pre-matching with the level's remembered headers as hints.
    pub fn suggest_mapping(&self, context: &ImportContext) {
        let roles_from_column = self.roles_from_column.get_untracked();
        let mapping = self.headers.with_untracked(|headers| {
            self.mapping_start
                .with_untracked(|start| match &start.found {
                    Some(found) => found
                        .mapping
                        .apply(headers, &context.fields, roles_from_column),
                    None => {
                        let hints = start.hints.iter().cloned().collect();
                        Mapping::suggest_with(headers, &context.fields, roles_from_column, &hints)
                    }
                })
        });
        self.mapping.set(mapping);
    }

    /// Starts over, for another file: a reading in progress is abandoned,
    /// and what the preview and the apply step learnt is forgotten.
    pub fn clear(&self) {
        self.reading_number.update_value(|n| *n += 1);
        self.file.set(FileState::NoFile);
        self.chosen.set(None);
        self.rule.set(UpdateRule::default());
        self.forget_table();
    }

    /// Forgets the table read from the chosen file, with the edits, checks
    /// and results about it.
    fn forget_table(&self) {
        self.cell_names.set(None);
        self.mapping_start.set(MappingStart::default());
        self.headers.set(Vec::new());
        self.rows.set(Vec::new());
        self.edited.set(HashSet::new());
        self.known.set(HashMap::new());
        self.asked.set_value(HashSet::new());
        self.lookup_error.set(None);
        self.run.set(RunState::NotStarted);
        self.results.set(Vec::new());
    }

    /// Sets one cell, as typed in the preview.
    pub fn edit(&self, row: usize, column: usize, value: String) {
        let mut line = None;
        self.rows.update(|rows| {
            if let Some(r) = rows.get_mut(row) {
                // A short (ragged) row grows as its missing cells are filled.
                r.cells.set(column, &value);
                line = Some(r.line);
            }
        });
        if let Some(line) = line {
            self.edited.update(|e| {
                e.insert(line);
            });
        }
    }

    /// Emails and IDs not yet asked about: marks them asked.
    pub fn take_unasked(&self, keys: impl IntoIterator<Item = Asked>) -> Vec<Asked> {
        let mut fresh = Vec::new();
        self.asked.update_value(|asked| {
            for key in keys {
                if asked.insert(key.clone()) {
                    fresh.push(key);
                }
            }
        });
        fresh
    }

    /// What `start_import` is told.
    pub fn plan(&self) -> Option<ImportPlan> {
        let file = self.file.with_untracked(FileState::read)?;
        Some(ImportPlan {
            track_slug: self.track_slug.get_value(),
            file_name: file.name.clone(),
            sheet: file
                .workbook()
                .and_then(|book| book.sheets.get(self.sheet.get_untracked()))
                .map(|sheet| sheet.name.clone()),
            file_hash: file.hash.clone(),
            headers: self.headers.get_untracked(),
            mapping: self.mapping.get_untracked(),
            roles: self.role_choice(),
            rows_total: u32::try_from(self.rows.with_untracked(Vec::len)).unwrap_or(u32::MAX),
            rule: self.rule.get_untracked(),
        })
    }
}

/// Decodes a CSV file or opens a workbook: the bytes decide, not the name.
async fn open(bytes: &[u8]) -> Result<FileContent, String> {
    if is_workbook(bytes) {
        return open_workbook(bytes).await.map(FileContent::Workbook);
    }
    let decoded = decode(bytes).map_err(|e| e.to_string())?;
    Ok(FileContent::Text(Arc::new(decoded)))
}

/// Reads the rest of a table a slice at a time while `wanted` says so,
/// telling `progress` the rows read.
async fn read_in_slices(
    reader: Result<TableReader<FileText>, TableError>,
    wanted: impl Fn() -> bool,
    progress: impl Fn(usize),
) -> Result<CsvTable, String> {
    let mut reader = reader.map_err(|e| e.to_string())?;
    in_slices(|| {
        if !wanted() {
            return true;
        }
        let done = reader.read_some(READ_STEP);
        progress(reader.rows_read());
        done
    })
    .await;
    reader.finish().map_err(|e| e.to_string())
}
