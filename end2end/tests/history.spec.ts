// Import history (docs/history-and-undo.md): an import is listed at its track and at the
// global level, its page shows each row and gives its error log again, and
// it can be undone: members and the licence meter are back where they were.
import * as fs from "node:fs";
import { test, expect, hydrated, signIn, expectAccessible, fitsScreen } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import {
  runId,
  chooseFile,
  sameRolesForEveryone,
  toPreview,
  complete,
  memberCount,
  licencesInUse,
} from "./wizard";

test("an import with an error row is in the history with its rows and error log, and can be undone", async ({ page }, info) => {
  const run = runId();
  const [ok] = people("history", run, 1);
  const fileName = `history-${run}.csv`;
  await signIn(page);
  const membersBefore = await memberCount(page, "engineering");
  await page.goto("/");
  await hydrated(page);
  const licencesBefore = await licencesInUse(page);
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
  await expect(page.locator("#import-counts")).toHaveText("1 created · 1 added to the track · 1 email queued · 1 skipped");
  await expect(page.locator('#import-rows tr[data-line="2"]')).toContainText("New user");
  await expect(page.locator('#import-rows tr[data-line="3"]')).toContainText("Skipped");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download error log" }).click();
  const log = fs.readFileSync(await (await downloading).path(), "utf8");
  expect(log).toContain(`broken.${run}@`);
  const importPage = page.url();

  await expect(page.locator("#undo")).toContainText("It can be undone until");
  await page.getByRole("button", { name: "Undo this import…" }).click();
  const consequences = page.locator("#undo-consequences li");
  await expect(consequences).toHaveText([
    "1 person this import created will be deleted.",
    "1 email waiting to go out will be cancelled.",
  ]);
  await expect(page.locator("#undo-license")).toHaveText(
    `Active users: ${licencesBefore + 1} now, ${licencesBefore} after the undo (licence 250).`,
  );
  await expectAccessible(page);
  await fitsScreen(page, info, "undo-confirmation");
  await page.getByRole("button", { name: "Keep it" }).click();
  await expect(consequences).toHaveCount(0);
  await page.getByRole("button", { name: "Undo this import…" }).click();
  await page.getByRole("button", { name: "Undo import", exact: true }).click();
  await expect(page.locator("#undo").getByRole("status")).toHaveText("Import undone: 1 person deleted · 1 email cancelled.");
  await expect(page.locator("#import-status")).toHaveText("Undone");
  await expect(page.locator("#undo")).toContainText("Undone at");
  await expect(page.getByRole("button", { name: "Undo this import…" })).toHaveCount(0);

  expect(await memberCount(page, "engineering")).toBe(membersBefore);
  await page.goto("/");
  await hydrated(page);
  expect(await licencesInUse(page)).toBe(licencesBefore);
  await page.goto(importPage);
  await hydrated(page);
  await expect(page.locator("#undo")).toContainText("Undone at");

  await page.getByRole("link", { name: "← Import history" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/history$/);
  const row = page.locator("#import-history tr", { hasText: fileName });
  await expect(row).toContainText("Undone");
  await page.goto("/history");
  await hydrated(page);
  await expect(row).toContainText("Engineering Mentoring");
});
