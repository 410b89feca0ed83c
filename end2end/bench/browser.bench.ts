// The browser targets of docs/performance.md: Roster's wasm reading + checking + pre-matching
// a file, beside Papa Parse merely parsing the same bytes (`header: true`),
// in the same page and run; long main-thread tasks while Roster checks; and
// the wizard from file chosen to preview ready, and scrolling the preview
// through. Prints medians of 5 runs.
import * as path from "node:path";
import { Page } from "@playwright/test";
import { test, expect, hydrated, signIn } from "../tests/fixtures";
import { generate, generateWorkbook, LongTask, wizardToPreview } from "./wizard-run";

const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

type InPage = { roster: number[]; papa: number[]; errorRows: number; papaRows: number };
/** Roster's check in stages, each its own call: decode + read, pre-match +
 * check (the verdicts kept, as the wizard keeps them), freeing it all. */
type Stages = { read: number[]; check: number[]; free: number[] };

/** Runs Roster's check and Papa Parse alternately in the page, RUNS times each. */
async function timeInPage(page: Page, url: string, fieldsJson: string): Promise<InPage & Stages> {
  return page.evaluate(
    async ({ url, fieldsJson, runs }) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const text = new TextDecoder().decode(bytes);
      // The module the page hydrated with: same instance, already initialised.
      const scripts = [...document.querySelectorAll("link[rel=modulepreload]")].map((l) => (l as HTMLLinkElement).href);
      const roster: any = await import(scripts.find((s) => s.endsWith(".js")) ?? "/pkg/roster.js");
      const papa = (window as any).Papa;
      const result = { roster: [] as number[], papa: [] as number[], errorRows: -1, papaRows: -1 };
      const stages = { read: [] as number[], check: [] as number[], free: [] as number[] };
      const rest = () => new Promise((r) => setTimeout(r, 50));
      // The CSV code is in chunks fetched on first use: not timed.
      await roster.benchmark_check_file(bytes.slice(0, 64), fieldsJson).catch(() => 0);
      await roster.benchmark_read_file(bytes.slice(0, 64)).catch(() => 0);
      await roster.benchmark_check_kept(fieldsJson).catch(() => 0);
      await roster.benchmark_free_kept();
      for (let i = 0; i < runs; i++) {
        await rest();
        let t = performance.now();
        result.errorRows = await roster.benchmark_check_file(bytes, fieldsJson);
        result.roster.push(performance.now() - t);
        await rest();
        t = performance.now();
        result.papaRows = papa.parse(text, { header: true, skipEmptyLines: true }).data.length;
        result.papa.push(performance.now() - t);
      }
      for (let i = 0; i < runs; i++) {
        await rest();
        let t = performance.now();
        const read = await roster.benchmark_read_file(bytes);
        stages.read.push(performance.now() - t);
        t = performance.now();
        if ((await roster.benchmark_check_kept(fieldsJson)) !== result.errorRows) throw new Error("the staged check disagrees");
        stages.check.push(performance.now() - t);
        t = performance.now();
        await roster.benchmark_free_kept();
        stages.free.push(performance.now() - t);
        if (read !== result.papaRows) throw new Error("the staged read disagrees");
      }
      return { ...result, ...stages };
    },
    { url, fieldsJson, runs: RUNS },
  );
}

/** Roster's check of a workbook (open, read the sheet, check every row, in
 * the workbook module the wizard runs in its worker, here called in the
 * page to time its work alone) and SheetJS reading the same bytes into
 * rows, alternately in the page. */
async function timeWorkbookInPage(page: Page, url: string, fieldsJson: string): Promise<InPage> {
  return page.evaluate(
    async ({ url, fieldsJson, runs }) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const roster: any = await import("/workbook/roster_workbook.js");
      await roster.default(); // fetching and starting the module: not timed
      const sheetjs = (window as any).XLSX;
      const result = { roster: [] as number[], papa: [] as number[], errorRows: -1, papaRows: -1 };
      const rest = () => new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < runs; i++) {
        await rest();
        let t = performance.now();
        result.errorRows = roster.benchmark_check_workbook(bytes, fieldsJson);
        result.roster.push(performance.now() - t);
        await rest();
        t = performance.now();
        const book = sheetjs.read(bytes, { type: "array" });
        const rows = sheetjs.utils.sheet_to_json(book.Sheets[book.SheetNames[0]], { header: 1 });
        result.papa.push(performance.now() - t);
        result.papaRows = rows.length - 1;
      }
      return result;
    },
    { url, fieldsJson, runs: RUNS },
  );
}

