// A track's system emails (docs/system-emails.md): edit a template with its live preview,
// switch one off, and see in the outbox who an import emailed. The test
// puts the templates back as they were, since both projects share a server.
import { Page } from "@playwright/test";
import { test, expect, hydrated, signIn } from "./fixtures";
import { people, utf8Csv } from "./csv-files";
import { runId, chooseFile, toPreview, complete } from "./wizard";

const MENTEE = '[data-template="mentee"]';
const MENTOR = '[data-template="mentor"]';

async function openEmails(page: Page): Promise<void> {
  await page.goto("/tracks/leadership/emails");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "System emails" })).toBeVisible();
}

async function saveTemplate(page: Page, card: string, subject: string | null, on: boolean): Promise<void> {
  const section = page.locator(card);
  if (subject !== null) await section.getByLabel("Subject").fill(subject);
  await section.getByRole("checkbox", { name: "Send this email" }).setChecked(on);
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("status")).toHaveText(on ? "Saved: this email is on." : "Saved: this email is off; nobody gets it.");
}

test("an edited mentee email and a switched-off mentor email: the outbox shows mentees only", async ({ page }) => {
  test.setTimeout(60_000);
  const run = runId();
  const [mentor, mentee] = people("mailrole", run, 2);
  await signIn(page);
  await openEmails(page);

  const card = page.locator(MENTEE);
  // A typo in a placeholder is caught before saving.
  await card.getByLabel("Subject").fill("Welcome, {firstname}!");
  await expect(card.getByRole("alert")).toContainText("“{firstname}” is not a placeholder");
  await expect(card.getByRole("button", { name: "Save" })).toBeDisabled();
  // The preview fills the placeholders for a sample person.
  await card.getByLabel("Subject").fill("Welcome to {track_name}, {first_name}!");
  await expect(page.locator("#preview-mentee strong")).toHaveText("Welcome to Leadership Circle, Ada!");
  await saveTemplate(page, MENTEE, null, true);
  await saveTemplate(page, MENTOR, null, false);

  // A file with one mentor and one mentee.
  await page.goto("/tracks/leadership/import");
  await hydrated(page);
  await chooseFile(
    page,
    `roles-${run}.csv`,
    utf8Csv([
      ["First Name", "Last Name", "Email", "Role"],
      [mentor.first, mentor.last, mentor.email, "Mentor"],
      [mentee.first, mentee.last, mentee.email, "Mentee"],
    ]),
  );
  await page.getByRole("radio", { name: "Take roles from a column" }).check();
  await toPreview(page);
  await expect(page.locator("#email-forecast")).toContainText("off, so 1 people will not be emailed");
  await complete(page);

  await openEmails(page);
  await expect(page.locator(`#outbox-list tr[data-to="${mentee.email}"]`)).toContainText("Queued");
  await expect(page.locator(`#outbox-list tr[data-to="${mentor.email}"]`)).toHaveCount(0);

  // Put the templates back for the other tests.
  await saveTemplate(page, MENTEE, "Welcome to {track_name}", true);
  await saveTemplate(page, MENTOR, null, true);
});
