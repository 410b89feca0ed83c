// Steps through the CSV import wizard as an admin does, and reads what its
// pages say: shared by the track import and the dormant import tests.
import { Page } from "@playwright/test";
import { test, expect, hydrated } from "./fixtures";

export const TRACKS = { engineering: "Engineering Mentoring", leadership: "Leadership Circle" } as const;
export type Slug = keyof typeof TRACKS;

export const ROLES = ["Mentor", "Mentee", "Teacher", "Admin"] as const;
export type Role = (typeof ROLES)[number];

export const EMAILS = {
  mentor: "Notification to new mentor added by administrator",
  mentee: "Notification to new mentee added by administrator",
  several: "Notification to new teacher or a user with multiple roles added",
};

export const NOT_IMPORTED = "— not imported —";

/** A count as the pages write it: "1,000", a comma every three digits. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A count read back from a page: "1,000" → 1000. */
export function countFrom(text: string): number {
  return Number(text.replace(/,/g, ""));
}

export function runId(): string {
  return `${test.info().project.name}-${Date.now()}`;
}

export async function openUpload(page: Page, slug: Slug): Promise<void> {
  await page.goto(`/tracks/${slug}/import`);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Add users from CSV" })).toBeVisible();
}

export async function chooseFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.locator("#csv-file").setInputFiles({ name, mimeType: "text/csv", buffer });
}

export async function uploadFile(page: Page, slug: Slug, name: string, buffer: Buffer): Promise<void> {
  await openUpload(page, slug);
  await chooseFile(page, name, buffer);
}

/** Ticks exactly `roles` (none: every box unticked). */
export async function sameRolesForEveryone(page: Page, roles: Role[]): Promise<void> {
  await page.getByRole("radio", { name: "Same roles for everyone" }).check();
  for (const role of ROLES) {
    await page.getByRole("checkbox", { name: role, exact: true }).setChecked(roles.includes(role));
  }
}

export const continueButton = (page: Page) => page.getByRole("button", { name: "Continue", exact: true });

export const STEP_HEADINGS = { map: "Map columns", preview: "Preview" } as const;

export async function continueTo(page: Page, step: keyof typeof STEP_HEADINGS): Promise<void> {
  await continueButton(page).click();
  await expect(page).toHaveURL(new RegExp(`/import/${step}$`));
  await expect(page.getByRole("heading", { level: 1, name: STEP_HEADINGS[step], exact: true })).toBeVisible();
}

/** Upload → Map (keeping the suggested pairs) → Preview. */
export async function toPreview(page: Page): Promise<void> {
  await continueTo(page, "map");
  await continueTo(page, "preview");
}

export async function complete(page: Page): Promise<void> {
  const button = page.getByRole("button", { name: /^Complete/ });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page).toHaveURL(/\/import\/done$/);
  await expect(page.getByRole("heading", { level: 1, name: "Import complete" })).toBeVisible();
}

/** A number on the preview (`#counts`) or done (`#done-counts`) page. */
export const countOf = (page: Page, key: string) => page.locator(`[data-count="${key}"] strong`);

export async function expectCounts(page: Page, counts: Record<string, number>): Promise<void> {
  for (const [key, n] of Object.entries(counts)) {
    await expect(countOf(page, key), `count "${key}"`).toHaveText(thousands(n));
  }
}

/** Map page: each target's select shows the header paired with it. */
export async function expectMapped(page: Page, pairs: Record<string, string>): Promise<void> {
  for (const [target, header] of Object.entries(pairs)) {
    await expect(page.getByLabel(target, { exact: true }).locator("option:checked"), target).toHaveText(header);
  }
}

/** Preview page: exactly these system emails go out, with these counts. */
export async function expectEmails(page: Page, expected: Array<[string, number]>): Promise<void> {
  const items = page.locator("#email-forecast li");
  await expect(items).toHaveCount(expected.length);
  for (const [title, n] of expected) {
    await expect(items.filter({ hasText: new RegExp(`${title}: ${thousands(n)}(?!,?\\d)`) }), title).toHaveCount(1);
  }
}

export async function licenseForecast(page: Page): Promise<{ before: number; after: number }> {
  const pattern = /Active users: ([\d,]+) → ([\d,]+) of 250/;
  const forecast = page.locator("#license-forecast");
  await expect(forecast).toHaveText(pattern);
  const [, before, after] = (await forecast.innerText()).replace(/\s+/g, " ").match(pattern)!;
  return { before: countFrom(before), after: countFrom(after) };
}

const LICENCE = /([\d,]+) of 250 licences in use/;

/** The licence meter on the page shown. */
export async function licencesInUse(page: Page): Promise<number> {
  const label = page.locator("#license-label");
  await expect(label).toHaveText(LICENCE);
  return countFrom((await label.innerText()).match(LICENCE)![1]);
}

/** Reads "{n} members in {Track name}." on the members page shown. */
export async function readMemberCount(page: Page, slug: Slug): Promise<number> {
  const pattern = new RegExp(`([\\d,]+) members? in ${TRACKS[slug]}\\.`);
  const sentence = page.getByText(pattern);
  await expect(sentence).toBeVisible();
  return countFrom((await sentence.innerText()).match(pattern)![1]);
}

export async function memberCount(page: Page, slug: Slug): Promise<number> {
  await page.goto(`/tracks/${slug}/members`);
  await hydrated(page);
  return readMemberCount(page, slug);
}

/** Notes, every frame until the done page, what the line under the
 * import's progress bar says (its rows a second and time left). */
export async function watchPace(page: Page): Promise<void> {
  await page.evaluate(() => {
    const said: string[] = [];
    (window as any).__paces = said;
    const look = () => {
      const text = document.querySelector("#import-pace")?.textContent?.trim();
      if (text && said[said.length - 1] !== text) said.push(text);
      if (!location.pathname.endsWith("/done")) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
}

/** What `watchPace` saw, in order. */
export async function pacesSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__paces ?? []);
}
