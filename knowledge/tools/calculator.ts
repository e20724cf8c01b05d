// A safe arithmetic calculator: a tokenizer and a recursive-descent parser over a tiny grammar.
// Nothing is ever evaluated as code (no eval, no Function); any character outside the grammar is
// refused.
//
//   expression := term (("+" | "-") term)*
//   term       := unary (("*" | "/") unary)*          * also × x(between numbers) ·   / also ÷ :
//   unary      := ("-" | "+") unary | power
//   power      := postfix ("^" unary)?                right associative; -2^2 = -(2^2)
//   postfix    := primary "%"*                        "15%" = 0,15
//   primary    := number | "(" expression ")"
//
// Numbers are read with `parseViNumber` (Vietnamese "1.790", "63,62" or English "1,790.5").
// Percentages:
// - a "%" written right after an operand divides it by 100 ("200 × 15%" = 30);
// - a "%" separated by white space at the very end applies to the whole expression and turns its
//   result into a percentage: "80/285 %" = 80 ÷ 285 × 100 = 28,07% (unit "%"). The Telegram
//   shorthand for "what share is 80 of 285";
// - an input that is a single percentage ("50%", "50 %") is that percentage (value 50, unit "%").
// A trailing "=" is ignored ("1.790 + 16.650 =").

import { z } from "zod";
import { formatViNumber, parseViNumber } from "../text/numbers.js";
import { defineTool, fmtNumber, finite, withUnit } from "./common.js";
import { ToolError, type ResolvedToolInput, type ToolResult } from "./types.js";

export const MAX_EXPRESSION_LENGTH = 500;
export const MAX_DEPTH = 50;

type BinaryOp = "+" | "-" | "*" | "/" | "^";

type Token =
  | { t: "num"; value: number; raw: string; pos: number }
  | { t: "op"; op: BinaryOp; pos: number }
  | { t: "pct"; pos: number }
  | { t: "lp"; pos: number }
  | { t: "rp"; pos: number };

type Node =
  | { k: "num"; value: number; raw: string }
  | { k: "neg"; e: Node }
  | { k: "pct"; e: Node }
  | { k: "group"; e: Node }
  | { k: "bin"; op: BinaryOp; l: Node; r: Node };

const NUMBER_AT = /[0-9]+(?:[.,][0-9]+)*/y;

const OPERATORS: Record<string, BinaryOp> = {
  "+": "+",
  "-": "-",
  "−": "-", // U+2212 minus sign
  "–": "-", // en dash
  "*": "*",
  "×": "*",
  "·": "*",
  "/": "/",
  "÷": "/",
  ":": "/", // Vietnamese school notation for division
  "^": "^",
};

function tokenText(tok: Token): string {
  switch (tok.t) {
    case "num":
      return tok.raw;
    case "op":
      return tok.op;
    case "pct":
      return "%";
    case "lp":
      return "(";
    case "rp":
      return ")";
  }
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch >= "0" && ch <= "9") {
      NUMBER_AT.lastIndex = i;
      const raw = NUMBER_AT.exec(src)?.[0] ?? ch;
      const value = parseViNumber(raw);
      if (value === null) {
        throw new ToolError("invalid-number", `Số không hợp lệ: "${raw}".`, `Invalid number: "${raw}".`);
      }
      tokens.push({ t: "num", value, raw, pos: i });
      i += raw.length;
      continue;
    }
    const op = OPERATORS[ch];
    if (op) {
      tokens.push({ t: "op", op, pos: i });
    } else if (ch === "%") {
      tokens.push({ t: "pct", pos: i });
    } else if (ch === "(") {
      tokens.push({ t: "lp", pos: i });
    } else if (ch === ")") {
      tokens.push({ t: "rp", pos: i });
    } else if ((ch === "x" || ch === "X") && isTimesX(src, i, tokens[tokens.length - 1])) {
      tokens.push({ t: "op", op: "*", pos: i });
    } else {
      const shown = String.fromCodePoint(src.codePointAt(i) ?? 0);
      throw new ToolError(
        "unexpected-character",
        `Ký tự không hợp lệ "${shown}" ở vị trí ${i + 1}.`,
        `Unexpected character "${shown}" at position ${i + 1}.`,
      );
    }
    i++;
  }
  return tokens;
}

