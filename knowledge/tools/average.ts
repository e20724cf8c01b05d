// Bình quân. Two tools rather than one schema union, so that each has a flat, unambiguous schema
// for a language model to fill in:
// - `average`: a total divided by a count ("31.580 triệu đồng cho 14 HTX" → 2.255,71 triệu đồng/HTX);
// - `mean`: the arithmetic mean of several figures.

import { z } from "zod";
import {
  alignUnits,
  defineTool,
  display,
  displayUnit,
  divide,
  finite,
  fmtOperand,
  resolveInput,
  toolInputSchema,
  withNotes,
} from "./common.js";

export const averageSchema = z.object({
  total: toolInputSchema.describe("The total, e.g. tổng kinh phí 31.580 triệu đồng"),
  count: toolInputSchema.describe("What the total is shared among, e.g. 14 HTX"),
});

/** "triệu đồng" per "HTX" → "triệu đồng/HTX"; the total's unit alone when the count has none. */
function perUnit(total: string | null, count: string | null): string | null {
  if (total === null) return null;
  return count === null ? total : `${total}/${count}`;
}

export const average = defineTool({
  name: "average",
  title: { vi: "Bình quân trên mỗi đơn vị", en: "Average per unit" },
  description: {
    vi: "Bình quân: tổng ÷ số lượng, ví dụ kinh phí bình quân mỗi HTX (đơn vị “triệu đồng/HTX”).",
    en: "Average: total ÷ count, e.g. funding per cooperative (unit “triệu đồng/HTX”).",
  },
  schema: averageSchema,
  compute(input) {
    const total = resolveInput(input.total);
    const count = resolveInput(input.count);
    const value = divide(total.value, count.value, { vi: "số lượng", en: "the count" });
    const unit = perUnit(displayUnit(total.unit), count.unit);
    const shown = display(value, unit);
    return {
      tool: "average",
      value,
      unit,
      display: shown,
      formula: `${fmtOperand(total.value)} ÷ ${fmtOperand(count.value)} = ${shown}`,
      inputs: [total, count],
    };
  },
});

export const meanSchema = z.object({
  items: z.array(toolInputSchema).min(1).max(100).describe("The figures to average"),
});

export const mean = defineTool({
  name: "mean",
  title: { vi: "Trung bình cộng", en: "Mean" },
  description: {
    vi: "Trung bình cộng của các số liệu: (a + b + …) ÷ n.",
    en: "Arithmetic mean of several figures: (a + b + …) ÷ n.",
  },
  schema: meanSchema,
  compute(input) {
    const items = input.items.map(resolveInput);
    const { values, unit, notes } = alignUnits(items);
    const total = finite(values.reduce((acc, v) => acc + v, 0));
    const value = total / values.length;
    const shown = display(value, unit);
    const terms = values.map(fmtOperand);
    const numerator = terms.length > 1 ? `(${terms.join(" + ")})` : (terms[0] ?? "0");
    return {
      tool: "mean",
      value,
      unit,
      display: shown,
      formula: withNotes(notes, `${numerator} ÷ ${values.length} = ${shown}`),
      inputs: items,
    };
  },
});
