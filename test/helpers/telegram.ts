// A test bot over the real services and the shipped corpus, with the Bot API stubbed by a
// transformer: every call is recorded and answered with a plausible result, so features are
// tested through bot.handleUpdate without any network. Files for getFile downloads are served by
// a small HTTP server on 127.0.0.1 that is also the bot's TELEGRAM_API_ROOT.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Bot, Composer, Transformer } from "grammy";
import type { Message, MessageEntity, Update, UserFromGetMe } from "grammy/types";
import { loadConfig, PROJECT_ROOT } from "../../bot/config.js";
import { createLogger } from "../../bot/log.js";
import { createBot } from "../../bot/telegram/bot.js";
import { createServices } from "../../bot/telegram/services.js";
import type { BotContext, Services } from "../../bot/telegram/context.js";

export const TEST_TOKEN = "123:TEST";
export const BOT_INFO: UserFromGetMe = {
  id: 123,
  is_bot: true,
  first_name: "Trợ lý HTX",
  username: "TroLyHtxTestBot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

export interface SendOptions {
  userId?: number;
  chatId?: number;
  chatType?: "private" | "group" | "supergroup";
  replyToBot?: boolean;
  languageCode?: string;
}

/** Replaces the stub's answer for one method: return a result, or throw to make the call fail. */
export type StubHandler = (payload: Record<string, unknown>) => unknown;

export interface TestBot {
  bot: Bot<BotContext>;
  services: Services;
  calls: ApiCall[];
  /** DATA_DIR and STORE_DIR of this bot (pass them in `env` to build a second bot over the same data). */
  dataDir: string;
  storeDir: string;
  send(text: string, o?: SendOptions): Promise<void>;
  press(data: string, o?: SendOptions): Promise<void>;
  sendDocument(o: { fileName: string; bytes: Uint8Array; userId?: number; chatId?: number; mimeType?: string }): Promise<void>;
  /** An inline query from a user. */
  inline(query: string, o?: SendOptions): Promise<void>;
  /** Any raw update (update_id is filled in). */
  update(u: Omit<Update, "update_id">): Promise<void>;
  /** Texts of sendMessage / editMessageText calls since the last reset. */
  sent(): string[];
  /** Calls of one method since the last reset. */
  callsOf(method: string): ApiCall[];
  /** Makes a method answer differently (or fail); null restores the default. */
  stub(method: string, handler: StubHandler | null): void;
  reset(): void;
  cleanup(): Promise<void>;
}

export const DEFAULT_USER = 1001;

export async function createTestBot(opts: { env?: Record<string, string>; features?: Composer<BotContext>[] } = {}): Promise<TestBot> {
  const env = opts.env ?? {};
  const ownStore = env.STORE_DIR ? null : mkdtempSync(path.join(tmpdir(), "htx-tg-store-"));
  const ownData = env.DATA_DIR ? null : mkdtempSync(path.join(tmpdir(), "htx-tg-data-"));
  const storeDir = env.STORE_DIR ?? ownStore!;
  const dataDir = env.DATA_DIR ?? ownData!;

  // Files for getFile, served at `${apiRoot}/file/bot${token}/${file_path}`.
  const files = new Map<string, Uint8Array>();
  const server: Server = createServer((req, res) => {
    const prefix = `/file/bot${TEST_TOKEN}/`;
    const url = decodeURIComponent(req.url ?? "");
    const bytes = url.startsWith(prefix) ? files.get(url.slice(prefix.length)) : undefined;
    if (!bytes) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  const apiRoot = `http://127.0.0.1:${port}`;

  const config = loadConfig(
    {
      CORPUS_DIR: path.join(PROJECT_ROOT, "knowledge/corpus"),
      LOG_LEVEL: "silent",
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      ...env,
      STORE_DIR: storeDir,
      DATA_DIR: dataDir,
    },
    { envFile: null },
  );
  const log = createLogger(config);
  const services = await createServices(config, log);

  const calls: ApiCall[] = [];
  let since = 0;
  let nextBotMessageId = 1;
  const lastBotMessage = new Map<number, number>();
  const fileIds = new Map<string, { path: string; size: number }>();
  const handlers = new Map<string, StubHandler>();

  const botMessage = (payload: Record<string, unknown>): Message => {
    const chatId = Number(payload.chat_id);
    const id = nextBotMessageId++;
    lastBotMessage.set(chatId, id);
    return {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: chatId > 0 ? { id: chatId, type: "private", first_name: "Test" } : { id: chatId, type: "supergroup", title: "Test group" },
      from: BOT_INFO,
      text: typeof payload.text === "string" ? payload.text : "",
    } as Message;
  };

  const defaultResult = (method: string, payload: Record<string, unknown>): unknown => {
    switch (method) {
      case "getMe":
        return BOT_INFO;
      case "sendMessage":
      case "sendDocument":
      case "sendPhoto":
        return botMessage(payload);
      case "editMessageText":
        return payload.inline_message_id ? true : { ...botMessage(payload), message_id: Number(payload.message_id) };
      case "getFile": {
        const f = fileIds.get(String(payload.file_id));
        if (!f) throw new Error(`stub: unknown file_id ${String(payload.file_id)}`);
        return { file_id: payload.file_id, file_unique_id: `u-${String(payload.file_id)}`, file_size: f.size, file_path: f.path };
      }
      default:
        return true;
    }
  };

  const transformer: Transformer = async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    calls.push({ method, payload: p });
    const h = handlers.get(method);
    const result = h ? h(p) : defaultResult(method, p);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { ok: true, result } as any;
  };

  const bot = createBot(services, { token: TEST_TOKEN, features: opts.features, transformer, botInfo: BOT_INFO });

  let updateId = 1;
  let messageId = 1000;
  const user = (o: SendOptions) => ({ id: o.userId ?? DEFAULT_USER, is_bot: false, first_name: "Người dùng", language_code: o.languageCode ?? "vi" });
  const chat = (o: SendOptions) => {
    const type = o.chatType ?? "private";
    const id = o.chatId ?? (type === "private" ? (o.userId ?? DEFAULT_USER) : -100123);
    return type === "private" ? { id, type, first_name: "Người dùng" } : { id, type, title: "Nhóm HTX" };
  };
  const handle = (u: Omit<Update, "update_id">) => bot.handleUpdate({ ...u, update_id: updateId++ } as Update);

  function entitiesOf(text: string): MessageEntity[] {
    const out: MessageEntity[] = [];
    const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    if (cmd) out.push({ type: "bot_command", offset: 0, length: cmd[0].length });
    for (const m of text.matchAll(/@[A-Za-z0-9_]{5,}/g)) {
      if (cmd && m.index! < cmd[0].length) continue;
      out.push({ type: "mention", offset: m.index!, length: m[0].length });
    }
    return out;
  }

  const tb: TestBot = {
    bot,
    services,
    calls,
    dataDir,
    storeDir,
    async send(text, o = {}) {
      const c = chat(o);
      const entities = entitiesOf(text);
      const replyId = lastBotMessage.get(c.id);
      await handle({
        message: {
          message_id: messageId++,
          date: Math.floor(Date.now() / 1000),
          chat: c,
          from: user(o),
          text,
          ...(entities.length ? { entities } : {}),
          ...(o.replyToBot
            ? { reply_to_message: { message_id: replyId ?? 1, date: Math.floor(Date.now() / 1000), chat: c, from: BOT_INFO, text: "…" } }
            : {}),
        },
      } as Omit<Update, "update_id">);
    },
    async press(data, o = {}) {
      const c = chat(o);
      await handle({
        callback_query: {
          id: `cb${updateId}`,
          from: user(o),
          chat_instance: `ci${c.id}`,
          data,
          message: { message_id: lastBotMessage.get(c.id) ?? 1, date: Math.floor(Date.now() / 1000), chat: c, from: BOT_INFO, text: "…" },
        },
      } as Omit<Update, "update_id">);
    },
    async sendDocument(o) {
      const fileId = `file${updateId}`;
      const filePath = `documents/${fileId}-${o.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}`;
      files.set(filePath, o.bytes);
      fileIds.set(fileId, { path: filePath, size: o.bytes.length });
      const so: SendOptions = { userId: o.userId, chatId: o.chatId };
      await handle({
        message: {
          message_id: messageId++,
          date: Math.floor(Date.now() / 1000),
          chat: chat(so),
          from: user(so),
          document: { file_id: fileId, file_unique_id: `u-${fileId}`, file_name: o.fileName, mime_type: o.mimeType ?? "application/octet-stream", file_size: o.bytes.length },
        },
      } as Omit<Update, "update_id">);
    },
    async inline(query, o = {}) {
      await handle({ inline_query: { id: `iq${updateId}`, from: user(o), query, offset: "" } } as Omit<Update, "update_id">);
    },
    update: handle,
    sent() {
      return calls
        .slice(since)
        .filter((c) => c.method === "sendMessage" || c.method === "editMessageText")
        .map((c) => String(c.payload.text ?? ""));
    },
    callsOf(method) {
      return calls.slice(since).filter((c) => c.method === method);
    },
    stub(method, handler) {
      if (handler) handlers.set(method, handler);
      else handlers.delete(method);
    },
    reset() {
      since = calls.length;
    },
    async cleanup() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownStore) rmSync(ownStore, { recursive: true, force: true });
      if (ownData) rmSync(ownData, { recursive: true, force: true });
    },
  };
  return tb;
}
