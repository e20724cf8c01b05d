// Vietnamese provinces, recognised in documents and questions with or without diacritics.

import { fold } from "./text/normalize.js";

/** Provinces and centrally-run cities, before and after the 2025 merger. */
export const PROVINCES = [
  "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
  "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
  "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
  "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
  "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An",
  "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
  "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
  "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
  "Thành phố Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
];

const PROVINCE_FOLDED = PROVINCES.map((name) => ({ name, folded: fold(name).replace(/\s*-\s*/g, " ") }));

/** Province names found in a text (folded matching, longest first), in order of first mention. */
export function findProvinces(text: string): string[] {
  const f = ` ${fold(text).replace(/[^a-z0-9]+/g, " ")} `;
  const hits: Array<{ name: string; at: number }> = [];
  for (const p of PROVINCE_FOLDED) {
    const at = f.indexOf(` ${p.folded} `);
    if (at >= 0) hits.push({ name: p.name, at });
    // Also "caobang", "langson" typed without the space.
    const glued = f.indexOf(` ${p.folded.replace(/ /g, "")} `);
    if (glued >= 0 && p.folded.includes(" ")) hits.push({ name: p.name, at: glued });
  }
  hits.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.name) && seen.add(h.name)).map((h) => h.name);
}

