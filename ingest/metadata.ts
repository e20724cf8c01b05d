// Document metadata detected from the text (province, kind, number, date, period, title),
// optionally corrected by knowledge/corpus/metadata.json.

import { z } from "zod";
import type { DocKind, DocMeta } from "../knowledge/types.js";
import { fold } from "../knowledge/text/normalize.js";
import { isMostlyUpper } from "./structure.js";
import { PROVINCES, findProvinces } from "../knowledge/provinces.js";

export { PROVINCES, findProvinces };

function countMentions(folded: string, name: string): number {
  const needle = fold(name);
  let n = 0;
  for (let i = folded.indexOf(needle); i >= 0; i = folded.indexOf(needle, i + 1)) n++;
  return n;
}

export function detectProvince(text: string): string | null {
  const head = text.slice(0, 1500);
  const folded = fold(text);
  const candidates = findProvinces(head);
  const pool = candidates.length ? candidates : findProvinces(text);
  let best: string | null = null;
  let bestCount = 0;
  for (const name of pool) {
    const c = countMentions(folded, name);
    if (c > bestCount) {
      best = name;
      bestCount = c;
    }
  }
  return best;
}

export function detectKind(text: string): DocKind {
  const head = fold(text.slice(0, 800));
  const nq = head.search(/nghi\s+quyet|-nq\/|\/nq-/);
  const kh = head.search(/ke\s+hoach|\/kh-/);
  if (nq >= 0 && (kh < 0 || nq < kh)) return "nghi-quyet";
  if (kh >= 0) return "ke-hoach";
  return "other";
}

export function detectNumber(text: string): string | null {
  const head = text.slice(0, 800);
  const f = fold(head);
  const m = /(?:^|\s)s[a-z0-9]{0,2}\s*:?\s*(\d{1,5})\s*([-/])\s*(kh|nq|qd|bc|ctr|tb)\s*[-/]\s*([a-z]{2,6})/.exec(f);
  if (!m) return null;
  const raw = head.slice(m.index, m.index + m[0].length);
  const num = m[1]!;
  const sep1 = m[2]!;
  const type = raw.slice(raw.length - m[4]!.length - 1 - m[3]!.length - 1).match(/[A-Za-zĐđ]+/g);
  const typeCode = (type?.[0] ?? m[3]!).toUpperCase().replace("Đ", "Đ");
  const issuer = (type?.[1] ?? m[4]!).toUpperCase();
  return sep1 === "-" ? `${num}-${typeCode}/${issuer}` : `${num}/${typeCode}-${issuer}`;
}

export function detectDate(text: string): string | null {
  const f = fold(text.slice(0, 1200));
  const m = /ngay\s+(\d{1,2})?\s*thang\s+(\d{1,2})\s+nam\s+(\d{4})/.exec(f);
  if (!m) return null;
  const month = m[2]!.padStart(2, "0");
  return m[1] ? `${m[3]}-${month}-${m[1].padStart(2, "0")}` : `${m[3]}-${month}`;
}

/** Title: the upper-case block that starts with "KẾ HOẠCH" / "NGHỊ QUYẾT" plus its subtitle lines. */
export function detectTitle(text: string): string | null {
  const lines = text.split("\n").slice(0, 40).map((l) => l.trim());
  const at = lines.findIndex((l) => /^(ke hoach|nghi quyet|bao cao|quyet dinh|chuong trinh|de an)\b/.test(fold(l)));
  if (at < 0) return null;
  const parts = [lines[at]!];
  for (let i = at + 1; i < lines.length && parts.length < 5; i++) {
    const l = lines[i]!;
    if (l === "") continue;
    const fl = fold(l);
    if (/^(thuc hien|can cu|kinh gui|sau \d|phan thu)/.test(fl)) break;
    if (isMostlyUpper(l) || /^(ve |về )/i.test(l) || /^(phat trien|phát triển)/i.test(l)) parts.push(l);
    else break;
  }
  const title = parts.join(" ").replace(/\s+/g, " ").trim();
  return title.length > 3 ? title : null;
}

export function detectPeriod(text: string, title: string | null): { from: number; to: number } | null {
  const sources = [title ?? "", text.slice(0, 1500)];
  for (const s of sources) {
    const f = fold(s);
    const range = /giai doan\s+(20\d\d)\s*[-–]\s*(20\d\d)/.exec(f);
    if (range) return { from: Number(range[1]), to: Number(range[2]) };
    const year = /(?:nam|năm)\s+(20\d\d)\b/.exec(f);
    if (year && s === title) return { from: Number(year[1]), to: Number(year[1]) };
  }
  // A plan without a title: its largest "năm 20xx" in the first heading block.
  const years = [...fold(text.slice(0, 1500)).matchAll(/nam\s+(20\d\d)/g)].map((m) => Number(m[1]));
  if (years.length) {
    const y = Math.max(...years);
    return { from: y, to: y };
  }
  return null;
}

const OverrideSchema = z
  .object({
    title: z.string().min(1),
    province: z.string().min(1).nullable(),
    kind: z.enum(["ke-hoach", "nghi-quyet", "other"]),
    number: z.string().min(1).nullable(),
    date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/).nullable(),
    period: z.object({ from: z.number().int(), to: z.number().int() }).nullable(),
    reviewYear: z.number().int().nullable(),
  })
  .partial()
  .strict();

export const MetadataFileSchema = z.record(z.string(), OverrideSchema);
export type MetadataOverrides = z.infer<typeof MetadataFileSchema>;

export function detectMetadata(
  id: string,
  file: string,
  text: string,
  hash: string,
  pages: number | null,
  override?: z.infer<typeof OverrideSchema>,
): DocMeta {
  const title = detectTitle(text);
  const kind = detectKind(text);
  const period = detectPeriod(text, title);
  const detected: DocMeta = {
    id,
    file,
    title: title ?? id,
    province: detectProvince(text),
    kind,
    number: detectNumber(text),
    date: detectDate(text),
    period,
    reviewYear: kind === "ke-hoach" && period && period.from === period.to ? period.from - 1 : null,
    hash,
    pages,
  };
  return { ...detected, ...(override ?? {}) };
}