/** The wizard to the preview RUNS times: the median and the long tasks,
 * and (issue 24) the main thread's busy time per step and the wait of keys
 * pressed while the file is read and checked, as lines. */
async function wizardRuns(page: Page, url: string, name: string, what: string): Promise<string[]> {
  const times: number[] = [];
  const long: LongTask[] = [];
  const busy: Record<string, number[]> = {};
  const keys: Record<string, number[]> = {};
  for (let i = 0; i < RUNS; i++) {
    const run = await wizardToPreview(page, url, name, { probe: true });
    times.push(run.ms);
    long.push(...run.longTasks);
    for (const [step, ms] of Object.entries(run.probe?.busyMs ?? {})) (busy[step] ??= []).push(ms);
    for (const [step, delays] of Object.entries(run.probe?.keyDelays ?? {})) (keys[step] ??= []).push(...delays);
  }
  const delays = (step: string) => {
    const d = keys[step] ?? [];
    return d.length ? `${step} median ${ms(median(d))}, longest ${ms(Math.max(...d))} (${d.length} keys)` : `${step} no keys`;
  };
  return [
    `${what}: wizard from file chosen to preview ready ${ms(median(times))} median (incl. two Continue clicks driven by Playwright); ` +
      `${long.length} main-thread tasks over 50 ms in ${RUNS} runs (longest ${ms(Math.max(0, ...long.map((t) => t.ms)))}` +
      `${long.length ? `; at ${long.map((t) => `${t.step} ${ms(t.ms)}`).join(", ")}` : ""})`,
    `  main thread busy (medians): ${Object.entries(busy).map(([step, b]) => `${step} ${ms(median(b))}`).join(", ")}; ` +
      `keys pressed meanwhile waited: ${delays("upload")}; ${delays("preview")}`,
  ];
}

/** Scrolls the preview from top to bottom in 60 jumps, one per frame:
 * the frame times and the most rows the page held meanwhile. */
async function scrollThrough(page: Page): Promise<{ frames: number[]; mostRowsDrawn: number }> {
  return page.evaluate(async () => {
    const scroller = document.querySelector(".rows-scroller") as HTMLElement;
    const frames: number[] = [];
    let mostRowsDrawn = 0;
    let last = performance.now();
    for (let i = 1; i <= 60; i++) {
      scroller.scrollTop = (scroller.scrollHeight * i) / 60;
      await new Promise((frame) => requestAnimationFrame(frame));
      const now = performance.now();
      frames.push(now - last);
      last = now;
      mostRowsDrawn = Math.max(mostRowsDrawn, scroller.querySelectorAll("tbody[data-index]").length);
    }
    return { frames, mostRowsDrawn };
  });
}

