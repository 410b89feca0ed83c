// Shared by every test: any console error or uncaught exception fails the
// test, unless the test says which ones it expects.
import { test as base, expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import * as fs from "node:fs";
import * as path from "node:path";

export const ADMIN_EMAIL = "ann@example.com";
export const ADMIN_PASSWORD = "correct horse battery";

export function setupLink(): string {
  return fs.readFileSync(path.join(__dirname, "..", ".run", "setup-link.txt"), "utf8").trim();
}

type Fixtures = { allowConsoleErrors: (pattern: RegExp) => void };

export const test = base.extend<Fixtures>({
  allowConsoleErrors: [
    async ({ page }, use) => {
      const allowed: RegExp[] = [];
      const errors: string[] = [];
      const failedRequests: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(`${msg.text()} [at ${page.url()}]`);
      });
      page.on("pageerror", (err) => errors.push(`uncaught: ${err.message}`));
      // Chromium's console line for a failed request does not name it.
      page.on("response", (response) => {
        if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
      });
      await use((pattern) => allowed.push(pattern));
      const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
      expect(unexpected, `console errors (failed requests: ${failedRequests.join(", ") || "none"})`).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the page has hydrated, so clicks reach the app's handlers. */
export async function hydrated(page: Page): Promise<void> {
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
}

export async function signIn(page: Page): Promise<void> {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
}

/** No serious or critical accessibility violation on the page shown. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, "axe-core violations").toEqual([]);
}

/** Nothing scrolls sideways, on a desktop as on a phone; on a phone a
 * screenshot is kept. */
export async function fitsScreen(page: Page, info: TestInfo, name: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  if (info.project.name === "phone") await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}
