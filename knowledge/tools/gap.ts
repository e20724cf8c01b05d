// "còn thiếu / cần thêm": how far an actual figure is from its target.

import { z } from "zod";
import { alignUnits, defineTool, display, fmtOperand, resolveInput, toolInputSchema, withNotes } from "./common.js";

export const gapSchema = z.object({
  actual: toolInputSchema.describe("What exists or was achieved"),
  target: toolInputSchema.describe("The target to reach"),
});

export const gap = defineTool({
  name: "gap",
  title: { vi: "Còn thiếu bao nhiêu", en: "Gap to target" },
  description: {
    vi: "Còn thiếu (cần thêm) bao nhiêu để đạt mục tiêu: mục tiêu − thực hiện. Kết quả âm nghĩa là đã vượt.",
    en: "How much is still needed to reach a target: target − actual. A negative result means the target was exceeded.",
  },
  schema: gapSchema,
  compute(input) {
    const actual = resolveInput(input.actual);
    const target = resolveInput(input.target);
    // The actual figure is converted to the target's money unit when they differ.
    const { values, unit, notes } = alignUnits([target, actual]);
    const [t = target.value, a = actual.value] = values;
    const value = t - a;
    const shown = display(value, unit);
    return {
      tool: "gap",
      value,
      unit,
      display: shown,
      formula: withNotes(notes, `${fmtOperand(t)} − ${fmtOperand(a)} = ${shown}`),
      inputs: [actual, target],
    };
  },
});
