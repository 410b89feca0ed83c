// Starts the real server binary on a fresh SQLite database (or the one
// ROSTER_E2E_DATABASE_URL names) for the whole run, and hands its one-time setup link to the tests.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { port } from "./playwright.config";

const root = path.resolve(__dirname, "..");
export const runDir = path.join(__dirname, ".run");

export default async function globalSetup(): Promise<() => Promise<void>> {
  const binary = process.env.ROSTER_SERVER_BIN ?? path.join(root, "target", "debug", "server");
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} is missing: build first with \`cargo leptos build\` (scripts/test does).`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-e2e-"));
  fs.mkdirSync(runDir, { recursive: true });
  const log = fs.createWriteStream(path.join(runDir, "server.log"));
  const env = { ...process.env };
  // SQLite in a fresh folder, unless a run names a (fresh) database:
  // scripts/bench-browser's PostgreSQL pass.
  delete env.DATABASE_URL;
  if (process.env.ROSTER_E2E_DATABASE_URL) env.DATABASE_URL = process.env.ROSTER_E2E_DATABASE_URL;
  const server = spawn(binary, [], {
    cwd: root,
    env: {
      ...env,
      ROSTER_DATA_DIR: dataDir,
      ROSTER_INSTANCE: process.env.ROSTER_INSTANCE ?? path.join(root, "instance", "demo.toml"),
      LEPTOS_OUTPUT_NAME: "roster",
      LEPTOS_SITE_ROOT: path.join(root, "target", "site"),
      LEPTOS_SITE_PKG_DIR: "pkg",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_ENV: "PROD",
      RUST_LOG: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stderr.pipe(log);

  const link = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no setup link within 60 s; server said:\n${seen}`)), 60_000);
    server.stdout.on("data", (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString();
      const match = seen.match(/Setup link: (\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before printing a setup link:\n${seen}`));
    });
  });
  fs.writeFileSync(path.join(runDir, "setup-link.txt"), link);

  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
