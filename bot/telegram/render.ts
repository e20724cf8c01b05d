// Telegram views of an Answer (HTML parse mode). Pure functions: no Telegram, no I/O, so they are
// unit tested on their own. Everything that comes from a document or a user is escaped.

import { InlineKeyboard } from "grammy";
import type { Answer, Citation, DocMeta } from "../../knowledge/types.js";
import type { ToolResult } from "../../knowledge/tools/index.js";
import { describeDoc } from "../../knowledge/answer/compose.js";
import { fallbackNote } from "../render/notes.js";
import type { Lang } from "./context.js";

/** Telegram's limit on the text of one message. */
export const TELEGRAM_LIMIT = 4096;

export interface RenderedMessage {
  html: string;
  keyboard: InlineKeyboard | undefined;
}

/** Callback data of the inline buttons (at most 64 bytes each). */
/**
 * Button data. Buttons under an answer carry that answer's id ("@7"), so pressing a button under
 * an older answer acts on that answer, not on the newest one.
 */
const at = (id?: number) => (id === undefined ? "" : `@${id}`);
export const CALLBACK = {
  source: (n: number, id?: number) => `src:${n}${at(id)}`,
  how: (id?: number) => `how${at(id)}`,
  up: (id?: number) => `fb:up${at(id)}`,
  down: (id?: number) => `fb:down${at(id)}`,
  example: (i: number) => `ex:${i}`,
} as const;

const LABELS = {
  vi: {
    sources: "Nguồn",
    sourceButton: (n: number) => `📄 Nguồn ${n}`,
    how: "🧮 Cách tính",
    section: "mục",
    page: "tr.",
    noSources: "Chưa có trích dẫn nào. Hãy đặt một câu hỏi trước.",
    noHow: "Câu trả lời này không có số liệu tính toán.",
    formula: "Công thức",
    inputs: "Số liệu đầu vào",
    computedBy: "Tính bằng mã (không dùng mô hình ngôn ngữ).",
    date: "ngày",
    noDocs: "Chưa có tài liệu nào được lập chỉ mục.",
    calc: "Kết quả",
  },
  en: {
    sources: "Sources",
    sourceButton: (n: number) => `📄 Source ${n}`,
    how: "🧮 How computed",
    section: "section",
    page: "p.",
    noSources: "No sources yet. Ask a question first.",
    noHow: "This answer has no computed figures.",
    formula: "Formula",
    inputs: "Inputs",
    computedBy: "Computed by code (no language model).",
    date: "dated",
    noDocs: "No documents are indexed yet.",
    calc: "Result",
  },
} as const;

