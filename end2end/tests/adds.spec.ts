// Adding people at a track without a file (docs/adding.md): one by one, and from
// the global pool with a selection that survives filters, searches and
// pages. Each page is checked with axe-core, and on the phone project a
// screenshot of each is saved with the test's results.
//
// Both projects (desktop, phone) run against one server and database, so
// every email carries the project name and a timestamp.
import { Page } from "@playwright/test";
import { test, expect, hydrated, signIn, expectAccessible, fitsScreen } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import { runId, chooseFile, sameRolesForEveryone, toPreview, complete } from "./wizard";

async function importCsv(page: Page, url: string, name: string, rows: string[][], mentor = false): Promise<void> {
  await page.goto(url);
  await hydrated(page);
  await chooseFile(page, name, utf8Csv(rows));
  if (mentor) await sameRolesForEveryone(page, ["Mentor"]);
  await toPreview(page);
  await complete(page);
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByLabel("Search by name or email").fill(text);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(text)}`));
}

const poolRow = (page: Page, email: string) => page.locator(`li.pool-row[data-email="${email}"]`);

test("people picked from the pool across filters and searches join as mentees", async ({ page }, info) => {
  test.setTimeout(90_000);
  const run = runId();
  const dormant = people("pooldormant", run, 3);
  const leaders = people("poolleader", run, 2);
  const header = ["First Name", "Last Name", "Email"];
  await signIn(page);
  await importCsv(page, "/import", `dormant-${run}.csv`, [header, ...dormant.map((p) => [p.first, p.last, p.email])]);
  await importCsv(
    page,
    "/tracks/leadership/import",
    `leaders-${run}.csv`,
    [header, ...leaders.map((p) => [p.first, p.last, p.email])],
    true,
  );

  await page.goto("/tracks/engineering/add-users");
  await hydrated(page);
  await page.getByRole("link", { name: "Choose people" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add users from the global level" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  // Dormant only, searched by this run: pick two.
  await page.getByLabel("Show").selectOption({ label: "Dormant only" });
  await expect(page).toHaveURL(/state=dormant/);
  await search(page, run);
  await expect(page.locator("#user-count")).toHaveText("1–3 of 3 users");
  await poolRow(page, dormant[0].email).getByRole("checkbox").check();
  await poolRow(page, dormant[1].email).getByRole("checkbox").check();
  await expect(page.locator("#selected-count")).toHaveText("2 selected");

  // Another filter: mentors of Leadership Circle; the selection stays.
  await page.getByLabel("Show").selectOption({ label: "Everyone" });
  await page.getByLabel("Track").selectOption({ label: "Leadership Circle" });
  await page.getByLabel("Role").selectOption({ label: "Mentor" });
  await expect(page).toHaveURL(/role=Mentor/);
  await expect(page.locator("#user-count")).toHaveText("1–2 of 2 users");
  await expect(poolRow(page, leaders[0].email)).toContainText("Leadership Circle (Mentor)");
  await poolRow(page, leaders[0].email).getByRole("checkbox").check();
  await expect(page.locator("#selected-count")).toHaveText("3 selected");
  await fitsScreen(page, info, "pool");

  // Review the tray: remove one, keep three after adding one back.
  await page.getByRole("button", { name: "Review" }).click();
  const tray = page.locator("#selection-tray");
  await expect(tray.locator("li")).toHaveCount(3);
  await tray.getByRole("button", { name: `Remove ${dormant[1].first} ${dormant[1].last}` }).click();
  await expect(page.locator("#selected-count")).toHaveText("2 selected");
  await page.getByLabel("Track").selectOption({ label: "All tracks" });
  await page.getByLabel("Role").selectOption({ label: "Any role" });
  await search(page, dormant[1].email);
  await poolRow(page, dormant[1].email).getByRole("checkbox").check();
  await expect(page.locator("#selected-count")).toHaveText("3 selected");
  await expect(tray.locator("li")).toHaveCount(3);
  await fitsScreen(page, info, "pool-tray");

  await page.getByRole("button", { name: "Actions: Add to program" }).click();
  await page.locator("#pool-roles").getByRole("checkbox", { name: "Mentee" }).check();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Add 3 people" }).click();
  const summary = page.locator("#pool-summary");
  await expect(summary).toContainText("Added 3 people");
  await expect(page.locator("#selected-count")).toHaveText("0 selected");
  await fitsScreen(page, info, "pool-summary");

  // Added people are marked and cannot be picked again.
  await search(page, run);
  await expect(poolRow(page, dormant[0].email)).toContainText("In this track");
  await expect(poolRow(page, dormant[0].email).getByRole("checkbox")).toBeDisabled();

  await summary.getByRole("link", { name: "See the members" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/members$/);
  await hydrated(page);
  await search(page, run);
  await expect(page.locator("#user-count")).toHaveText("1–3 of 3 users");
  for (const p of [dormant[0], dormant[1], leaders[0]]) {
    await expect(page.locator(`tr[data-email="${p.email}"] [data-label="Roles here"]`)).toHaveText("Mentee");
  }
  await expectAccessible(page);
  await fitsScreen(page, info, "members");
});

test("select all matching picks everyone the search finds except members", async ({ page }) => {
  const run = runId();
  const team = people("poolall", run, 4);
  await signIn(page);
  await importCsv(page, "/import", `all-${run}.csv`, [["First Name", "Last Name", "Email"], ...team.map((p) => [p.first, p.last, p.email])]);
  await page.goto("/tracks/leadership/add-from-pool");
  await hydrated(page);
  await search(page, run);
  await page.getByRole("button", { name: "Select all 4 matching" }).click();
  await expect(page.locator("#selected-count")).toHaveText("4 selected");
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.locator("#selection-tray li")).toHaveText(team.map((p) => new RegExp(`^${p.first} ${p.last}`)));
  // One of them joins; selecting all again leaves the member out.
  await page.getByRole("button", { name: "Clear the selection" }).click();
  await page.locator(`li.pool-row[data-email="${team[0].email}"]`).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Actions: Add to program" }).click();
  await page.locator("#pool-roles").getByRole("checkbox", { name: "Teacher" }).check();
  await page.getByRole("button", { name: "Add 1 person" }).click();
  await expect(page.locator("#pool-summary")).toContainText("Added 1 person");
  await expect(page.getByRole("button", { name: "Select all 4 matching" })).toBeVisible();
  await page.getByRole("button", { name: "Select all 4 matching" }).click();
  await expect(page.locator("#selected-count")).toHaveText("3 selected");
});

/** Step 1 of the manual add: email and one role. */
async function stepOne(page: Page, email: string, role: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.locator("#email-step").getByRole("checkbox", { name: role }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "2. Profile" })).toBeVisible();
}

test("three people added by hand: add another twice, then finish", async ({ page }, info) => {
  test.setTimeout(60_000);
  const run = runId();
  const [ann, ben, cai] = people("manual", run, 3);
  await signIn(page);
  // Cai is already in the platform, dormant.
  await importCsv(page, "/import", `cai-${run}.csv`, [
    ["First Name", "Last Name", "Email", "Department"],
    [cai.first, cai.last, cai.email, "Sales"],
  ]);

  await page.goto("/tracks/engineering/add-users");
  await hydrated(page);
  await page.getByRole("link", { name: "Add a person" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add a person" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await fitsScreen(page, info, "add-person-step1");

  // Nothing goes on without a proper email and a role.
  await page.getByLabel("Email").fill("ann@");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#email-step .field-error")).toHaveCount(2);

  await page.getByLabel("Email").fill(ann.email);
  await page.locator("#email-step").getByRole("checkbox", { name: "Mentee" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "2. Profile" })).toBeVisible();
  await expect(page.locator("#known-person")).toHaveCount(0);
  // The same checks as a file: required names, exact options.
  await page.getByRole("button", { name: "Publish and add another" }).click();
  await expect(page.locator("#profile-step .field-error").first()).toContainText("First Name");
  await page.getByLabel("First Name").fill(ann.first);
  await page.getByLabel("Last Name").fill(ann.last);
  await page.getByLabel("Department").selectOption("Engineering");
  const languages = page.getByRole("group", { name: "Languages" });
  await languages.getByRole("checkbox", { name: "French" }).check();
  await languages.getByRole("checkbox", { name: "English" }).check();
  const goals = page.getByRole("group", { name: "Goals" });
  await goals.getByRole("checkbox", { name: "Leadership" }).check();
  await goals.getByRole("checkbox", { name: "Career growth" }).check();
  await goals.getByRole("button", { name: "Move Career growth up" }).click();
  await expect(goals.locator(".ordered-choices .choice-name")).toHaveText(["Career growth", "Leadership"]);
  await page.getByLabel("Start Date").fill("2026-02-01");
  await page.getByLabel("Years of Experience").fill("4");
  await expectAccessible(page);
  await fitsScreen(page, info, "add-person-step2");
  await page.getByRole("button", { name: "Publish and add another" }).click();
  await expect(page.locator("#added-confirmation")).toContainText(`${ann.first} ${ann.last}`);
  await expect(page.getByLabel("Email")).toHaveValue("");

  await stepOne(page, ben.email, "Mentor");
  await page.getByLabel("First Name").fill(ben.first);
  await page.getByLabel("Last Name").fill(ben.last);
  await page.getByRole("button", { name: "Publish and add another" }).click();
  await expect(page.locator("#added-confirmation")).toContainText(`${ben.first} ${ben.last}`);

  // An email already in the platform is recognised and pre-filled.
  await stepOne(page, cai.email.toUpperCase(), "Mentee");
  await expect(page.locator("#known-person")).toContainText("already in the platform as a dormant user");
  await expect(page.getByLabel("First Name")).toHaveValue(cai.first);
  await expect(page.getByLabel("Department")).toHaveValue("Sales");
  await page.getByRole("button", { name: "Publish and finish" }).click();
  await expect(page).toHaveURL(/\/tracks\/engineering\/members$/);

  await hydrated(page);
  await search(page, run);
  await expect(page.locator("#user-count")).toHaveText("1–3 of 3 users");
  const rolesOf = (email: string) => page.locator(`tr[data-email="${email}"] [data-label="Roles here"]`);
  await expect(rolesOf(ann.email)).toHaveText("Mentee");
  await expect(rolesOf(ben.email)).toHaveText("Mentor");
  await expect(rolesOf(cai.email)).toHaveText("Mentee");
});
