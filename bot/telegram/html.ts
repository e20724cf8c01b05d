// Small helpers shared by the content commands (/chitieu, /sosanh, /chinhsach, /dieukien):
// reading a province and a year from command arguments, province buttons, and HTML snippets.

import { InlineKeyboard } from "grammy";
import type { Engine } from "../../knowledge/engine.js";
import type { DocMeta } from "../../knowledge/types.js";
import { parseQuestion } from "../../knowledge/answer/slots.js";
import { findProvinces } from "../../knowledge/provinces.js";
import { describeDoc } from "../../knowledge/answer/compose.js";
import { fold } from "../../knowledge/text/normalize.js";
import type { Lang } from "./context.js";
import { escapeHtml } from "./render.js";

export { escapeHtml };

/** The text in the session's language. */
export function tr(lang: Lang, vi: string, en: string): string {
  return lang === "vi" ? vi : en;
}

export interface Scope {
  /** Province as the corpus spells it, when the text names one the corpus covers. */
  province: string | null;
  /** A province the text names that the corpus does not cover. */
  unknownProvince: string | null;
  year: number | null;
}

/** Province and year from command arguments, with or without diacritics ("cao bang 2026"). */
export function parseScope(engine: Engine, text: string): Scope {
  const slots = parseQuestion(text, engine.provinces);
  const named = slots.province ?? findProvinces(text)[0] ?? null;
  const known = named ? (engine.provinces.find((p) => fold(p) === fold(named)) ?? null) : null;
  const year = slots.years[0] ?? slots.docYears[0] ?? null;
  return { province: known, unknownProvince: named && !known ? named : null, year };
}

/** One button per corpus province; the callback data is `${prefix}${index}`. */
export function provinceKeyboard(engine: Engine, prefix: string, extra?: { text: string; data: string }): InlineKeyboard {
  const kb = new InlineKeyboard();
  engine.provinces.forEach((p, i) => {
    kb.text(p, `${prefix}${i}`);
    if (i % 2 === 1) kb.row();
  });
  if (extra) kb.row().text(extra.text, extra.data);
  return kb;
}

/** The province of a button's index, or null when the index is stale. */
export function provinceAt(engine: Engine, index: string): string | null {
  const i = Number(index);
  return Number.isInteger(i) ? (engine.provinces[i] ?? null) : null;
}

/** "Cao Bằng — kế hoạch 2672/KH-UBND năm 2026 (đánh giá năm 2025)". */
export function docHeading(doc: DocMeta, lang: Lang): string {
  return `${doc.province ?? ""}${doc.province ? " — " : ""}${describeDoc(doc, lang)}`;
}

/** A quote shortened for display, marked with an ellipsis when cut. */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max).replace(/\s+\S*$/, "")} …`;
}

/** "Cao Bằng, Lạng Sơn, Bắc Kạn" as a sentence of what the corpus covers. */
export function coverageLine(engine: Engine, lang: Lang): string {
  const list = engine.docs.map((d) => docHeading(d, lang)).join("; ");
  return tr(lang, `Tài liệu hiện có: ${list}.`, `Documents available: ${list}.`);
}

/** The plain refusal for a province the corpus has no document of, with what it does cover. */
export function notCoveredHtml(engine: Engine, province: string, lang: Lang): string {
  return escapeHtml(tr(lang, `Không có trong tài liệu: chưa có văn bản nào của ${province}. `, `Not in the documents: there is nothing for ${province}. `) + coverageLine(engine, lang));
}
