// End-to-end harness: the telegram-test-api emulator on loopback, a gateway in front of it (long
// polling, outages and 429 answers on demand), the real bot process (`tsx bot/main.ts`) and
// simulated users. Used by the e2e tests and by `npm run loadtest`. Every wait is bounded.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Socket } from "node:net";
import type { StoredBotUpdate, TelegramServer as TelegramServerClass } from "telegram-test-api/lib/telegramServer.js";
import type { TelegramClient } from "telegram-test-api/lib/modules/telegramClient.js";
import { PROJECT_ROOT } from "../../bot/config.js";

const require = createRequire(import.meta.url);
// The package is CommonJS and replaces module.exports with the class.
const TelegramServer = require("telegram-test-api") as typeof TelegramServerClass;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `intervalMs` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Nearest-rank percentile (0 for no values). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

// ---------------------------------------------------------------------------------------------
// The emulator

export interface Emulator {
  server: TelegramServerClass;
  /** http://127.0.0.1:<port> */
  url: string;
  token: string;
  client(userId: number, chatId?: number): TelegramClient;
  /** Messages the bot sent to a chat, in the order they arrived (edits applied in place). */
  botMessages(chatId: number): StoredBotUpdate[];
  /** Updates from users that the bot has not fetched yet. */
  unreadUserUpdates(): number;
  close(): Promise<void>;
}

