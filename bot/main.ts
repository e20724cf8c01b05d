// npm start: builds the index when it is missing or stale, then opens the terminal chat.

import { loadConfig } from "./config.js";
import { createLogger } from "./log.js";
import { startApp } from "./app.js";
import { runTerminalChat } from "./terminal.js";
import { createProgressPrinter } from "../ingest/progress.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const t0 = performance.now();
  const app = await startApp(config, { log, onProgress: createProgressPrinter() });
  log.info({ ms: Math.round(performance.now() - t0), docs: app.engine.docs.length, mode: "terminal" }, "ready");
  await runTerminalChat(app);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`Lỗi: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
