// The bench's files and its wizard run, shared by browser.bench.ts and
// wizard.profile.ts.
import { Page } from "@playwright/test";
import * as XLSX from "xlsx";
import * as Papa from "papaparse";
import { expect, hydrated } from "../tests/fixtures";
import { continueButton, continueTo, sameRolesForEveryone } from "../tests/wizard";

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

/** Per wizard step (upload: the file read; map; preview: every row
 * checked and every email looked up): the main thread's busy time
 * (Chromium's own `TaskDuration`, through the DevTools protocol) and how
 * long each key pressed meanwhile waited before the page handled it. */
export type Probe = { busyMs: Record<string, number>; keyDelays: Record<string, number[]> };

export type WizardOptions = {
  beforeChoosing?: () => Promise<void>;
  /** A dormant import at the global level, else mentees of a track. */
  dormant?: boolean;
  /** Measure the main thread while the wizard works (see `Probe`). */
  probe?: boolean;
};

export async function wizardToPreview(
  page: Page,
  url: string,
  name: string,
  { beforeChoosing = async () => {}, dormant = false, probe = false }: WizardOptions = {},
): Promise<{ ms: number; longTasks: LongTask[]; probe?: Probe }> {
  await page.goto(dormant ? "/import" : "/tracks/engineering/import");
  await hydrated(page);
  if (!dormant) await sameRolesForEveryone(page, ["Mentee"]);
  await beforeChoosing();
  const busy = probe ? await busyClock(page) : undefined;
  const marks: number[] = [];
  const mark = async () => {
    if (busy) marks.push(await busy());
  };
  await mark();
  const started = await page.evaluate(
    async ({ url, name, probe }) => {
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
      if (probe) {
        // From the key press's time stamp to its handling: the wait for the main thread.
        const delays: { ms: number; step: string }[] = [];
        (window as any).__keyDelays = delays;
        document.addEventListener("keydown", (e) => delays.push({ ms: performance.now() - e.timeStamp, step: step() }), true);
      }
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return at;
    },
    { url, name, probe },
  );
  // Keys are pressed while the page reads and checks, not while Playwright
  // clicks (a click during a held Shift would be a shift-click).
  let typing = probe ? typeMeanwhile(page) : undefined;
  await expect(continueButton(page)).toBeEnabled({ timeout: 60_000 });
  await typing?.stop();
  await mark();
  await continueTo(page, "map");
  await mark();
  await continueTo(page, "preview");
  typing = probe ? typeMeanwhile(page) : undefined;
  await expect(page.locator("#preview-rows tbody tr").first()).toBeVisible();
  // Ready: every row checked and every email looked up.
  await expect(page.getByRole("button", { name: /^Complete: import/ })).toBeEnabled({ timeout: 60_000 });
  const ended = await page.evaluate(() => performance.now());
  await typing?.stop();
  await mark();
  await page.waitForTimeout(100);
  const longTasks = await page.evaluate(() => (window as any).__longTasks as LongTask[]);
  if (!busy) return { ms: ended - started, longTasks };
  const delays: LongTask[] = await page.evaluate(() => (window as any).__keyDelays);
  const steps = ["upload", "map", "preview"];
  const keyDelays: Record<string, number[]> = Object.fromEntries(steps.map((s) => [s, [] as number[]]));
  for (const d of delays) (keyDelays[d.step === "import" ? "upload" : d.step] ??= []).push(d.ms);
  const busyMs = Object.fromEntries(steps.map((s, i) => [s, marks[i + 1] - marks[i]]));
  return { ms: ended - started, longTasks, probe: { busyMs, keyDelays } };
}

/** The page's main-thread busy time so far, in ms, as Chromium counts it. */
async function busyClock(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  return async () => {
    const { metrics } = await cdp.send("Performance.getMetrics");
    return 1000 * (metrics.find((m) => m.name === "TaskDuration")?.value ?? NaN);
  };
}

/** Presses a key about every 20 ms until stopped, as someone typing would. */
function typeMeanwhile(page: Page): { stop: () => Promise<void> } {
  let typing = true;
  const done = (async () => {
    while (typing) {
      await page.keyboard.press("Shift");
      await page.waitForTimeout(20);
    }
  })();
  return {
    stop: async () => {
      typing = false;
      await done;
    },
  };
}
