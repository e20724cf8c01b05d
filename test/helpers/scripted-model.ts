// Helpers for scripting the OpenAI stub as a "model": read what the answerer sent (passages,
// tool results, feedback) and decide the next reply.

import { contentText, type ChatCompletionBody, type ChatReply, type ChatScript } from "./openai-stub.js";

export interface ShownPassage {
  n: number;
  attrs: string;
  text: string;
}

/** The passages the tools have shown in this conversation, from the tool messages. */
export function passagesIn(body: ChatCompletionBody): ShownPassage[] {
  const out: ShownPassage[] = [];
  for (const m of body.messages) {
    if (m.role !== "tool") continue;
    for (const p of contentText(m.content).matchAll(/<passage n="(\d+)"([^>]*)>\n([\s\S]*?)\n<\/passage>/g)) {
      if (!out.some((x) => x.n === Number(p[1]))) out.push({ n: Number(p[1]), attrs: p[2]!, text: p[3]! });
    }
  }
  return out;
}

/** Tool messages answering calls to `name`, in order. */
export function toolResults(body: ChatCompletionBody, name: string): string[] {
  const ids = new Set(body.messages.flatMap((m) => (m.tool_calls ?? []).filter((c) => c.function.name === name).map((c) => c.id)));
  return body.messages.filter((m) => m.role === "tool" && m.tool_call_id !== undefined && ids.has(m.tool_call_id)).map((m) => contentText(m.content));
}

/** How many times the guard has rejected an answer in this conversation. */
export function rejections(body: ChatCompletionBody): number {
  return body.messages.filter((m) => (m.role === "tool" || m.role === "user") && /bị từ chối|was rejected/.test(contentText(m.content))).length;
}

export const call = (name: string, args: unknown): ChatReply => ({ kind: "message", toolCalls: [{ name, args }] });
export const final = (answer: string, citations: Array<{ n: number; quote: string }>): ChatReply => call("final_answer", { answer, citations });

/** The question of the conversation, from the composed user turn («…» or "…"). */
export function questionOf(body: ChatCompletionBody): string {
  const user = body.messages.find((m) => m.role === "user");
  const text = user ? contentText(user.content) : "";
  return /«([^»]+)»/.exec(text)?.[1] ?? /"([^"]+)"/.exec(text)?.[1] ?? text;
}

/**
 * A naive extractive "model": searches with the question, then answers with the first sentence
 * of the first passage that states a number, quoted verbatim. It never invents anything, so its
 * answers pass the guard; whether they answer the question is another matter.
 */
export function extractiveModel({ body }: { body: ChatCompletionBody }): ChatReply {
  const shown = passagesIn(body);
  if (shown.length === 0 && toolResults(body, "search_passages").length === 0) return call("search_passages", { query: questionOf(body).slice(0, 300) });
  for (const p of shown) {
    const sentence = p.text
      .split(/(?<=[.;:])\s+|\n+/)
      .map((s) => s.trim())
      .find((s) => /\d/.test(s) && s.length >= 20 && s.length <= 400);
    if (sentence) return final(`${sentence} [${p.n}]`, [{ n: p.n, quote: sentence }]);
  }
  return final("Không có trong tài liệu.", []);
}

/** A question whose answer needs a calculator: the share of central funds (51,03%). */
export const QUESTION = "NSTW chiếm bao nhiêu % tổng kinh phí hỗ trợ Đề án giai đoạn 2021-2025 của Lạng Sơn?";
export const QUOTE = "Tổng kinh phí hỗ trợ giai đoạn 2021-2025 từ nguồn vốn ngân sách nhà nước 13.180 triệu đồng, trong đó NSTW 6.726 triệu đồng";

/** The passage that holds `text`, among those shown so far. */
export function passageWith(body: ChatCompletionBody, text: string): number | null {
  return passagesIn(body).find((p) => p.text.includes(text))?.n ?? null;
}

/** A model that searches, computes the share with percentOf, and answers with a verbatim quote. */
export function goodModel(opts: { quote?: string; answer?: (n: number, display: string) => string } = {}) {
  return ({ body }: { body: ChatCompletionBody }): ChatReply => {
    const n = passageWith(body, "13.180 triệu đồng");
    if (n === null) return call("search_passages", { query: "tổng kinh phí hỗ trợ Đề án NSTW giai đoạn 2021-2025", province: "Lạng Sơn" });
    const calc = toolResults(body, "percentOf").find((r) => r.startsWith("{"));
    if (!calc) {
      return call("percentOf", {
        part: { label: "NSTW", value: 6726, unit: "triệu đồng", citation: n },
        whole: { label: "Tổng kinh phí hỗ trợ", value: 13180, unit: "triệu đồng", citation: n },
      });
    }
    const display = (JSON.parse(calc) as { display: string }).display;
    const answer = opts.answer?.(n, display) ?? `Lạng Sơn: NSTW chiếm ${display} tổng kinh phí hỗ trợ giai đoạn 2021-2025 (6.726 trên 13.180 triệu đồng) [${n}].`;
    return final(answer, [{ n, quote: opts.quote ?? QUOTE }]);
  };
}


/**
 * Answers follow-up rewrite requests (the ones offered no tools) with `standalone`, recording their
 * prompts in `prompts`; every other request goes to `model`.
 */
export function rewritingTo(standalone: string, model: ChatScript, prompts: string[]): ChatScript {
  return (req) => {
    if (req.body.tools) return model(req);
    prompts.push(contentText(req.body.messages[0]!.content));
    return { kind: "message", content: standalone };
  };
}
