// Helpers for scripting the OpenAI stub as a "model": read what the answerer sent (passages,
// tool results, feedback) and decide the next reply.

import { contentText, type ChatCompletionBody, type ChatReply } from "./openai-stub.js";

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
