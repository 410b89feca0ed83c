// The in-browser benchmark (`scripts/bench-browser`): the real app in
// Debian's Chromium, with an instance that accepts 100,000-row uploads and
// as many active users, so that a big preview gets as far as "Complete".
import { defineConfig } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import base from "./playwright.config";

const demo = fs.readFileSync(path.join(__dirname, "..", "instance", "demo.toml"), "utf8");
const instance = path.join(__dirname, ".run", "bench-instance.toml");
fs.mkdirSync(path.dirname(instance), { recursive: true });
fs.writeFileSync(
  instance,
  demo
    .replace(/upload_row_limit = \d+/, "upload_row_limit = 100000")
    .replace(/license_limit = \d+/, "license_limit = 1000000"),
);
process.env.ROSTER_INSTANCE = instance;

export default defineConfig({
  ...base,
  testDir: ".",
  timeout: 600_000,
  expect: { timeout: 120_000 },
  projects: [
    { name: "setup", testMatch: /tests\/setup\.spec\.ts/, use: { viewport: { width: 1280, height: 800 } } },
    // The benchmark adds Papa Parse to the page as a script, which the
    // page's Content-Security-Policy would refuse.
    { name: "bench", testMatch: /bench\/.*\.bench\.ts/, dependencies: ["setup"], use: { viewport: { width: 1280, height: 800 }, bypassCSP: true } },
    // scripts/profile-wizard: the wizard traced, its long tasks taken apart.
    { name: "profile", testMatch: /bench\/.*\.profile\.ts/, dependencies: ["setup"], use: { viewport: { width: 1280, height: 800 } } },
  ],
});
