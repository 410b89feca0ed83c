// Where the wizard's long main-thread tasks go (`scripts/profile-wizard`):
// the wizard to the preview for a 1,000-row (PROFILE_ROWS) CSV and .xlsx, traced by
// Chromium, and for each task over 50 ms its nested events and the
// functions sampled in it. Prints; asserts nothing of the figures.
// PROFILE_TRACE_DIR=dir keeps each trace, for Chromium's DevTools.
import { writeFileSync } from "node:fs";
import { test, signIn } from "../tests/fixtures";
import { generate, generateWorkbook, wizardToPreview } from "./wizard-run";
import { longTaskSummary, TRACE_CATEGORIES } from "./trace-summary";

const RUNS = Number(process.env.PROFILE_RUNS ?? 3);
const ROWS = Number(process.env.PROFILE_ROWS ?? 1_000);

test("the wizard's long main-thread tasks, traced", async ({ page }) => {
  await signIn(page);
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser to trace");
  const lines: string[] = [];
  for (const [name, file] of [
    [`bench-${ROWS}.csv`, generate(ROWS)],
    [`bench-${ROWS}.xlsx`, generateWorkbook(ROWS)],
  ] as const) {
    const url = `/bench-data/${name}`;
    await page.route(url, (route) => route.fulfill({ body: file, contentType: "application/octet-stream" }));
    for (let run = 1; run <= RUNS; run++) {
      const traced = () => browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const { ms, longTasks } = await wizardToPreview(page, url, name, { beforeChoosing: traced });
      const trace = await browser.stopTracing();
      if (process.env.PROFILE_TRACE_DIR) writeFileSync(`${process.env.PROFILE_TRACE_DIR}/${name}-${run}.json`, trace);
      lines.push(`${name} run ${run}: ${ms.toFixed(0)} ms; long tasks seen by the page: ${longTasks.map((t) => `${t.step} ${t.ms.toFixed(0)} ms`).join(", ") || "none"}`);
      lines.push(...longTaskSummary(trace.toString("utf8")).map((l) => `  ${l}`));
    }
    await page.unroute(url);
  }
  console.log(`\n${lines.join("\n")}\n`);
});
