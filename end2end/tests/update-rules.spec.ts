// Update rules on the preview (docs/importing.md, "Update rules"): the
// counts follow the rule chosen, the server applies it, and the done page
// and the history say whom it skipped.
import { test, expect, expectAccessible, fitsScreen, signIn } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import { runId, uploadFile, sameRolesForEveryone, toPreview, complete, expectCounts } from "./wizard";

const HEADER = ["First Name", "Last Name", "Email", "Job Title"];

test("an update rule changes the preview's counts, and the import follows it", async ({ page }, info) => {
  test.setTimeout(60_000);
  const run = runId();
  const [ann, bo, cy] = people("rule", run, 3);
  await signIn(page);

  // Ann and Bo are members already.
  await uploadFile(page, "engineering", `first-${run}.csv`, utf8Csv([HEADER, ...[ann, bo].map((p) => [p.first, p.last, p.email, "Designer"])]));
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await complete(page);

  const again = [ann, bo, cy].map((p) => [p.first, p.last, p.email, "Architect"]);
  await uploadFile(page, "engineering", `again-${run}.csv`, utf8Csv([HEADER, ...again]));
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);

  const rule = page.locator("#update-rule");
  await expect(rule.getByRole("radio", { name: /^Add new people and update existing ones/ })).toBeChecked();
  await expectCounts(page, { new: 1, unchanged: 2 });
  await expect(page.locator('[data-count="unchanged"]')).toContainText("profile updated");
  await expect(page.getByRole("button", { name: "Complete: import 3 rows" })).toBeEnabled();

  await rule.getByRole("radio", { name: /^Only update existing people/ }).check();
  await expectCounts(page, { unchanged: 2, "skipped-new": 1 });
  // Nobody new is added under this rule: no count of new people.
  await expect(page.locator('[data-count="new"]')).toHaveCount(0);
  await rule.getByRole("radio", { name: /^Only fill empty fields/ }).check();
  await expect(page.locator('[data-count="unchanged"]')).toContainText("empty fields filled");
  await expect(page.getByRole("button", { name: "Complete: import 2 rows" })).toBeEnabled();

  await rule.getByRole("radio", { name: /^Only add new people/ }).check();
  await expectCounts(page, { new: 1, "skipped-existing": 2 });
  await expect(page.locator('[data-count="unchanged"]')).toHaveCount(0);
  // Nobody existing is written, so there is nothing to overwrite or fill.
  await expect(rule.getByRole("radio", { name: /^Only fill empty fields/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Complete: import 1 row" })).toBeEnabled();
  await expectAccessible(page);
  await fitsScreen(page, info, "preview-update-rule");

  await complete(page);
  await expectCounts(page, { created: 1, updated: 0, "skipped-existing": 2 });
  const skipped = page.locator("#rule-skipped li");
  await expect(skipped).toHaveCount(2);
  await expect(skipped.first()).toContainText(`Line 2: ${ann.email} — already on the platform`);
  await expectAccessible(page);
  await fitsScreen(page, info, "done-update-rule");

  await page.getByRole("link", { name: "This import in the history" }).click();
  await expect(page.locator("#import-rule")).toHaveText("Only add new people");
  await expect(page.locator('#import-rows tr[data-line="2"]')).toContainText("Skipped: already on the platform");
  await expect(page.locator('#import-rows tr[data-line="4"]')).toContainText("New user");
});
