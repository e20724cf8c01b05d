// /dieukien (/eligibility): a guided flow with inline buttons — province → sector → stage → need —
// that edits one message in place, then lists the programs the documents describe for that
// profile with their conditions exactly as written, or says plainly that they do not state any.

import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, EligibilityState, Lang } from "../context.js";
import { commandNames } from "../commands.js";
import type { Engine } from "../../../knowledge/engine.js";
import { findPrograms, NEED_LABELS, NEEDS, type Need, type Sector } from "../../../knowledge/answer/eligibility.js";
import { CATEGORY_LABELS } from "../../../knowledge/answer/policies.js";
import { docHeading, escapeHtml, parseScope, provinceAt, shorten, tr } from "../html.js";
import { splitMessage } from "../render.js";
import { replyHtml } from "./question.js";

export const ELIG_PREFIX = "elig:";
const SECTORS: Sector[] = ["agriculture", "non-agriculture", "any"];
const SECTOR_LABELS: Record<Sector, { vi: string; en: string }> = {
  agriculture: { vi: "🌾 Nông nghiệp", en: "🌾 Agriculture" },
  "non-agriculture": { vi: "🏪 Phi nông nghiệp", en: "🏪 Non-agriculture" },
  any: { vi: "Bất kỳ", en: "Any" },
};
const STAGE_LABELS = {
  new: { vi: "🆕 Mới thành lập / sắp thành lập", en: "🆕 New / being set up" },
  operating: { vi: "⚙️ Đang hoạt động", en: "⚙️ Operating" },
} as const;

function isSector(s: string | undefined): s is Sector {
  return s !== undefined && (SECTORS as string[]).includes(s);
}
function isNeed(s: string | undefined): s is Need {
  return s !== undefined && (NEEDS as string[]).includes(s);
}

function navRow(kb: InlineKeyboard, lang: Lang, withBack: boolean): InlineKeyboard {
  kb.row();
  if (withBack) kb.text(tr(lang, "⬅️ Quay lại", "⬅️ Back"), `${ELIG_PREFIX}back`);
  return kb.text(tr(lang, "🔄 Làm lại", "🔄 Restart"), `${ELIG_PREFIX}restart`);
}

function summary(s: EligibilityState, lang: Lang): string {
  const parts: string[] = [];
  if (s.province) parts.push(s.province);
  if (isSector(s.sector)) parts.push(SECTOR_LABELS[s.sector][lang]);
  if (s.stage) parts.push(STAGE_LABELS[s.stage][lang]);
  if (isNeed(s.need)) parts.push(NEED_LABELS[s.need][lang]);
  return parts.length ? `\n<i>${escapeHtml(parts.join(" · "))}</i>` : "";
}

/** The message of the current step: its question and buttons, or the final answer. */
export function renderStep(engine: Engine, s: EligibilityState, lang: Lang): { html: string; keyboard: InlineKeyboard } {
  const title = `✅ <b>${escapeHtml(tr(lang, "Điều kiện được hỗ trợ", "Eligibility for support"))}</b>${summary(s, lang)}\n\n`;
  if (!s.province || !engine.provinces.includes(s.province)) {
    const kb = new InlineKeyboard();
    engine.provinces.forEach((p, i) => kb.text(p, `${ELIG_PREFIX}p:${i}`));
    return { html: title + escapeHtml(tr(lang, "1/4. HTX của bạn ở tỉnh nào?", "1/4. Which province is the cooperative in?")), keyboard: navRow(kb, lang, false) };
  }
  if (!isSector(s.sector)) {
    const kb = new InlineKeyboard();
    for (const x of SECTORS) kb.text(SECTOR_LABELS[x][lang], `${ELIG_PREFIX}s:${x}`);
    return { html: title + escapeHtml(tr(lang, "2/4. HTX hoạt động trong lĩnh vực nào?", "2/4. Which sector does it work in?")), keyboard: navRow(kb, lang, true) };
  }
  if (!s.stage) {
    const kb = new InlineKeyboard().text(STAGE_LABELS.new[lang], `${ELIG_PREFIX}g:new`).row().text(STAGE_LABELS.operating[lang], `${ELIG_PREFIX}g:operating`);
    return { html: title + escapeHtml(tr(lang, "3/4. HTX mới thành lập hay đang hoạt động?", "3/4. Is it new or already operating?")), keyboard: navRow(kb, lang, true) };
  }
  if (!isNeed(s.need)) {
    const kb = new InlineKeyboard();
    NEEDS.forEach((n, i) => {
      kb.text(NEED_LABELS[n][lang], `${ELIG_PREFIX}n:${n}`);
      if (i % 2 === 1) kb.row();
    });
    return { html: title + escapeHtml(tr(lang, "4/4. HTX cần hỗ trợ gì?", "4/4. What support is needed?")), keyboard: navRow(kb, lang, true) };
  }
  return { html: title + renderPrograms(engine, s, lang), keyboard: navRow(new InlineKeyboard(), lang, true) };
}

