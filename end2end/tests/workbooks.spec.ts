// Workbooks read in the browser (issue 21): the same staff list saved by
// LibreOffice as .xlsx, .xls and .ods (fixtures/README.md), each through
// upload → sheet → map → preview → complete, and into the history with its
// sheet. The list sits on the second sheet under a title row, with dates,
// IDs with leading zeros and a #N/A.
import * as fs from "node:fs";
import * as path from "node:path";
import { test, expect, signIn, fitsScreen } from "./fixtures";
import {
  uploadFile,
  openUpload,
  chooseFile,
  sameRolesForEveryone,
  toPreview,
  complete,
  expectCounts,
} from "./wizard";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "files", name));

const row = (page: import("@playwright/test").Page, line: number) =>
  page.locator(`#preview-rows tr[data-line="${line}"]:not(.row-errors)`);

for (const name of ["staff.xlsx", "staff.xls", "staff.ods"]) {
  test(`a workbook (${name}) is read from its sheet and header row, and imported`, async ({ page }, info) => {
    await signIn(page);
    await uploadFile(page, "engineering", name, fixture(name));
    // The first sheet is empty: the staff list's sheet is chosen, and its
    // headers found under the title row.
    await expect(page.locator("#file-summary")).toHaveText(`${name}: 3 people, 7 columns, sheet Staff.`);
    await expect(page.locator("#sheet option:checked")).toHaveText("Staff (5 rows, 7 columns)");
    await expect(page.locator("#sheet option").first()).toHaveText("Cover (0 rows, 0 columns)");
    await expect(page.locator("#header-row option:checked")).toHaveText(
      /^Row 3: First Name, Last Name, Email, Employee ID, Start Date, Years/,
    );
    await expect(page.locator("#file-sample")).toContainText("2024-03-01");
    // A header row's long text stays within a phone's width.
    await fitsScreen(page, info, `upload-${name}`);

    // Choosing the title row as the header row reads the sheet again.
    await page.locator("#header-row").selectOption("1");
    await expect(page.locator("#file-summary")).toContainText(": 4 people, 1 column, sheet Staff.");
    await page.locator("#header-row").selectOption("3");
    await expect(page.locator("#file-summary")).toHaveText(`${name}: 3 people, 7 columns, sheet Staff.`);
    // An empty sheet is a sentence, and the sheet can be chosen back.
    await page.locator("#sheet").selectOption({ label: "Cover (0 rows, 0 columns)" });
    await expect(page.locator('.file-error[role="alert"]')).toHaveText(
      "The sheet “Cover” is empty: choose the sheet that holds the people.",
    );
    await page.locator("#sheet").selectOption({ label: "Staff (5 rows, 7 columns)" });
    await expect(page.locator("#file-summary")).toHaveText(`${name}: 3 people, 7 columns, sheet Staff.`);

    await sameRolesForEveryone(page, ["Mentee"]);
    await toPreview(page);
    // Lines are the sheet's rows; cells read as the sheet shows them.
    await expect(row(page, 4)).toContainText("2024-03-01");
    await expect(row(page, 4)).toContainText("000123");
    await expect(row(page, 5)).toContainText("004567");
    await expect(row(page, 5)).toContainText("12");
    await expect(row(page, 5)).not.toContainText("12.0");
    if (name === "staff.ods") {
      // calamine reads an OpenDocument error cell as empty (docs/importing.md).
      await expectCounts(page, { errors: 0 });
    } else {
      await expectCounts(page, { errors: 1 });
      const errors = page.locator('#preview-rows tr.row-errors[data-line="6"]');
      await expect(errors).toContainText("Staff!D6, Employee ID: ");
      await expect(errors).toContainText("#N/A");
      // The error log as a workbook: the bad row, its line and message.
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download as Excel (.xlsx)" }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe("errors-staff.xlsx");
      const log = fs.readFileSync(await download.path());
      expect(log.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
    }

    await complete(page);
    await page.getByRole("link", { name: "This import in the history" }).click();
    await expect(page.locator("#import-sheet")).toHaveText("Staff");
  });
}

test("a workbook renamed .csv is read as the workbook it is", async ({ page }) => {
  await signIn(page);
  await uploadFile(page, "engineering", "workbook-renamed.csv", fixture("workbook-renamed.csv"));
  await expect(page.locator("#file-summary")).toContainText("workbook-renamed.csv:");
  await expect(page.locator("#file-summary")).toContainText(", sheet ");
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
});

test("a password-protected workbook gets a sentence saying what to do", async ({ page }) => {
  await signIn(page);
  await uploadFile(page, "engineering", "staff-password.xlsx", fixture("staff-password.xlsx"));
  await expect(page.locator('.file-error[role="alert"]')).toHaveText(
    "The workbook is protected with a password: open it in Excel or LibreOffice, remove the password, save it and upload it again.",
  );
});

test("a damaged workbook gets a sentence saying what to do", async ({ page }) => {
  await signIn(page);
  const damaged = Buffer.concat([fixture("staff.xlsx").subarray(0, 2_000)]);
  await uploadFile(page, "engineering", "damaged.xlsx", damaged);
  await expect(page.locator('.file-error[role="alert"]')).toHaveText(
    "The workbook could not be read, perhaps it is damaged: open it in Excel or LibreOffice, save it again as .xlsx and upload that, or save the sheet as CSV UTF-8.",
  );
});

test("the Excel template, downloaded and uploaded back, previews with no errors", async ({ page }) => {
  await signIn(page);
  await openUpload(page, "engineering");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download an Excel template" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("roster-template.xlsx");
  await chooseFile(page, "roster-template.xlsx", fs.readFileSync(await download.path()));
  await expect(page.locator("#file-summary")).toHaveText(/^roster-template\.xlsx: 1 person, \d+ columns, sheet People\.$/);
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expectCounts(page, { errors: 0 });
});

test("a workbook reader that cannot be loaded gets a sentence, and is tried again", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/^workbook module: .*Failed to fetch/s);
  await signIn(page);
  // The worker's wasm, fetched by the worker itself, fails once.
  await page.context().route("**/workbook/roster_workbook_bg.wasm", (route) => route.abort());
  await uploadFile(page, "engineering", "staff.xlsx", fixture("staff.xlsx"));
  await expect(page.locator('.file-error[role="alert"]')).toHaveText(
    "The workbook reader could not be loaded: check your connection and try again.",
  );
  await page.context().unroute("**/workbook/roster_workbook_bg.wasm");
  await chooseFile(page, "staff.xlsx", fixture("staff.xlsx"));
  await expect(page.locator("#file-summary")).toHaveText("staff.xlsx: 3 people, 7 columns, sheet Staff.");
});