/** "x" is a multiplication sign only between two operands: "3 x 4", "(1 + 2) x (3)". */
function isTimesX(src: string, i: number, prev: Token | undefined): boolean {
  if (!prev || !(prev.t === "num" || prev.t === "rp" || prev.t === "pct")) return false;
  const next = /\S/.exec(src.slice(i + 1))?.[0];
  return next !== undefined && /[0-9(]/.test(next);
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.expression();
    const extra = this.tokens[this.pos];
    if (extra) this.unexpected(extra);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private unexpected(tok: Token | undefined): never {
    if (!tok) {
      throw new ToolError(
        "unexpected-end",
        "Biểu thức chưa hoàn chỉnh (thiếu số sau phép tính).",
        "Incomplete expression (an operand is missing).",
      );
    }
    const text = tokenText(tok);
    throw new ToolError(
      "unexpected-token",
      `Không mong đợi "${text}" ở vị trí ${tok.pos + 1}.`,
      `Unexpected "${text}" at position ${tok.pos + 1}.`,
    );
  }

  private expression(): Node {
    let node = this.term();
    for (let tok = this.peek(); tok?.t === "op" && (tok.op === "+" || tok.op === "-"); tok = this.peek()) {
      this.pos++;
      node = { k: "bin", op: tok.op, l: node, r: this.term() };
    }
    return node;
  }

  private term(): Node {
    let node = this.unary();
    for (let tok = this.peek(); tok?.t === "op" && (tok.op === "*" || tok.op === "/"); tok = this.peek()) {
      this.pos++;
      node = { k: "bin", op: tok.op, l: node, r: this.unary() };
    }
    return node;
  }

  private unary(): Node {
    if (++this.depth > MAX_DEPTH) {
      throw new ToolError(
        "too-deep",
        `Biểu thức lồng nhau quá sâu (tối đa ${MAX_DEPTH} tầng).`,
        `Expression nested too deeply (at most ${MAX_DEPTH} levels).`,
      );
    }
    try {
      const tok = this.peek();
      if (tok?.t === "op" && (tok.op === "-" || tok.op === "+")) {
        this.pos++;
        const e = this.unary();
        return tok.op === "-" ? { k: "neg", e } : e;
      }
      return this.power();
    } finally {
      this.depth--;
    }
  }

  private power(): Node {
    const base = this.postfix();
    const tok = this.peek();
    if (tok?.t === "op" && tok.op === "^") {
      this.pos++;
      return { k: "bin", op: "^", l: base, r: this.unary() };
    }
    return base;
  }

  private postfix(): Node {
    let node = this.primary();
    while (this.peek()?.t === "pct") {
      this.pos++;
      node = { k: "pct", e: node };
    }
    return node;
  }

  private primary(): Node {
    const tok = this.peek();
    if (tok?.t === "num") {
      this.pos++;
      return { k: "num", value: tok.value, raw: tok.raw };
    }
    if (tok?.t === "lp") {
      this.pos++;
      const e = this.expression();
      const close = this.peek();
      if (close?.t !== "rp") {
        if (!close) throw new ToolError("missing-parenthesis", 'Thiếu dấu ")".', 'Missing ")".');
        this.unexpected(close);
      }
      this.pos++;
      return { k: "group", e };
    }
    return this.unexpected(tok);
  }
}

function evaluate(node: Node): number {
  switch (node.k) {
    case "num":
      return node.value;
    case "neg":
      return -evaluate(node.e);
    case "pct":
      return evaluate(node.e) / 100;
    case "group":
      return evaluate(node.e);
    case "bin": {
      const l = evaluate(node.l);
      const r = evaluate(node.r);
      switch (node.op) {
        case "+":
          return finite(l + r);
        case "-":
          return finite(l - r);
        case "*":
          return finite(l * r);
        case "/":
          if (r === 0) throw new ToolError("division-by-zero", "Không thể chia cho 0.", "Division by zero.");
          return finite(l / r);
        case "^":
          return finite(l ** r);
      }
    }
  }
}

const SYMBOL: Record<BinaryOp, string> = { "+": "+", "-": "−", "*": "×", "/": "÷", "^": "^" };

/** The expression in normal form: Vietnamese numbers, × ÷ −, single spaces around operators. */
function render(node: Node): string {
  switch (node.k) {
    case "num":
      return formatViNumber(node.value, 10);
    case "neg":
      return `-${render(node.e)}`;
    case "pct":
      return `${render(node.e)}%`;
    case "group":
      return `(${render(node.e)})`;
    case "bin":
      return node.op === "^"
        ? `${render(node.l)}^${render(node.r)}`
        : `${render(node.l)} ${SYMBOL[node.op]} ${render(node.r)}`;
  }
}

function literals(node: Node, out: ResolvedToolInput[] = []): ResolvedToolInput[] {
  if (node.k === "num") {
    out.push({ label: node.raw, value: node.value, unit: null, source: null, citation: null });
  } else if (node.k === "bin") {
    literals(node.l, out);
    literals(node.r, out);
  } else {
    literals(node.e, out);
  }
  return out;
}

export const calculatorSchema = z.object({
  expression: z
    .string()
    .describe(
      "Arithmetic only: numbers (Vietnamese '1.790', '63,62' or English), + - * / × ÷ ^ ( ) and %. " +
        "A trailing ' %' turns the whole result into a percentage: '80/285 %' = 28,07%.",
    ),
});

/** Parses and evaluates an expression; exported for direct use and tests. */
export function calculate(expression: string): ToolResult {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ToolError(
      "expression-too-long",
      `Biểu thức quá dài (tối đa ${MAX_EXPRESSION_LENGTH} ký tự).`,
      `Expression too long (at most ${MAX_EXPRESSION_LENGTH} characters).`,
    );
  }
  let src = expression.normalize("NFC").trim().replace(/\s*=$/, "").trim();
  if (!src) throw new ToolError("empty-expression", "Biểu thức trống.", "The expression is empty.");
  const wholePercent = /\s%$/.test(src);
  if (wholePercent) src = src.replace(/\s+%$/, "");

  const ast = new Parser(tokenize(src)).parse();
  const inputs = literals(ast);
  const raw = evaluate(ast);

  // A lone percentage ("50%", "50 %") is itself the answer, in per cent.
  const lone = wholePercent ? (ast.k === "num" ? ast : null) : ast.k === "pct" && ast.e.k === "num" ? ast.e : null;
  if (lone) {
    const shown = withUnit(fmtNumber(lone.value), "%");
    return { tool: "calculator", value: lone.value, unit: "%", display: shown, formula: `${shown} = ${shown}`, inputs };
  }
  if (wholePercent) {
    const value = finite(raw * 100);
    const shown = withUnit(fmtNumber(value), "%");
    const expr = ast.k === "bin" && (ast.op === "+" || ast.op === "-") ? `(${render(ast)})` : render(ast);
    return { tool: "calculator", value, unit: "%", display: shown, formula: `${expr} × 100 = ${shown}`, inputs };
  }
  const shown = fmtNumber(raw);
  return { tool: "calculator", value: raw, unit: null, display: shown, formula: `${render(ast)} = ${shown}`, inputs };
}

export const calculator = defineTool({
  name: "calculator",
  title: { vi: "Máy tính", en: "Calculator" },
  description: {
    vi:
      "Tính một biểu thức số học (+ − × ÷ ^, ngoặc, %). Số viết kiểu Việt Nam (1.790; 63,62). " +
      'Dấu " %" ở cuối đổi kết quả sang phần trăm: "80/285 %" = 28,07%.',
    en:
      "Evaluates an arithmetic expression (+ − × ÷ ^, parentheses, %). Numbers may be written the " +
      'Vietnamese way (1.790; 63,62). A trailing " %" turns the result into a percentage: "80/285 %" = 28.07%.',
  },
  schema: calculatorSchema,
  compute: (input) => calculate(input.expression),
});
