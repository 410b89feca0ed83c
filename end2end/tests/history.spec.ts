// Import history (SPEC §9): an import is listed at its track and at the
// global level, and its page shows each row and gives its error log again.
import * as fs from "node:fs";
import { test, expect, hydrated, signIn } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import { runId, chooseFile, sameRolesForEveryone, toPreview, complete } from "./wizard";

test("an import with an error row is in the history with its rows and error log", async ({ page }) => {
  const run = runId();
  const [ok] = people("history", run, 1);
  const fileName = `history-${run}.csv`;
  await signIn(page);
  await page.goto("/tracks/engineering/import");
  await hydrated(page);
  await chooseFile(
    page,
    fileName,
    utf8Csv([
      ["First Name", "Last Name", "Email"],
      [ok.first, ok.last, ok.email],
      ["No", "Email", `broken.${run}@`],
    ]),
  );
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await complete(page);

  await page.getByRole("link", { name: "This import in the history" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "CSV file" })).toBeVisible();
  await hydrated(page);
  await expect(page.locator("#import-counts")).toHaveText("1 created · 1 added to the track · 1 emails queued · 1 skipped");
  await expect(page.locator('#import-rows tr[data-line="2"]')).toContainText("New user");
  await expect(page.locator('#import-rows tr[data-line="3"]')).toContainText("Skipped");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download error log" }).click();
  const log = fs.readFileSync(await (await downloading).path(), "utf8");
  expect(log).toContain(`broken.${run}@`);

  await page.getByRole("link", { name: "← Import history" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/history$/);
  await expect(page.locator("#import-history")).toContainText(fileName);
  await page.goto("/history");
  await hydrated(page);
  await expect(page.locator("#import-history tr", { hasText: fileName })).toContainText("Engineering Mentoring");
});
