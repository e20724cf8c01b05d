import { describe, expect, it } from "vitest";
import { escapeHtml, hasComputedFigures, renderAnswer, renderHowTo, renderSource, splitMessage } from "../../../bot/telegram/render.js";
import type { Answer, Citation } from "../../../knowledge/types.js";

function citation(n: number, over: Partial<Citation> = {}): Citation {
  return {
    n,
    document: "doc",
    title: `Kế hoạch số ${n}`,
    section: "II. Nội dung › 4. Mục tiêu",
    page: null,
    quote: "Phấn đấu thành lập mới trên 15 HTX.",
    text: "4. Mục tiêu\nPhấn đấu thành lập mới trên 15 HTX. Tổng số HTX đạt 475.",
    chunkId: `doc#${n}`,
    start: 0,
    end: 10,
    ...over,
  };
}

function answer(over: Partial<Answer> = {}): Answer {
  return {
    question: "Năm 2026 Cao Bằng phấn đấu thành lập mới bao nhiêu HTX?",
    answer: "Cao Bằng — mục tiêu năm 2026: trên 15 HTX [1].\nTrích [1]: «Phấn đấu thành lập mới trên 15 HTX.»\nNguồn: [1] Kế hoạch — mục 4",
    refused: false,
    citations: [citation(1)],
    figures: [{ label: "mục tiêu", value: 15, display: "trên 15 HTX", unit: "HTX", formula: "Số liệu nêu trong tài liệu [1]", inputs: [{ label: "mục tiêu", value: 15, unit: "HTX", source: "Kế hoạch › 4: «trên 15 HTX»", citation: 1 }] }],
    mode: "offline",
    ms: 5,
    lang: "vi",
    ...over,
  };
}

const computed: Answer["figures"][number] = {
  label: "ngân sách trung ương / nhu cầu vốn",
  value: 69.97,
  display: "69,97%",
  unit: "%",
  formula: "11.650 ÷ 16.650 × 100 = 69,97%",
  inputs: [
    { label: "ngân sách trung ương", value: 11650, unit: "triệu đồng", source: "Kế hoạch › 6.2: «11.650 triệu đồng»", citation: 1 },
    { label: "nhu cầu vốn", value: 16650, unit: "triệu đồng", source: "Kế hoạch › 6.2: «16.650 triệu đồng»", citation: 2 },
  ],
};

function buttons(a: Answer, lang: "vi" | "en" = "vi") {
  const msgs = renderAnswer(a, lang);
  const kb = msgs[msgs.length - 1]!.keyboard!;
  return kb.inline_keyboard.flat().map((b) => ({ text: b.text, data: "callback_data" in b ? b.callback_data : undefined }));
}

