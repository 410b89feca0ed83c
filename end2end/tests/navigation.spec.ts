import { test, expect, hydrated, signIn, ADMIN_EMAIL } from "./fixtures";

const links: Array<{ section: string; name: string; heading: string; url: RegExp }> = [
  { section: "Global level", name: "Users", heading: "Users", url: /\/users$/ },
  { section: "Global level", name: "Add users from CSV", heading: "Add dormant users from CSV", url: /\/import$/ },
  { section: "Global level", name: "Import history", heading: "Import history", url: /\/history$/ },
  { section: "Engineering Mentoring", name: "Add users", heading: "Add users", url: /\/tracks\/engineering\/add-users$/ },
  { section: "Engineering Mentoring", name: "Members", heading: "Members", url: /\/tracks\/engineering\/members$/ },
  { section: "Engineering Mentoring", name: "System emails", heading: "System emails", url: /\/tracks\/engineering\/emails$/ },
  { section: "Engineering Mentoring", name: "Import history", heading: "Import history", url: /\/tracks\/engineering\/history$/ },
  { section: "Leadership Circle", name: "Add users", heading: "Add users", url: /\/tracks\/leadership\/add-users$/ },
  { section: "Leadership Circle", name: "Members", heading: "Members", url: /\/tracks\/leadership\/members$/ },
  { section: "Leadership Circle", name: "System emails", heading: "System emails", url: /\/tracks\/leadership\/emails$/ },
  { section: "Leadership Circle", name: "Import history", heading: "Import history", url: /\/tracks\/leadership\/history$/ },
  { section: "", name: "Overview", heading: "Overview", url: /\/$/ },
];

test("sign in, every navigation link renders its page, sign out", async ({ page }) => {
  await signIn(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = nav.getByRole("button", { name: "Menu" });
  for (const link of links) {
    // On a phone the links sit behind the Menu button.
    if (await menu.isVisible()) {
      await menu.click();
      await expect(menu).toHaveAttribute("aria-expanded", "true");
    }
    const section = link.section ? nav.locator(".nav-section", { has: page.getByRole("heading", { name: link.section }) }) : nav;
    await section.getByRole("link", { name: link.name, exact: true }).click();
    await expect(page).toHaveURL(link.url);
    await expect(page.getByRole("heading", { level: 1, name: link.heading, exact: true })).toBeVisible();
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  }

  // A page loaded directly (not through the menu) renders on the server too.
  await page.goto("/tracks/leadership/members");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await expect(page.getByText(/^\d+ members? in Leadership Circle\.$/)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/login\?next=\/users$/);
  await expect(page.getByText(ADMIN_EMAIL)).toHaveCount(0);
});

test("a wrong password is explained and nobody is signed in", async ({ page, allowConsoleErrors }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill("not the password");
  allowConsoleErrors(/status of 401/);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match an admin account");
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=\/$/);
});

test("the page runs its own wasm but no script slipped into it", async ({ page, allowConsoleErrors }) => {
  await page.goto("/login");
  await hydrated(page);
  allowConsoleErrors(/Content Security Policy/);
  allowConsoleErrors(/status of 404/); // the image the handler hangs on
  const ran = await page.evaluate(() => {
    // What an injected <script> or inline handler would try.
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.head.append(script);
    const img = document.createElement("img");
    img.setAttribute("onerror", "window.__injected = true");
    img.src = "/no-such-image.png";
    document.body.append(img);
    return new Promise((resolve) => setTimeout(() => resolve((window as any).__injected === true), 300));
  });
  expect(ran).toBe(false);
  // Hydrated (the wasm compiled under the policy): the form still works.
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN_EMAIL);
});

test("the layout fits the screen without sideways scrolling", async ({ page }) => {
  await signIn(page);
  for (const path of ["/", "/users", "/import", "/tracks/engineering/add-users", "/tracks/engineering/import"]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test("pages opened in quick succession and side by side all come alive", async ({ page, context }) => {
  await signIn(page);
  const paths = ["/users", "/import", "/tracks/engineering/emails", "/tracks/engineering/import", "/history", "/"];
  // Clicking on before a page has finished loading: the next page is asked
  // for while the previous one's script, wasm and stylesheet still load.
  for (let i = 0; i + 1 < paths.length; i++) {
    await page.goto(paths[i], { waitUntil: "commit" });
    await page.goto(paths[i + 1]);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  // One admin, several tabs opened at once.
  const tabs = await Promise.all(paths.map(() => context.newPage()));
  const errors: string[] = [];
  for (const tab of tabs) {
    tab.on("console", (msg) => {
      if (msg.type() === "error") errors.push(`${msg.text()} [at ${tab.url()}]`);
    });
  }
  await Promise.all(tabs.map((tab, i) => tab.goto(paths[i])));
  for (const tab of tabs) {
    await hydrated(tab);
    await expect(tab.getByRole("heading", { level: 1 })).toBeVisible();
  }
  expect(errors, "console errors in the tabs").toEqual([]);
  await Promise.all(tabs.map((tab) => tab.close()));
});
