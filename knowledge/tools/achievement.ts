// "đạt bao nhiêu % so với kế hoạch": an actual figure against its target.

import { z } from "zod";
import { alignUnits, defineTool, display, divide, fmtOperand, resolveInput, toolInputSchema, withNotes } from "./common.js";

export const achievementSchema = z.object({
  actual: toolInputSchema.describe("What was achieved (thực hiện, ước thực hiện)"),
  target: toolInputSchema.describe("The planned target (kế hoạch, chỉ tiêu)"),
});

export const achievement = defineTool({
  name: "achievement",
  title: { vi: "Tỷ lệ hoàn thành kế hoạch", en: "Plan achievement" },
  description: {
    vi: "Thực hiện đạt bao nhiêu % so với kế hoạch: thực hiện ÷ kế hoạch × 100.",
    en: "How much of a target was achieved, in per cent: actual ÷ target × 100.",
  },
  schema: achievementSchema,
  compute(input) {
    const actual = resolveInput(input.actual);
    const target = resolveInput(input.target);
    const { values, notes } = alignUnits([target, actual]);
    const [t = target.value, a = actual.value] = values;
    const value = divide(a, t, { vi: "kế hoạch", en: "the target" }) * 100;
    const shown = display(value, "%");
    return {
      tool: "achievement",
      value,
      unit: "%",
      display: shown,
      formula: withNotes(notes, `${fmtOperand(a)} ÷ ${fmtOperand(t)} × 100 = ${shown}`),
      inputs: [actual, target],
    };
  },
});
