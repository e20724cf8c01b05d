import { readFileSync } from "node:fs";
import path from "node:path";
import { Composer } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../../helpers/telegram.js";
import type { BotContext } from "../../../bot/telegram/context.js";
import { commandMenu, setMyCommandsCalls } from "../../../bot/telegram/commands.js";
import { startWebhookServer } from "../../../bot/telegram/run.js";

const Q = "Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?";
const SHARE = "Ngân sách trung ương chiếm bao nhiêu phần trăm nhu cầu vốn đầu tư năm 2026 của Cao Bằng?";

type Button = { text: string; callback_data?: string };
function keyboardOf(t: TestBot, i = -1): Button[] {
  const sends = t.callsOf("sendMessage");
  const call = sends[i < 0 ? sends.length + i : i];
  const markup = call?.payload.reply_markup as { inline_keyboard: Button[][] } | undefined;
  return markup?.inline_keyboard.flat() ?? [];
}

// A distinct private chat per test keeps the sessions apart.
let nextUser = 5000;
const fresh = () => ({ userId: ++nextUser });

let t: TestBot;
beforeAll(async () => {
  t = await createTestBot();
}, 60_000);
afterAll(async () => {
  await t.cleanup();
});

describe("questions", () => {
  it("answers a private question with the bold figure and citation buttons", async () => {
    const o = fresh();
    t.reset();
    await t.send(Q, o);
    const [html] = t.sent();
    expect(html).toContain("<b>trên 15 HTX</b>");
    expect(html).toMatch(/\[1\] <i>Kế hoạch phát triển kinh tế tập thể, hợp tác xã trên địa bàn tỉnh Cao Bằng năm 2026<\/i>/);
    const send = t.callsOf("sendMessage")[0]!;
    expect(send.payload.parse_mode).toBe("HTML");
    const buttons = keyboardOf(t);
    expect(buttons.filter((b) => b.callback_data?.startsWith("src:")).map((b) => b.text)).toContain("📄 Nguồn 1");
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(["👍", "👎"]));
    expect(buttons.map((b) => b.callback_data)).not.toContain("how");
    expect(t.callsOf("sendChatAction")[0]?.payload.action).toBe("typing");
    const stats = await t.services.stats.summary();
    expect(stats.questions).toBeGreaterThanOrEqual(1);
  });

  it("lets a follow-up inherit the province", async () => {
    const o = fresh();
    await t.send("Năm 2025 Bắc Kạn phấn đấu thành lập mới bao nhiêu tổ hợp tác?", o);
    t.reset();
    await t.send("còn lợi nhuận bình quân HTX thì sao?", o);
    const [html] = t.sent();
    expect(html).toContain("282 triệu đồng");
    expect(html).toContain("Bắc Kạn");
  });

  it("answers /hoi and /ask, and asks for a question when empty", async () => {
    const o = fresh();
    t.reset();
    await t.send(`/hoi ${Q}`, o);
    await t.send(`/ask ${Q}`, o);
    await t.send("/hoi", o);
    const sent = t.sent();
    expect(sent[0]).toContain("<b>trên 15 HTX</b>");
    expect(sent[1]).toContain("<b>trên 15 HTX</b>");
    expect(sent[2]).toContain("Hãy gõ câu hỏi sau lệnh");
  });

  it("in a group answers only a command, a mention or a reply to the bot", async () => {
    const g = { chatType: "supergroup" as const, chatId: -100777, userId: 7001 };
    t.reset();
    const before = t.calls.length;
    await t.send(Q, g);
    // nothing at all: not even the typing action
    expect(t.calls.length).toBe(before);
    await t.send(`@TroLyHtxTestBot ${Q}`, g);
    expect(t.sent()).toHaveLength(1);
    expect(t.sent()[0]).toContain("<b>trên 15 HTX</b>");
    // replies quote the user's message in a group
    expect(t.callsOf("sendMessage")[0]!.payload.reply_parameters).toMatchObject({ message_id: expect.any(Number) });
    await t.send(SHARE, { ...g, replyToBot: true });
    expect(t.sent()).toHaveLength(2);
    expect(t.sent()[1]).toContain("69,97%");
    await t.send(`/hoi@TroLyHtxTestBot ${Q}`, g);
    expect(t.sent()).toHaveLength(3);
    await t.send("@someoneelse chào bạn", g);
    expect(t.sent()).toHaveLength(3);
  });

  it("shows the answer even when the typing action fails", async () => {
    const o = fresh();
    t.stub("sendChatAction", () => {
      throw new Error("sendChatAction is not supported here");
    });
    try {
      t.reset();
      await t.send(Q, o);
      expect(t.callsOf("sendChatAction")).toHaveLength(1);
      expect(t.sent()[0]).toContain("<b>trên 15 HTX</b>");
    } finally {
      t.stub("sendChatAction", null);
    }
  });
});