describe("escapeHtml", () => {
  it("escapes &, < and >", () => {
    expect(escapeHtml("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
  });

  it("escapes quotes and titles inside an answer, a source and a how-to", () => {
    const c = citation(1, { title: "KH <2026> & NQ", quote: "vốn < 5 & > 2", text: "Đoạn: vốn < 5 & > 2 triệu" });
    const a = answer({ answer: "Số liệu <b>không</b> & khác [1].", citations: [c], figures: [] });
    const html = renderAnswer(a, "vi").map((m) => m.html).join("");
    expect(html).toContain("Số liệu &lt;b&gt;không&lt;/b&gt; &amp; khác");
    expect(html).toContain("KH &lt;2026&gt; &amp; NQ");
    expect(html).not.toContain("<2026>");
    const src = renderSource(c, "vi");
    expect(src).toContain("<blockquote expandable>Đoạn: <b>vốn &lt; 5 &amp; &gt; 2</b> triệu</blockquote>");
    const how = renderHowTo(answer({ figures: [{ ...computed, label: "a<b", inputs: [{ ...computed.inputs[0]!, source: "x & <y>" }] }] }), "vi");
    expect(how).toContain("a&lt;b");
    expect(how).toContain("x &amp; &lt;y&gt;");
  });
});

describe("renderAnswer", () => {
  it("bolds the key figure in the first line and numbers the citations with title and section", () => {
    const [m] = renderAnswer(answer(), "vi");
    expect(m!.html.split("\n")[0]).toBe("Cao Bằng — mục tiêu năm 2026: <b>trên 15 HTX</b> [1].");
    expect(m!.html).toContain("[1] <i>Kế hoạch số 1</i> — mục II. Nội dung › 4. Mục tiêu");
    // The answerer's own one-line "Nguồn:" is replaced by the numbered list.
    expect(m!.html).not.toContain("Nguồn: [1] Kế hoạch — mục 4");
  });

  it("has one source button per citation, feedback buttons, and no how-to button for stated figures", () => {
    const a = answer({ citations: [citation(1), citation(2), citation(3)] });
    const b = buttons(a);
    expect(b.filter((x) => x.data?.startsWith("src:")).map((x) => x.text)).toEqual(["📄 Nguồn 1", "📄 Nguồn 2", "📄 Nguồn 3"]);
    expect(b.map((x) => x.data)).toContain("fb:up");
    expect(b.map((x) => x.data)).toContain("fb:down");
    expect(b.map((x) => x.data)).not.toContain("how");
    expect(hasComputedFigures(a)).toBe(false);
  });

  it("adds the how-to button only when the answer has computed figures", () => {
    const a = answer({ figures: [computed], citations: [citation(1), citation(2)], answer: "Cao Bằng, năm 2026: 69,97% [1][2]." });
    const b = buttons(a);
    expect(b.find((x) => x.data === "how")?.text).toBe("🧮 Cách tính");
    expect(renderAnswer(a, "vi")[0]!.html.split("\n")[0]).toBe("Cao Bằng, năm 2026: <b>69,97%</b> [1][2].");
    const how = renderHowTo(a, "vi");
    expect(how).toContain("<code>11.650 ÷ 16.650 × 100 = 69,97%</code>");
    expect(how).toContain("«11.650 triệu đồng»");
    expect(how).toContain("[2]");
    expect(renderHowTo(answer(), "vi")).toBe("Câu trả lời này không có số liệu tính toán.");
  });

  it("uses English labels when the language is English", () => {
    const a = answer({ figures: [computed], lang: "en", answer: "Cao Bằng, 2026: 69,97% [1].\nSource: [1] Plan — section 6.2" });
    const b = buttons(a, "en");
    expect(b.map((x) => x.text)).toEqual(["📄 Source 1", "🧮 How computed", "👍", "👎"]);
    const html = renderAnswer(a, "en")[0]!.html;
    expect(html).toContain("<b>Sources:</b>");
    expect(html).toContain("— section II.");
    expect(html).not.toContain("Source: [1] Plan");
    expect(renderSource(citation(1), "en")).toContain("section II. Nội dung");
  });

  it("gives a refusal no bold and no source buttons", () => {
    const a = answer({ refused: true, citations: [], figures: [], answer: "Không có trong tài liệu: <x>." });
    const msgs = renderAnswer(a, "vi");
    expect(msgs[0]!.html).toBe("Không có trong tài liệu: &lt;x&gt;.");
    expect(buttons(a).map((x) => x.data)).toEqual(["fb:up", "fb:down"]);
  });

  it("splits a long answer, keeping the buttons on the last message", () => {
    const para = "Đoạn văn dài về HTX & THT. ".repeat(40);
    const a = answer({ answer: Array.from({ length: 12 }, () => para).join("\n\n") });
    const msgs = renderAnswer(a, "vi");
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) expect(m.html.length).toBeLessThanOrEqual(4096);
    expect(msgs.slice(0, -1).every((m) => m.keyboard === undefined)).toBe(true);
    expect(msgs[msgs.length - 1]!.keyboard).toBeDefined();
  });
});

function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}

describe("splitMessage", () => {
  it("keeps a short message whole", () => {
    expect(splitMessage("<b>a</b>\n\nb")).toEqual(["<b>a</b>\n\nb"]);
  });

  it("splits at paragraph boundaries under the limit", () => {
    const paras = Array.from({ length: 10 }, (_, i) => `<b>Đoạn ${i}</b> ${"x".repeat(900)}`);
    const parts = splitMessage(paras.join("\n\n"));
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(balanced(p)).toBe(true);
      // every part starts at the beginning of a paragraph
      expect(p.startsWith("<b>Đoạn ")).toBe(true);
    }
    expect(parts.join("\n\n")).toBe(paras.join("\n\n"));
  });

  it("falls back to lines, then to a hard split, never cutting a tag or an entity", () => {
    const lines = Array.from({ length: 50 }, (_, i) => `dòng ${i} &amp; ${"y".repeat(100)}`).join("\n");
    const parts = splitMessage(lines, 1000);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(1000);
      expect(p.startsWith("dòng ")).toBe(true);
    }
    const hard = splitMessage(`<blockquote expandable>${"a&lt;b ".repeat(10)}${"z".repeat(3000)}</blockquote>`, 1000);
    expect(hard.length).toBeGreaterThan(3);
    for (const p of hard) {
      expect(p.length).toBeLessThanOrEqual(1000);
      expect(p.startsWith("<blockquote expandable>")).toBe(true);
      expect(p.endsWith("</blockquote>")).toBe(true);
      expect(balanced(p)).toBe(true);
      expect(/&[a-z]*$/.test(p.replace(/<\/blockquote>$/, ""))).toBe(false);
    }
    const strip = (x: string) => x.replace(/<\/?blockquote[^>]*>/g, "").replace(/\s+/g, "");
    expect(hard.map(strip).join("")).toBe(strip(`${"a&lt;b ".repeat(10)}${"z".repeat(3000)}`));
  });

  it("closes and reopens a tag that spans a cut", () => {
    const html = `<b>${"word ".repeat(300)}</b>`;
    const parts = splitMessage(html, 500);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect(balanced(p)).toBe(true);
      expect(p.startsWith("<b>")).toBe(true);
    }
  });
});
