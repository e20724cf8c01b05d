// Runs a built bot: registers the command menu, then long polling with @grammyjs/runner (updates
// of one chat in order, different chats concurrently) or, when configured, a webhook server.
// stop() lets in-flight answers finish before it resolves.

import { createServer, type Server } from "node:http";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { BotContext } from "./context.js";
import { setMyCommandsCalls } from "./commands.js";
import { readBody } from "../http.js";

export interface RunningBot {
  /** Stops taking updates, waits for the ones being handled, closes the server. */
  stop(): Promise<void>;
  /** The webhook server's address when in webhook mode (port 0 picks a free port). */
  address?: { host: string; port: number };
}

const MAX_BODY = 1 << 20;


/**
 * The webhook server: checks the secret token header (403 otherwise), answers 200 at once and
 * handles the update in the background (the bot's sequentialize middleware keeps each chat in order).
 */
export async function startWebhookServer(
  bot: Bot<BotContext>,
  opts: { secret: string; host: string; port: number; path: string },
  log: Logger,
): Promise<RunningBot> {
  const inFlight = new Set<Promise<void>>();
  const server: Server = createServer((req, res) => {
    if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== opts.path) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers["x-telegram-bot-api-secret-token"] !== opts.secret) {
      res.writeHead(403).end();
      return;
    }
    readBody(req, MAX_BODY).then(
      (body) => {
        let update: Update;
        try {
          update = JSON.parse(body) as Update;
        } catch {
          res.writeHead(400).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
        const job = bot
          .handleUpdate(update)
          .catch((err: unknown) => log.error({ update_id: update.update_id, err: err instanceof Error ? err.message : String(err) }, "webhook update failed"))
          .finally(() => inFlight.delete(job));
        inFlight.add(job);
      },
      () => {
        res.writeHead(413).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  const address = typeof addr === "object" && addr ? { host: addr.address, port: addr.port } : { host: opts.host, port: opts.port };
  return {
    address,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** How long a stop waits for answers in progress. */
export const STOP_GRACE_MS = 30_000;

export async function runBot(bot: Bot<BotContext>, config: Config, log: Logger): Promise<RunningBot> {
  await bot.init();
  // The command menus are a convenience: a Bot API server without setMyCommands (the test
  // emulator, some self-hosted servers) must not keep the bot from running.
  for (const call of setMyCommandsCalls()) {
    try {
      await bot.api.setMyCommands(call.commands, call.language_code ? { language_code: call.language_code } : {});
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err), language: call.language_code ?? "default" }, "setMyCommands failed");
    }
  }
  const wh = config.telegram.webhook;
  if (wh) {
    const url = new URL(wh.url);
    const server = await startWebhookServer(bot, { secret: wh.secret, host: wh.host, port: wh.port, path: url.pathname || "/" }, log);
    await bot.api.setWebhook(wh.url, { secret_token: wh.secret });
    log.info({ mode: "webhook", bot: bot.botInfo.username, host: wh.host, port: server.address?.port }, "telegram bot running");
    return server;
  }
  await bot.api.deleteWebhook();
  // silent: the runner would print fetch errors, whose URLs contain the token.
  const handle: RunnerHandle = run(bot, { runner: { silent: true } });
  log.info({ mode: "polling", bot: bot.botInfo.username }, "telegram bot running");
  return {
    async stop() {
      if (handle.isRunning()) await handle.stop();
      // stop() ends fetching; the updates already fetched are still being answered.
      const deadline = Date.now() + STOP_GRACE_MS;
      while (handle.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
