// Plain views of an Answer: the terminal text and the JSON object of the command line.
// Pure functions: the same Answer always renders the same way.

import type { Answer } from "../../knowledge/types.js";

export interface AnswerJson {
  question: string;
  answer: string;
  refused: boolean;
  citations: Array<{ n: number; document: string; title: string; section: string; page: number | null; quote: string; text: string }>;
  figures: Array<{ label: string; value: number; unit: string | null; formula: string; inputs: Answer["figures"][number]["inputs"] }>;
  mode: Answer["mode"];
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
  return lines.join("\n");
}
