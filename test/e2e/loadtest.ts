// npm run loadtest [-- --users 50 --questions 10 --gap 1000]
// The real bot process against the telegram-test-api emulator on loopback: N simulated users each
// send their questions one after another (without waiting for the answers); prints how many were
// answered, in order, and the latency from sending a question to the bot's answer (p50/p95).

import { runLoad, startBotProcess, startEmulator, startGateway, User, type LoadResult } from "./harness.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  return Number.isFinite(v) && v >= 0 ? v : def;
}

export function formatLoad(r: LoadResult): string {
  return [
    `users: ${r.users}, questions: ${r.questions}, answered: ${r.answered}, missing: ${r.missing}, out of order: ${r.outOfOrder}, extra messages: ${r.extra}`,
    `latency (send → answer): p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms; wall time ${(r.wallMs / 1000).toFixed(1)} s`,
  ].join("\n");
}

async function main(): Promise<number> {
  const users = arg("users", 50);
  const questions = arg("questions", 10);
  const gapMs = arg("gap", 1000);
  const firstUserId = 20_000;
  const emu = await startEmulator();
  const gw = await startGateway(emu);
  const ids = Array.from({ length: users + 1 }, (_, i) => firstUserId + i);
  const bot = await startBotProcess({ apiRoot: gw.url, token: emu.token, allowedUserIds: ids, env: { RATE_LIMIT_PER_MINUTE: "1000" } });
  try {
    // Warm-up (start-up and index build are not part of the measurement).
    const warm = new User(emu, firstUserId + users);
    await warm.say("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?");
    await warm.waitForMessages(1, 120_000);
    process.stdout.write(`load: ${users} users × ${questions} questions, ${gapMs} ms between one user's questions\n`);
    const r = await runLoad(emu, { users, questionsPerUser: questions, firstUserId, gapMs, timeoutMs: 300_000 });
    process.stdout.write(`${formatLoad(r)}\n`);
    const stopped = await bot.stop(30_000);
    process.stdout.write(`bot stopped with exit code ${stopped.code} in ${stopped.ms} ms\n`);
    return r.missing === 0 && r.outOfOrder === 0 && r.extra === 0 && stopped.code === 0 ? 0 : 1;
  } finally {
    await bot.cleanup();
    await gw.close();
    await emu.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`loadtest failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
