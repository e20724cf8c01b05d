// The four content commands through bot.handleUpdate, over the shipped corpus with the Bot API stubbed.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, type SendOptions, type TestBot } from "../../helpers/telegram.js";
import { createTargetsComposer } from "../../../bot/telegram/features/targets.js";
import { createCompareComposer } from "../../../bot/telegram/features/compare.js";
import { createPoliciesComposer } from "../../../bot/telegram/features/policies.js";
import { createEligibilityComposer } from "../../../bot/telegram/features/eligibility.js";
import { TELEGRAM_LIMIT } from "../../../bot/telegram/render.js";

type Button = { text: string; callback_data?: string };

function lastKeyboard(t: TestBot): Button[] {
  const calls = t.calls.filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
  for (let i = calls.length - 1; i >= 0; i--) {
    const markup = calls[i]!.payload.reply_markup as { inline_keyboard: Button[][] } | undefined;
    if (markup) return markup.inline_keyboard.flat();
  }
  return [];
}
const button = (t: TestBot, re: RegExp) => {
  const b = lastKeyboard(t).find((x) => re.test(x.text));
  if (!b?.callback_data) throw new Error(`no button ${re} in ${JSON.stringify(lastKeyboard(t))}`);
  return b.callback_data;
};

let nextUser = 7000;
const fresh = (): SendOptions => ({ userId: ++nextUser });

let t: TestBot;
beforeAll(async () => {
  t = await createTestBot({ features: [createTargetsComposer(), createCompareComposer(), createPoliciesComposer(), createEligibilityComposer()] });
}, 60_000);
afterAll(async () => {
  await t.cleanup();
});

