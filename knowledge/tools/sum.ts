// Tổng cộng: the sum of several figures.

import { z } from "zod";
import { alignUnits, defineTool, display, finite, fmtOperand, resolveInput, toolInputSchema, withNotes } from "./common.js";

export const sumSchema = z.object({
  items: z.array(toolInputSchema).min(2).max(100).describe("The figures to add (at least two)"),
});

export const sum = defineTool({
  name: "sum",
  title: { vi: "Tính tổng", en: "Sum" },
  description: {
    vi: "Cộng các số liệu. Số tiền khác đơn vị được đổi về đơn vị của số đầu tiên.",
    en: "Adds figures. Money amounts in different units are converted to the first figure's unit.",
  },
  schema: sumSchema,
  compute(input) {
    const items = input.items.map(resolveInput);
    const { values, unit, notes } = alignUnits(items);
    const value = finite(values.reduce((acc, v) => acc + v, 0));
    const shown = display(value, unit);
    return {
      tool: "sum",
      value,
      unit,
      display: shown,
      formula: withNotes(notes, `${values.map(fmtOperand).join(" + ")} = ${shown}`),
      inputs: items,
    };
  },
});