test("Roster's wasm check beside Papa Parse, and the wizard to the preview", async ({ page }) => {
  await signIn(page);
  await page.goto("/tracks/engineering/import");
  await hydrated(page);
  const context = await page.evaluate(async () => {
    const answer = await fetch("/api/import_context", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ track_slug: "engineering", dormant: false }),
    });
    return answer.json();
  });
  expect(context.row_limit, "the bench instance takes 100,000 rows").toBeGreaterThanOrEqual(100_000);
  const fieldsJson = JSON.stringify(context.fields);
  await page.addScriptTag({ path: path.join(__dirname, "..", "node_modules", "papaparse", "papaparse.min.js") });

  const lines: string[] = [];
  for (const rows of [1_000, 100_000]) {
    const file = generate(rows);
    const url = `/bench-data/${rows}.csv`;
    await page.route(url, (route) => route.fulfill({ body: file, contentType: "text/csv" }));
    const timed = await timeInPage(page, url, fieldsJson);
    expect(timed.errorRows, "every generated row passes the checks").toBe(0);
    expect(timed.papaRows).toBe(rows);
    const roster = median(timed.roster);
    const papa = median(timed.papa);
    lines.push(
      `${rows.toLocaleString("en")} rows x 20 columns (${(file.length / 1e6).toFixed(1)} MB): ` +
        `Roster read + check + pre-match ${ms(roster)} median; Papa Parse parse only ${ms(papa)} median; ` +
        `ratio Roster/Papa ${(roster / papa).toFixed(2)}`,
    );
    const [read, check, free] = [median(timed.read), median(timed.check), median(timed.free)];
    lines.push(
      `  in stages: decode + read (csv-core) ${ms(read)}, ratio to Papa ${(read / papa).toFixed(2)}; ` +
        `pre-match + check ${ms(check)}; the two ${ms(read + check)}, ratio ${((read + check) / papa).toFixed(2)}; ` +
        `freeing it all ${ms(free)}`,
    );
    lines.push(...(await wizardRuns(page, url, `bench-${rows}.csv`, `${rows.toLocaleString("en")} rows`)));
    const scrolled = await scrollThrough(page);
    expect(scrolled.mostRowsDrawn, "the preview draws a bounded number of rows").toBeLessThan(200);
    lines.push(
      `${rows.toLocaleString("en")} rows: preview scrolled top to bottom in 60 jumps: frame median ${ms(median(scrolled.frames))}, ` +
        `longest ${ms(Math.max(...scrolled.frames))}; at most ${scrolled.mostRowsDrawn} rows in the page`,
    );
    await page.unroute(url);
    await page.goto("/tracks/engineering/import");
    await hydrated(page);
    await page.addScriptTag({ path: path.join(__dirname, "..", "node_modules", "papaparse", "papaparse.min.js") });
  }
  // A fresh tab, as an admin's would be: the 100,000-row wizard runs above
  // leave the page's wasm memory grown (it never shrinks).
  const chromium = page.context().browser()?.version();
  const tab = await page.context().newPage();
  await page.close();
  await tab.goto("/tracks/engineering/import");
  await hydrated(tab);
  await tab.addScriptTag({ path: path.join(__dirname, "..", "node_modules", "xlsx", "dist", "xlsx.full.min.js") });
  for (const rows of [1_000, 100_000]) {
    const file = generateWorkbook(rows);
    const url = `/bench-data/${rows}.xlsx`;
    await tab.route(url, (route) => route.fulfill({ body: file, contentType: "application/octet-stream" }));
    const timed = await timeWorkbookInPage(tab, url, fieldsJson);
    expect(timed.errorRows, "every generated row passes the checks").toBe(0);
    expect(timed.papaRows).toBe(rows);
    const roster = median(timed.roster);
    const sheetjs = median(timed.papa);
    lines.push(
      `${rows.toLocaleString("en")} rows x 20 columns .xlsx (${(file.length / 1e6).toFixed(1)} MB): ` +
        `Roster open + read + check + pre-match ${ms(roster)} median; SheetJS read + sheet_to_json only ${ms(sheetjs)} median; ` +
        `ratio Roster/SheetJS ${(roster / sheetjs).toFixed(2)}`,
    );
    // The wizard opens workbooks in its worker, the page taking the rows in parts.
    lines.push(...(await wizardRuns(tab, url, `bench-${rows}.xlsx`, `${rows.toLocaleString("en")} rows .xlsx`)));
    await tab.goto("/tracks/engineering/import");
    await hydrated(tab);
    await tab.addScriptTag({ path: path.join(__dirname, "..", "node_modules", "xlsx", "dist", "xlsx.full.min.js") });
    await tab.unroute(url);
  }
  console.log(`\nIn-browser benchmark (${RUNS} runs each, Chromium ${chromium}):\n  ${lines.join("\n  ")}\n`);
});
