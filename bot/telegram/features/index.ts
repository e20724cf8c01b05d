// The feature composers the composition root adds to the core (createBot installs the core
// features itself: start/help/lang, questions, documents, sources, calculator, feedback).
// The content commands (targets, compare, policies, eligibility) and the admin feature go here.

import type { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { createCalcComposer } from "./calc.js";
import { createDocumentsComposer } from "./documents.js";
import { createFeedbackComposer } from "./feedback.js";
import { createQuestionComposer } from "./question.js";
import { createSourcesComposer } from "./sources.js";
import { createStartComposer } from "./start.js";
import { createTargetsComposer } from "./targets.js";
import { createCompareComposer } from "./compare.js";
import { createPoliciesComposer } from "./policies.js";
import { createEligibilityComposer } from "./eligibility.js";
import { createAdminComposer } from "./admin.js";

/** The core features, in order. createBot installs these before any other feature. */
export function coreFeatures(): Composer<BotContext>[] {
  return [createStartComposer(), createQuestionComposer(), createDocumentsComposer(), createSourcesComposer(), createCalcComposer(), createFeedbackComposer()];
}

/** Features beyond the core, passed to createBot as `features` by bot/main.ts. */
export function allFeatures(): Composer<BotContext>[] {
  return [createTargetsComposer(), createCompareComposer(), createPoliciesComposer(), createEligibilityComposer(), createAdminComposer()];
}
