// The deterministic calculators the answerer may call. All are pure and read-only.

import { achievement } from "./achievement.js";
import { average, mean } from "./average.js";
import { calculator } from "./calculator.js";
import { convertUnit } from "./convert-unit.js";
import { gap } from "./gap.js";
import { percentChange } from "./percent-change.js";
import { percentOf } from "./percent-of.js";
import { sum } from "./sum.js";
import { ToolError, type ToolResult } from "./types.js";

export type { ResolvedToolInput, Tool, ToolErrorCode, ToolInput, ToolResult } from "./types.js";
export { ToolError } from "./types.js";
export { calculate, MAX_DEPTH, MAX_EXPRESSION_LENGTH } from "./calculator.js";
export { toolInputSchema } from "./common.js";

/** Every tool, keyed by its name. */
export function createTools() {
  return { calculator, percentOf, percentChange, achievement, gap, sum, average, mean, convertUnit } as const;
}

export type Tools = ReturnType<typeof createTools>;
export type ToolName = keyof Tools;

/**
 * Runs a tool by name on untrusted arguments (e.g. a language model's tool call). Throws
 * `ToolError` for an unknown tool or invalid arguments.
 */
export function runTool(tools: Tools, name: string, args: unknown): ToolResult {
  if (!Object.hasOwn(tools, name)) {
    throw new ToolError("unknown-tool", `Không có công cụ "${name}".`, `No tool named "${name}".`);
  }
  const tool = tools[name as ToolName];
  // Each tool validates its arguments against its schema before computing.
  return (tool.run as (input: unknown) => ToolResult)(args);
}
