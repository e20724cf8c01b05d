// The checks on a model's answer, without a model: parsing, plain text, markers, and the guard
// over a real engine.

import { AIMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markersIn, parseFinal, plainText, redactKeys, verifyAnswer } from "../../../knowledge/llm/answerer.js";
import { createEvidence, passageNumber } from "../../../knowledge/llm/tools.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(() => t.cleanup());

describe("parseFinal", () => {
  it("reads the final_answer tool call, or a JSON reply (fenced or not)", () => {
    const viaTool = new AIMessage({ content: "", tool_calls: [{ name: "final_answer", args: { answer: "a [1]", citations: [{ n: 1, quote: "q" }] }, id: "c1" }] });
    expect(parseFinal(viaTool)).toEqual({ ok: true, value: { answer: "a [1]", citations: [{ n: 1, quote: "q" }] } });
    const fenced = new AIMessage('```json\n{"answer": "b", "citations": []}\n```');
    expect(parseFinal(fenced)).toEqual({ ok: true, value: { answer: "b", citations: [] } });
  });

  it("names the problem when the reply is prose or the wrong shape", () => {
    const prose = parseFinal(new AIMessage("Cao Bằng phấn đấu thành lập mới 15 HTX."));
    expect(prose.ok).toBe(false);
    if (!prose.ok) expect(prose.problem.en).toMatch(/required format/);
    const wrong = parseFinal(new AIMessage('{"answer": "", "citations": [{"n": "one"}]}'));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problem.en).toMatch(/citations\.0\.n/);
  });
});

describe("markers and plain text", () => {
  it("hides API keys quoted in a server's error message before it is logged", () => {
    expect(redactKeys("401 Incorrect API key provided: sk-proj-AbC123****wxyz. You can find your key")).toBe("401 Incorrect API key provided: sk-[redacted] You can find your key");
  });
  it("finds citation markers in order, lists included", () => {
    expect(markersIn("A [3]. B [1, 3]; C [2][4].")).toEqual([3, 1, 2, 4]);
  });
  it("removes Markdown the views would show literally", () => {
    expect(plainText("## Kết quả\n**51,03%** là tỷ lệ `NSTW`  \n")).toBe("Kết quả\n51,03% là tỷ lệ NSTW");
  });
});

describe("verifyAnswer", () => {
  const LS = "lang-son-ke-hoach-kttt-htx-2024";
  const chunkWith = (text: string) => t.app.engine.records.find((r) => r.meta.id === LS)!.chunks.find((c) => c.text.includes(text))!;

  it("renumbers citations in order of use and shows the passage's own words", () => {
    const ev = createEvidence();
    const other = passageNumber(ev, t.app.engine.records[0]!.chunks[0]!);
    const n = passageNumber(ev, chunkWith("13.180 triệu đồng"));
    expect([other, n]).toEqual([1, 2]);
    const r = verifyAnswer(
      t.app.engine,
      ev,
      { answer: "**Tổng kinh phí** 2021-2025: 13.180 triệu đồng, tức 13,18 tỷ đồng [2].", citations: [{ n, quote: "tong kinh phi ho tro giai doan 2021-2025 tu nguon von ngan sach nha nuoc 13.180 trieu dong" }] },
      ["q"],
      "vi",
    );
    expect(r.problems).toEqual([]);
    expect(r.verified!.answer).toBe("Tổng kinh phí 2021-2025: 13.180 triệu đồng, tức 13,18 tỷ đồng [1].");
    expect(r.verified!.citations[0]).toMatchObject({ n: 1, document: LS, quote: "Tổng kinh phí hỗ trợ giai đoạn 2021-2025 từ nguồn vốn ngân sách nhà nước 13.180 triệu đồng" });
    const c = r.verified!.citations[0]!;
    expect(t.app.engine.recordsById.get(LS)!.text.slice(c.start, c.end)).toBe(c.quote);
  });

  it("lets a refusal repeat the numbers of the question and of the rewritten follow-up, nothing else", () => {
    const ev = createEvidence();
    const ok = verifyAnswer(t.app.engine, ev, { answer: "Không có trong tài liệu số liệu năm 2030 của Hà Giang.", citations: [] }, ["Hà Giang thì sao?", "Hà Giang năm 2030 có bao nhiêu HTX?"], "vi");
    expect(ok.problems).toEqual([]);
    expect(ok.verified!.refused).toBe(true);
    const bad = verifyAnswer(t.app.engine, ev, { answer: "Không có trong tài liệu, nhưng khoảng 120 HTX.", citations: [] }, ["Hà Giang năm 2030 có bao nhiêu HTX?"], "vi");
    expect(bad.problems.map((p) => p.en)).toEqual(["number 120 is not in a cited passage or a calculator result"]);
  });
});
