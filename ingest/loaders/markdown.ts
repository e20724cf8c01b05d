// Markdown to plain text: markup removed, one paragraph or heading per line.
//
// Block level: ATX/setext heading marks, horizontal rules, block quotes, code fences, table
// separator rows and link reference definitions are dropped. A bold heading that a hard line
// break ("  " or "\" at the end of a line) splits inside one **…** span is joined into one line.
// Inline: <sup>…</sup> footnote marks (with their number), footnote references [^n], other HTML
// tags and comments, link and image syntax, emphasis delimiters, code-span backticks and
// backslash escapes. Emphasis is matched in pairs like CommonMark does, so a lone "*" (a list
// bullet, "5*3") stays as it is.

import { normalizeText } from "../../knowledge/text/normalize.js";

// Characters that a backslash may escape, and that survive as literals once escaped.
const ESCAPABLE = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
// Escaped or otherwise literal ASCII punctuation is moved to this private-use block while the
// inline rules run, so that no rule sees it, and moved back at the end.
const PROTECT_BASE = 0xe000;

function protect(text: string): string {
  let out = "";
  for (const ch of text) {
    out += ESCAPABLE.includes(ch) ? String.fromCharCode(PROTECT_BASE + ch.charCodeAt(0)) : ch;
  }
  return out;
}

