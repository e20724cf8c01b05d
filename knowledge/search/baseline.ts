// The plain baseline the product is measured against: BM25 with a default tokenizer
// (lower case, split on non-letters) over fixed 1000-character chunks. `folded` removes
// diacritics on both sides.

import { foldPlain } from "../text/normalize.js";

export interface BaselineChunk {
  docId: string;
  text: string;
}

export function fixedChunks(docId: string, text: string, size = 1000): BaselineChunk[] {
  const out: BaselineChunk[] = [];
  for (let i = 0; i < text.length; i += size) out.push({ docId, text: text.slice(i, i + size) });
  return out;
}

function tokenize(text: string, folded: boolean): string[] {
  const t = folded ? foldPlain(text) : text.toLowerCase();
  return t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

export function createBaseline(chunks: BaselineChunk[], folded: boolean, k1 = 1.2, b = 0.75) {
  const docs = chunks.map((c) => tokenize(c.text, folded));
  const df = new Map<string, number>();
  const tfs = docs.map((toks) => {
    const tf = new Map<string, number>();
    for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    return tf;
  });
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length);
  const n = docs.length;
  return {
    search(query: string, k: number): BaselineChunk[] {
      const q = [...new Set(tokenize(query, folded))];
      const scores = tfs.map((tf, i) => {
        let s = 0;
        for (const term of q) {
          const f = tf.get(term);
          if (!f) continue;
          const d = df.get(term) ?? 0;
          const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
          s += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * docs[i]!.length) / avg));
        }
        return { i, s };
      });
      return scores.filter((x) => x.s > 0).sort((a, c) => c.s - a.s).slice(0, k).map((x) => chunks[x.i]!);
    },
  };
}
