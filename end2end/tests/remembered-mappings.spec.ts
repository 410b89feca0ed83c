// Remembered mappings (docs/importing.md, "Remembered mappings"): a file's
// second upload opens the Map step paired as the first was completed, and
// the level's page renames and deletes what is remembered.
import { test, expect, expectAccessible, fitsScreen, hydrated, signIn } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import { runId, uploadFile, sameRolesForEveryone, continueTo, complete, expectMapped, NOT_IMPORTED } from "./wizard";

test("the second upload of the same header shape opens pre-mapped", async ({ page }, info) => {
  test.setTimeout(60_000);
  const run = runId();
  // A header of this run's own, which nothing pre-matches.
  const unit = `Unit ${run}`;
  const [ann, bo] = people("remember", run, 2);
  await signIn(page);

  await uploadFile(page, "engineering", `hr-${run}.csv`, utf8Csv([["Given", "Surname", "Mail", unit], [ann.first, ann.last, ann.email, "Sales"]]));
  await sameRolesForEveryone(page, ["Mentee"]);
  await continueTo(page, "map");
  await expect(page.locator("#remembered-mapping")).toHaveCount(0);
  await expectMapped(page, { Department: NOT_IMPORTED });
  await page.getByLabel("Department", { exact: true }).selectOption({ label: unit });
  await continueTo(page, "preview");
  await complete(page);

  // Next month: the columns in another order, one header in capitals.
  await uploadFile(page, "engineering", `hr-next-${run}.csv`, utf8Csv([[unit.toUpperCase(), "Mail", "Given", "Surname"], ["People", bo.email, bo.first, bo.last]]));
  await sameRolesForEveryone(page, ["Mentee"]);
  await continueTo(page, "map");
  await expect(page.locator("#remembered-mapping")).toContainText(`Paired as remembered from “hr-${run}.csv”`);
  await expectMapped(page, { "First Name": "Given", "Last Name": "Surname", Email: "Mail", Department: unit.toUpperCase() });
  await expectAccessible(page);
  await fitsScreen(page, info, "map-remembered");

  await page.locator("#remembered-mapping").getByRole("link", { name: "Remembered mappings" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/mappings$/);
  await hydrated(page);
  const item = page.locator(`#saved-mappings li[data-mapping="hr-${run}.csv"]`);
  await expect(item).toContainText(`Headers: Given, Surname, Mail, ${unit}`);
  await item.getByLabel("Name").fill(`HR monthly ${run}`);
  await item.getByRole("button", { name: "Rename" }).click();
  const renamed = page.locator(`#saved-mappings li[data-mapping="HR monthly ${run}"]`);
  await expect(renamed).toHaveCount(1);
  await expectAccessible(page);
  await fitsScreen(page, info, "mappings-page");
  await renamed.getByRole("button", { name: `Delete “HR monthly ${run}”` }).click();
  await expect(renamed).toHaveCount(0);
});
