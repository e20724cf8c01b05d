// Shared types of the Telegram bot: the context every feature receives, the per-chat session,
// and the services the composition root injects (no singletons: everything comes from here).

import type { Context, SessionFlavor } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { KnowledgeService } from "../knowledge-service.js";
import type { ConversationContext } from "../../knowledge/answer/answerer.js";
import type { Answer } from "../../knowledge/types.js";

export type Lang = "vi" | "en";

/** Choices made so far in the /dieukien (eligibility) flow. */
export interface EligibilityState {
  province?: string;
  sector?: string;
  stage?: "new" | "operating";
  need?: string;
}

/** Per chat, stored on disk so that it survives a restart. */
export interface SessionData {
  lang: Lang;
  /** Follow-up context (province, year, previous question). */
  context: ConversationContext;
  /** The last answer, for /nguon and the "Nguồn n" / "Cách tính" buttons. */
  last: Answer | null;
  eligibility: EligibilityState | null;
  /** Set once the user picked a language with /lang (then /start no longer follows language_code). */
  langChosen?: boolean;
}

export interface FeedbackEntry {
  at: string;
  chatId: number;
  userId: number | null;
  vote: "up" | "down";
  question: string;
  answer: string;
}

export interface FeedbackStore {
  add(entry: FeedbackEntry): Promise<void>;
  counts(): Promise<{ up: number; down: number }>;
}

export interface QuestionStat {
  at: string;
  chatId: number;
  refused: boolean;
  ms: number;
}

export interface StatsStore {
  record(stat: QuestionStat): Promise<void>;
  summary(): Promise<{ questions: number; refusals: number; p50Ms: number; p95Ms: number; since: string | null }>;
}

export interface Services {
  config: Config;
  knowledge: KnowledgeService;
  log: Logger;
  feedback: FeedbackStore;
  stats: StatsStore;
}

export type BotContext = Context &
  SessionFlavor<SessionData> &
  I18nFlavor & {
    services: Services;
    /** Child logger of this update (update id, chat id). */
    log: Logger;
  };

export function initialSession(lang: Lang = "vi"): SessionData {
  return { lang, context: { province: null, year: null, docIds: null, lastQuestion: null }, last: null, eligibility: null };
}
