// Section tree and chunks that follow the document's own structure
// (Phần thứ … / I. / 1. / 1.1. / a) / bullets), each chunk carrying its heading path.

import type { Chunk, Section } from "../knowledge/types.js";
import { fold } from "../knowledge/text/normalize.js";

export interface HeadingMatch {
  level: number;
  kind: "part" | "roman" | "number" | "letter";
}

const PART_RE = /^[\s'"`.,_*~-]*ph[a-z]{1,3}n\s+th[a-z]{1,3}\s+(nhat|hai|ba|tu|nam|sau|i{1,3}|iv|v)\b/;
const ROMAN_RE = /^[\s_*]*(i{1,3}|iv|vi{0,3}|ix|x|\[|l|il|ill|iil|li)\.\s+\S/;
const NUMBER_RE = /^[\s_*]*(\d{1,2})((?:\.\d{1,2}){0,3})(\.?)\s+\S/;
const LETTER_RE = /^[\s_*]*([a-gđ])\)\s+\S/;

function letterShare(line: string): { upper: number; letters: number } {
  let upper = 0;
  let letters = 0;
  for (const ch of line) {
    if (/\p{L}/u.test(ch)) {
      letters++;
      if (ch === ch.toUpperCase() && ch !== ch.toLowerCase()) upper++;
    }
  }
  return { upper, letters };
}

export function isMostlyUpper(line: string): boolean {
  const { upper, letters } = letterShare(line);
  return letters >= 4 && upper / letters > 0.7;
}

/** Classifies one line as a heading, or returns null for body text. */
export function detectHeading(line: string): HeadingMatch | null {
  const trimmed = line.trim();
  if (trimmed.length < 2 || trimmed.length > 220) return null;
  const f = fold(trimmed);
  if (PART_RE.test(f) && trimmed.length < 80) return { level: 1, kind: "part" };
  // Body lines end a sentence or a list item; headings do not (a trailing ":" is allowed).
  const endsLikeBody = /[;.]\s*$/.test(trimmed) && !/\.\s*$/.test(trimmed.slice(0, 8));
  const roman = ROMAN_RE.exec(f);
  if (roman) {
    const rest = trimmed.replace(/^[\s_*]*\S+\.\s+/, "");
    if (/^\p{Lu}/u.test(rest) && !endsLikeBody) return { level: 2, kind: "roman" };
  }
  const num = NUMBER_RE.exec(f);
  // "1." and "1.1." are headings; "2 Kế hoạch…" (a footnote) is not; "2.1 Về…" is accepted.
  if (num && (num[3] === "." || num[2]) && !/^\s*\d{1,2}\/\d/.test(f)) {
    const depth = num[2] ? num[2].split(".").length - 1 : 0;
    const rest = trimmed.replace(/^[\s_*]*[\d.]+\s+/, "");
    const startsUpper = /^\p{Lu}/u.test(rest);
    // "1.790 triệu đồng" or "30 HTX" are figures, not headings.
    const looksNumeric = /^\d{1,2}\.\d{3}/.test(f.trim()) || !/^\d{1,2}(\.\d{1,2})*\.?\s/.test(f.trim());
    if (startsUpper && !endsLikeBody && !looksNumeric && trimmed.length <= 160) {
      return { level: 3 + depth, kind: "number" };
    }
  }
  const letter = LETTER_RE.exec(f);
  if (letter && /^[\s_*]*[a-zđ]\)/.test(trimmed) && trimmed.length <= 180 && !/;\s*$/.test(trimmed)) return { level: 7, kind: "letter" };
  return null;
}

interface Line {
  text: string;
  start: number;
  end: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  for (const raw of text.split("\n")) {
    lines.push({ text: raw, start: pos, end: pos + raw.length });
    pos += raw.length + 1;
  }
  return lines;
}

