// 👍 / 👎 under an answer: recorded with the question and the answer (config.dataDir/feedback.jsonl).

import { Composer } from "grammy";
import { answerFor, type BotContext } from "../context.js";

export function createFeedbackComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^fb:(up|down)(?:@(\d+))?$/, async (ctx) => {
    const vote = ctx.match[1] === "up" ? "up" : "down";
    const last = answerFor(ctx.session, ctx.match[2]);
    if (!last) {
      await ctx.answerCallbackQuery({ text: ctx.t("no-last-answer") });
      return;
    }
    await ctx.services.feedback.add({
      at: new Date().toISOString(),
      chatId: ctx.chat?.id ?? 0,
      userId: ctx.from?.id ?? null,
      vote,
      question: last.question,
      answer: last.answer,
    });
    ctx.log.info({ vote }, "feedback recorded");
    await ctx.answerCallbackQuery({ text: ctx.t(vote === "up" ? "feedback-thanks-up" : "feedback-thanks-down") });
  });
  return composer;
}
