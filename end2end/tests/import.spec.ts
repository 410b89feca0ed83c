// The CSV import wizard at a program track (docs/importing.md). Each test proves
// what the database holds afterwards through the UI: the done page's counts,
// the members page, and a second upload of the same people whose preview
// says who is already known and with which roles.
//
// Both projects (desktop, phone) run against one server and database, so
// every email carries the project name and a timestamp.
import * as fs from "node:fs";
import { Page } from "@playwright/test";
import { test, expect, hydrated, signIn } from "./fixtures";
import { people, utf8Csv, windows1252Csv } from "./csv-files";
import {
  type Role,
  EMAILS,
  NOT_IMPORTED,
  runId,
  openUpload,
  chooseFile,
  uploadFile,
  sameRolesForEveryone,
  continueButton,
  continueTo,
  toPreview,
  complete,
  countOf,
  expectCounts,
  expectMapped,
  expectEmails,
  licenseForecast,
  readMemberCount,
  memberCount,
} from "./wizard";

test("a clean file of 25 people becomes 25 mentees of the track", async ({ page }) => {
  test.setTimeout(60_000);
  const run = runId();
  const fileName = `clean-${run}.csv`;
  const departments = ["Engineering", "Sales", "Marketing", "Finance", "People"];
  const file = utf8Csv([
    ["First Name", "Last Name", "Email", "Job Title", "Department", "Employee ID"],
    ...people("clean", run, 25).map((p, i) => [
      p.first,
      p.last,
      p.email,
      "Software Engineer",
      departments[i % departments.length],
      String(123 + i).padStart(6, "0"),
    ]),
  ]);

  await signIn(page);
  const membersBefore = await memberCount(page, "engineering");

  await page.goto("/tracks/engineering/add-users");
  await hydrated(page);
  await page.getByRole("link", { name: "Upload a CSV file" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/import$/);
  await expect(page.getByRole("heading", { level: 1, name: "Add users from CSV" })).toBeVisible();
  await expect(continueButton(page)).toBeDisabled();

  await chooseFile(page, fileName, file);
  await expect(page.locator("#file-summary")).toContainText(`${fileName}: 25 people, 6 columns, separated by commas`);
  await expect(page.getByLabel("Separator").locator("option:checked")).toHaveText("Comma");
  await expect(page.getByRole("radio", { name: "Same roles for everyone" })).toBeChecked();
  await sameRolesForEveryone(page, []);
  await expect(continueButton(page)).toBeDisabled();
  await sameRolesForEveryone(page, ["Mentee"]);
  await expect(continueButton(page)).toBeEnabled();

  await continueTo(page, "map");
  await expectMapped(page, {
    "First Name": "First Name",
    "Last Name": "Last Name",
    Email: "Email",
    "Job Title": "Job Title",
    Department: "Department",
    "Employee ID": "Employee ID",
    Languages: NOT_IMPORTED,
  });
  await expect(page.locator("#ignored-columns")).toContainText("Every column is imported.");

  await continueTo(page, "preview");
  await expectCounts(page, { new: 25, joining: 0, "roles-added": 0, unchanged: 0, errors: 0 });
  await expectEmails(page, [[EMAILS.mentee, 25]]);
  const license = await licenseForecast(page);
  expect(license.after).toBe(license.before + 25);
  // Every cell is text: the Employee ID keeps its leading zeros.
  await expect(page.locator('#preview-rows tr[data-line="2"]')).toContainText("000123");

  await complete(page);
  await expectCounts(page, { created: 25, updated: 0, added: 25, "roles-added": 0, emails: 25, skipped: 0 });

  await page.getByRole("link", { name: "See members" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/members$/);
  expect(await readMemberCount(page, "engineering")).toBe(membersBefore + 25);

  // The same file again: all 25 are known, already mentees of the track.
  await uploadFile(page, "engineering", fileName, file);
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expectCounts(page, { new: 0, joining: 0, "roles-added": 0, unchanged: 25, errors: 0 });
  await expectEmails(page, []);
  const again = await licenseForecast(page);
  expect(again).toEqual({ before: license.after, after: license.after });
});

test("a column paired with another field on the Map step leaves the field it filled", async ({ page }) => {
  const run = runId();
  const file = utf8Csv([
    ["First Name", "Last Name", "Email", "Job Title", "Department"],
    ...people("repair", run, 2).map((p) => [p.first, p.last, p.email, "Engineer", "Sales"]),
  ]);
  await signIn(page);
  await uploadFile(page, "engineering", `repair-${run}.csv`, file);
  await sameRolesForEveryone(page, ["Mentee"]);
  await continueTo(page, "map");
  await expectMapped(page, { "Job Title": "Job Title", Department: "Department" });

  // Job Title now takes the Department column: Department is left empty,
  // and the Job Title column is no longer imported.
  await page.getByLabel("Job Title", { exact: true }).selectOption({ label: "Department" });
  await expectMapped(page, { "Job Title": "Department", Department: NOT_IMPORTED });
  await expect(page.locator("#ignored-columns")).toHaveText("Not imported: Job Title");
  // And back: each select follows the mapping, whichever changed it.
  await page.getByLabel("Department", { exact: true }).selectOption({ label: "Department" });
  await expectMapped(page, { "Job Title": NOT_IMPORTED, Department: "Department" });
});

test("roles taken from a Roles column are stored per person", async ({ page }) => {
  const run = runId();
  const fileName = `roles-${run}.csv`;
  const roles = ["Mentor", "Mentee", "Mentor, Mentee", "Mentee", "Teacher", "Mentor"];
  const mentors = roles.filter((r) => r.includes("Mentor")).length;
  const file = utf8Csv([
    ["Given name", "Surname", "E-mail", "Roles"],
    ...people("roles", run, roles.length).map((p, i) => [p.first, p.last, p.email, roles[i]]),
  ]);

  await signIn(page);
  await uploadFile(page, "engineering", fileName, file);
  await expect(page.locator("#file-summary")).toContainText(`${fileName}: 6 people, 4 columns`);
  await page.getByRole("radio", { name: "Take roles from a column" }).check();

  await continueTo(page, "map");
  await expectMapped(page, { "First Name": "Given name", "Last Name": "Surname", Email: "E-mail", Role: "Roles" });
  await expect(page.locator("#ignored-columns")).toContainText("Every column is imported.");

  await continueTo(page, "preview");
  await expectCounts(page, { new: 6, errors: 0 });
  await expectEmails(page, [
    [EMAILS.mentor, 2],
    [EMAILS.mentee, 2],
    [EMAILS.several, 2],
  ]);
  await complete(page);
  await expectCounts(page, { created: 6, added: 6, emails: 6, skipped: 0 });

  // Mentor for everyone: only the people who were not mentors gain a role.
  await uploadFile(page, "engineering", fileName, file);
  await sameRolesForEveryone(page, ["Mentor"]);
  await continueTo(page, "map");
  await expect(page.getByLabel("Role", { exact: true })).toHaveCount(0);
  await expect(page.locator("#ignored-columns")).toContainText("Not imported: Roles");
  await continueTo(page, "preview");
  await expectCounts(page, {
    new: 0,
    joining: 0,
    "roles-added": roles.length - mentors,
    unchanged: mentors,
    errors: 0,
  });
});

test("rows with errors are shown, fixed in place, logged and skipped", async ({ page }) => {
  const run = runId();
  const fileName = `mistakes-${run}.csv`;
  const [a, b, c, d, e, f, g, h] = people("fix", run, 8);
  const file = utf8Csv([
    ["First Name", "Last Name", "Email", "Department"],
    [a.first, a.last, a.email, "Engineering"], // line 2
    [b.first, b.last, b.email, "Sales"], // 3
    ["John", "Doe", "john@", "Finance"], // 4: incomplete email
    [c.first, c.last, c.email, "People"], // 5
    [d.first, d.last, d.email, "Marketing"], // 6
    ["Dupe", "Case", c.email.toUpperCase(), "Sales"], // 7: line 5's email in capitals
    [e.first, e.last, e.email, "engineering"], // 8: near match
    [f.first, "", f.email, "Finance"], // 9: no last name
    [g.first, g.last, g.email, ""], // 10
    [h.first, h.last, h.email, "Sales"], // 11
  ]);
  const errorLines = [4, 7, 8, 9];
  const row = (line: number) => page.locator(`#preview-rows tr[data-line="${line}"]:not(.row-errors)`);
  const rowErrors = (line: number) => page.locator(`#preview-rows tr.row-errors[data-line="${line}"]`);
  const visibleRows = page
    .locator('#preview-rows tr[data-line]:not([data-line="1"]):not(.row-errors)')
    .filter({ visible: true });

  await signIn(page);
  await uploadFile(page, "engineering", fileName, file);
  await expect(page.locator("#file-summary")).toContainText(`${fileName}: 10 people, 4 columns`);
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expectCounts(page, { new: 6, errors: 4 });
  await expect(page.locator("#rows-shown")).toHaveText("10 rows shown · 4 with errors");

  for (const line of errorLines) await expect(row(line)).toHaveClass(/\bhas-errors\b/);
  await expect(row(2)).not.toHaveClass(/\bhas-errors\b/);
  await expect(rowErrors(4)).toContainText("Email");
  await expect(rowErrors(7)).toContainText("Email has to be unique");
  await expect(rowErrors(7)).toContainText("line 5");
  await expect(rowErrors(8)).toContainText("Engineering");
  await expect(rowErrors(9)).toContainText("Last Name");

  const onlyErrors = page.getByRole("checkbox", { name: "Only rows with errors" });
  await expect(visibleRows).toHaveCount(10);
  await onlyErrors.check();
  await expect(visibleRows).toHaveCount(errorLines.length);
  for (const line of errorLines) await expect(row(line)).toBeVisible();
  await onlyErrors.uncheck();
  await expect(visibleRows).toHaveCount(10);

  // Fixed in place, re-checked as typed, without leaving the page.
  await page.getByLabel("Email on line 4", { exact: true }).fill(`john.${run}@example.com`);
  await expect(countOf(page, "errors")).toHaveText("3");
  await expect(page).toHaveURL(/\/tracks\/engineering\/import\/preview$/);
  await expect(row(4)).not.toHaveClass(/\bhas-errors\b/);

  await page.getByRole("button", { name: "Use “Engineering”" }).click();
  await expect(countOf(page, "errors")).toHaveText("2");
  await expect(row(8)).not.toHaveClass(/\bhas-errors\b/);
  await expectCounts(page, { new: 8, errors: 2 });
  const license = await licenseForecast(page);
  expect(license.after).toBe(license.before + 8);

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download error log" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`errors-${fileName}`);
  const log = fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const [header, ...entries] = log.split(/\r?\n/).filter((l) => l.trim() !== "");
  expect(header.replace(/"/g, "").toLowerCase()).toBe("line,column,value,message");
  expect(entries.map((entry) => Number(entry.match(/^"?(\d+)"?,/)?.[1])).sort((x, y) => x - y)).toEqual([7, 9]);
  expect(log).toContain("Email has to be unique");
  expect(log).toContain("Last Name");
  expect(log).not.toContain("john@");
  expect(log).not.toContain("Department");

  await expect(page.getByRole("link", { name: "Upload a fixed file" })).toHaveAttribute(
    "href",
    /\/tracks\/engineering\/import$/,
  );

  await complete(page);
  await expectCounts(page, { created: 8, added: 8, emails: 8, skipped: 2 });
  const skipped = page.locator("#skipped-rows li");
  await expect(skipped).toHaveCount(2);
  await expect(skipped.filter({ hasText: /line 7\b/i })).toHaveCount(1);
  await expect(skipped.filter({ hasText: /line 9\b/i })).toHaveCount(1);

  // Another file in the same visit is previewed against the new figures.
  await page.getByRole("link", { name: "Add more users" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/import$/);
  await expect(page.locator("#file-summary")).toHaveCount(0);
  const [next] = people("next", run, 1);
  await chooseFile(page, `next-${run}.csv`, utf8Csv([["First Name", "Last Name", "Email"], [next.first, next.last, next.email]]));
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  expect(await licenseForecast(page)).toEqual({ before: license.after, after: license.after + 1 });
});

test("a Windows-1252 file is imported once the admin confirms the conversion", async ({ page }) => {
  const run = runId();
  const fileName = `excel-1252-${run}.csv`;
  const names = [
    ["José", "Núñez"],
    ["Zoë", "Brontë"],
    ["François", "Côté"],
    ["Jürgen", "Müller"],
  ];
  const file = windows1252Csv([
    ["First Name", "Last Name", "Email"],
    ...names.map(([first, last], i) => [first, last, `latin${i + 1}.${run}@example.com`]),
  ]);
  const confirmConversion = (page: Page) =>
    page.getByRole("checkbox", { name: "The converted text looks right" }).check();

  await signIn(page);
  await uploadFile(page, "leadership", fileName, file);
  await expect(page.locator("#encoding-notice")).toContainText("Windows-1252");
  await expect(page.locator("#file-sample")).toContainText("José");
  await expect(page.locator("#file-sample")).toContainText("Zoë");
  await sameRolesForEveryone(page, ["Mentor"]);
  await expect(continueButton(page)).toBeDisabled();
  await confirmConversion(page);
  await toPreview(page);
  await expectCounts(page, { new: 4, errors: 0 });
  await expect(page.locator("#preview-rows")).toContainText("Brontë");
  await complete(page);
  await expectCounts(page, { created: 4, added: 4, skipped: 0 });

  await uploadFile(page, "leadership", fileName, file);
  await confirmConversion(page);
  await sameRolesForEveryone(page, ["Mentor"]);
  await toPreview(page);
  await expectCounts(page, { new: 0, unchanged: 4, errors: 0 });
});

test("a file over the 1,000-row limit is refused", async ({ page }) => {
  test.setTimeout(60_000);
  const run = runId();
  const file = utf8Csv([
    ["First Name", "Last Name", "Email"],
    ...people("big", run, 1001).map((p) => [p.first, p.last, p.email]),
  ]);

  await signIn(page);
  await uploadFile(page, "engineering", `big-${run}.csv`, file);
  await expect(page.locator('.file-error[role="alert"]')).toContainText(
    "1,001 rows of people, but one upload may hold at most 1,000",
  );
  await sameRolesForEveryone(page, ["Mentee"]);
  await expect(continueButton(page)).toBeDisabled();
});

test("a 1,000-row preview draws only the rows in view, scrolls to the last and fixes a row deep in the file", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const run = runId();
  const rows = people("long", run, 1000).map((p) => [p.first, p.last, p.email]);
  rows[899][2] = "long900-at-example.com"; // line 901
  const file = utf8Csv([["First Name", "Last Name", "Email"], ...rows]);
  const drawn = page.locator("#preview-rows tbody[data-index]");
  const row = (line: number) => page.locator(`#preview-rows tr[data-line="${line}"]:not(.row-errors)`);

  await signIn(page);
  await uploadFile(page, "engineering", `long-${run}.csv`, file);
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expectCounts(page, { new: 999, errors: 1 });
  await expect(page.locator("#rows-shown")).toHaveText("1,000 rows shown · 1 with errors");
  await expect(row(2)).toBeVisible();
  expect(await drawn.count()).toBeLessThan(100);

  // Scrolled to the end, the last line is drawn and the first ones are not.
  await page.locator(".rows-scroller").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(row(1001)).toBeVisible();
  await expect(row(2)).toHaveCount(0);
  expect(await drawn.count()).toBeLessThan(100);

  await page.getByRole("checkbox", { name: "Only rows with errors" }).check();
  await expect(drawn).toHaveCount(1);
  await page.getByRole("textbox", { name: "Email on line 901" }).fill(`long900.${run}@example.com`);
  await expectCounts(page, { new: 1000, errors: 0 });
  // Every row can be imported now; the demo licence (250) is what stops it.
  await expect(page.getByRole("button", { name: "Complete: import 1,000 rows" })).toBeDisabled();
  await expect(page.locator(".actions .hint[role=status]")).toContainText("over the licence");
});

test("a semicolon-separated file keeps the commas inside its cells", async ({ page }) => {
  const run = runId();
  const fileName = `semicolons-${run}.csv`;
  const titles = ["Engineer, Platform", "Manager, Sales", "Analyst"];
  const file = utf8Csv(
    [
      ["First Name", "Last Name", "Email", "Job Title", "Start Date"],
      ...people("semi", run, titles.length).map((p, i) => [p.first, p.last, p.email, titles[i], `2024-0${i + 1}-15`]),
    ],
    ";",
  );

  await signIn(page);
  await uploadFile(page, "engineering", fileName, file);
  await expect(page.locator("#file-summary")).toContainText(
    `${fileName}: 3 people, 5 columns, separated by semicolons`,
  );
  await expect(page.getByLabel("Separator").locator("option:checked")).toHaveText("Semicolon");
  await sameRolesForEveryone(page, ["Mentor"]);
  await continueTo(page, "map");
  await expectMapped(page, { Email: "Email", "Job Title": "Job Title", "Start Date": "Start Date" });
  await continueTo(page, "preview");
  await expectCounts(page, { new: 3, errors: 0 });
  await expect(page.locator('#preview-rows tr[data-line="2"]')).toContainText("Engineer, Platform");
  await complete(page);
  await expectCounts(page, { created: 3, added: 3, emails: 3, skipped: 0 });
});

test("a later step opened without a file goes back to the upload", async ({ page }) => {
  await signIn(page);
  for (const step of ["map", "preview"]) {
    await page.goto(`/tracks/engineering/import/${step}`);
    await expect(page).toHaveURL(/\/tracks\/engineering\/import$/);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1, name: "Add users from CSV" })).toBeVisible();
  }
});

test("a file dropped on the page is read like a chosen one", async ({ page }) => {
  await signIn(page);
  await openUpload(page, "engineering");
  const text = "First Name\tLast Name\tEmail\r\nAda\tLovelace\tada@example.com\r\n";
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "dropped.tsv", { type: "text/tab-separated-values" }));
    return transfer;
  }, text);
  await page.locator(".drop-zone").dispatchEvent("drop", { dataTransfer });
  await expect(page.locator("#file-summary")).toContainText("dropped.tsv: 1 person, 3 columns, separated by tabs");
});

