// Builds the services the bot's features receive: the reloadable knowledge and the on-disk stores.

import { mkdir } from "node:fs/promises";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createKnowledgeService, type KnowledgeService } from "../knowledge-service.js";
import type { Services } from "./context.js";
import { createFeedbackStore, createStatsStore } from "./stores.js";

export async function createServices(config: Config, log: Logger, knowledge?: KnowledgeService): Promise<Services> {
  await mkdir(config.dataDir, { recursive: true });
  return {
    config,
    log,
    knowledge: knowledge ?? (await createKnowledgeService(config, log)),
    feedback: createFeedbackStore(config.dataDir),
    stats: createStatsStore(config.dataDir),
  };
}
