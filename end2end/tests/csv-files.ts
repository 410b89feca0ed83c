// Builds the CSV files the import tests upload, as the bytes a spreadsheet
// would write.

export type Person = { first: string; last: string; email: string };

/** `count` people whose emails are unique to this test (`tag`) and run. */
export function people(tag: string, run: string, count: number): Person[] {
  return Array.from({ length: count }, (_, i) => ({
    first: `${capitalise(tag)}${i + 1}`,
    last: `Tester${i + 1}`,
    email: `${tag}${i + 1}.${run}@example.com`,
  }));
}

/** CSV text with CRLF line ends; a cell is quoted only when it must be. */
export function csvText(rows: string[][], delimiter: "," | ";" | "\t" = ","): string {
  const quote = (cell: string) =>
    cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  return rows.map((row) => row.map(quote).join(delimiter)).join("\r\n") + "\r\n";
}

/** "CSV UTF-8", as Excel saves it (without the byte-order mark). */
export function utf8Csv(rows: string[][], delimiter: "," | ";" | "\t" = ","): Buffer {
  return Buffer.from(csvText(rows, delimiter), "utf8");
}

/** Plain "CSV (Comma delimited)" from Excel on Windows: Windows-1252 bytes. */
export function windows1252Csv(rows: string[][]): Buffer {
  const text = csvText(rows);
  // Latin-1 and Windows-1252 agree everywhere but 0x80–0x9F.
  if ([...text].some((c) => c.charCodeAt(0) > 0xff || (c.charCodeAt(0) >= 0x80 && c.charCodeAt(0) <= 0x9f))) {
    throw new Error("windows1252Csv only writes characters that Latin-1 and Windows-1252 share");
  }
  return Buffer.from(text, "latin1");
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
