// Which support programs the documents describe for a cooperative's profile (province, sector,
// stage, need), with their conditions exactly as written; or plainly that they do not say.

import type { Engine } from "../engine.js";
import type { DocMeta } from "../types.js";
import { fold } from "../text/normalize.js";
import { tidy } from "./compose.js";
import { CATEGORY_LABELS, categoriesIn, listPolicies, type PolicyCategory, type PolicyItem } from "./policies.js";
import { docsInScope } from "./targets.js";

export type Need = "capital" | "training" | "infrastructure" | "market" | "insurance" | "staff";
export type Sector = "agriculture" | "non-agriculture" | "any";

export interface Profile {
  province?: string;
  sector?: Sector;
  stage?: "new" | "operating";
  need: Need;
}

export const NEEDS: Need[] = ["capital", "training", "infrastructure", "market", "insurance", "staff"];

export const NEED_LABELS: Record<Need, { vi: string; en: string }> = {
  capital: { vi: "Vốn, tín dụng", en: "Capital, credit" },
  training: { vi: "Đào tạo, bồi dưỡng", en: "Training" },
  infrastructure: { vi: "Hạ tầng, chế biến", en: "Infrastructure, processing" },
  market: { vi: "Thị trường, tiêu thụ", en: "Markets, sales" },
  insurance: { vi: "Bảo hiểm", en: "Insurance" },
  staff: { vi: "Nhân lực, cán bộ trẻ", en: "Staff, young graduates" },
};

/** The policy categories that answer a need. */
export const NEED_CATEGORIES: Record<Need, PolicyCategory[]> = {
  capital: ["credit"],
  training: ["training"],
  infrastructure: ["infrastructure"],
  market: ["trade", "value-chain"],
  insurance: ["insurance"],
  staff: ["human-resources"],
};

export interface Program {
  policy: PolicyItem;
  /** Why it is listed: the need itself, or support to establish a new cooperative. */
  reason: "need" | "establishment";
  /** Sentences of the passage that state conditions, exactly as written (white space collapsed). */
  conditions: string[];
}

export interface EligibilityResult {
  profile: Profile;
  /** Documents consulted (those of the province, or all). */
  docs: DocMeta[];
  programs: Program[];
  /** False when the documents say nothing for this profile. */
  stated: boolean;
  /** Plain statement of what is not stated, in both languages; null when programs were found. */
  notStated: { vi: string; en: string } | null;
}

// Sentences that state who qualifies and on what terms (folded).
// "tối đa" / "không quá" only with a number: "tận dụng tối đa" (make the most of) is no condition.
const CONDITION = /\b(dieu kien|doi tuong|tieu chi|(khong qua|toi da|toi thieu|it nhat) \d|tro len|phai|do tuoi|mot lan|co nhu cau|duoc vay|lai suat)\b/;

/** The sentences of a passage that state conditions, verbatim. */
export function conditionSentences(text: string): string[] {
  const t = tidy(text);
  const out: string[] = [];
  let a = 0;
  for (let i = 0; i <= t.length; i++) {
    const end = i === t.length || ((t[i] === "." || t[i] === ";") && (t[i + 1] === " " || i + 1 === t.length));
    if (!end) continue;
    const s = t.slice(a, i + (i < t.length ? 1 : 0)).trim();
    a = i + 1;
    if (!s) continue;
    const f = fold(s).replace(/\btao dieu kien\b/g, " ");
    if (CONDITION.test(f)) out.push(s);
  }
  return out;
}

function sectorFits(item: PolicyItem, sector: Sector | undefined): boolean {
  if (!sector || sector === "any") return true;
  // Agencies named after agriculture do not make a passage about agricultural cooperatives.
  const f = fold(item.text).replace(/\b(so|bo|hoc vien|truong can bo quan ly|trung tam nghien cuu va phat trien he thong) nong nghiep\b/g, " ");
  const nonAg = /\bphi nong nghiep\b/.test(f);
  const ag = /(?<!phi )\bnong nghiep\b/.test(f.replace(/\bphi nong nghiep\b/g, " "));
  if (sector === "agriculture") return !(nonAg && !ag);
  return !(ag && !nonAg);
}

function provinceLabel(p: string | undefined, lang: "vi" | "en"): string {
  if (p) return p;
  return lang === "vi" ? "các tỉnh trong tài liệu" : "the provinces covered";
}

/** Programs for the profile, establishment support first for a new cooperative. */
export function findPrograms(engine: Engine, profile: Profile): EligibilityResult {
  const docs = docsInScope(engine, { province: profile.province });
  const wanted = NEED_CATEGORIES[profile.need];
  const programs: Program[] = [];
  const seen = new Set<string>();
  const add = (items: PolicyItem[], reason: Program["reason"]) => {
    for (const policy of items) {
      const key = `${policy.doc.id}:${policy.start}`;
      if (seen.has(key) || !sectorFits(policy, profile.sector)) continue;
      seen.add(key);
      programs.push({ policy, reason, conditions: conditionSentences(policy.text) });
    }
  };
  if (docs.length > 0) {
    if (profile.stage === "new") add(listPolicies(engine, { province: profile.province, category: "establishment" }).filter((p) => p.category === "establishment"), "establishment");
    const forNeed = wanted.flatMap((category) => listPolicies(engine, { province: profile.province, category }));
    // The passages that are about the need come before those that only mention it.
    add(forNeed.filter((p) => wanted.includes(p.category)), "need");
    add(forNeed.filter((p) => !wanted.includes(p.category) && categoriesIn(fold(p.text)).some((c) => wanted.includes(c))), "need");
  }
  const hasNeed = programs.some((p) => p.reason === "need");
  const stated = hasNeed;
  let notStated: EligibilityResult["notStated"] = null;
  if (!stated) {
    const needVi = NEED_LABELS[profile.need].vi.toLowerCase();
    const needEn = NEED_LABELS[profile.need].en.toLowerCase();
    const cats = wanted.map((c) => CATEGORY_LABELS[c]);
    const sectorVi = profile.sector === "agriculture" ? " trong lĩnh vực nông nghiệp" : profile.sector === "non-agriculture" ? " ngoài lĩnh vực nông nghiệp" : "";
    const sectorEn = profile.sector === "agriculture" ? " in agriculture" : profile.sector === "non-agriculture" ? " outside agriculture" : "";
    notStated = docs.length === 0
      ? {
          vi: `Không có trong tài liệu: kho tài liệu không có văn bản nào của ${provinceLabel(profile.province, "vi")}.`,
          en: `Not in the documents: the corpus has no document for ${provinceLabel(profile.province, "en")}.`,
        }
      : {
          vi: `Các tài liệu của ${provinceLabel(profile.province, "vi")} không nêu chính sách hỗ trợ về ${needVi} (${cats.map((c) => c.vi).join("; ")}) cho HTX${sectorVi}.`,
          en: `The documents for ${provinceLabel(profile.province, "en")} do not state any support for ${needEn} (${cats.map((c) => c.en).join("; ")}) for cooperatives${sectorEn}.`,
        };
  }
  return { profile, docs, programs: stated ? programs : programs.filter((p) => p.reason === "establishment"), stated, notStated };
}
