// "chiếm bao nhiêu %": the share of a part in a whole.

import { z } from "zod";
import { alignUnits, defineTool, display, divide, fmtOperand, resolveInput, toolInputSchema, withNotes } from "./common.js";

export const percentOfSchema = z.object({
  part: toolInputSchema.describe("The part, e.g. HTX nông nghiệp"),
  whole: toolInputSchema.describe("The whole, e.g. tổng số HTX"),
});

export const percentOf = defineTool({
  name: "percentOf",
  title: { vi: "Chiếm bao nhiêu phần trăm", en: "Percentage of a whole" },
  description: {
    vi: "Tỷ lệ phần trăm của một phần so với tổng: phần ÷ tổng × 100.",
    en: "Share of a part in a whole, in per cent: part ÷ whole × 100.",
  },
  schema: percentOfSchema,
  compute(input) {
    const whole = resolveInput(input.whole);
    const part = resolveInput(input.part);
    // The part is converted to the whole's money unit when they differ.
    const { values, notes } = alignUnits([whole, part]);
    const [w = whole.value, p = part.value] = values;
    const value = divide(p, w, { vi: "tổng", en: "the whole" }) * 100;
    const shown = display(value, "%");
    return {
      tool: "percentOf",
      value,
      unit: "%",
      display: shown,
      formula: withNotes(notes, `${fmtOperand(p)} ÷ ${fmtOperand(w)} × 100 = ${shown}`),
      inputs: [part, whole],
    };
  },
});
