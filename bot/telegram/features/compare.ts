// /sosanh <chỉ tiêu> (/compare): one measure side by side across provinces and years, with the
// differences computed by the tools and their formulas shown.

import { Composer } from "grammy";
import type { BotContext, Lang } from "../context.js";
import { commandNames } from "../commands.js";
import type { Engine } from "../../../knowledge/engine.js";
import { createTools, type Tools } from "../../../knowledge/tools/index.js";
import { compareMeasure } from "../../../knowledge/answer/compare.js";
import { docHeading, escapeHtml, shorten, tr } from "../html.js";
import { replyHtml } from "./question.js";

export function renderComparison(engine: Engine, tools: Tools, measure: string, lang: Lang): string {
  const c = compareMeasure(engine, measure, tools);
  const head = `⚖️ <b>${escapeHtml(tr(lang, "So sánh", "Comparison"))}: ${escapeHtml(measure)}</b>`;
  if (c.entries.length === 0) {
    return `${head}\n${escapeHtml(tr(lang, "Không tài liệu nào có số liệu khớp với chỉ tiêu này. Hãy thử cách gọi khác, ví dụ: /sosanh thành lập mới HTX.", "No document has a figure matching this measure. Try other words, e.g. /compare thành lập mới HTX."))}`;
  }
  const lines = [head];
  c.entries.forEach((e, i) => {
    const label = e.label ? ` — ${escapeHtml(e.label)}` : "";
    lines.push(`• <b>${escapeHtml(e.name)}</b> (${escapeHtml(e.kind[lang])}${e.period[lang] ? `, ${escapeHtml(e.period[lang])}` : ""}): <b>${escapeHtml(e.display[lang])}</b>${label} [${i + 1}]`);
  });
  if (c.differences.length) {
    lines.push("", `<b>${escapeHtml(tr(lang, "Chênh lệch (tính bằng mã)", "Differences (computed by code)"))}</b>`);
    for (const d of c.differences) {
      const a = c.entries[d.to]!;
      const b = c.entries[d.from]!;
      const what = d.tool === "gap" ? `${a.name} − ${b.name}` : tr(lang, `${b.name} → ${a.name} (tăng/giảm %)`, `${b.name} → ${a.name} (% change)`);
      lines.push(`• ${escapeHtml(what)}: <b>${escapeHtml(d.result.display)}</b>\n  <code>${escapeHtml(d.result.formula)}</code>`);
    }
  } else if (c.entries.length > 1) {
    lines.push("", escapeHtml(tr(lang, "Các số liệu khác đơn vị nên không tính chênh lệch.", "The figures are in different units, so no difference is computed.")));
  }
  if (c.missing.length) {
    lines.push("", escapeHtml(tr(lang, "Không có số liệu phù hợp trong: ", "No matching figure in: ") + c.missing.map((d) => docHeading(d, lang)).join("; ") + "."));
  }
  lines.push("", `<b>${escapeHtml(tr(lang, "Nguồn", "Sources"))}</b>`);
  c.entries.forEach((e, i) => lines.push(`[${i + 1}] ${escapeHtml(docHeading(e.doc, lang))} › ${escapeHtml(e.source.section.replace(/:\s*$/, ""))}: «${escapeHtml(shorten(e.source.quote, 260))}»`));
  return lines.join("\n");
}

export function createCompareComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  // The calculators are pure, so one set serves every update.
  const tools = createTools();
  composer.command(commandNames("compare"), async (ctx) => {
    const lang = ctx.session.lang;
    const measure = ctx.match.trim();
    if (!measure) {
      await replyHtml(
        ctx,
        escapeHtml(
          tr(
            lang,
            "Cách dùng: /sosanh <chỉ tiêu>, ví dụ:\n/sosanh thành lập mới HTX\n/sosanh thu nhập bình quân thành viên\n/sosanh lợi nhuận bình quân HTX",
            "Usage: /compare <measure>, e.g.\n/compare thanh lap moi HTX\n/compare thu nhap binh quan thanh vien\n/compare loi nhuan binh quan HTX",
          ),
        ),
      );
      return;
    }
    const engine = ctx.services.knowledge.engine();
    await replyHtml(ctx, renderComparison(engine, tools, measure, lang));
  });
  return composer;
}
