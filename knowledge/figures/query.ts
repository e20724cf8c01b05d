// Queries over the stored figures: by province, year, kind, unit and what they measure.
// Used by the search CLI (--figures) and as the "figure lookup" tool of the LLM mode.

import { z } from "zod";
import type { Engine } from "../engine.js";
import type { Figure } from "../types.js";
import { fold } from "../text/normalize.js";
import { canonical } from "../text/synonyms.js";

export const FigureQuerySchema = z
  .object({
    province: z.string().min(1).optional().describe("Tỉnh, có dấu hoặc không dấu"),
    year: z.number().int().min(1990).max(2100).optional(),
    kind: z.enum(["target", "estimate", "actual", "plan-ratio", "other"]).optional(),
    unit: z.string().min(1).optional().describe('Đơn vị, ví dụ "HTX", "triệu đồng", "%"'),
    measure: z.string().min(1).max(300).optional().describe("Nội dung số liệu, ví dụ: thành lập mới HTX"),
    document: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(100).default(10),
  })
  .strict();
export type FigureQuery = z.input<typeof FigureQuerySchema>;

export interface FigureMatch {
  figure: Figure;
  /** Share of the measure words found around the figure (1 when no measure was asked). */
  match: number;
}

const words = (s: string) => canonical(fold(s)).split(/[^a-z0-9%]+/).filter((w) => w.length > 1);

/** Figures that satisfy the filters, best measure match first, then in document order. */
export function queryFigures(engine: Engine, query: FigureQuery): FigureMatch[] {
  const q = FigureQuerySchema.parse(query);
  const province = q.province ? fold(q.province).replace(/^(tinh|thanh pho)\s+/, "") : null;
  const wanted = q.measure ? [...new Set(words(q.measure))] : [];
  const out: FigureMatch[] = [];
  for (const doc of engine.docs) {
    if (province && (!doc.province || fold(doc.province) !== province)) continue;
    if (q.document && doc.id !== q.document) continue;
    for (const f of engine.figuresByDoc.get(doc.id) ?? []) {
      if (q.year !== undefined && f.period.year !== q.year) continue;
      if (q.kind && f.kind !== q.kind) continue;
      if (q.unit && fold(f.unit ?? "") !== fold(q.unit)) continue;
      let match = 1;
      if (wanted.length) {
        const near = new Set(words(f.measure));
        const far = new Set(words(f.context));
        match = wanted.reduce((s, w) => s + (near.has(w) ? 1 : far.has(w) ? 0.4 : 0), 0) / wanted.length;
        if (match < 0.3) continue;
      }
      out.push({ figure: f, match });
    }
  }
  out.sort((a, b) => b.match - a.match);
  return out.slice(0, q.limit);
}
