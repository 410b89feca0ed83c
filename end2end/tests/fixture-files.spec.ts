// Files as admins really produce them (fixtures/files, issue 9), uploaded
// through the wizard: each gets the verdict its domain test asserts. The
// tests stop at the preview, so the shared database is not changed.
import * as fs from "node:fs";
import * as path from "node:path";
import { Page } from "@playwright/test";
import { test, expect, signIn } from "./fixtures";
import { uploadFile, sameRolesForEveryone, toPreview, expectCounts } from "./wizard";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "files", name));

async function preview(page: Page, name: string): Promise<void> {
  await signIn(page);
  await uploadFile(page, "engineering", name, fixture(name));
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
}

const rowErrors = (page: Page, line: number) => page.locator(`#preview-rows tr.row-errors[data-line="${line}"]`);

test("an Excel CSV UTF-8 file (BOM, CRLF) previews without errors", async ({ page }) => {
  await preview(page, "excel-utf8-bom-crlf.csv");
  await expectCounts(page, { errors: 0 });
  await expect(page.locator("#rows-shown")).toHaveText("1 row shown · 0 with errors");
});

test("an Excel Unicode text file (UTF-16, tabs) previews without errors", async ({ page }) => {
  await signIn(page);
  await uploadFile(page, "engineering", "excel-unicode-text-utf16le.txt", fixture("excel-unicode-text-utf16le.txt"));
  await expect(page.locator("#file-summary")).toContainText("1 person, 4 columns, separated by tabs");
  // Converted from UTF-16: the admin confirms the names look right first.
  await expect(page.getByText("This file is saved as UTF-16")).toBeVisible();
  await page.getByRole("checkbox", { name: "The converted text looks right" }).check();
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expectCounts(page, { errors: 0 });
});

test("an HR system's export: the repeated address and the odd number are shown on line 3", async ({ page }) => {
  await preview(page, "hris-export.csv");
  await expectCounts(page, { errors: 1 });
  await expect(rowErrors(page, 3)).toContainText("Email has to be unique");
  await expect(rowErrors(page, 3)).toContainText("line 2");
  await expect(rowErrors(page, 3)).toContainText("Years of Experience must be a number");
});

test("a look-alike address is the person on the line before, and an invisible character is refused", async ({ page }) => {
  await signIn(page);
  // A full-width k (NFKC: k, by the browser's own normaliser) and a zero-width space.
  const text = "First Name,Last Name,Email\nKate,One,kate@x.org\nKate,Two,\uFF4Bate@x.org\nKate,Three,ka\u200Bte@x.org\n";
  await uploadFile(page, "engineering", "look-alikes.csv", Buffer.from(text, "utf8"));
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expectCounts(page, { errors: 2 });
  await expect(rowErrors(page, 3)).toContainText("Email has to be unique");
  await expect(rowErrors(page, 3)).toContainText("line 2");
  await expect(rowErrors(page, 4)).toContainText("invisible character");
});