export async function startEmulator(): Promise<Emulator> {
  const port = await freePort();
  // Messages are kept for 30 minutes: the emulator deletes older ones on a timer.
  const server = new TelegramServer({ port, host: "127.0.0.1", storeTimeout: 1800 });
  await server.start();
  const token = `${100000 + Math.floor(Math.random() * 899999)}:e2e-${randomBytes(12).toString("hex")}`;
  const url = `http://127.0.0.1:${port}`;
  return {
    server,
    url,
    token,
    client: (userId, chatId = userId) =>
      server.getClient(token, { userId, chatId, firstName: `User${userId}`, userName: `user${userId}`, timeout: 30_000 }),
    botMessages: (chatId) =>
      server.storage.botMessages.filter((m) => m.botToken === token && String(m.message.chat_id) === String(chatId)),
    unreadUserUpdates: () => server.storage.userMessages.filter((u) => u.botToken === token && !u.isRead).length,
    close: async () => {
      await server.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The gateway: what the bot sees as api.telegram.org

export interface GatewayStats {
  forwarded: number;
  /** Requests refused (socket destroyed without forwarding) while down. */
  refused: number;
  /** Requests answered 429 without forwarding. */
  limited: number;
  /** Calls forwarded per Bot API method. */
  methods: Record<string, number>;
}

export interface Gateway {
  /** http://127.0.0.1:<port> — the bot's TELEGRAM_API_ROOT. */
  url: string;
  stats: GatewayStats;
  /** While down, every request is refused before it reaches the emulator (as if the API were unreachable). */
  setDown(down: boolean): void;
  isDown(): boolean;
  /** Go down when the next call of `method` arrives (that call is refused too), for `ms`. */
  downOnNext(method: string, ms: number): Promise<void>;
  /** Answer the next `n` calls of `method` with 429 Too Many Requests and `retry_after` seconds. */
  rateLimitNext(method: string, n: number, retryAfterS: number): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the emulator. It adds what the emulator lacks — long polling:
 * getUpdates waits (up to its `timeout`, at most 25 s) until a user update is pending, instead of
 * answering an empty list at once, which would make the bot spin — and injects faults on demand.
 */
export async function startGateway(emu: Emulator): Promise<Gateway> {
  const target = new URL(emu.url);
  const stats: GatewayStats = { forwarded: 0, refused: 0, limited: 0, methods: {} };
  let down = false;
  let downTrigger: { method: string; ms: number; fired: () => void } | null = null;
  const limits = new Map<string, { left: number; retryAfter: number }>();
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const pendingUpdates = () => emu.unreadUserUpdates() > 0;
  async function longPoll(body: Buffer, closed: () => boolean): Promise<void> {
    let timeoutS = 0;
    try {
      const parsed = JSON.parse(body.toString("utf8") || "{}") as { timeout?: unknown };
      if (typeof parsed.timeout === "number") timeoutS = parsed.timeout;
    } catch {
      // form-encoded or empty: no long polling
    }
    const deadline = Date.now() + Math.min(timeoutS, 25) * 1000;
    while (!pendingUpdates() && Date.now() < deadline && !closed() && !down) await sleep(10);
  }

  const server = http.createServer((req, res) => {
    const method = (req.url ?? "").split("?")[0]!.split("/").pop() ?? "";
    if (downTrigger && downTrigger.method === method) {
      const t = downTrigger;
      downTrigger = null;
      down = true;
      setTimeout(() => {
        down = false;
        t.fired();
      }, t.ms).unref();
    }
    if (down) {
      stats.refused++;
      req.socket.destroy();
      return;
    }
    const limit = limits.get(method);
    if (limit && limit.left > 0) {
      limit.left--;
      stats.limited++;
      req.resume();
      res.writeHead(429, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${limit.retryAfter}`,
          parameters: { retry_after: limit.retryAfter },
        }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let closed = false;
    res.on("close", () => (closed = true));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const forward = () => {
        if (closed) return;
        if (down) {
          stats.refused++;
          req.socket.destroy();
          return;
        }
        stats.forwarded++;
        stats.methods[method] = (stats.methods[method] ?? 0) + 1;
        const headers = { ...req.headers, host: target.host, "content-length": String(body.length) };
        const upstream = http.request(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on("error", () => {
          if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error_code: 502, description: "Bad Gateway" }));
        });
        upstream.end(body);
      };
      if (method === "getUpdates") longPoll(body, () => closed).then(forward, forward);
      else forward();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setDown: (d) => {
      down = d;
    },
    isDown: () => down,
    downOnNext: (method, ms) => new Promise<void>((fired) => (downTrigger = { method, ms, fired })),
    rateLimitNext: (method, n, retryAfter) => void limits.set(method, { left: n, retryAfter }),
    close: async () => {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The real bot process

export interface BotProcess {
  child: ChildProcess;
  /** Everything the process wrote to stderr (its logs) and stdout. */
  output(): string;
  /** Resolves with the exit code (or the signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM and waits up to `timeoutMs` for the exit; kills it (SIGKILL) if it does not exit. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  dirs: { store: string; data: string; corpus: string };
  cleanup(): Promise<void>;
}

export interface BotProcessOptions {
  apiRoot: string;
  token: string;
  allowedUserIds: number[];
  adminUserIds?: number[];
  env?: Record<string, string>;
}

/** Names of settings that must not leak from the developer's environment into the child. */
const CONFIG_KEYS = [
  "CORPUS_DIR", "STORE_DIR", "EMBEDDINGS_PROVIDER", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_EMBEDDING_MODEL",
  "OPENAI_EMBEDDING_DIMENSIONS", "LOCAL_EMBEDDING_DIM", "MAX_FILE_MB", "MAX_QUESTION_CHARS", "ANSWER_LANGUAGE", "LOG_LEVEL",
  "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_ROOT", "ALLOWED_USER_IDS", "ALLOWED_CHAT_IDS", "ADMIN_USER_IDS", "DATA_DIR",
  "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_HOST", "WEBHOOK_PORT", "RATE_LIMIT_PER_MINUTE", "TELEGRAM_MAX_RETRIES",
  "TELEGRAM_MAX_RETRY_DELAY_S",
];

export async function startBotProcess(opts: BotProcessOptions): Promise<BotProcess> {
  const base = await mkdtemp(path.join(tmpdir(), "htx-e2e-bot-"));
  const dirs = { store: path.join(base, "store"), data: path.join(base, "data"), corpus: path.join(base, "corpus") };
  // A copy of the shipped corpus: nothing the bot does can touch the repository's files.
  await cp(path.join(PROJECT_ROOT, "knowledge/corpus"), dirs.corpus, { recursive: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !CONFIG_KEYS.includes(k)) env[k] = v;
  // Empty values override anything in the repository's .env file (empty means "not set").
  for (const k of CONFIG_KEYS) env[k] = "";
  Object.assign(env, {
    TELEGRAM_BOT_TOKEN: opts.token,
    TELEGRAM_API_ROOT: opts.apiRoot,
    STORE_DIR: dirs.store,
    DATA_DIR: dirs.data,
    CORPUS_DIR: dirs.corpus,
    ALLOWED_USER_IDS: opts.allowedUserIds.join(","),
    ADMIN_USER_IDS: (opts.adminUserIds ?? []).join(","),
    EMBEDDINGS_PROVIDER: "local",
    LOG_LEVEL: "warn",
    ...opts.env,
  });
  const child = spawn(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["bot/main.ts"], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (c: Buffer) => {
    out += c.toString("utf8");
    if (out.length > 256_000) out = out.slice(-128_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => out,
    exited,
    dirs,
    async stop(timeoutMs = 30_000) {
      const t0 = Date.now();
      if (isRunning()) child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (isRunning()) child.kill("SIGKILL");
      }, timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      return { ...r, ms: Date.now() - t0 };
    },
    async cleanup() {
      if (isRunning()) {
        child.kill("SIGKILL");
        await exited;
      }
      await rm(base, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Simulated users

export interface Sent {
  text: string;
  at: number;
}

export class User {
  readonly client: TelegramClient;
  readonly sent: Sent[] = [];

  constructor(
    readonly emu: Emulator,
    readonly userId: number,
    readonly chatId: number = userId,
  ) {
    this.client = emu.client(userId, chatId);
  }

  /** Sends a text message (a command when it starts with "/"). */
  async say(text: string): Promise<void> {
    const at = Date.now();
    this.sent.push({ text, at });
    if (text.startsWith("/")) await this.client.sendCommand(this.client.makeCommand(text));
    else await this.client.sendMessage(this.client.makeMessage(text));
  }

  /** Presses an inline button of one of the bot's messages. */
  async press(data: string, message: StoredBotUpdate): Promise<void> {
    this.sent.push({ text: `[button] ${data}`, at: Date.now() });
    const cq = this.client.makeCallbackQuery(data, {
      message: { message_id: message.messageId, text: message.message.text, chat: { id: this.chatId } },
    });
    await this.client.sendCallback(cq);
  }

  /** The bot's messages to this chat. */
  received(): StoredBotUpdate[] {
    return this.emu.botMessages(this.chatId);
  }

  /** Waits until the chat holds at least `n` bot messages; returns them all. */
  waitForMessages(n: number, timeoutMs = 20_000): Promise<StoredBotUpdate[]> {
    return waitUntil(() => {
      const got = this.received();
      return got.length >= n ? got : undefined;
    }, timeoutMs, `${n} messages in chat ${this.chatId}`);
  }

  /** Waits for the first bot message after the first `after` ones that satisfies `match`. */
  waitForMessage(match: (text: string, m: StoredBotUpdate) => boolean, after = 0, timeoutMs = 20_000): Promise<StoredBotUpdate> {
    return waitUntil(
      () => this.received().slice(after).find((m) => match(m.message.text, m)),
      timeoutMs,
      `a matching message in chat ${this.chatId}`,
    );
  }
}

/** The inline buttons of a bot message, flattened. */
export function buttonsOf(m: StoredBotUpdate): Array<{ text: string; callback_data?: string }> {
  const markup = m.message.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

// ---------------------------------------------------------------------------------------------
// Load

/** Questions with one answer each, and a marker only that answer contains (checked below). */
export const LOAD_QUESTIONS: Array<{ q: string; marker: string }> = [
  { q: "Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?", marker: "trên 15 HTX" },
  { q: "Năm 2024 Lạng Sơn phấn đấu thành lập mới bao nhiêu HTX?", marker: "từ 50 HTX" },
  { q: "Tỷ lệ HTX yếu kém của Bắc Kạn năm 2025 phấn đấu dưới bao nhiêu?", marker: "dưới 10%" },
  { q: "Tổng số thành viên HTX của Cao Bằng ước thực hiện năm 2025?", marker: "4.007" },
  { q: "Tổng số thành viên HTX của Lạng Sơn đến 30/6/2023?", marker: "5.409" },
  { q: "Lãi bình quân của HTX Cao Bằng năm 2025 ước đạt bao nhiêu?", marker: "315 triệu" },
  { q: "Ngân sách địa phương Lạng Sơn năm 2024 cho hỗ trợ phát triển KTTT, HTX là bao nhiêu?", marker: "12.600" },
  { q: "Cao Bằng có bao nhiêu HTX hoạt động trong lĩnh vực nông, lâm nghiệp năm 2025?", marker: "184 HTX" },
  { q: "Ngân sách địa phương bố trí bao nhiêu vốn sự nghiệp cho HTX năm 2026 ở Cao Bằng?", marker: "140 triệu" },
  { q: "Mỗi năm Cao Bằng muốn kết nạp thêm bao nhiêu HTX vào Liên minh HTX tỉnh?", marker: "từ 10 HTX" },
];

/** Which load question a bot message answers: the index of the only marker it contains, else -1. */
export function answerIndex(html: string): number {
  const text = html.replace(/<[^>]+>/g, "");
  const hits = LOAD_QUESTIONS.map((x, i) => (text.includes(x.marker) ? i : -1)).filter((i) => i >= 0);
  return hits.length === 1 ? hits[0]! : -1;
}

export interface LoadOptions {
  users: number;
  questionsPerUser: number;
  /** First user id (ids are consecutive). */
  firstUserId: number;
  /** Pause between one user's questions (the user does not wait for answers). */
  gapMs: number;
  timeoutMs: number;
}

export interface LoadResult {
  users: number;
  questions: number;
  answered: number;
  /** Answers that did not match their question or came in another order. */
  outOfOrder: number;
  /** Questions without an answer when the run ended. */
  missing: number;
  /** Bot messages beyond one per question (duplicates, unexpected extras). */
  extra: number;
  latencies: number[];
  p50: number;
  p95: number;
  max: number;
  wallMs: number;
}

/**
 * Every user sends its questions one after another (each `gapMs` after the previous one was
 * delivered, without waiting for answers); all users at once. Latency is the time from sending a
 * question to the arrival of its answer at the emulator.
 */
export async function runLoad(emu: Emulator, opts: LoadOptions): Promise<LoadResult> {
  const users = Array.from({ length: opts.users }, (_, i) => new User(emu, opts.firstUserId + i));
  const t0 = Date.now();
  const plan = (u: number, k: number) => (u + k) % LOAD_QUESTIONS.length;
  await Promise.all(
    users.map(async (user, u) => {
      // Spread the users' first questions over the first gap.
      await sleep(Math.floor((u / opts.users) * Math.max(opts.gapMs, 1)));
      for (let k = 0; k < opts.questionsPerUser; k++) {
        await user.say(LOAD_QUESTIONS[plan(u, k)]!.q);
        if (opts.gapMs > 0) await sleep(opts.gapMs);
      }
    }),
  );
  const total = opts.users * opts.questionsPerUser;
  await waitUntil(
    () => (users.reduce((n, u) => n + Math.min(u.received().length, opts.questionsPerUser), 0) >= total ? true : undefined),
    opts.timeoutMs,
    `${total} answers`,
    50,
  ).catch(() => undefined);
  // A short grace period to catch duplicates that would arrive late.
  await sleep(500);
  const wallMs = Date.now() - t0;
  const latencies: number[] = [];
  let answered = 0;
  let outOfOrder = 0;
  let missing = 0;
  let extra = 0;
  users.forEach((user, u) => {
    const got = user.received();
    extra += Math.max(0, got.length - opts.questionsPerUser);
    for (let k = 0; k < opts.questionsPerUser; k++) {
      const m = got[k];
      if (!m) {
        missing++;
        continue;
      }
      answered++;
      if (answerIndex(m.message.text) !== plan(u, k)) outOfOrder++;
      latencies.push(m.time - user.sent[k]!.at);
    }
  });
  return {
    users: opts.users,
    questions: total,
    answered,
    outOfOrder,
    missing,
    extra,
    latencies,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.length ? Math.max(...latencies) : 0,
    wallMs,
  };
}