test("a wide file's preview scrolls inside its card, never the page, and its messages wrap in view", async ({ page }) => {
  const run = runId();
  const [a, b, c] = people("wide", run, 3);
  const about = "Leads the platform team and mentors new engineers on reliability, on-call and design reviews";
  const file = utf8Csv([
    ["First Name", "Last Name", "Email", "Job Title", "Employee ID", "Department", "Languages", "Goals", "Start Date", "Years of Experience", "About Me"],
    [a.first, a.last, a.email, "Staff Engineer", "000123", "Engineering", "English, French", "Growth, Leadership", "2024-03-05", "12", about],
    [b.first, b.last, "not-an-email-address-at-all", "Principal Engineer", "000124", "Enginering", "Klingon", "Growth", "2024-02-30", "many", about],
    [c.first, c.last, c.email, "Engineering Manager", "000125", "Sales", "English", "Leadership", "2023-11-20", "7", about],
  ]);

  await signIn(page);
  await uploadFile(page, "engineering", `wide-${run}.csv`, file);
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expect(page.locator('#preview-rows tr.row-errors[data-line="3"]')).toBeVisible();

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
  const scroller = page.locator(".rows-scroller");
  const inner = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(inner.scroll, "the table is wider than its card and scrolls inside it").toBeGreaterThan(inner.client);

  // Every message of the row ends inside the scroller's visible width.
  const box = await scroller.boundingBox();
  const messages = page.locator('#preview-rows tr.row-errors[data-line="3"] li');
  expect(await messages.count()).toBeGreaterThanOrEqual(4);
  for (const message of await messages.all()) {
    const m = await message.boundingBox();
    expect(m!.x + m!.width, `"${await message.innerText()}" is cut at the right edge`).toBeLessThanOrEqual(box!.x + box!.width + 1);
  }
});
