// Load: 50 simulated users × 10 questions each against the real bot process and the emulator.
// Every question must be answered exactly once, and each user's answers must arrive in the order
// the questions were asked. The users ask fast (200 ms apart, without waiting for answers), so
// questions queue up in every chat: the order check is meaningful. `npm run loadtest` runs the
// same load at a steadier pace and prints the numbers quoted in docs/telegram.md.

import { afterAll, beforeAll, expect, it } from "vitest";
import { runLoad, startBotProcess, startEmulator, startGateway, User, type BotProcess, type Emulator, type Gateway } from "./harness.js";
import { formatLoad } from "./loadtest.js";

const USERS = 50;
const QUESTIONS = 10;
const FIRST = 30_000;

let emu: Emulator;
let gw: Gateway;
let bot: BotProcess;

beforeAll(async () => {
  emu = await startEmulator();
  gw = await startGateway(emu);
  const ids = Array.from({ length: USERS + 1 }, (_, i) => FIRST + i);
  bot = await startBotProcess({ apiRoot: gw.url, token: emu.token, allowedUserIds: ids });
  const warm = new User(emu, FIRST + USERS);
  await warm.say("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?");
  await warm.waitForMessages(1, 90_000);
});

afterAll(async () => {
  await bot?.cleanup();
  await gw?.close();
  await emu?.close();
});

it(`answers ${USERS} users × ${QUESTIONS} questions, every one once and in order`, async () => {
  const r = await runLoad(emu, { users: USERS, questionsPerUser: QUESTIONS, firstUserId: FIRST, gapMs: 200, timeoutMs: 90_000 });
  console.log(`[load] ${formatLoad(r).replace("\n", "\n[load] ")}`);
  expect(r.questions).toBe(500);
  expect(r.missing).toBe(0);
  expect(r.answered).toBe(500);
  expect(r.outOfOrder).toBe(0);
  expect(r.extra).toBe(0);
  // Generous bound for 2 shared cores; the measured values are printed above.
  expect(r.p95).toBeLessThan(15_000);
  const stopped = await bot.stop(30_000);
  expect(stopped.code).toBe(0);
}, 180_000);
