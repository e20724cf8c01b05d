// Plain views of an Answer: the terminal text and the JSON object of the command line.
// Pure functions: the same Answer always renders the same way.

import type { Answer, FallbackReason } from "../../knowledge/types.js";
import { fallbackNote } from "./notes.js";

export interface AnswerJson {
  question: string;
  answer: string;
  refused: boolean;
  citations: Array<{ n: number; document: string; title: string; section: string; page: number | null; quote: string; text: string }>;
  figures: Array<{ label: string; value: number; unit: string | null; formula: string; inputs: Answer["figures"][number]["inputs"] }>;
  /** Who wrote the answer: "llm" (a language model, verified) or "offline" (templates). */
  mode: Answer["mode"];
  /** The configured chat model, or null when none is. */
  model: string | null;
  /** Why the offline answer was given although a model is configured. */
  fallback: FallbackReason | null;
  tokens: { input: number; output: number; total: number } | null;
  /** The numeric and quote checks on the model's answer; null without a model. */
  guard: { checked: boolean; intervened: boolean; retried: boolean; problems: string[] } | null;
  llm: { calls: number; tools: string[]; ms: number; rewritten: string | null } | null;
  ms: number;
}

export function toJson(a: Answer): AnswerJson {
  return {
    question: a.question,
    answer: a.answer,
    refused: a.refused,
    citations: a.citations.map((c) => ({ n: c.n, document: c.document, title: c.title, section: c.section, page: c.page, quote: c.quote, text: c.text })),
    figures: a.figures.map((f) => ({ label: f.label, value: f.value, unit: f.unit, formula: f.formula, inputs: f.inputs })),
    mode: a.mode,
    model: a.llm?.model ?? null,
    fallback: a.llm?.fallback ?? null,
    tokens: a.llm ? { ...a.llm.tokens } : null,
    guard: a.llm ? { ...a.llm.guard, problems: [...a.llm.guard.problems] } : null,
    llm: a.llm ? { calls: a.llm.calls, tools: [...a.llm.tools], ms: a.llm.ms, rewritten: a.llm.rewritten } : null,
    ms: Math.round(a.ms * 10) / 10,
  };
}

/** Terminal view: the answer, then the numbered sources with their full section path. */
export function toTerminal(a: Answer, opts: { color?: boolean } = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = [a.refused ? c("33", a.answer) : a.answer];
  if (a.figures.some((f) => f.inputs.length > 1 || !/^(Số liệu|Stated)/.test(f.formula))) {
    for (const f of a.figures) lines.push(c("36", `🧮 ${f.formula}`));
  }
  if (a.citations.length) lines.push(c("2", a.lang === "vi" ? "(/nguon: xem trích dẫn đầy đủ)" : "(/sources: full quotes)"));
  const note = fallbackNote(a);
  if (note) lines.push(c("2", note));
  return lines.join("\n");
}
