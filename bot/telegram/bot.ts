// Builds the grammY bot: API retries, per-chat ordering, per-update logger, access control,
// session on disk, i18n, rate limit, the features, the free-text questions last, and an error
// boundary that turns any failure into an apology. No polling here (see run.ts): the same bot
// serves long polling, the webhook and tests (bot.handleUpdate).

import path from "node:path";
import { Bot, Composer, HttpError, session, type BotError, type StorageAdapter, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { limit } from "@grammyjs/ratelimiter";
import { sequentialize } from "@grammyjs/runner";
import { FileAdapter } from "@grammyjs/storage-file";
import { initialSession, type BotContext, type Services, type SessionData } from "./context.js";
import { createI18n, langOf } from "./i18n.js";
import { createAccessComposer } from "./features/access.js";
import { createFreeTextComposer } from "./features/question.js";
import { coreFeatures } from "./features/index.js";

export interface CreateBotOptions {
  token: string;
  /** Features after the core ones (T2's, T3's), before the free-text questions. */
  features?: Composer<BotContext>[];
  /** An extra API transformer, innermost (tests stub the Bot API with it). */
  transformer?: Transformer;
  /** Session storage; files under config.dataDir/sessions by default. */
  sessionStorage?: StorageAdapter<SessionData>;
  /** Known bot info, so that no getMe call is needed (tests). */
  botInfo?: UserFromGetMe;
}

/** One session per chat. Updates without a chat (inline queries) have no session. */
export function getSessionKey(ctx: { chat?: { id: number } | undefined }): string | undefined {
  return ctx.chat?.id.toString();
}

/**
 * Retries network failures (grammY's HttpError) a bounded number of times with exponential
 * backoff. auto-retry alone would retry them forever, so it is told to rethrow them.
 */
export function networkRetry(opts: { maxRetries: number; maxDelaySeconds: number; firstDelayMs?: number }): Transformer {
  return async (prev, method, payload, signal) => {
    let delay = opts.firstDelayMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        if (!(err instanceof HttpError) || attempt >= opts.maxRetries || signal?.aborted) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, opts.maxDelaySeconds * 1000);
      }
    }
  };
}

export function createBot(services: Services, opts: CreateBotOptions): Bot<BotContext> {
  const { config } = services;
  const t = config.telegram;
  const bot = new Bot<BotContext>(opts.token, { client: { apiRoot: t.apiRoot }, botInfo: opts.botInfo });

  // Installed first = innermost: the test stub, then bounded network retries, then auto-retry
  // (429 with retry_after, 5xx) outermost.
  if (opts.transformer) bot.api.config.use(opts.transformer);
  bot.api.config.use(networkRetry({ maxRetries: t.maxRetries, maxDelaySeconds: t.maxRetryDelaySeconds }));
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: t.maxRetries,
      maxDelaySeconds: t.maxRetryDelaySeconds,
      rethrowInternalServerErrors: false,
      rethrowHttpErrors: true,
    }),
  );

  // Updates of one chat are handled one after the other (long polling, webhook and tests alike).
  bot.use(sequentialize(getSessionKey));

  bot.use(async (ctx, next) => {
    ctx.services = services;
    ctx.log = services.log.child({ update_id: ctx.update.update_id, chat_id: ctx.chat?.id });
    await next();
  });

  const i18n = createI18n();
  const guarded = bot.errorBoundary(async (err: BotError<BotContext>) => {
    const ctx = err.ctx;
    const e = err.error;
    (ctx.log ?? services.log).error(
      { update_id: ctx.update.update_id, chat_id: ctx.chat?.id, err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) },
      "update failed",
    );
    try {
      const text = i18n.t(langOf(ctx), "error-apology");
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true }).catch(() => undefined);
      else if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, text);
    } catch (sendErr) {
      services.log.warn({ update_id: ctx.update.update_id, err: sendErr instanceof Error ? sendErr.message : String(sendErr) }, "apology not sent");
    }
  });

  guarded.use(createAccessComposer(i18n));
  guarded.use(
    session({
      initial: () => initialSession(config.language),
      getSessionKey,
      storage: opts.sessionStorage ?? new FileAdapter<SessionData>({ dirName: path.join(config.dataDir, "sessions") }),
    }),
  );
  guarded.use(i18n);

  // Per-user rate limit with one friendly message per window.
  const limited = new WeakSet<BotContext>();
  const limiter = limit<BotContext, never>({
    timeFrame: 60_000,
    limit: t.rateLimitPerMinute,
    keyGenerator: (ctx) => ctx.from?.id.toString(),
    onLimitExceeded: (ctx) => {
      limited.add(ctx);
    },
  });
  guarded.use(async (ctx, next) => {
    await limiter(ctx, next);
    if (!limited.has(ctx)) return;
    ctx.log.info({ user_id: ctx.from?.id }, "rate limited");
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("rate-limited") });
    else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0 });
    else if (ctx.chat) await ctx.reply(ctx.t("rate-limited"));
  });

  for (const feature of [...coreFeatures(), ...(opts.features ?? [])]) guarded.use(feature);
  guarded.use(createFreeTextComposer());

  bot.catch((err) => {
    services.log.error({ update_id: err.ctx.update.update_id, err: err.error instanceof Error ? err.error.message : String(err.error) }, "unhandled error");
  });
  return bot;
}
