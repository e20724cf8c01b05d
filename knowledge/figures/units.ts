// Units that follow numbers in the plans, matched on folded text (longest first).

export interface UnitDef {
  /** Canonical display form. */
  unit: string;
  /** Folded spellings, longest first. */
  forms: string[];
  /** What the unit counts; used to match "bao nhiêu HTX" to figures in HTX. */
  dimension: "htx" | "tht" | "lhhtx" | "member" | "person" | "household" | "money" | "percent" | "other";
}

export const UNITS: UnitDef[] = [
  { unit: "triệu đồng", forms: ["trieu dong", "trieu vnd", "trieu"], dimension: "money" },
  { unit: "tỷ đồng", forms: ["ty dong", "ty vnd", "ty"], dimension: "money" },
  { unit: "nghìn đồng", forms: ["nghin dong", "ngan dong"], dimension: "money" },
  { unit: "đồng", forms: ["dong"], dimension: "money" },
  { unit: "%", forms: ["%", "phan tram"], dimension: "percent" },
  {
    unit: "Liên hiệp HTX",
    forms: ["lien hiep hop tac xa", "lien hiep htx", "lhhtx", "lh htx", "lien hiep"],
    dimension: "lhhtx",
  },
  // "02 Liên hiệp HTX với 18 thành viên HTX": member cooperatives are counted in HTX.
  { unit: "HTX", forms: ["thanh vien htx", "thanh vien hop tac xa", "hop tac xa", "htx", "hix", "hxt"], dimension: "htx" },
  { unit: "THT", forms: ["to hop tac", "tht", "nhom so thich"], dimension: "tht" },
  { unit: "thành viên", forms: ["thanh vien", "xa vien", "to vien"], dimension: "member" },
  { unit: "người", forms: ["nguoi", "ngudi", "nguo1", "ngu0i"], dimension: "person" },
  { unit: "lao động", forms: ["lao dong"], dimension: "person" },
  { unit: "cán bộ", forms: ["can bo"], dimension: "person" },
  { unit: "học viên", forms: ["hoc vien"], dimension: "person" },
  { unit: "hộ", forms: ["ho dan", "ho"], dimension: "household" },
  { unit: "lượt", forms: ["luot"], dimension: "other" },
  { unit: "hội nghị", forms: ["hoi nghi"], dimension: "other" },
  { unit: "lớp", forms: ["lop"], dimension: "other" },
  { unit: "sản phẩm", forms: ["san pham"], dimension: "other" },
  { unit: "công trình", forms: ["cong trinh"], dimension: "other" },
  { unit: "dự án", forms: ["du an"], dimension: "other" },
  { unit: "xã", forms: ["xa"], dimension: "other" },
  { unit: "huyện", forms: ["huyen"], dimension: "other" },
  { unit: "đơn vị", forms: ["don vi"], dimension: "other" },
  { unit: "doanh nghiệp", forms: ["doanh nghiep", "dn"], dimension: "other" },
  { unit: "tổ", forms: ["to"], dimension: "other" },
  { unit: "nhóm", forms: ["nhom"], dimension: "other" },
  { unit: "ha", forms: ["ha"], dimension: "other" },
  { unit: "m²", forms: ["m2"], dimension: "other" },
  { unit: "tấn", forms: ["tan"], dimension: "other" },
  { unit: "điểm", forms: ["diem"], dimension: "other" },
  { unit: "sao", forms: ["sao"], dimension: "other" },
  { unit: "tháng", forms: ["thang"], dimension: "other" },
  { unit: "năm", forms: ["nam"], dimension: "other" },
  { unit: "SIP", forms: ["sip"], dimension: "other" },
  { unit: "VCAP", forms: ["vcap"], dimension: "other" },
];

// Words of a unit may be split by a line break in the OCR text ("hop\ntac x4").
const FORMS = UNITS.flatMap((u) => u.forms.map((form) => ({ form, def: u })))
  .sort((a, b) => b.form.length - a.form.length)
  .map(({ form, def }) => ({
    def,
    re: new RegExp(`^\\s*${form.replace(/[%]/g, "%").replace(/ /g, "\\s+")}${form === "%" ? "" : "(?![a-z0-9])"}`),
  }));

export interface UnitMatch {
  def: UnitDef;
  /** Length consumed in the folded text, including the per-part ("/HTX/năm"). */
  length: number;
  per: string | null;
}

const PER_FORMS: Array<[string, string]> = [
  ["htx", "HTX"],
  ["hop tac xa", "HTX"],
  ["tht", "THT"],
  ["lien hiep htx", "Liên hiệp HTX"],
  ["nguoi", "người"],
  ["ngudi", "người"],
  ["thanh vien", "thành viên"],
  ["lao dong", "lao động"],
  ["ho", "hộ"],
  ["nam", "năm"],
  ["thang", "tháng"],
  ["ha", "ha"],
];

/** Matches a unit at the start of `folded` (after optional spaces). */
export function matchUnit(folded: string): UnitMatch | null {
  for (const { re, def } of FORMS) {
    const hit = re.exec(folded);
    if (!hit) continue;
    let length = hit[0].length;
    const perParts: string[] = [];
    // Per-part: "/HTX/năm", "/người/tháng", "/01 HTX".
    for (;;) {
      const m = /^\s?\/\s?(?:01\s|1\s)?([a-z ]{1,14}?)(?=[^a-z]|$)/.exec(folded.slice(length));
      if (!m) break;
      const per = PER_FORMS.find(([f]) => m[1]!.trim() === f);
      if (!per) break;
      perParts.push(per[1]);
      length += m[0].length;
    }
    return { def, length, per: perParts.length ? perParts.join("/") : null };
  }
  return null;
}

export function unitDimension(unit: string | null): UnitDef["dimension"] | null {
  if (!unit) return null;
  return UNITS.find((u) => u.unit === unit)?.dimension ?? null;
}
