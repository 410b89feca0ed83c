// The global user repository and the dormant import (docs/dormant-and-active.md; issue 4).
// What the database holds is read back through the Users page: each user's
// state, tracks and roles, and the licence meter at its top.
//
// Both projects (desktop, phone) run against one server and database, so
// every email carries the project name and a timestamp.
import * as fs from "node:fs";
import { Page } from "@playwright/test";
import { test, expect, hydrated, signIn } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import {
  runId,
  chooseFile,
  sameRolesForEveryone,
  toPreview,
  complete,
  expectCounts,
  licenseForecast,
  licencesInUse,
  thousands,
  watchPace,
  pacesSeen,
} from "./wizard";

async function openUsers(page: Page): Promise<void> {
  await page.goto("/users");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByLabel("Search by name or email").fill(text);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(text)}`));
}

/** The listed user with this email (a table row, or a card on a phone). */
const userRow = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);

async function downloadTemplate(page: Page): Promise<string> {
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download a CSV template" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("roster-template.csv");
  return fs.readFileSync(await download.path(), "utf8");
}

test("dormant users join the repository but not the licence, until a track import adds one", async ({ page }) => {
  test.setTimeout(60_000);
  const run = runId();
  const team = people("dormant", run, 3);
  const file = utf8Csv([
    ["First Name", "Last Name", "Email", "Department"],
    ...team.map((p, i) => [p.first, p.last, p.email, i === 0 ? "Sales" : ""]),
  ]);

  await signIn(page);
  await openUsers(page);
  const before = await licencesInUse(page);

  await page.goto("/import");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Add dormant users from CSV" })).toBeVisible();
  await expect(page.locator("#dormant-note")).toContainText("never emailed");
  await expect(page.getByRole("radio", { name: "Same roles for everyone" })).toHaveCount(0);
  await chooseFile(page, `dormant-${run}.csv`, file);
  await toPreview(page);
  await expectCounts(page, { new: 3, unchanged: 0, errors: 0 });
  await expect(page.locator('[data-count="new"]')).toContainText("new dormant users");
  await expect(page.locator('[data-count="joining"]')).toHaveCount(0);
  await expect(page.locator("#license-forecast")).toContainText(`Licence use unchanged: ${thousands(before)} of 250`);
  await expect(page.locator("#email-forecast")).toContainText("No emails will be sent");
  await complete(page);
  await expectCounts(page, { created: 3, updated: 0, skipped: 0 });
  await expect(page.locator('[data-count="emails"]')).toHaveCount(0);

  await page.getByRole("link", { name: "See users" }).click();
  await expect(page).toHaveURL(/\/users$/);
  expect(await licencesInUse(page)).toBe(before);
  await search(page, run);
  await expect(page.locator("#user-count")).toHaveText("1–3 of 3 users");
  for (const p of team) {
    const row = userRow(page, p.email);
    await expect(row).toContainText(`${p.first} ${p.last}`);
    await expect(row.locator('[data-label="State"]')).toHaveText("Dormant");
    await expect(row.locator('[data-label="Tracks and roles"]')).toHaveText(/No track/);
  }
  // The filters keep the search, and apply as soon as they change.
  await page.getByLabel("Show").selectOption({ label: "Active only" });
  await expect(page).toHaveURL(/state=active/);
  await expect(page.locator("#user-count")).toHaveText("No users match: change the search or the filters.");
  await page.getByLabel("Show").selectOption({ label: "Dormant only" });
  await expect(page.locator("#user-count")).toHaveText("1–3 of 3 users");

  // One user in full.
  await userRow(page, team[0].email).getByRole("link", { name: `${team[0].first} ${team[0].last}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${team[0].first} ${team[0].last}` })).toBeVisible();
  await expect(page.locator("#user-state-text")).toHaveText("Dormant");
  await expect(page.locator("#profile-answers")).toContainText("Sales");

  // The track import finds the dormant user and makes them active.
  await page.goto("/tracks/engineering/import");
  await hydrated(page);
  await chooseFile(
    page,
    `activate-${run}.csv`,
    utf8Csv([
      ["First Name", "Last Name", "Email"],
      [team[0].first, team[0].last, team[0].email],
    ]),
  );
  await sameRolesForEveryone(page, ["Mentee"]);
  await toPreview(page);
  await expectCounts(page, { new: 0, joining: 1, errors: 0 });
  expect(await licenseForecast(page)).toEqual({ before, after: before + 1 });
  await complete(page);
  await expectCounts(page, { created: 0, added: 1 });

  await openUsers(page);
  expect(await licencesInUse(page)).toBe(before + 1);
  await search(page, run);
  await expect(userRow(page, team[0].email).locator('[data-label="State"]')).toHaveText("Active in 1 track");
  await expect(userRow(page, team[0].email)).toContainText("Engineering Mentoring: Mentee");
  await expect(userRow(page, team[1].email).locator('[data-label="State"]')).toHaveText("Dormant");
});

test("the CSV template follows the live profile fields and passes its own checks", async ({ page }) => {
  const run = runId();
  await signIn(page);
  await page.goto("/import");
  await hydrated(page);
  await expect(page.locator("#choice-answers")).toContainText("Engineering · Sales · Marketing · Finance · People");

  const template = await downloadTemplate(page);
  expect(template.charCodeAt(0), "a byte-order mark, so Excel reads UTF-8").toBe(0xfeff);
  const [header, example] = template.slice(1).split("\r\n");
  expect(header).toBe(
    "First Name,Last Name,Email,Job Title,Employee ID,Department,Languages,Goals,Start Date,Years of Experience,About Me",
  );

  // Filled in as it comes (with an address of this run), it maps itself and has no error.
  const filled = `${header}\r\n${example.replace("ada.lovelace@example.com", `ada.${run}@example.com`)}\r\n`;
  await chooseFile(page, "roster-template.csv", Buffer.from(filled, "utf8"));
  await toPreview(page);
  await expectCounts(page, { new: 1, errors: 0 });

  // At a track with roles from a column, the template has a Role column.
  await page.goto("/tracks/engineering/import");
  await hydrated(page);
  await page.getByRole("radio", { name: "Take roles from a column" }).check();
  await expect(page.locator("#choice-answers")).toContainText("Mentor · Mentee · Teacher · Admin");
  expect((await downloadTemplate(page)).split("\r\n")[0]).toMatch(/^\uFEFFFirst Name,Last Name,Email,Role,Job Title,/);
});

test("a large dormant import gives its pace while the rows are sent", async ({ page }) => {
  test.setTimeout(90_000);
  const run = runId();
  // Two batches: the pace is known once the first is in.
  const file = utf8Csv([["First Name", "Last Name", "Email"], ...people("paced", run, 1000).map((p) => [p.first, p.last, p.email])]);
  await signIn(page);
  await page.goto("/import");
  await hydrated(page);
  await chooseFile(page, `paced-${run}.csv`, file);
  await toPreview(page);
  await expectCounts(page, { new: 1000, errors: 0 });
  await watchPace(page);
  await complete(page);
  await expectCounts(page, { created: 1000, skipped: 0 });
  const paces = await pacesSeen(page);
  // After the first batch, the time left; after the last, only the pace.
  expect(paces[0], "the pace was shown between the batches").toMatch(/^[\d,]+ rows a second, (a few seconds|about [\d a-z]+) left\.$/);
  for (const pace of paces.slice(1)) {
    expect(pace).toMatch(/^[\d,]+ rows a second(, (a few seconds|about [\d a-z]+) left)?\.$/);
  }
});
