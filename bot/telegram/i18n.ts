// Localisation with @grammyjs/i18n (Fluent): Vietnamese by default, English available. The locale
// follows the chat's session (SessionData.lang); updates without a chat fall back to the user's
// Telegram language (English when it starts with "en") and then to Vietnamese.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { BotContext, Lang } from "./context.js";

export const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");

/** The user's Telegram language mapped to a supported one. */
export function langOfUser(ctx: Pick<Context, "from">): Lang {
  return ctx.from?.language_code?.toLowerCase().startsWith("en") ? "en" : "vi";
}

/** The session's language when the update has a session, else the user's. */
export function langOf(ctx: BotContext): Lang {
  if (ctx.chat) {
    try {
      return ctx.session.lang;
    } catch {
      // no session for this update
    }
  }
  return langOfUser(ctx);
}

export function createI18n(): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale: "vi",
    // Unicode isolation marks around placeables would end up inside HTML messages.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => langOf(ctx),
  });
  i18n.loadLocalesDirSync(LOCALES_DIR);
  return i18n;
}
