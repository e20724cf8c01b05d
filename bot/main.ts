// npm start: builds the index when it is missing or stale, then runs the Telegram bot when
// TELEGRAM_BOT_TOKEN is set, otherwise the terminal chat.

import { loadConfig } from "./config.js";
import { createLogger } from "./log.js";
import { startApp } from "./app.js";
import { runTerminalChat } from "./terminal.js";
import { createProgressPrinter } from "../ingest/progress.js";
import { createKnowledgeService } from "./knowledge-service.js";
import { createServices } from "./telegram/services.js";
import { createBot } from "./telegram/bot.js";
import { runBot } from "./telegram/run.js";
import { allFeatures } from "./telegram/features/index.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const t0 = performance.now();
  const app = await startApp(config, { log, onProgress: createProgressPrinter() });
  const token = config.telegram.token;
  if (!token) {
    log.info({ ms: Math.round(performance.now() - t0), docs: app.engine.docs.length, mode: "terminal" }, "ready");
    process.stdout.write("(Telegram: đặt TELEGRAM_BOT_TOKEN trong .env để chạy bot Telegram — xem README. / Set TELEGRAM_BOT_TOKEN to run the Telegram bot; see README.)\n");
    await runTerminalChat(app);
    return;
  }
  const knowledge = await createKnowledgeService(config, log, app);
  const services = await createServices(config, log, knowledge);
  const bot = createBot(services, { token, features: allFeatures() });
  const running = await runBot(bot, config, log);
  log.info({ ms: Math.round(performance.now() - t0), docs: app.engine.docs.length, mode: "telegram" }, "ready");
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      log.info({ signal }, "stopping: finishing the answers in progress");
      running.stop().then(resolve, (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, "stop failed");
        resolve();
      });
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`Lỗi: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