/** The final answer: programs with their conditions as written and citations, or "not stated". */
export function renderPrograms(engine: Engine, s: EligibilityState, lang: Lang): string {
  const need = isNeed(s.need) ? s.need : "capital";
  const r = findPrograms(engine, { province: s.province, sector: isSector(s.sector) ? s.sector : "any", stage: s.stage, need });
  const lines: string[] = [];
  if (!r.stated && r.notStated) lines.push(`⚠️ ${escapeHtml(r.notStated[lang])}`);
  const shown = r.programs.slice(0, 6);
  if (shown.length) {
    if (r.stated) lines.push(`<b>${escapeHtml(tr(lang, "Các chương trình tài liệu nêu", "Programs the documents describe"))}</b>`);
    else lines.push("", `<b>${escapeHtml(tr(lang, "Hỗ trợ thành lập mới mà tài liệu nêu", "Establishment support the documents describe"))}</b>`);
  }
  const sources: string[] = [];
  shown.forEach((p, i) => {
    const n = i + 1;
    const it = p.policy;
    const cat = CATEGORY_LABELS[it.category][lang];
    lines.push("", `${n}. <b>${escapeHtml(cat)}</b> — «${escapeHtml(shorten(it.text, 360))}» [${n}]`);
    if (p.conditions.length) {
      lines.push(`   ${escapeHtml(tr(lang, "Điều kiện, đối tượng (nguyên văn)", "Conditions (as written)"))}:`);
      for (const c of p.conditions.slice(0, 3)) lines.push(`   – «${escapeHtml(c)}»`);
    } else {
      lines.push(`   ${escapeHtml(tr(lang, "Đoạn này không nêu điều kiện cụ thể.", "This passage states no specific conditions."))}`);
    }
    if (it.legalBasis.length) lines.push(`   ${escapeHtml(tr(lang, "Căn cứ", "Legal basis"))}: ${escapeHtml(it.legalBasis.join(", "))}`);
    if (it.amounts.length) lines.push(`   ${escapeHtml(tr(lang, "Mức, kinh phí", "Amounts"))}: ${it.amounts.map((a) => `<b>${escapeHtml(a.display[lang])}</b>`).join("; ")}`);
    sources.push(`[${n}] ${escapeHtml(docHeading(it.doc, lang))} › ${escapeHtml(it.section.split(" › ").slice(-2).join(" › "))} (${escapeHtml(it.citation.chunkId)})`);
  });
  if (r.programs.length > shown.length) {
    lines.push("", escapeHtml(tr(lang, `… và ${r.programs.length - shown.length} đoạn khác (xem /chinhsach).`, `… and ${r.programs.length - shown.length} more passages (see /policies).`)));
  }
  if (sources.length) lines.push("", `<b>${escapeHtml(tr(lang, "Nguồn", "Sources"))}</b>`, ...sources);
  return lines.join("\n").trim();
}

async function show(ctx: BotContext, edit: boolean): Promise<void> {
  const engine = ctx.services.knowledge.engine();
  const step = renderStep(engine, ctx.session.eligibility ?? {}, ctx.session.lang);
  const [first, ...rest] = splitMessage(step.html);
  if (!edit) {
    await replyHtml(ctx, step.html, step.keyboard);
    return;
  }
  // The flow's message is edited in place; a long final answer continues in new messages.
  await ctx.editMessageText(first ?? "", { parse_mode: "HTML", reply_markup: rest.length ? undefined : step.keyboard, link_preview_options: { is_disabled: true } });
  for (let i = 0; i < rest.length; i++) {
    await ctx.reply(rest[i]!, { parse_mode: "HTML", reply_markup: i === rest.length - 1 ? step.keyboard : undefined, link_preview_options: { is_disabled: true } });
  }
}

export function createEligibilityComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(commandNames("eligibility"), async (ctx) => {
    const engine = ctx.services.knowledge.engine();
    const scope = parseScope(engine, ctx.match);
    ctx.session.eligibility = scope.province ? { province: scope.province } : {};
    await show(ctx, false);
  });
  composer.callbackQuery(/^elig:(p|s|g|n):([a-z0-9-]+)$/, async (ctx) => {
    const engine = ctx.services.knowledge.engine();
    const s: EligibilityState = { ...(ctx.session.eligibility ?? {}) };
    const [, step, value] = ctx.match as RegExpMatchArray & [string, string, string];
    if (step === "p") {
      const p = provinceAt(engine, value);
      if (p) Object.assign(s, { province: p, sector: undefined, stage: undefined, need: undefined });
    } else if (step === "s" && isSector(value) && s.province) {
      Object.assign(s, { sector: value, stage: undefined, need: undefined });
    } else if (step === "g" && (value === "new" || value === "operating") && s.sector) {
      Object.assign(s, { stage: value, need: undefined });
    } else if (step === "n" && isNeed(value) && s.stage) {
      s.need = value;
    }
    ctx.session.eligibility = s;
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });
  composer.callbackQuery(`${ELIG_PREFIX}back`, async (ctx) => {
    const s: EligibilityState = { ...(ctx.session.eligibility ?? {}) };
    if (s.need) delete s.need;
    else if (s.stage) delete s.stage;
    else if (s.sector) delete s.sector;
    else delete s.province;
    ctx.session.eligibility = s;
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });
  composer.callbackQuery(`${ELIG_PREFIX}restart`, async (ctx) => {
    ctx.session.eligibility = {};
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });
  return composer;
}