/** Builds the section tree. Section 0 is the document preamble (before the first heading). */
export function detectSections(text: string): Section[] {
  const lines = splitLines(text);
  const sections: Section[] = [{ id: 0, heading: "", level: 0, parent: null, start: 0, bodyStart: 0, end: text.length }];
  const stack: Section[] = [sections[0]!];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = detectHeading(line.text);
    if (!h) continue;
    let heading = line.text.trim();
    let end = line.end;
    // A part heading ("Phần thứ hai") takes the upper-case title lines that follow it.
    if (h.kind === "part" || (h.kind === "roman" && isMostlyUpper(heading))) {
      let j = i + 1;
      let taken = 0;
      while (j < lines.length && taken < 3) {
        const next = lines[j]!.text.trim();
        if (next === "") {
          j++;
          continue;
        }
        if (isMostlyUpper(next) && !detectHeading(next) && next.length < 120) {
          heading += (h.kind === "part" && taken === 0 ? " — " : " ") + next;
          end = lines[j]!.end;
          taken++;
          j++;
          i = j - 1;
        } else break;
      }
    }
    while (stack.length > 1 && stack[stack.length - 1]!.level >= h.level) stack.pop();
    const parent = stack[stack.length - 1]!;
    const section: Section = {
      id: sections.length,
      heading: heading.replace(/^[_*\s'"`.,~-]+/, "").replace(/\s+/g, " "),
      level: h.level,
      parent: parent.id,
      start: line.start,
      // A numbered or lettered heading stays in its section's text: such lines often carry the
      // figure itself ("6.2. Nhu cầu vốn đầu tư … là: 16.650 triệu đồng, trong đó:").
      bodyStart: end === line.end ? line.start : end,
      end: text.length,
    };
    sections.push(section);
    stack.push(section);
  }
  // Each section's body ends where the next heading (at any level) starts.
  for (let k = 0; k < sections.length; k++) {
    const next = sections[k + 1];
    sections[k]!.end = next ? next.start : text.length;
  }
  return sections;
}

export function headingPath(sections: Section[], id: number): string[] {
  const path: string[] = [];
  let cur: Section | undefined = sections[id];
  while (cur && cur.id !== 0) {
    path.unshift(cur.heading);
    cur = cur.parent === null ? undefined : sections[cur.parent];
  }
  return path;
}

export interface ChunkOptions {
  maxChars: number;
  minChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 1000, minChars: 200 };

/** Splits a long span at sentence ends so no piece exceeds maxChars. */
function splitLong(text: string, start: number, end: number, maxChars: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = start;
  while (end - s > maxChars) {
    const window = text.slice(s, s + maxChars);
    let cut = -1;
    for (const m of window.matchAll(/[.;!?](?=\s+[\p{Lu}\-+])|\n/gu)) {
      if (m.index > maxChars * 0.4) cut = m.index + 1;
    }
    if (cut < 0) {
      const sp = window.lastIndexOf(" ");
      cut = sp > maxChars * 0.4 ? sp : maxChars;
    }
    out.push([s, s + cut]);
    s += cut;
    while (s < end && /\s/.test(text[s]!)) s++;
  }
  if (end > s) out.push([s, end]);
  return out;
}

/**
 * Chunks follow sections: a chunk never crosses a heading. Within a section's body, lines are
 * packed up to maxChars; a section body shorter than minChars is still its own chunk so that its
 * heading stays attached to it.
 */
export function chunkDocument(
  docId: string,
  text: string,
  sections: Section[],
  pages: Array<{ page: number; start: number; end: number }> | null,
  opts: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): Chunk[] {
  const chunks: Chunk[] = [];
  const bodyRanges: Array<{ section: number; start: number; end: number }> = [];
  for (const s of sections) {
    if (s.end <= s.bodyStart) continue;
    // A heading with no body of its own (directly followed by a sub-heading) is no chunk.
    if (s.bodyStart === s.start && text.slice(s.start, s.end).trim() === s.heading.trim()) continue;
    if (s.bodyStart === s.start && !text.slice(s.start, s.end).trim().includes("\n")) {
      const only = text.slice(s.start, s.end).trim();
      if (only.length < 120 && !/\d[\d.,]*\s*(%|[a-zà-ỹđ])/iu.test(only.replace(/^[\s_*]*[\w.]+[.)]\s*/u, ""))) continue;
    }
    bodyRanges.push({ section: s.id, start: s.bodyStart, end: s.end });
  }
  const pageOf = (offset: number): number | null => {
    if (!pages) return null;
    for (const p of pages) if (offset >= p.start && offset <= p.end) return p.page;
    return pages.length ? pages[pages.length - 1]!.page : null;
  };
  for (const range of bodyRanges) {
    const lines = splitLines(text.slice(range.start, range.end))
      .map((l) => ({ start: l.start + range.start, end: l.end + range.start, text: l.text }))
      .filter((l) => l.text.trim() !== "" && !/^\s*\d{1,3}\s*$/.test(l.text));
    if (lines.length === 0) continue;
    const path = headingPath(sections, range.section);
    let curStart = -1;
    let curEnd = -1;
    const flush = () => {
      if (curStart < 0) return;
      for (const [a, b] of splitLong(text, curStart, curEnd, opts.maxChars)) {
        const slice = text.slice(a, b);
        const lead = slice.length - slice.trimStart().length;
        const trail = slice.length - slice.trimEnd().length;
        const cs = a + lead;
        const ce = b - trail;
        if (ce <= cs) continue;
        chunks.push({
          id: `${docId}#${chunks.length}`,
          docId,
          ordinal: chunks.length,
          path,
          text: text.slice(cs, ce),
          start: cs,
          end: ce,
          page: pageOf(cs),
        });
      }
      curStart = -1;
      curEnd = -1;
    };
    for (const line of lines) {
      if (curStart >= 0 && line.end - curStart > opts.maxChars && curEnd - curStart >= opts.minChars) flush();
      if (curStart < 0) curStart = line.start;
      curEnd = line.end;
    }
    flush();
  }
  return chunks;
}
