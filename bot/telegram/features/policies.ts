// /chinhsach [tỉnh] (/policies): the support policies of a province grouped by category, each
// with its legal basis, amounts and beneficiaries as stated and a numbered citation; buttons
// narrow the list to one category. Long lists are split into several messages.

import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, Lang } from "../context.js";
import { commandNames } from "../commands.js";
import type { Engine } from "../../../knowledge/engine.js";
import { CATEGORY_LABELS, listPolicies, POLICY_CATEGORIES, type PolicyCategory, type PolicyItem } from "../../../knowledge/answer/policies.js";
import { coverageLine, docHeading, escapeHtml, provinceAt, provinceKeyboard, shorten, tr } from "../html.js";
import { replyHtml } from "./question.js";
import { commandScope } from "./scope.js";

export const POLICIES_PREFIX = "pol:";

const ICONS: Record<PolicyCategory, string> = {
  establishment: "🏗",
  training: "🎓",
  trade: "🛒",
  credit: "💳",
  infrastructure: "🏭",
  "value-chain": "🔗",
  insurance: "🛡",
  "human-resources": "👥",
  information: "📣",
  land: "🗺",
  other: "📌",
};

function renderItem(p: PolicyItem, n: number, lang: Lang, maxText: number): string {
  const lines = [`${n}. <i>${escapeHtml(tr(lang, p.stage === "plan" ? "Kế hoạch" : "Kết quả", p.stage === "plan" ? "Planned" : "Implemented"))}</i> — «${escapeHtml(shorten(p.text, maxText))}» [${n}]`];
  if (p.legalBasis.length) lines.push(`   ${escapeHtml(tr(lang, "Căn cứ", "Legal basis"))}: ${escapeHtml(p.legalBasis.join(", "))}`);
  if (p.amounts.length) lines.push(`   ${escapeHtml(tr(lang, "Kinh phí, mức hỗ trợ", "Amounts"))}: ${p.amounts.map((a) => `<b>${escapeHtml(a.display[lang])}</b>`).join("; ")}`);
  if (p.beneficiaries.length) {
    const shown = p.beneficiaries.slice(0, 4).map((b) => `<b>${escapeHtml(b.display[lang])}</b> (${escapeHtml(shorten(b.phrase, 90))})`);
    lines.push(`   ${escapeHtml(tr(lang, "Đối tượng thụ hưởng", "Beneficiaries"))}: ${shown.join("; ")}`);
  }
  return lines.join("\n");
}

/** The policies of a province (and category), grouped by category, with numbered sources. */
export function renderPolicies(engine: Engine, province: string, category: PolicyCategory | null, lang: Lang): string {
  const items = listPolicies(engine, { province, category: category ?? undefined });
  const what = category ? ` — ${CATEGORY_LABELS[category][lang]}` : "";
  const head = `📋 <b>${escapeHtml(tr(lang, `Chính sách hỗ trợ: ${province}`, `Support policies: ${province}`))}${escapeHtml(what)}</b>`;
  if (items.length === 0) {
    return `${head}\n${escapeHtml(tr(lang, "Tài liệu không nêu chính sách nào thuộc nhóm này. ", "The documents state no policy of this kind. ") + coverageLine(engine, lang))}`;
  }
  const groups = new Map<PolicyCategory, PolicyItem[]>();
  for (const it of items) {
    const key = category ?? it.category;
    groups.set(key, [...(groups.get(key) ?? []), it]);
  }
  const order = POLICY_CATEGORIES.filter((c) => groups.has(c));
  const out: string[] = [head];
  const sources: string[] = [];
  const maxText = category ? 1200 : 320;
  for (const c of order) {
    out.push("", `${ICONS[c]} <b>${escapeHtml(CATEGORY_LABELS[c][lang])}</b>`);
    for (const it of groups.get(c)!) {
      const n = sources.length + 1;
      sources.push(`[${n}] ${escapeHtml(docHeading(it.doc, lang))} › ${escapeHtml(it.section.split(" › ").slice(-2).join(" › "))} (${escapeHtml(it.citation.chunkId)})`);
      out.push(renderItem(it, n, lang, maxText));
    }
  }
  out.push("", `<b>${escapeHtml(tr(lang, "Nguồn", "Sources"))}</b>`, ...sources);
  return out.join("\n");
}

/** Buttons for the categories the province has, plus "all". */
export function categoryKeyboard(engine: Engine, provinceIndex: number, lang: Lang): InlineKeyboard {
  const province = engine.provinces[provinceIndex]!;
  const present = new Set(listPolicies(engine, { province }).flatMap((p) => p.categories));
  const kb = new InlineKeyboard();
  let i = 0;
  for (const c of POLICY_CATEGORIES) {
    if (!present.has(c)) continue;
    kb.text(`${ICONS[c]} ${CATEGORY_LABELS[c][lang]}`, `${POLICIES_PREFIX}${provinceIndex}:${c}`);
    if (++i % 2 === 0) kb.row();
  }
  kb.row().text(tr(lang, "📋 Tất cả", "📋 All"), `${POLICIES_PREFIX}${provinceIndex}:all`);
  return kb;
}

export function createPoliciesComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(commandNames("policies"), async (ctx) => {
    const scope = await commandScope(ctx, ctx.match);
    if (!scope) return;
    const { engine, lang, province } = scope;
    if (!province) {
      await replyHtml(ctx, escapeHtml(tr(lang, "Bạn muốn xem chính sách của tỉnh nào?", "Which province's policies would you like to see?")), provinceKeyboard(engine, POLICIES_PREFIX));
      return;
    }
    const index = engine.provinces.indexOf(province);
    await replyHtml(ctx, renderPolicies(engine, province, null, lang), categoryKeyboard(engine, index, lang));
  });
  composer.callbackQuery(new RegExp(`^${POLICIES_PREFIX}(\\d+)(?::([a-z-]+))?$`), async (ctx) => {
    const engine = ctx.services.knowledge.engine();
    const lang = ctx.session.lang;
    const province = provinceAt(engine, ctx.match[1]!);
    const cat = ctx.match[2];
    await ctx.answerCallbackQuery();
    if (!province) return;
    const category = cat && (POLICY_CATEGORIES as readonly string[]).includes(cat) ? (cat as PolicyCategory) : null;
    await replyHtml(ctx, renderPolicies(engine, province, category, lang), categoryKeyboard(engine, Number(ctx.match[1]), lang));
  });
  return composer;
}