describe("/chitieu", () => {
  it("shows Cao Bằng's 2026 targets with bold figures and sources", async () => {
    t.reset();
    await t.send("/chitieu cao bang 2026", fresh());
    const html = t.sent().join("\n");
    expect(html).toContain("<b>trên 15 HTX</b>");
    expect(html).toContain("<b>475 HTX</b>");
    expect(html).toContain("<b>trên 80%</b>");
    expect(html).toContain("2672/KH-UBND");
    expect(html).toMatch(/<b>Nguồn<\/b>\n\[1\] .*4\. Mot s6 muc ti/);
    for (const call of t.callsOf("sendMessage")) {
      expect(call.payload.parse_mode).toBe("HTML");
      expect(String(call.payload.text).length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
    }
  });

  it("asks for the province with buttons, and pressing one shows its tables", async () => {
    const o = fresh();
    t.reset();
    await t.send("/targets", o);
    const buttons = lastKeyboard(t).map((b) => b.text);
    expect(buttons).toEqual(expect.arrayContaining(["Cao Bằng", "Lạng Sơn", "Bắc Kạn"]));
    t.reset();
    await t.press(button(t, /Bắc Kạn/), o);
    const html = t.sent().join("\n");
    expect(html).toContain("<b>từ 35 HTX trở lên</b>");
    expect(html).toContain("<b>64 triệu đồng/năm</b>");
    expect(html).toContain("<b>350 HTX</b>");
    expect(html).toContain("09-NQ/TU");
    expect(t.callsOf("answerCallbackQuery")).toHaveLength(1);
  });

  it("says when a province is not in the documents", async () => {
    t.reset();
    await t.send("/chitieu Hà Nội", fresh());
    expect(t.sent()[0]).toMatch(/^Không có trong tài liệu: chưa có văn bản nào của Hà Nội\./);
  });
});

describe("/sosanh", () => {
  it("puts provinces side by side with a computed difference and its formula", async () => {
    t.reset();
    await t.send("/sosanh thanh lap moi htx", fresh());
    const html = t.sent().join("\n");
    expect(html).toContain("<b>Cao Bằng 2026</b>");
    expect(html).toContain("<b>Lạng Sơn 2024</b>");
    expect(html).toContain("<b>Bắc Kạn 2025</b>");
    expect(html).toContain("<b>từ 50 HTX trở lên</b>");
    expect(html).toContain("Cao Bằng 2026 − Lạng Sơn 2024: <b>-35 HTX</b>");
    expect(html).toContain("<code>15 − 50 = -35 HTX</code>");
    expect(html).toContain("Không có số liệu phù hợp trong: Bắc Kạn — nghị quyết 09-NQ/TU");
  });

  it("gives a usage hint without an argument", async () => {
    t.reset();
    await t.send("/compare", fresh());
    expect(t.sent()[0]).toMatch(/^Cách dùng: \/sosanh &lt;chỉ tiêu&gt;, ví dụ:/);
  });
});

describe("/chinhsach", () => {
  it("lists Bắc Kạn's policies by category with the fund's 988 triệu đồng, and narrows with a button", async () => {
    const o = fresh();
    t.reset();
    await t.send("/chinhsach bac kan", o);
    const html = t.sent().join("\n");
    expect(html).toContain("💳 <b>Tín dụng, vay vốn, Quỹ hỗ trợ phát triển HTX</b>");
    expect(html).toContain("<b>988 triệu đồng</b>");
    expect(html).toContain("42/2012/QĐ-TTg");
    expect(t.sent().every((m) => m.length <= TELEGRAM_LIMIT)).toBe(true);
    t.reset();
    await t.press(button(t, /Tín dụng/), o);
    const credit = t.sent().join("\n");
    expect(credit).toContain("Chính sách hỗ trợ: Bắc Kạn — Tín dụng");
    expect(credit).toContain("lãi suất ưu đãi 6,8%/năm");
    expect(credit).not.toContain("🛡 <b>Bảo hiểm</b>");
  });

  it("shows Lạng Sơn's legal basis 1804/QĐ-TTg", async () => {
    t.reset();
    await t.send("/policies Lang Son", fresh());
    expect(t.sent().join("\n")).toContain("1804/QĐ-TTg");
  });
});

describe("/dieukien", () => {
  it("guides by buttons, editing one message, to programs with conditions as written", async () => {
    const o = fresh();
    t.reset();
    await t.send("/dieukien", o);
    expect(t.sent()[0]).toContain("1/4.");
    await t.press(button(t, /^Bắc Kạn$/), o);
    await t.press(button(t, /Nông nghiệp/), o);
    await t.press(button(t, /Đang hoạt động/), o);
    expect(t.sent().at(-1)).toContain("4/4.");
    await t.press(button(t, /Nhân lực/), o);
    const edits = t.callsOf("editMessageText");
    expect(edits).toHaveLength(4);
    expect(t.callsOf("sendMessage")).toHaveLength(1);
    const final = t.sent().slice(-1)[0]!;
    expect(final).toContain("Bắc Kạn · 🌾 Nông nghiệp · ⚙️ Đang hoạt động · Nhân lực, cán bộ trẻ");
    expect(final).toContain("Điều kiện, đối tượng (nguyên văn)");
    expect(final).toContain("độ tuổi không quá 35 tuổi đối với lao động là nữ và không quá 40 đối với nam.");
    expect(final).toMatch(/\[1\] Bắc Kạn — kế hoạch/);
    // Back goes one step up, restart to the beginning.
    await t.press(button(t, /Quay lại/), o);
    expect(t.sent().at(-1)).toContain("4/4.");
    await t.press(button(t, /Làm lại/), o);
    expect(t.sent().at(-1)).toContain("1/4.");
  });

  it("says plainly when the documents do not cover the profile", async () => {
    const o = fresh();
    await t.send("/dieukien cao bang", o);
    t.reset();
    await t.press("elig:s:agriculture", o);
    await t.press("elig:g:operating", o);
    await t.press("elig:n:insurance", o);
    expect(t.sent().at(-1)).toContain("⚠️ Các tài liệu của Cao Bằng không nêu chính sách hỗ trợ về bảo hiểm");
  });

  it("answers in English after /lang en", async () => {
    const o = fresh();
    await t.send("/lang en", o);
    t.reset();
    await t.send("/eligibility lang son", o);
    expect(t.sent()[0]).toContain("2/4. Which sector does it work in?");
    await t.press("elig:s:any", o);
    await t.press("elig:g:new", o);
    t.reset();
    await t.press("elig:n:capital", o);
    // The edited message, and the continuation of a long answer in new messages.
    const final = t.sent().join("\n");
    expect(final).toContain("Programs the documents describe");
    expect(final).toContain("Conditions (as written)");
    t.reset();
    await t.send("/targets lang son", o);
    expect(t.sent().join("\n")).toMatch(/Targets — Lạng Sơn — plan for 2024/);
    expect(t.sent().join("\n")).toContain("<b>at least 50 HTX</b>");
  });
});
