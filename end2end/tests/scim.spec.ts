// SCIM provisioning (docs/scim.md): an identity provider's changes are
// imports in the history, and a deactivation is undone from its page.
import { test, expect, expectAccessible, fitsScreen, hydrated, signIn } from "./fixtures";
import { runId } from "./wizard";

test("a provider's changes are in the history, and a deactivation is undone there", async ({ page, request }, info) => {
  const run = runId();
  const email = `scim.${run}@example.com`;
  await signIn(page);
  await page.goto("/tokens");
  await hydrated(page);
  const form = page.locator("#new-token");
  await form.getByLabel("Name").fill(`Okta ${run}`);
  await form.getByLabel("The global level and every track").check();
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.locator("#created-token code");
  await expect(shown).toHaveText(/^roster_/);
  const token = (await shown.textContent()) ?? "";
  const scim = (method: string, path: string, body?: object) =>
    request.fetch(`/scim/v2${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
      data: body === undefined ? undefined : JSON.stringify(body),
    });
  const patchOp = (operations: object[]) => ({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: operations,
  });

  const created = await scim("POST", "/Users", {
    userName: email,
    name: { givenName: "Sam", familyName: `Okta${run}` },
    emails: [{ value: email, primary: true }],
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  const joined = await scim("PATCH", "/Groups/engineering:mentee", patchOp([{ op: "add", path: "members", value: [{ value: id }] }]));
  expect(joined.status()).toBe(200);
  const off = await scim("PATCH", `/Users/${id}`, patchOp([{ op: "replace", value: { active: false } }]));
  expect(off.status()).toBe(200);

  await page.goto("/history");
  await hydrated(page);
  await expect(page.locator("#import-history tr", { hasText: `SCIM provisioning: SCIM: ${email}` })).toContainText("1 created");
  const left = page.locator("#import-history tr", { hasText: "SCIM provisioning: Left every track" }).first();
  await expect(left).toContainText("1 left the track");
  await left.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "SCIM provisioning" })).toBeVisible();
  await hydrated(page);
  await expect(page.locator('#import-rows tr[data-line="1"]')).toContainText("Left the track");

  await page.getByRole("button", { name: "Undo this import…" }).click();
  await expect(page.locator("#undo-consequences li")).toHaveText([
    "1 person gets back the tracks and roles this change took from them.",
  ]);
  await expectAccessible(page);
  await fitsScreen(page, info, "scim-undo");
  await page.getByRole("button", { name: "Undo import", exact: true }).click();
  await expect(page.locator("#undo").getByRole("status")).toHaveText("Import undone: 1 person got their tracks back.");
  const after = await (await scim("GET", `/Users/${id}`)).json();
  expect(after.groups.map((g: { value: string }) => g.value)).toContain("engineering:mentee");
});