function unprotect(text: string): string {
  return text.replace(/[\uE000-\uE07F]/g, (c) => String.fromCharCode(c.charCodeAt(0) - PROTECT_BASE));
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HR = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const SETEXT_H1 = /^ {0,3}=+[ \t]*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$/;
// "[ref]: https://…" (only URL-like destinations, so "[1]: 305/BC-UBND" stays text).
const LINK_REFERENCE_DEFINITION =
  /^ {0,3}\[(?!\^)[^\]]+\]:\s*(?:<[^<>]*>|[a-z][a-z0-9+.-]*:\S+|\.{0,2}[/#]\S*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$/i;
const HARD_BREAK = /(?: {2,}|\\)$/;

const isBlank = (line: string): boolean => line.trim() === "";

/** Whether `line` closes a code block opened by the fence `fence` ("```", "~~~~", …). */
function isFenceClose(line: string, fence: string): boolean {
  const m = FENCE.exec(line);
  return !!m?.[1] && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1];
}

/** Number of bold delimiter runs (`**`, `***`, `__`, `___`) that can open or close in a line. */
function boldToggles(line: string): number {
  const plain = line.replace(/\\[\s\S]/g, "  ").replace(/(`+)[\s\S]*?\1/g, (m) => " ".repeat(m.length));
  let count = 0;
  for (const m of plain.matchAll(/\*+|_+/g)) {
    const run = m[0];
    if (run.length < 2 || run.length > 3) continue;
    const before = m.index > 0 ? plain.charAt(m.index - 1) : " ";
    const after = plain.charAt(m.index + run.length) || " ";
    if (/\s/.test(before) && /\s/.test(after)) continue;
    if (run[0] === "_" && /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after)) continue;
    count++;
  }
  return count;
}

/**
 * Joins the lines of a bold span that a line break splits, e.g.
 * "**ĐÁNH GIÁ … TẬP THỂ,  \nHỢP TÁC XÃ NĂM 2023**" → one line. A span is joined only when it
 * closes within the next few lines of the same paragraph, so a stray "**" joins nothing.
 */
function joinSplitBold(lines: string[]): string[] {
  const out: string[] = [];
  let open = false; // a bold span is open at the start of the current line
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? "";
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (isFenceClose(line, fence)) fence = null;
      out.push(line);
      continue;
    }
    if (fenceMatch?.[1]) {
      fence = fenceMatch[1];
      out.push(line);
      open = false;
      continue;
    }
    if (isBlank(line) || HR.test(line)) {
      out.push(line);
      open = false;
      continue;
    }
    let openAfter: boolean = open !== (boldToggles(line) % 2 === 1);
    if (openAfter && !open && HARD_BREAK.test(line)) {
      // Look for the line that closes the span, within the paragraph.
      let parity = true;
      let close = -1;
      for (let j = i + 1; j < lines.length && j <= i + 4; j++) {
        const next = lines[j] ?? "";
        if (isBlank(next) || FENCE.test(next) || HR.test(next)) break;
        parity = parity !== (boldToggles(next) % 2 === 1);
        if (!parity) {
          close = j;
          break;
        }
        if (!HARD_BREAK.test(next)) break;
      }
      if (close > i) {
        const parts = [line];
        for (let j = i + 1; j <= close; j++) parts.push(lines[j] ?? "");
        line = parts
          .map((p, k) => (k < parts.length - 1 ? p.replace(HARD_BREAK, "").trimEnd() : p).trim())
          .join(" ");
        i = close;
        openAfter = false;
      }
    }
    out.push(line);
    open = openAfter;
  }
  return out;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g, (m, dec?: string, hex?: string, name?: string) => {
    let ch: string | undefined;
    if (dec !== undefined || hex !== undefined) {
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
      ch = code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
    } else if (name !== undefined) {
      ch = ENTITIES[name];
    }
    return ch === undefined ? m : protect(ch);
  });
}

interface Delimiter {
  ch: string;
  length: number;
  readonly originalLength: number;
  readonly canOpen: boolean;
  readonly canClose: boolean;
}

const isSpace = (c: string): boolean => c === "" || /\s/.test(c);
const isPunct = (c: string): boolean => /[\p{P}\p{S}]/u.test(c);

/** Removes matched emphasis delimiters (`*`, `**`, `_`, `__`), CommonMark style. */
function stripEmphasis(text: string): string {
  const tokens: Array<string | Delimiter> = [];
  let last = 0;
  for (const m of text.matchAll(/\*+|_+/g)) {
    const run = m[0];
    const start = m.index;
    const end = start + run.length;
    if (start > last) tokens.push(text.slice(last, start));
    last = end;
    const before = text.charAt(start - 1);
    const after = text.charAt(end);
    const leftFlanking = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
    const rightFlanking = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
    let canOpen: boolean;
    let canClose: boolean;
    if (run[0] === "*") {
      // "5*3", "2**10": arithmetic, not emphasis.
      const arithmetic = /\d/.test(before) && /\d/.test(after);
      canOpen = leftFlanking && !arithmetic;
      canClose = rightFlanking && !arithmetic;
    } else {
      canOpen = leftFlanking && (!rightFlanking || isPunct(before));
      canClose = rightFlanking && (!leftFlanking || isPunct(after));
    }
    tokens.push({ ch: run.charAt(0), length: run.length, originalLength: run.length, canOpen, canClose });
  }
  if (last < text.length) tokens.push(text.slice(last));

  const stack: Delimiter[] = [];
  for (const token of tokens) {
    if (typeof token === "string") continue;
    if (token.canClose) {
      while (token.length > 0) {
        let k = stack.length - 1;
        for (; k >= 0; k--) {
          const opener = stack[k];
          if (!opener || opener.ch !== token.ch || opener.length === 0) continue;
          // CommonMark's "rule of 3" for runs that can both open and close.
          const both = opener.canClose || token.canOpen;
          const sum = opener.originalLength + token.originalLength;
          if (both && sum % 3 === 0 && !(opener.originalLength % 3 === 0 && token.originalLength % 3 === 0)) continue;
          break;
        }
        const opener = k >= 0 ? stack[k] : undefined;
        if (!opener) break;
        const use = token.length >= 2 && opener.length >= 2 ? 2 : 1;
        opener.length -= use;
        token.length -= use;
        // Delimiters between the pair can no longer match: they stay literal.
        stack.splice(opener.length === 0 ? k : k + 1);
      }
      if (token.length > 0 && token.canOpen) stack.push(token);
    } else if (token.canOpen) {
      stack.push(token);
    }
  }
  return tokens.map((t) => (typeof t === "string" ? t : t.ch.repeat(t.length))).join("");
}

/** Inline markup of one line removed; may return several lines (for `<br>`). */
function stripInline(line: string): string {
  let s = line;
  // Hard line break by a trailing backslash.
  s = s.replace(/(?<!\\)\\$/, "");
  // Backslash escapes.
  s = s.replace(/\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, (_m, ch: string) => protect(ch));
  // Code spans: content literal, backticks dropped.
  s = s.replace(/(`+)([^`][\s\S]*?)\1(?!`)/g, (_m, _ticks: string, code: string) => protect(code.trim() || code));
  // Footnote marks: <sup>n</sup> with its number, [^n] references; definitions keep their text.
  s = s.replace(/<sup\b[^>]*>[\s\S]*?<\/sup>/gi, "");
  s = s.replace(/^\s*\[\^[^\]\s]+\]:\s*/, "");
  s = s.replace(/\[\^[^\]\s]+\]/g, "");
  // HTML comments, autolinks, line breaks, other tags.
  s = s.replace(/<!--[\s\S]*?-->/g, "");
  s = s.replace(/<((?:https?|ftp|mailto):[^<>\s]+|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>/gi, (_m, url: string) => protect(url));
  s = s.replace(/<br\s*\/?>/gi, "\n");
  s = s.replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, "");
  // Images and links keep their text; reference-style links too.
  const destination = String.raw`(?:<[^<>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?`;
  s = s.replace(new RegExp(String.raw`!\[([^\]]*)\]\(\s*${destination}\s*\)`, "g"), "$1");
  s = s.replace(new RegExp(String.raw`\[([^\]]+)\]\(\s*${destination}\s*\)`, "g"), "$1");
  s = s.replace(/!?\[([^\]]+)\]\[[^\]]*\]/g, "$1");
  s = decodeEntities(s);
  // Strikethrough and emphasis.
  s = s.replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1");
  s = stripEmphasis(s);
  return unprotect(s);
}

