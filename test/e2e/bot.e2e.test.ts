// The real bot process (`tsx bot/main.ts`) against the telegram-test-api emulator on loopback,
// driven by the emulator's client acting as users: questions, a follow-up, /chitieu, a source
// button, a stranger, and a graceful SIGTERM.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonsOf, sleep, startBotProcess, startEmulator, startGateway, User, waitUntil, type BotProcess, type Emulator, type Gateway } from "./harness.js";

const USER = 5001;
const STRANGER = 6666;
const plain = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");


let emu: Emulator;
let gw: Gateway;
let bot: BotProcess;
let user: User;

beforeAll(async () => {
  emu = await startEmulator();
  gw = await startGateway(emu);
  bot = await startBotProcess({ apiRoot: gw.url, token: emu.token, allowedUserIds: [USER] });
  user = new User(emu, USER);
});

afterAll(async () => {
  await bot?.cleanup();
  await gw?.close();
  await emu?.close();
});

describe("the bot process with the Telegram emulator", () => {
  it("answers a question with the figure, its source and buttons", async () => {
    await user.say("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?");
    // The first answer also waits for the start-up (index build included).
    const m = await user.waitForMessage((t) => plain(t).includes("15 HTX"), 0, 90_000);
    expect(plain(m.message.text)).toMatch(/Cao Bằng.*2026.*trên 15 HTX/);
    expect(plain(m.message.text)).toContain("Kế hoạch phát triển kinh tế tập thể, hợp tác xã trên địa bàn tỉnh Cao Bằng năm 2026");
    expect(buttonsOf(m).map((b) => b.text)).toContain("📄 Nguồn 1");
    expect(user.received()).toHaveLength(1);
  });

  it("keeps the conversation's context for a follow-up", async () => {
    const n = user.received().length;
    // Only the year and the province change: "thành lập mới … HTX" comes from the previous question.
    await user.say("còn năm 2024 ở Lạng Sơn?");
    const m = await user.waitForMessage(() => true, n);
    expect(plain(m.message.text)).toMatch(/Lạng Sơn.*2024.*từ 50 HTX trở lên/);
  });

  it("shows the cited passage when the “📄 Nguồn 1” button is pressed", async () => {
    const answer = user.received().at(-1)!;
    const button = buttonsOf(answer).find((b) => b.text === "📄 Nguồn 1");
    expect(button?.callback_data).toBeTruthy();
    const n = user.received().length;
    await user.press(button!.callback_data!, answer);
    const m = await user.waitForMessage(() => true, n);
    const text = plain(m.message.text);
    expect(text).toContain("[1] Kế hoạch phát triển kinh tế tập thể, hợp tác xã năm 2024 tỉnh Lạng Sơn");
    expect(text).toContain("Số HTX thành lập mới: Từ 50 HTX trở lên.");
    expect(m.message.text).toContain("<blockquote expandable>");
  });

  it("lists a province's targets with /chitieu", async () => {
    const n = user.received().length;
    await user.say("/chitieu Cao Bằng 2026");
    const m = await user.waitForMessage(() => true, n);
    const text = plain(user.received().slice(n).map((x) => x.message.text).join("\n"));
    expect(m).toBeDefined();
    expect(text).toContain("Cao Bằng");
    expect(text).toContain("15 HTX");
  });

  it("refuses a stranger once and shows them nothing from the corpus", async () => {
    const stranger = new User(emu, STRANGER);
    await stranger.say("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?");
    const [refusal] = await stranger.waitForMessages(1);
    expect(refusal!.message.text).toContain("chỉ dành cho người dùng được cấp quyền");
    await stranger.say("/chitieu Cao Bằng");
    await stranger.say("còn Lạng Sơn?");
    // Both were fetched and handled (the allowed user's next answer proves the bot is past them).
    await waitUntil(() => (emu.unreadUserUpdates() === 0 ? true : undefined), 10_000, "the stranger's updates to be fetched");
    const n = user.received().length;
    await user.say("Tỷ lệ HTX yếu kém của Bắc Kạn năm 2025 phấn đấu dưới bao nhiêu?");
    await user.waitForMessage((t) => plain(t).includes("dưới 10%"), n);
    await sleep(300);
    const got = stranger.received();
    expect(got).toHaveLength(1);
    expect(got[0]!.message.text).not.toMatch(/15 HTX|Cao Bằng|Kế hoạch/);
  });

  it("stops on SIGTERM after answering the questions it has already taken, and exits with 0", async () => {
    const n = user.received().length;
    const questions = [
      "Tổng số thành viên HTX của Cao Bằng ước thực hiện năm 2025?",
      "Tổng số thành viên HTX của Lạng Sơn đến 30/6/2023?",
      "Lãi bình quân của HTX Cao Bằng năm 2025 ước đạt bao nhiêu?",
    ];
    for (const q of questions) await user.say(q);
    // As soon as the bot has taken all three (fetched from the API), ask it to stop.
    await waitUntil(() => (emu.unreadUserUpdates() === 0 ? true : undefined), 10_000, "the questions to be fetched", 2);
    const stopped = await bot.stop(30_000);
    expect(stopped.signal).toBeNull();
    expect(stopped.code).toBe(0);
    const answers = user.received().slice(n).map((m) => plain(m.message.text));
    expect(answers).toHaveLength(3);
    expect(answers[0]).toContain("4.007");
    expect(answers[1]).toContain("5.409");
    expect(answers[2]).toContain("315 triệu");
    // No secret in anything the process printed.
    expect(bot.output()).not.toContain(emu.token);
    expect(bot.output()).not.toContain(emu.token.split(":")[1]!);
  });
});
