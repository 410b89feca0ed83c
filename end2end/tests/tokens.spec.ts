// API tokens (docs/api.md): a global admin creates a token for chosen
// tracks, sees it once, finds it listed without it, and revokes it.
import { test, expect, expectAccessible, fitsScreen, hydrated, signIn } from "./fixtures";
import { runId } from "./wizard";

test("a token is created for a track, shown once, listed and revoked", async ({ page, request }, info) => {
  const name = `Feed ${runId()}`;
  await signIn(page);
  await page.goto("/tokens");
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  await hydrated(page);

  const form = page.locator("#new-token");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Engineering Mentoring").check();
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.locator("#created-token code");
  await expect(shown).toHaveText(/^roster_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent()) ?? "";
  const item = page.locator(`#api-tokens li[data-token="${name}"]`);
  await expect(item).toContainText("May add people to: Engineering Mentoring");
  await expect(item).toContainText("Never used");
  await expectAccessible(page);
  await fitsScreen(page, info, "tokens");

  // A script calling with it is answered as Engineering's admin.
  const call = (track: string) =>
    request.post("/api/import_context", {
      headers: { Authorization: `Bearer ${token}` },
      data: { track_slug: track, dormant: false },
    });
  expect((await call("engineering")).status()).toBe(200);
  expect((await call("leadership")).status()).toBe(403);

  // Shown once: a fresh page lists the token without it.
  await page.reload();
  await hydrated(page);
  await expect(page.locator("body")).not.toContainText(token);
  await expect(item).toContainText("Last used");
  await item.getByRole("button", { name: `Revoke “${name}”` }).click();
  await expect(item.locator(".revoked")).toContainText("Revoked");
  expect((await call("engineering")).status()).toBe(401);
});
