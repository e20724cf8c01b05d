// Tăng/giảm bao nhiêu %: relative change from one figure to another.

import { z } from "zod";
import { alignUnits, defineTool, display, divide, fmtOperand, resolveInput, toolInputSchema, withNotes } from "./common.js";

export const percentChangeSchema = z.object({
  from: toolInputSchema.describe("The earlier (base) figure"),
  to: toolInputSchema.describe("The later figure"),
});

export const percentChange = defineTool({
  name: "percentChange",
  title: { vi: "Tăng/giảm bao nhiêu phần trăm", en: "Percentage change" },
  description: {
    vi: "Mức tăng (+) hoặc giảm (−) theo phần trăm: (sau − trước) ÷ trước × 100.",
    en: "Relative increase (+) or decrease (−) in per cent: (to − from) ÷ from × 100.",
  },
  schema: percentChangeSchema,
  compute(input) {
    const from = resolveInput(input.from);
    const to = resolveInput(input.to);
    // The later figure is converted to the base figure's money unit when they differ.
    const { values, notes } = alignUnits([from, to]);
    const [a = from.value, b = to.value] = values;
    // Divide by |from| so that a rise is always positive, even from a negative base.
    const value = divide(b - a, Math.abs(a), { vi: "giá trị gốc", en: "the base value" }) * 100;
    const shown = display(value, "%", { plusSign: true });
    return {
      tool: "percentChange",
      value,
      unit: "%",
      display: shown,
      formula: withNotes(notes, `(${fmtOperand(b)} − ${fmtOperand(a)}) ÷ ${fmtOperand(Math.abs(a))} × 100 = ${shown}`),
      inputs: [from, to],
    };
  },
});
