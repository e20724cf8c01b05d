// /chitieu [tỉnh] [năm] (/targets): the targets each document sets, one compact list per
// document with the figures in bold, followed by the numbered sources. Without a province (and
// none in the conversation), asks which province with one button per corpus province.

import { Composer } from "grammy";
import type { BotContext, Lang } from "../context.js";
import { commandNames } from "../commands.js";
import type { Engine } from "../../../knowledge/engine.js";
import { listTargets } from "../../../knowledge/answer/targets.js";
import { coverageLine, docHeading, escapeHtml, provinceAt, provinceKeyboard, shorten, tr } from "../html.js";
import { replyHtml } from "./question.js";
import { commandScope } from "./scope.js";

export const TARGETS_PREFIX = "tgt:";

/** The HTML of the targets of a province (and year), or a plain statement that there are none. */
export function renderTargets(engine: Engine, province: string, year: number | null, lang: Lang): string {
  const tables = listTargets(engine, { province, year: year ?? undefined });
  if (tables.length === 0) {
    const when = year ? tr(lang, ` cho năm ${year}`, ` for ${year}`) : "";
    return escapeHtml(tr(lang, `Tài liệu không nêu chỉ tiêu nào của ${province}${when}. `, `The documents state no targets for ${province}${when}. `) + coverageLine(engine, lang));
  }
  const sources: Array<{ chunkId: string; text: string }> = [];
  const cite = (chunkId: string, text: string): number => {
    const i = sources.findIndex((s) => s.chunkId === chunkId);
    if (i >= 0) return i + 1;
    sources.push({ chunkId, text });
    return sources.length;
  };
  const parts: string[] = [];
  for (const t of tables) {
    const lines = [`🎯 <b>${escapeHtml(tr(lang, "Chỉ tiêu", "Targets"))} — ${escapeHtml(docHeading(t.doc, lang))}</b>`];
    for (const r of t.rows) {
      const n = cite(r.source.chunkId, `${r.source.sectionPath.replace(/:\s*$/, "")}: «${shorten(r.source.quote, 260)}»`);
      const label = r.label ? `${escapeHtml(r.label)}: ` : "";
      const period = r.period[lang] ? ` <i>(${escapeHtml(r.period[lang])})</i>` : "";
      lines.push(`• ${label}<b>${escapeHtml(r.display[lang])}</b>${period} [${n}]`);
    }
    parts.push(lines.join("\n"));
  }
  const src = [`<b>${escapeHtml(tr(lang, "Nguồn", "Sources"))}</b>`, ...sources.map((s, i) => `[${i + 1}] ${escapeHtml(s.text)}`)];
  return `${parts.join("\n\n")}\n\n${src.join("\n")}`;
}

function askProvince(engine: Engine, lang: Lang) {
  return {
    text: escapeHtml(tr(lang, "Bạn muốn xem chỉ tiêu của tỉnh nào?", "Which province's targets would you like to see?")),
    keyboard: provinceKeyboard(engine, TARGETS_PREFIX),
  };
}

export function createTargetsComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(commandNames("targets"), async (ctx) => {
    const scope = await commandScope(ctx, ctx.match);
    if (!scope) return;
    const { engine, lang, province } = scope;
    if (!province) {
      const ask = askProvince(engine, lang);
      await replyHtml(ctx, ask.text, ask.keyboard);
      return;
    }
    await replyHtml(ctx, renderTargets(engine, province, scope.year, lang));
  });
  composer.callbackQuery(new RegExp(`^${TARGETS_PREFIX}(\\d+)$`), async (ctx) => {
    const engine = ctx.services.knowledge.engine();
    const province = provinceAt(engine, ctx.match[1]!);
    await ctx.answerCallbackQuery();
    if (!province) return;
    await replyHtml(ctx, renderTargets(engine, province, null, ctx.session.lang));
  });
  return composer;
}
