// The terminal chat as a user types into it: offline, and with a language model behind it.

import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTerminalChat } from "../../bot/terminal.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { startOpenAIStub, type OpenAIStub } from "../helpers/openai-stub.js";
import { goodModel, QUESTION, rewritingTo } from "../helpers/scripted-model.js";

async function chat(t: TestApp, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (d: Buffer) => (text += d.toString("utf8")));
  const done = runTerminalChat(t.app, { input, output });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return text;
}

describe("terminal chat, offline", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);
  afterAll(() => t.cleanup());

  it("says it is offline, answers, keeps the province for a follow-up, shows sources, and quits", async () => {
    const out = await chat(t, ["Năm 2025 Bắc Kạn phấn đấu thành lập mới bao nhiêu tổ hợp tác?", "còn lợi nhuận bình quân HTX thì sao?", "/nguon", "/thoat", "không được hỏi"]);
    expect(out).toContain("Chế độ ngoại tuyến");
    expect(out).toContain("282 triệu đồng");
    expect(out).toMatch(/\[1\] Kế hoạch .*Bắc Kạn/);
    expect(out).not.toContain("không được hỏi");
  });
});

describe("terminal chat with a language model", () => {
  let t: TestApp;
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub();
    t = await startTestApp({ OPENAI_BASE_URL: stub.url, EMBEDDINGS_PROVIDER: "local", OPENAI_MODEL: "stub-chat", OPENAI_MAX_RETRIES: "0" });
  }, 60_000);
  afterAll(async () => {
    t.cleanup();
    await stub.close();
  });

  it("names the model, shows its verified answer and sends the conversation for a follow-up", async () => {
    const rewrites: string[] = [];
    stub.setChat(rewritingTo(QUESTION, goodModel(), rewrites));
    const out = await chat(t, [QUESTION, "con ngan sach tinh?", "/moi", QUESTION]);
    expect(out).toContain("mô hình ngôn ngữ stub-chat");
    expect(out).toContain("51,03%");
    expect(out).toContain("🧮 6.726 ÷ 13.180 × 100 = 51,03%");
    // One rewrite: for the follow-up, not for the question after /moi.
    expect(rewrites).toHaveLength(1);
    expect(rewrites[0]).toContain("con ngan sach tinh?");
  });
});