describe("calculator, documents and sources", () => {
  it("computes Vietnamese numbers with the formula shown", async () => {
    const o = fresh();
    t.reset();
    await t.send("/tinh 1.790 + 16.650", o);
    await t.send("/calc 80/285 %", o);
    const [sum, share] = t.sent();
    expect(sum).toContain("1.790 + 16.650 = 18.440");
    expect(sum).toContain("<b>18.440</b>");
    expect(share).toContain("<b>28,07%</b>");
    expect(share).toContain("<code>");
  });

  it("explains a garbage expression", async () => {
    const o = fresh();
    t.reset();
    await t.send("/tinh hai cộng ba", o);
    await t.send("/tinh", o);
    const [err, usage] = t.sent();
    expect(err).toMatch(/^Không tính được: .+/);
    expect(err).toContain("/tinh 1.790 + 16.650");
    expect(usage).toContain("Dùng: /tinh");
  });

  it("lists the 4 indexed documents with province, kind, number, date and period", async () => {
    const o = fresh();
    t.reset();
    await t.send("/tailieu", o);
    const [html] = t.sent();
    expect(html).toContain("(4)");
    for (const p of ["Cao Bằng", "Lạng Sơn", "Bắc Kạn"]) expect(html).toContain(p);
    expect(html).toContain("kế hoạch 2672/KH-UBND năm 2026");
    expect(html).toContain("nghị quyết 09-NQ/TU giai đoạn 2021–2025");
    expect(html).toMatch(/ngày 2025-08-25/);
    expect(html!.match(/^\d+\. <b>/gm)).toHaveLength(4);
  });

  it("/nguon shows the sources of the last answer; src and how callbacks show passage and formula", async () => {
    const o = fresh();
    t.reset();
    await t.send("/nguon", o);
    expect(t.sent()[0]).toContain("Chưa có trích dẫn nào");
    await t.send(SHARE, o);
    expect(keyboardOf(t).map((b) => b.callback_data)).toContainEqual(expect.stringMatching(/^how@\d+$/));
    t.reset();
    await t.send("/sources", o);
    expect(t.sent()[0]).toContain("[1] <i>Kế hoạch phát triển kinh tế tập thể, hợp tác xã trên địa bàn tỉnh Cao Bằng năm 2026</i>");
    expect(t.sent()[0]).toContain("<blockquote>");
    t.reset();
    await t.press("src:1", o);
    expect(t.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(t.sent()[0]).toContain("<blockquote expandable>");
    expect(t.sent()[0]).toContain("16.650");
    t.reset();
    await t.press("how", o);
    expect(t.sent()[0]).toContain("<code>11.650 ÷ 16.650 × 100 = 69,97%</code>");
    expect(t.sent()[0]).toContain("11.650");
    t.reset();
    await t.press("src:9", o);
    expect(t.sent()).toEqual([]);
    expect(t.callsOf("answerCallbackQuery")[0]!.payload.text).toContain("Không tìm thấy nguồn");
  });

  it("buttons under an older answer act on that answer, not on the newest one", async () => {
    const o = fresh();
    t.reset();
    await t.send(Q, o);
    const firstSource = keyboardOf(t).find((b) => b.callback_data?.startsWith("src:1@"))!.callback_data!;
    const firstUp = keyboardOf(t).find((b) => b.callback_data?.startsWith("fb:up@"))!.callback_data!;
    await t.send(SHARE, o);
    t.reset();
    await t.press(firstSource, o);
    expect(t.sent()[0]).toContain("475 HTX"); // the passage of the first answer (the 2026 targets)
    expect(t.sent()[0]).not.toContain("16.650");
    await t.press(firstUp, o);
    const lines = readFileSync(path.join(t.dataDir, "feedback.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.userId === o.userId).at(-1)).toMatchObject({ question: Q });
  });

  it("👍 records the question and the answer in feedback.jsonl", async () => {
    const o = fresh();
    await t.send(Q, o);
    t.reset();
    await t.press("fb:up", o);
    expect(t.callsOf("answerCallbackQuery")[0]!.payload.text).toContain("Cảm ơn");
    const lines = readFileSync(path.join(t.dataDir, "feedback.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const mine = lines.filter((l) => l.userId === o.userId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ vote: "up", chatId: o.userId, question: Q });
    expect(String(mine[0]!.answer)).toContain("trên 15 HTX");
    expect(await t.services.feedback.counts()).toMatchObject({ up: expect.any(Number) });
  });
});

describe("start, help and language", () => {
  it("/lang en switches the replies and the labels to English", async () => {
    const o = fresh();
    t.reset();
    await t.send("/lang en", o);
    expect(t.sent()[0]).toBe("Switched to English.");
    await t.send(SHARE, o);
    const labels = keyboardOf(t).map((b) => b.text);
    expect(labels).toContain("📄 Source 1");
    expect(labels).toContain("🧮 How computed");
    expect(t.sent()[1]).toContain("<b>Sources:</b>");
    await t.send("/lang xx", o);
    expect(t.sent()[2]).toBe("Use: /lang vi or /lang en");
    await t.send("/lang vi", o);
    expect(t.sent()[3]).toBe("Đã chuyển sang tiếng Việt.");
  });

  it("/start picks English from the user's language on first contact", async () => {
    const o = { ...fresh(), languageCode: "en-US" };
    t.reset();
    await t.send("/start", o);
    expect(t.sent()[0]).toContain("Hello!");
    expect(t.sent()[0]).toContain("4 documents");
  });

  it("/help lists the commands with tappable examples, and pressing one answers it", async () => {
    const o = fresh();
    t.reset();
    await t.send("/help", o);
    const [html] = t.sent();
    expect(html).toContain("/hoi (/ask)");
    expect(html).toContain("/chitieu (/targets)");
    expect(html).not.toContain("/reindex");
    const examples = keyboardOf(t).filter((b) => b.callback_data?.startsWith("ex:"));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    t.reset();
    await t.press(examples[0]!.callback_data!, o);
    expect(t.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(t.sent()[0]).toContain("<b>trên 15 HTX</b>");
  });

  it("registers every command in Vietnamese (default and vi) and English", () => {
    const calls = setMyCommandsCalls();
    expect(calls.map((c) => c.language_code)).toEqual([undefined, "vi", "en"]);
    const vi = commandMenu("vi").map((c) => c.command);
    const en = commandMenu("en").map((c) => c.command);
    for (const c of ["hoi", "tinh", "tailieu", "nguon", "chitieu", "sosanh", "chinhsach", "dieukien", "start", "help", "lang", "reindex", "stats"]) expect(vi).toContain(c);
    for (const c of ["ask", "calc", "documents", "sources", "targets", "compare", "policies", "eligibility", "reindex", "stats"]) expect(en).toContain(c);
  });

  it("hints at /help for an unknown command in a private chat", async () => {
    const o = fresh();
    t.reset();
    await t.send("/khongco", o);
    expect(t.sent()[0]).toContain("Không có lệnh /khongco");
  });
});

describe("access, rate limit, errors and sessions", () => {
  it("refuses a stranger once, with nothing from the corpus", async () => {
    const a = await createTestBot({ env: { STORE_DIR: t.storeDir, ALLOWED_USER_IDS: "42", ADMIN_USER_IDS: "43" } });
    try {
      await a.send(Q, { userId: 666 });
      await a.send(Q, { userId: 666 });
      const sent = a.sent();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain("chỉ dành cho người dùng được cấp quyền");
      await a.press("src:1", { userId: 666 });
      expect(a.callsOf("answerCallbackQuery")[0]!.payload).toMatchObject({ show_alert: true });
      await a.inline("Cao Bằng", { userId: 666 });
      expect(a.callsOf("answerInlineQuery")[0]!.payload.results).toEqual([]);
      const everything = JSON.stringify(a.calls);
      for (const leak of ["HTX [1]", "15 HTX", "Cao Bằng năm 2026", "Kế hoạch"]) expect(everything).not.toContain(leak);
      expect(a.callsOf("sendChatAction")).toEqual([]);
      // a stranger in another private chat gets their own single refusal
      await a.send(Q, { userId: 667, languageCode: "en" });
      expect(a.sent()[1]).toContain("only available to authorised users");
      // allowed users and admins are answered
      a.reset();
      await a.send(Q, { userId: 42 });
      await a.send(Q, { userId: 43 });
      expect(a.sent().filter((s) => s.includes("<b>trên 15 HTX</b>"))).toHaveLength(2);
    } finally {
      await a.cleanup();
    }
  }, 30_000);

  it("allows a listed group chat", async () => {
    const a = await createTestBot({ env: { STORE_DIR: t.storeDir, ALLOWED_CHAT_IDS: "-100555" } });
    try {
      await a.send(`/hoi ${Q}`, { chatType: "supergroup", chatId: -100555, userId: 9 });
      expect(a.sent()[0]).toContain("<b>trên 15 HTX</b>");
      await a.send(`/hoi ${Q}`, { chatType: "supergroup", chatId: -100556, userId: 9 });
      await a.send(`/hoi ${Q}`, { chatType: "supergroup", chatId: -100556, userId: 10 });
      expect(a.sent()).toHaveLength(2);
      expect(a.sent()[1]).toContain("chỉ dành cho");
    } finally {
      await a.cleanup();
    }
  }, 30_000);

  it("sends one friendly message when a user exceeds the rate limit", async () => {
    const a = await createTestBot({ env: { STORE_DIR: t.storeDir, RATE_LIMIT_PER_MINUTE: "2" } });
    try {
      for (let i = 0; i < 4; i++) await a.send("/tinh 1 + 1", { userId: 77 });
      const sent = a.sent();
      expect(sent).toHaveLength(3);
      expect(sent[2]).toContain("Bạn đang hỏi hơi nhanh");
      // another user is not affected
      await a.send("/tinh 2 + 2", { userId: 78 });
      expect(a.sent()[3]).toContain("4");
    } finally {
      await a.cleanup();
    }
  }, 30_000);

  it("apologises when a feature throws, and logs the update", async () => {
    const boom = new Composer<BotContext>();
    boom.command("boom", () => {
      throw new Error("kaboom");
    });
    const a = await createTestBot({ env: { STORE_DIR: t.storeDir }, features: [boom] });
    try {
      await a.send("/boom", { userId: 88 });
      expect(a.sent()).toEqual(["Xin lỗi, đã có lỗi khi xử lý yêu cầu của bạn. Vui lòng thử lại sau ít phút."]);
      await a.send("/lang en", { userId: 88 });
      a.reset();
      await a.send("/boom", { userId: 88 });
      expect(a.sent()[0]).toContain("Sorry, something went wrong");
      // the bot keeps working
      a.reset();
      await a.send(Q, { userId: 88 });
      expect(a.sent()[0]).toContain("<b>over 15 HTX</b>");
    } finally {
      await a.cleanup();
    }
  }, 30_000);

  it("keeps sessions on disk across a new bot instance", async () => {
    const first = await createTestBot({ env: { STORE_DIR: t.storeDir } });
    const env = { STORE_DIR: t.storeDir, DATA_DIR: first.dataDir };
    await first.send("/lang en", { userId: 99 });
    await first.send("Năm 2025 Bắc Kạn phấn đấu thành lập mới bao nhiêu tổ hợp tác?", { userId: 99 });
    const second = await createTestBot({ env });
    try {
      await second.send("còn lợi nhuận bình quân HTX thì sao?", { userId: 99 });
      const [html] = second.sent();
      expect(html).toContain("282");
      expect(keyboardOf(second).map((b) => b.text)).toContain("📄 Source 1");
      second.reset();
      await second.send("/sources", { userId: 99 });
      expect(second.sent()[0]).toContain("Bắc Kạn");
    } finally {
      await second.cleanup();
      await first.cleanup();
    }
  }, 30_000);

  it("webhook: rejects a wrong secret with 403, answers 200 at once and handles the update in the background", async () => {
    const server = await startWebhookServer(t.bot, { secret: "s3cret-token-0123456789", host: "127.0.0.1", port: 0, path: "/tg" }, t.services.log);
    try {
      const url = `http://127.0.0.1:${server.address!.port}/tg`;
      const update = (id: number) =>
        JSON.stringify({ update_id: 900000 + id, message: { message_id: 1, date: 0, chat: { id: 4242, type: "private", first_name: "W" }, from: { id: 4242, is_bot: false, first_name: "W" }, text: Q } });
      const bad = await fetch(url, { method: "POST", body: update(1), headers: { "x-telegram-bot-api-secret-token": "wrong" } });
      expect(bad.status).toBe(403);
      t.reset();
      const ok = await fetch(url, { method: "POST", body: update(2), headers: { "x-telegram-bot-api-secret-token": "s3cret-token-0123456789", "content-type": "application/json" } });
      expect(ok.status).toBe(200);
      await server.stop(); // waits for the update in flight
      expect(t.sent()[0]).toContain("<b>trên 15 HTX</b>");
    } finally {
      await server.stop().catch(() => undefined);
    }
  });
});
