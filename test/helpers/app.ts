// Builds the real app over the shipped corpus in a temporary store, for end-to-end tests.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, PROJECT_ROOT, type Config } from "../../bot/config.js";
import { createLogger } from "../../bot/log.js";
import { startApp, type App } from "../../bot/app.js";

export interface TestApp {
  app: App;
  config: Config;
  storeDir: string;
  cleanup(): void;
}

export function testConfig(overrides: Record<string, string> = {}): { config: Config; storeDir: string } {
  const storeDir = mkdtempSync(path.join(tmpdir(), "htx-store-"));
  const config = loadConfig({ STORE_DIR: storeDir, CORPUS_DIR: path.join(PROJECT_ROOT, "knowledge/corpus"), LOG_LEVEL: "silent", ...overrides }, { envFile: null });
  return { config, storeDir };
}

export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const { config, storeDir } = testConfig(overrides);
  const app = await startApp(config, { log: createLogger({ logLevel: "silent" }) });
  return { app, config, storeDir, cleanup: () => rmSync(storeDir, { recursive: true, force: true }) };
}
