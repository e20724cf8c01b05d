// /nguon /sources (the citations of the last answer) and the "📄 Nguồn n" buttons ("src:<n>"),
// which show the whole cited passage in an expandable quote.

import { Composer } from "grammy";
import { answerFor, type BotContext } from "../context.js";
import { commandNames } from "../commands.js";
import { renderSource, renderSources } from "../render.js";
import { replyHtml } from "./question.js";

export function createSourcesComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(commandNames("sources"), async (ctx) => {
    await replyHtml(ctx, renderSources(ctx.session.last, ctx.session.lang));
  });
  composer.callbackQuery(/^src:(\d+)(?:@(\d+))?$/, async (ctx) => {
    const n = Number(ctx.match[1]);
    const answer = answerFor(ctx.session, ctx.match[2]);
    const citation = answer?.citations.find((c) => c.n === n);
    if (!citation) {
      await ctx.answerCallbackQuery({ text: ctx.t(answer ? "source-missing" : "no-last-answer") });
      return;
    }
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, renderSource(citation, ctx.session.lang));
  });
  return composer;
}
