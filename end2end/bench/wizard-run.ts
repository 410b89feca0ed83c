// The bench's files and its wizard run, shared by browser.bench.ts and
// wizard.profile.ts.
import { Page } from "@playwright/test";
import * as XLSX from "xlsx";
import * as Papa from "papaparse";
import { expect, hydrated } from "../tests/fixtures";
import { sameRolesForEveryone, toPreview } from "../tests/wizard";

/** 20 columns: the demo's profile fields and 9 extra ones, every row valid. */
export function generate(rows: number): Buffer {
  const departments = ["Engineering", "Sales", "Marketing", "Finance", "People"];
  const extra = Array.from({ length: 9 }, (_, i) => `Extra ${i + 1}`);
  const lines = [
    ["First Name", "Last Name", "Email", "Department", "Languages", "Goals", "Start Date", "Years of Experience", "Job Title", "Employee ID", "About Me", ...extra].join(","),
  ];
  const tail = extra.map((_, i) => `x${i + 1}`).join(",");
  for (let i = 0; i < rows; i++) {
    const month = String((i % 12) + 1).padStart(2, "0");
    const day = String((i % 28) + 1).padStart(2, "0");
    lines.push(
      `First${i},Last${i},person${i}@example.com,${departments[i % 5]},"English, French","Leadership, Career growth",2024-${month}-${day},${i % 30},Engineer ${i},${String(i).padStart(6, "0")},"Likes mentoring, and, commas",${tail}`,
    );
  }
  return Buffer.from(lines.join("\n") + "\n", "utf8");
}

/** The same people as an .xlsx workbook written by SheetJS: text cells, as
 * in the CSV, but Years of Experience as numbers. */
export function generateWorkbook(rows: number): Buffer {
  const text = generate(rows).toString("utf8").trimEnd().split("\n");
  const table = text.map((line, i) => {
    const cells = Papa.parse<string[]>(line).data[0];
    return i === 0 ? cells : cells.map((cell, column) => (column === 7 ? Number(cell) : cell));
  });
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(table), "People");
  // Deflated, as Excel and LibreOffice save (SheetJS stores by default: a
  // file four times the size no spreadsheet writes).
  return XLSX.write(book, { type: "buffer", bookType: "xlsx", compression: true }) as Buffer;
}

/** Upload → Map → Preview in the real wizard, from the file input's
 * `change` to the preview ready (every row checked, every email looked up:
 * Complete enabled), with the page's main-thread tasks
 * over 50 ms meanwhile. The file is put in the input from inside the page
 * (as choosing it does), not through Playwright's `setInputFiles`, whose
 * in-page decoding of a 19 MB payload would itself block the page. */
export type LongTask = { ms: number; step: string };

export async function wizardToPreview(
  page: Page,
  url: string,
  name: string,
  beforeChoosing: () => Promise<void> = async () => {},
  dormant = false,
): Promise<{ ms: number; longTasks: LongTask[] }> {
  // A dormant import at the global level, or mentees of a track.
  await page.goto(dormant ? "/import" : "/tracks/engineering/import");
  await hydrated(page);
  if (!dormant) await sameRolesForEveryone(page, ["Mentee"]);
  await beforeChoosing();
  const started = await page.evaluate(
    async ({ url, name }) => {
      const bytes = await (await fetch(url)).arrayBuffer();
      const files = new DataTransfer();
      files.items.add(new File([bytes], name, { type: "text/csv" }));
      const input = document.querySelector("#csv-file") as HTMLInputElement;
      input.files = files.files;
      const seen: { ms: number; step: string }[] = [];
      (window as any).__longTasks = seen;
      const at = performance.now();
      // The step a long task happened in: the address when it is reported.
      const step = () => location.pathname.split("/").pop() ?? "";
      new PerformanceObserver((list) => seen.push(...list.getEntries().map((e) => ({ ms: e.duration, step: step() })))).observe({ type: "longtask" });
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return at;
    },
    { url, name },
  );
  await expect(page.getByRole("button", { name: "Continue", exact: true })).toBeEnabled({ timeout: 60_000 });
  await toPreview(page);
  await expect(page.locator("#preview-rows tbody tr").first()).toBeVisible();
  // Ready: every row checked and every email looked up.
  await expect(page.getByRole("button", { name: /^Complete: import/ })).toBeEnabled({ timeout: 60_000 });
  const ended = await page.evaluate(() => performance.now());
  await page.waitForTimeout(100);
  return { ms: ended - started, longTasks: await page.evaluate(() => (window as any).__longTasks as LongTask[]) };
}

