// Whole-column fixes (docs/importing.md, "Fixing whole columns"): a Full
// Name column fills both names on the Map step, and the preview's fixes
// change every row at once, are checked again at once, and can be undone.
import { test, expect, expectAccessible, fitsScreen, hydrated, signIn } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import { runId, chooseFile, continueTo, complete, expectCounts } from "./wizard";

test("a full-name column is split, and column fixes change every row and are undone", async ({ page }, info) => {
  test.setTimeout(60_000);
  const run = runId();
  const [ann, bo, cy] = people("fixes", run, 3);
  // A header of this run's own: no remembered mapping from another run fits.
  const note = `Note ${run}`;
  const rows = [
    ["Name", "Email", "Languages", "Start Date", note],
    [`${ann.first} Marie ${ann.last}`, ann.email, "English; French", "05/01/2024", ""],
    [`${bo.last}, ${bo.first}`, bo.email, "German", "2024-02-03", ""],
    [`${cy.first} ${cy.last}`, cy.email, "Spanish;English", "7/3/2024", ""],
  ];
  await signIn(page);
  await page.goto("/import");
  await hydrated(page);
  await chooseFile(page, `fixes-${run}.csv`, utf8Csv(rows));
  await continueTo(page, "map");

  // "Name" fills both names, with the rule shown and the first row split.
  const fullName = page.getByLabel("Full Name (first and last)");
  await expect(fullName.locator("option:checked")).toHaveText("Name");
  await expect(page.locator(".full-name-rule")).toContainText("The last word is the last name");
  const example = page.locator("tr", { has: fullName }).locator("td.example");
  await expect(example).toHaveText(`${ann.first} Marie ${ann.last} → ${ann.first} Marie | ${ann.last}`);
  await expect(page.getByLabel("First Name", { exact: true }).locator("option:checked")).toHaveText("— not imported —");
  await continueTo(page, "preview");

  // Two rows' languages and dates are written another way.
  await expectCounts(page, { errors: 2 });
  const fixes = page.locator("#column-fixes");
  await fixes.getByLabel("Options in Languages are separated by").selectOption(";");
  await expectCounts(page, { errors: 2 });
  const dates = fixes.locator('.date-fix[data-field="start_date"]');
  await expect(dates).toContainText("Start Date: 2 cells are dates written another way, such as 05/01/2024. Which comes first?");
  await expectAccessible(page);
  await fitsScreen(page, info, "preview-column-fixes");
  await dates.getByRole("button", { name: "Read day first" }).click();
  await expectCounts(page, { errors: 0, new: 3 });
  // Shown converted, with what the file says.
  await expect(page.locator('tr[data-line="2"] td[title="In the file: 05/01/2024"]')).toHaveText("2024-01-05");
  await expect(page.locator('tr[data-line="2"] td[title="In the file: English; French"]')).toHaveText("English, French");
  const applied = page.locator("#applied-fixes li");
  await expect(applied).toHaveCount(2);
  await expect(applied.nth(1)).toContainText("Start Date: dates read day first");

  // Undone, the dates are wrong again; read again, they pass.
  await applied.nth(1).getByRole("button", { name: "Undo" }).click();
  await expectCounts(page, { errors: 2 });
  await fixes.locator('.date-fix[data-field="start_date"]').getByRole("button", { name: "Read day first" }).click();
  await expectCounts(page, { errors: 0 });

  await complete(page);
  await expectCounts(page, { created: 3, skipped: 0 });

  // Bo's "Last, First" was split the other way round.
  await page.goto(`/users?q=${encodeURIComponent(bo.email)}`);
  await hydrated(page);
  const row = page.locator(`tr[data-email="${bo.email}"]`);
  await expect(row).toContainText(bo.first);
  await expect(row).toContainText(bo.last);
  await expect(row).not.toContainText(",");
});
