// Đổi đơn vị tiền: đồng, nghìn đồng, triệu đồng, tỷ đồng.

import { z } from "zod";
import { convertMoney, formatViNumber, parseMoneyUnit, type MoneyUnit } from "../text/numbers.js";
import { defineTool, display, fmtOperand } from "./common.js";
import { ToolError } from "./types.js";

export const convertUnitSchema = z.object({
  value: z.number().describe("The amount, e.g. 36.48"),
  from: z.string().describe("Its unit: 'đồng', 'nghìn đồng', 'triệu đồng' or 'tỷ đồng'"),
  to: z.string().describe("The unit wanted: 'đồng', 'nghìn đồng', 'triệu đồng' or 'tỷ đồng'"),
});

function moneyUnit(s: string): MoneyUnit {
  const unit = parseMoneyUnit(s);
  if (!unit) {
    throw new ToolError(
      "unknown-unit",
      `Không nhận ra đơn vị tiền "${s}" (dùng: đồng, nghìn đồng, triệu đồng, tỷ đồng).`,
      `Unknown money unit "${s}" (use: đồng, nghìn đồng, triệu đồng, tỷ đồng).`,
    );
  }
  return unit;
}

export const convertUnit = defineTool({
  name: "convertUnit",
  title: { vi: "Đổi đơn vị tiền", en: "Convert money units" },
  description: {
    vi: "Đổi số tiền giữa đồng, nghìn đồng, triệu đồng và tỷ đồng (1 tỷ = 1.000 triệu).",
    en: "Converts an amount between đồng, nghìn đồng, triệu đồng and tỷ đồng (1 tỷ = 1,000 triệu).",
  },
  schema: convertUnitSchema,
  compute(input) {
    const from = moneyUnit(input.from);
    const to = moneyUnit(input.to);
    const value = convertMoney(input.value, from, to);
    const shown = display(value, to);
    const factor = convertMoney(1, from, to);
    const step =
      factor > 1 ? ` × ${formatViNumber(factor)}` : factor < 1 ? ` ÷ ${formatViNumber(convertMoney(1, to, from))}` : "";
    return {
      tool: "convertUnit",
      value,
      unit: to,
      display: shown,
      formula: `${fmtOperand(input.value)} ${from}${step} = ${shown}`,
      inputs: [{ label: "Số tiền", value: input.value, unit: from, source: null, citation: null }],
    };
  },
});
