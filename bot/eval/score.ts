// Scoring of question files (dev.jsonl format): answer accuracy, citation hit, refusals and
// retrieval Recall@5, plus the plain BM25 baseline the issue compares against.

import { z } from "zod";
import type { Answer, SearchHit } from "../../knowledge/types.js";
import { containsFolded, foldPlain } from "../../knowledge/text/normalize.js";
import { findNumbersInText, numbersMatch } from "../../knowledge/text/numbers.js";

export const EvalItemSchema = z.object({
  id: z.string(),
  q: z.string().min(1),
  kind: z.string().optional(),
  doc: z.string().nullable().optional(),
  numbers: z.array(z.number()).default([]),
  terms: z.array(z.string()).default([]),
  snippet: z.string().nullable().optional(),
  refuse: z.boolean().default(false),
});
export type EvalItem = z.infer<typeof EvalItemSchema>;

export function parseEvalFile(content: string): EvalItem[] {
  return content
    .split("\n")
    .map((l, i) => ({ l: l.trim(), i }))
    .filter(({ l }) => l !== "")
    .map(({ l, i }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(l);
      } catch {
        throw new Error(`line ${i + 1}: not JSON`);
      }
      const parsed = EvalItemSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
      return parsed.data;
    });
}

/** Whether `text` states `n` (Vietnamese or English format, 0.2% tolerance). */
export function statesNumber(text: string, n: number): boolean {
  return findNumbersInText(text).some((x) => numbersMatch(x, n, 0.002));
}

export interface ItemScore {
  id: string;
  correct: boolean;
  citationHit: boolean | null;
  refusedOk: boolean | null;
  missing: string[];
}

export function scoreAnswer(item: EvalItem, a: Answer): ItemScore {
  if (item.refuse) {
    return { id: item.id, correct: a.refused, citationHit: null, refusedOk: a.refused, missing: a.refused ? [] : ["refusal"] };
  }
  const missing: string[] = [];
  if (a.refused) missing.push("refused");
  for (const n of item.numbers) if (!statesNumber(a.answer, n)) missing.push(`number ${n}`);
  for (const t of item.terms) if (!containsFolded(a.answer, t)) missing.push(`term ${t}`);
  const citationHit = item.snippet ? a.citations.some((c) => snippetIn(c.text, item.snippet!)) : null;
  return { id: item.id, correct: missing.length === 0, citationHit, refusedOk: null, missing };
}

/** The snippet is folded lower case; compare against the folded passage, with and without OCR repair. */
export function snippetIn(passage: string, snippet: string): boolean {
  if (containsFolded(passage, snippet)) return true;
  return foldPlain(passage).replace(/\s+/g, " ").includes(snippet.toLowerCase().replace(/\s+/g, " "));
}

export function recallAt(hits: Array<Pick<SearchHit, "chunk">> | Array<{ text: string }>, snippet: string, k: number): boolean {
  return hits.slice(0, k).some((h) => snippetIn("chunk" in h ? h.chunk.text : h.text, snippet));
}

export interface Summary {
  questions: number;
  answerAccuracy: number;
  citationHit: number;
  refusalsOk: string;
  recallAt5: number;
}

export function summarize(scores: ItemScore[], recall: boolean[]): Summary {
  const answerable = scores.filter((s) => s.citationHit !== null);
  const refuse = scores.filter((s) => s.refusedOk !== null);
  return {
    questions: scores.length,
    answerAccuracy: scores.filter((s) => s.correct).length / Math.max(1, scores.length),
    citationHit: answerable.filter((s) => s.citationHit).length / Math.max(1, answerable.length),
    refusalsOk: `${refuse.filter((s) => s.refusedOk).length}/${refuse.length}`,
    recallAt5: recall.filter(Boolean).length / Math.max(1, recall.length),
  };
}