/** Plain text of a Markdown document (normalised, not yet tidied). */
const FOOTNOTE_DEF = /^\s*(?:<sup>\s*\d+\s*<\/sup>|\[\^[^\]]+\]:)/i;
const STRUCTURAL = /^\s*(?:#|\*\*|__|[-+*]\s|\d+[.)]\s|>|\||<sup>|\[\^|```|~~~|---|\*\s*\()/;

/**
 * Footnote definitions placed in the middle of the text (where the page ended in the source)
 * are moved to the end, and a paragraph they, or a stray blank line, cut in two is joined
 * again: "tổng số cán bộ quản lý" + "HTX là 1.590 người" is one sentence.
 */
export function moveFootnotes(lines: string[]): string[] {
  const notes: string[] = [];
  const body: string[] = [];
  for (const line of lines) (FOOTNOTE_DEF.test(line) ? notes : body).push(line);
  const out: string[] = [];
  for (const line of body) {
    if (!isBlank(line) && !STRUCTURAL.test(line)) {
      // The last non-blank line, if only blank lines stand between it and this one.
      let j = out.length - 1;
      while (j >= 0 && isBlank(out[j]!)) j--;
      const prev = j >= 0 ? out[j]! : "";
      const cut = j < out.length - 1;
      const continues = /^\s*\p{Ll}/u.test(line) || prev.trim().length > 60;
      if (cut && prev && continues && !HR.test(prev) && !/^\s*(?:#|\*\*|__|>|\||```|~~~)/.test(prev) && !/[.:;!?…)”"*_]\s*$/.test(prev) && !HARD_BREAK.test(prev) && /^\s*[\p{L}\p{N}(]/u.test(line)) {
        out.length = j + 1;
        out[j] = `${prev.trimEnd()} ${line.trim()}`;
        continue;
      }
    }
    out.push(line);
  }
  if (notes.length) out.push("", ...notes.flatMap((n) => [n, ""]));
  return out;
}

export function markdownToText(source: string): string {
  const lines = moveFootnotes(joinSplitBold(normalizeText(source).split("\n")));
  const out: string[] = [];
  let fence: string | null = null;
  let previous = "";
  for (const raw of lines) {
    const fenceMatch = FENCE.exec(raw);
    if (fence !== null) {
      if (isFenceClose(raw, fence)) fence = null;
      else out.push(raw);
      continue;
    }
    if (fenceMatch?.[1]) {
      fence = fenceMatch[1];
      continue;
    }
    let line = raw;
    if (HR.test(line) || TABLE_SEPARATOR.test(line) || LINK_REFERENCE_DEFINITION.test(line)) {
      line = "";
    } else if (SETEXT_H1.test(line) && !isBlank(previous)) {
      line = "";
    } else {
      line = line.trim();
      line = line.replace(/^(?:>\s?)+/, "");
      if (/^#{1,6}(?:\s|$)/.test(line)) {
        line = line.replace(/^#{1,6}\s*/, "").replace(/(?:^|\s+)#+\s*$/, "");
      }
      if (line.startsWith("|")) {
        line = line.replace(/^\|\s*/, "").replace(/\s*(?<!\\)\|$/, "");
      }
      line = stripInline(line)
        .split("\n")
        .map((l) => l.trim())
        .join("\n");
    }
    out.push(line);
    previous = raw;
  }
  return out.join("\n");
}
