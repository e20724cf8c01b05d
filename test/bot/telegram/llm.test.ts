// The bot in the language-model mode: the real ChatOpenAI client against the OpenAI stub on
// loopback, the Bot API stubbed by a transformer.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../../helpers/telegram.js";
import { startOpenAIStub, type OpenAIStub } from "../../helpers/openai-stub.js";
import { goodModel, QUESTION, rewritingTo } from "../../helpers/scripted-model.js";

let t: TestBot;
let stub: OpenAIStub;
let nextUser = 7000;
const fresh = () => ({ userId: ++nextUser });

beforeAll(async () => {
  stub = await startOpenAIStub();
  t = await createTestBot({ env: { OPENAI_BASE_URL: stub.url, EMBEDDINGS_PROVIDER: "local", OPENAI_MODEL: "stub-chat", OPENAI_MAX_RETRIES: "0" } });
}, 60_000);
afterAll(async () => {
  await t.cleanup();
  await stub.close();
});

describe("Telegram with a language model", () => {
  it("shows the model's verified answer with its source and the calculator's working", async () => {
    stub.setChat(goodModel());
    t.reset();
    await t.send(QUESTION, fresh());
    const [html] = t.sent();
    expect(html).toContain("<b>51,03%</b>");
    expect(html).toMatch(/\[1\] <i>Kế hoạch phát triển kinh tế tập thể, hợp tác xã năm 2024 tỉnh Lạng Sơn<\/i>/);
    expect(html).not.toContain("ℹ️");
    const markup = t.callsOf("sendMessage").at(-1)!.payload.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> };
    expect(markup.inline_keyboard.flat().map((b) => b.text)).toEqual(expect.arrayContaining(["📄 Nguồn 1", "🧮 Cách tính"]));
  });

  it("passes the conversation to the model for a follow-up", async () => {
    const o = fresh();
    const rewrites: string[] = [];
    stub.setChat(rewritingTo(QUESTION, goodModel(), rewrites));
    await t.send(QUESTION, o);
    t.reset();
    await t.send("con ngan sach tinh?", o);
    expect(rewrites).toHaveLength(1);
    expect(rewrites[0]).toContain(QUESTION);
    expect(rewrites[0]).toContain("51,03%");
    expect(t.sent()[0]).toContain("51,03%");
  });

  it("marks the offline answer when the model is down", async () => {
    stub.setChat([{ kind: "error", status: 503, message: "overloaded" }]);
    t.reset();
    await t.send("Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?", fresh());
    const [html] = t.sent();
    expect(html).toContain("<b>trên 15 HTX</b>");
    expect(html).toContain("<i>ℹ️ Mô hình ngôn ngữ đang không truy cập được; đây là câu trả lời tự động từ tài liệu.</i>");
  });
});
