// Shapes shared by the deterministic calculators. Every tool is pure and read-only: it takes
// figures (usually quoted from the corpus) and returns a value, its Vietnamese display and the
// formula that produced it, so an answer can show its working.

import type { z } from "zod";

/** One figure fed to a tool. */
export interface ToolInput {
  label: string;
  value: number;
  unit?: string | null;
  /** Where the figure came from ("document › section", or the raw mention). */
  source?: string | null;
  /** Citation number in the answer, when the figure is quoted from a cited passage. */
  citation?: number | null;
}

/** A tool input with every optional field filled in. */
export interface ResolvedToolInput {
  label: string;
  value: number;
  unit: string | null;
  source: string | null;
  citation: number | null;
}

export interface ToolResult {
  /** Name of the tool that produced the result. */
  tool: string;
  /** Full precision; only `display` and `formula` are rounded. */
  value: number;
  unit: string | null;
  /** Vietnamese formatted value with its unit, e.g. "69,97%" or "2.255,71 triệu đồng". */
  display: string;
  /** Human readable with Vietnamese numbers, e.g. "11.650 ÷ 16.650 × 100 = 69,97%". */
  formula: string;
  inputs: ResolvedToolInput[];
}

export interface Tool<S extends z.ZodType> {
  name: string;
  title: { vi: string; en: string };
  description: { vi: string; en: string };
  schema: S;
  /** Validates its input (throwing `ToolError`) and computes; never has side effects. */
  run(input: z.infer<S>): ToolResult;
}

export type ToolErrorCode =
  | "invalid-input"
  | "non-finite"
  | "division-by-zero"
  | "empty-expression"
  | "expression-too-long"
  | "unexpected-character"
  | "invalid-number"
  | "unexpected-token"
  | "unexpected-end"
  | "missing-parenthesis"
  | "too-deep"
  | "unknown-unit"
  | "unknown-tool";

/** A calculation that cannot be done; `message` is Vietnamese, `en` is its English version. */
export class ToolError extends Error {
  override readonly name = "ToolError";
  readonly code: ToolErrorCode;
  readonly en: string;

  constructor(code: ToolErrorCode, vi: string, en: string) {
    super(vi);
    this.code = code;
    this.en = en;
  }
}
