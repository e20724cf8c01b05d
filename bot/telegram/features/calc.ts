// /tinh /calc: the deterministic calculator (Vietnamese numbers: "1.790 + 16.650", "80/285 %"),
// formula shown; and the "🧮 Cách tính" button ("how") of an answer with computed figures.

import { Composer } from "grammy";
import { answerFor, type BotContext } from "../context.js";
import { commandNames } from "../commands.js";
import { calculate, ToolError } from "../../../knowledge/tools/index.js";
import { escapeHtml, renderCalc, renderHowTo } from "../render.js";
import { replyHtml } from "./question.js";

export function createCalcComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(commandNames("calc"), async (ctx) => {
    const expr = ctx.match.trim();
    if (!expr) {
      await ctx.reply(ctx.t("calc-usage"));
      return;
    }
    const lang = ctx.session.lang;
    try {
      await replyHtml(ctx, renderCalc(calculate(expr), lang));
    } catch (err) {
      if (!(err instanceof ToolError)) throw err;
      await replyHtml(ctx, escapeHtml(ctx.t("calc-error", { message: lang === "vi" ? err.message : err.en })));
    }
  });
  composer.callbackQuery(/^how(?:@(\d+))?$/, async (ctx) => {
    const last = answerFor(ctx.session, ctx.match[1]);
    if (!last) {
      await ctx.answerCallbackQuery({ text: ctx.t("no-last-answer") });
      return;
    }
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, renderHowTo(last, ctx.session.lang));
  });
  return composer;
}