export function labels(lang: Lang) {
  return LABELS[lang];
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Whether a figure was computed by a tool rather than stated in a document. */
export function isComputed(f: Answer["figures"][number]): boolean {
  return f.inputs.length > 1 || !/^(Số liệu|Stated)/.test(f.formula);
}

export function hasComputedFigures(a: Answer): boolean {
  return a.figures.some(isComputed);
}

/** The answer text without its trailing "Nguồn: …" line: Telegram lists the citations itself. */
function bodyOf(a: Answer): string {
  const lines = a.answer.split("\n");
  const last = lines[lines.length - 1] ?? "";
  if (a.citations.length > 0 && lines.length > 1 && /^(Nguồn|Sources?):\s*\[\d+\]/.test(last)) lines.pop();
  return lines.join("\n");
}

function citationLine(c: Citation, lang: Lang): string {
  const L = LABELS[lang];
  const page = c.page ? `, ${L.page} ${c.page}` : "";
  return `[${c.n}] <i>${escapeHtml(c.title)}</i> — ${L.section} ${escapeHtml(c.section)}${page}`;
}

/** The answer as one or more HTML messages; the buttons ride on the last one. */
export function renderAnswer(a: Answer, lang: Lang, answerId?: number): RenderedMessage[] {
  const L = LABELS[lang];
  const [first = "", ...rest] = bodyOf(a).split("\n");
  let head = escapeHtml(first);
  const key = a.figures[0]?.display;
  if (key && !a.refused) {
    const k = escapeHtml(key);
    const at = head.indexOf(k);
    if (at >= 0) head = `${head.slice(0, at)}<b>${k}</b>${head.slice(at + k.length)}`;
  }
  const parts = [[head, ...rest.map(escapeHtml)].join("\n")];
  if (a.citations.length > 0) parts.push(`<b>${L.sources}:</b>\n${a.citations.map((c) => citationLine(c, lang)).join("\n")}`);
  const note = fallbackNote(a, lang);
  if (note) parts.push(`<i>${escapeHtml(note)}</i>`);
  const chunks = splitMessage(parts.join("\n\n"));
  const kb = new InlineKeyboard();
  a.citations.forEach((c, i) => {
    if (i > 0 && i % 4 === 0) kb.row();
    kb.text(L.sourceButton(c.n), CALLBACK.source(c.n, answerId));
  });
  if (a.citations.length > 0) kb.row();
  if (hasComputedFigures(a)) kb.text(L.how, CALLBACK.how(answerId)).row();
  kb.text("👍", CALLBACK.up(answerId)).text("👎", CALLBACK.down(answerId));
  return chunks.map((html, i) => ({ html, keyboard: i === chunks.length - 1 ? kb : undefined }));
}

/** One cited passage: title, section, and the whole passage in an expandable quote, the quote in bold. */
export function renderSource(c: Citation, lang: Lang): string {
  const L = LABELS[lang];
  const page = c.page ? `, ${L.page} ${c.page}` : "";
  const text = c.text.trim() || c.quote;
  const at = c.quote ? text.indexOf(c.quote) : -1;
  const passage =
    at >= 0
      ? `${escapeHtml(text.slice(0, at))}<b>${escapeHtml(c.quote)}</b>${escapeHtml(text.slice(at + c.quote.length))}`
      : escapeHtml(text);
  return `<b>[${c.n}] ${escapeHtml(c.title)}</b>\n${L.section} ${escapeHtml(c.section)}${page}\n<blockquote expandable>${passage}</blockquote>`;
}

/** /nguon: every citation of the last answer with its quote. */
export function renderSources(a: Answer | null, lang: Lang): string {
  const L = LABELS[lang];
  if (!a || a.citations.length === 0) return escapeHtml(L.noSources);
  return a.citations.map((c) => `${citationLine(c, lang)}\n<blockquote>${escapeHtml(c.quote)}</blockquote>`).join("\n\n");
}

/** "Cách tính": each figure's formula and its inputs with their sources. */
export function renderHowTo(a: Answer, lang: Lang): string {
  const L = LABELS[lang];
  const figures = a.figures.filter(isComputed);
  if (figures.length === 0) return escapeHtml(L.noHow);
  const blocks = figures.map((f) => {
    const inputs = f.inputs.map((i) => {
      const cite = i.citation !== null ? ` [${i.citation}]` : "";
      const unit = i.unit ? ` ${i.unit}` : "";
      return `• ${escapeHtml(i.label)}: ${escapeHtml(String(i.value))}${escapeHtml(unit)}${cite}\n  <i>${escapeHtml(i.source)}</i>`;
    });
    return `<b>${escapeHtml(f.label)}: ${escapeHtml(f.display)}</b>\n${L.formula}: <code>${escapeHtml(f.formula)}</code>\n${L.inputs}:\n${inputs.join("\n")}`;
  });
  return `${blocks.join("\n\n")}\n\n<i>${L.computedBy}</i>`;
}

/** /tinh: the formula and the result. */
export function renderCalc(r: ToolResult, lang: Lang): string {
  const L = LABELS[lang];
  return `🧮 <code>${escapeHtml(r.formula)}</code>\n${L.calc}: <b>${escapeHtml(r.display)}</b>`;
}

/** /tailieu: the indexed documents with province, kind, number, date and period. */
export function renderDocuments(docs: readonly DocMeta[], lang: Lang): string {
  const L = LABELS[lang];
  if (docs.length === 0) return escapeHtml(L.noDocs);
  return docs
    .map((d, i) => {
      const date = d.date ? ` · ${L.date} ${d.date}` : "";
      return `${i + 1}. <b>${escapeHtml(d.title)}</b>\n   ${escapeHtml(d.province ?? "—")} · ${escapeHtml(describeDoc(d, lang))}${escapeHtml(date)}`;
    })
    .join("\n");
}

type Token = { kind: "open"; name: string; raw: string } | { kind: "close"; name: string; raw: string } | { kind: "text"; raw: string };

function tokenize(html: string): Token[] {
  const out: Token[] = [];
  const re = /<\/?([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&[#a-zA-Z0-9]+;|[\s\S]/g;
  for (const m of html.matchAll(re)) {
    const raw = m[0];
    if (m[1]) out.push({ kind: raw.startsWith("</") ? "close" : "open", name: m[1].toLowerCase(), raw });
    else out.push({ kind: "text", raw });
  }
  return out;
}

/**
 * Splits HTML into messages of at most `limit` characters: at a paragraph boundary when one fits,
 * else at a line break, else at a space, else anywhere between tokens. Tags and entities are never
 * cut; tags open at a cut are closed at the end of one message and reopened in the next.
 */
export function splitMessage(html: string, limit = TELEGRAM_LIMIT): string[] {
  const out: string[] = [];
  let tokens = tokenize(html);
  const closers = (stack: Token[]) => stack.map((t) => `</${(t as { name: string }).name}>`).reverse().join("");
  for (;;) {
    const total = tokens.reduce((n, t) => n + t.raw.length, 0);
    if (total <= limit) {
      const s = tokens.map((t) => t.raw).join("").trim();
      if (s) out.push(s);
      return out;
    }
    // Walk the tokens, remembering the best cut of each kind that still fits with its closing tags.
    const stack: Token[] = [];
    let len = 0;
    let minCut = 0; // never cut inside the reopened tags at the start
    while (minCut < tokens.length && tokens[minCut]!.kind === "open") minCut++;
    const best: Record<"para" | "line" | "space" | "any", { i: number; stack: Token[] } | null> = { para: null, line: null, space: null, any: null };
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (len + t.raw.length + closers(stack).length > limit && i > minCut) break;
      len += t.raw.length;
      if (t.kind === "open") stack.push(t);
      else if (t.kind === "close") {
        const at = stack.map((s) => (s as { name: string }).name).lastIndexOf(t.name);
        if (at >= 0) stack.splice(at, 1);
      }
      const cut = i + 1;
      if (cut <= minCut || len + closers(stack).length > limit) continue;
      const snap = { i: cut, stack: [...stack] };
      best.any = snap;
      if (t.kind === "text" && /\s/.test(t.raw)) best.space = snap;
      if (t.raw === "\n") {
        best.line = snap;
        if (tokens[i - 1]?.raw === "\n") best.para = snap;
      }
    }
    const cut = best.para ?? best.line ?? best.space ?? best.any ?? { i: Math.max(minCut + 1, 1), stack: [] };
    const head = tokens.slice(0, cut.i).map((t) => t.raw).join("").trimEnd() + closers(cut.stack);
    if (head.replace(/<[^>]*>/g, "").trim()) out.push(head.trim());
    const rest = tokens.slice(cut.i);
    while (rest.length && rest[0]!.kind === "text" && /^\s$/.test(rest[0]!.raw)) rest.shift();
    tokens = [...cut.stack.map((t) => ({ ...t })), ...rest];
  }
}
