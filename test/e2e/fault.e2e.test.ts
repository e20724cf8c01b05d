// Faults between the real bot process and the Telegram API (the emulator behind a loopback
// gateway): the API unreachable for 10 s — while users keep asking, and while the bot is sending
// an answer — and 429 Too Many Requests with retry_after on sendMessage. The bot must recover,
// and every question must be answered exactly once.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerIndex, LOAD_QUESTIONS, sleep, startBotProcess, startEmulator, startGateway, User, waitUntil, type BotProcess, type Emulator, type Gateway } from "./harness.js";

const USER_A = 7001;
const USER_B = 7002;
const OUTAGE_MS = 10_000;

let emu: Emulator;
let gw: Gateway;
let bot: BotProcess;
let a: User;
let b: User;

/** The load questions' indexes the chat's answers (from message `from` on) correspond to. */
const answered = (u: User, from: number) => u.received().slice(from).map((m) => answerIndex(m.message.text));

beforeAll(async () => {
  emu = await startEmulator();
  gw = await startGateway(emu);
  bot = await startBotProcess({ apiRoot: gw.url, token: emu.token, allowedUserIds: [USER_A, USER_B] });
  a = new User(emu, USER_A);
  b = new User(emu, USER_B);
  await a.say(LOAD_QUESTIONS[0]!.q);
  await a.waitForMessages(1, 90_000);
});

afterAll(async () => {
  await bot?.cleanup();
  await gw?.close();
  await emu?.close();
});

describe("the bot when the Telegram API fails", () => {
  it("answers the questions asked while the API was unreachable for 10 s, once each", async () => {
    const na = a.received().length;
    const nb = b.received().length;
    gw.setDown(true);
    const t0 = Date.now();
    await a.say(LOAD_QUESTIONS[1]!.q);
    await b.say(LOAD_QUESTIONS[2]!.q);
    await sleep(OUTAGE_MS / 2);
    await a.say(LOAD_QUESTIONS[3]!.q);
    await sleep(OUTAGE_MS - (Date.now() - t0));
    expect(gw.stats.refused).toBeGreaterThan(0);
    expect(a.received()).toHaveLength(na);
    gw.setDown(false);
    const up = Date.now();
    await a.waitForMessages(na + 2, 40_000);
    await b.waitForMessages(nb + 1, 40_000);
    console.log(`[fault] outage: ${gw.stats.refused} requests refused; all answers ${Date.now() - up} ms after the API came back`);
    await sleep(1_000);
    expect(answered(a, na)).toEqual([1, 3]);
    expect(answered(b, nb)).toEqual([2]);
  }, 90_000);

  it("delivers an answer whose sending started just as the API went down for 10 s, once", async () => {
    const na = a.received().length;
    const refusedBefore = gw.stats.refused;
    const outage = gw.downOnNext("sendMessage", OUTAGE_MS);
    await a.say(LOAD_QUESTIONS[4]!.q);
    await outage;
    const up = Date.now();
    expect(gw.stats.refused).toBeGreaterThan(refusedBefore);
    const got = await a.waitForMessages(na + 1, 60_000);
    console.log(`[fault] in-flight answer delivered ${got.at(-1)!.time - up} ms after the API came back`);
    await sleep(2_000);
    expect(answered(a, na)).toEqual([4]);
  }, 90_000);

  it("waits out 429 retry_after on sendMessage and sends each answer once", async () => {
    const na = a.received().length;
    const nb = b.received().length;
    const limitedBefore = gw.stats.limited;
    gw.rateLimitNext("sendMessage", 3, 2);
    const t0 = Date.now();
    await a.say(LOAD_QUESTIONS[5]!.q);
    await b.say(LOAD_QUESTIONS[6]!.q);
    await a.say(LOAD_QUESTIONS[7]!.q);
    await a.waitForMessages(na + 2, 40_000);
    await b.waitForMessages(nb + 1, 40_000);
    const ms = Date.now() - t0;
    console.log(`[fault] 429: ${gw.stats.limited - limitedBefore} calls limited; 3 answers in ${ms} ms`);
    expect(gw.stats.limited - limitedBefore).toBe(3);
    // Nothing is sent before retry_after has passed.
    expect(ms).toBeGreaterThanOrEqual(2_000);
    await sleep(1_000);
    expect(answered(a, na)).toEqual([5, 7]);
    expect(answered(b, nb)).toEqual([6]);
  }, 60_000);

  it("still exits cleanly after the faults", async () => {
    await waitUntil(() => (emu.unreadUserUpdates() === 0 ? true : undefined), 5_000, "no pending updates");
    const stopped = await bot.stop(30_000);
    expect(stopped.code).toBe(0);
    expect(bot.output()).not.toContain(emu.token);
  });
});
