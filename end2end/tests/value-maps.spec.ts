// Values that are not options (docs/importing.md): the preview groups a
// choice field's wrong values with their counts, and mapping each once
// fixes every row holding it.
import { test, expect, expectAccessible, fitsScreen, hydrated, signIn } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import { runId, chooseFile, toPreview, complete, expectCounts } from "./wizard";

test("a 1,000-row file with 3 wrong values across 200 rows is fixed in three choices", async ({ page }, info) => {
  test.setTimeout(90_000);
  const run = runId();
  // 100 "Eng", 60 "Mktg", 40 "finance"; the other 800 are options.
  const department = (i: number) =>
    i < 100 ? "Eng" : i < 160 ? "Mktg" : i < 200 ? "finance" : ["Engineering", "Sales", "People"][i % 3];
  const rows = people("values", run, 1000).map((p, i) => [p.first, p.last, p.email, department(i), ""]);
  // A header of this run's own: no remembered mapping (with its values)
  // from another run fits this file.
  const note = `Note ${run}`;
  await signIn(page);
  await page.goto("/import");
  await hydrated(page);
  await chooseFile(page, `values-${run}.csv`, utf8Csv([["First Name", "Last Name", "Email", "Department", note], ...rows]));
  await toPreview(page);
  await expectCounts(page, { errors: 200 });

  const values = page.locator('#value-maps ul[data-field="department"] li');
  await expect(values).toHaveCount(3);
  await expect(values.nth(0)).toContainText("“Eng” · 100 cells");
  await expect(values.nth(1)).toContainText("“Mktg” · 60 cells");
  await expect(values.nth(2)).toContainText("“finance” · 40 cells");
  // The near match is offered, never applied unasked.
  const finance = page.getByLabel("Option for “finance” in Department");
  await expect(finance).toHaveValue("Finance");
  await expect(page.getByLabel("Option for “Eng” in Department")).toHaveValue("");
  await expectAccessible(page);
  await fitsScreen(page, info, "preview-value-maps");

  await page.getByLabel("Option for “Eng” in Department").selectOption("Engineering");
  await values.nth(0).getByRole("button", { name: "Map" }).click();
  await expectCounts(page, { errors: 100 });
  await expect(page.locator("#value-maps li.mapped")).toContainText("“Eng” → Engineering");

  await page.getByLabel("Option for “Mktg” in Department").selectOption("Marketing");
  await page.locator("#value-maps li", { hasText: "“Mktg”" }).getByRole("button", { name: "Map" }).click();
  await page.locator("#value-maps li", { hasText: "“finance”" }).getByRole("button", { name: "Map" }).click();
  await expectCounts(page, { errors: 0, new: 1000 });
  await expect(page.locator("#value-maps li.mapped")).toHaveCount(3);

  // Undone in the preview, the value is wrong again.
  await page.locator("#value-maps li.mapped", { hasText: "“Mktg”" }).getByRole("button", { name: "Undo" }).click();
  await expectCounts(page, { errors: 60 });
  await page.getByLabel("Option for “Mktg” in Department").selectOption("Marketing");
  await page.locator("#value-maps li", { hasText: "“Mktg”" }).getByRole("button", { name: "Map" }).click();
  await expectCounts(page, { errors: 0 });

  await complete(page);
  await expectCounts(page, { created: 1000, skipped: 0 });
});
