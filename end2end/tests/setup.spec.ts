import { test, expect, hydrated, setupLink, ADMIN_EMAIL, ADMIN_PASSWORD } from "./fixtures";

test("the first start's setup link creates the first global admin, once", async ({ page, allowConsoleErrors }) => {
  await page.goto(setupLink());
  await hydrated(page);
  await expect(page.getByText("this account becomes the first global admin")).toBeVisible();

  // A mismatch is explained and keeps the link usable.
  await page.getByLabel("Your email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel("Type it again").fill("something else entirely");
  allowConsoleErrors(/status of 422/);
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The two passwords differ");

  await page.getByLabel("Type it again").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByText(ADMIN_EMAIL)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await page.goto(setupLink());
  await expect(page.getByRole("alert")).toContainText("already been used");
});
