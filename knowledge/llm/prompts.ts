// Prompt templates, read once from the prompts/ directory: one file per prompt and language
// (`system.vi.md`, `system.en.md`, …). `{{name}}` marks a value filled in at run time; a
// template missing one of its values, or a value the template does not use, is an error at start-up.

import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Lang } from "../answer/compose.js";

export const PROMPT_VARIABLES = {
  /** Role, rules and output format. */
  system: ["coverage"],
  /** The user turn: the question and how to compose the answer. */
  compose: ["question"],
  /** Follow-up → standalone question, from the conversation history. */
  rewrite: ["history", "question"],
  /** The guard's feedback when an answer is rejected. */
  retry: ["problems"],
} as const satisfies Record<string, readonly string[]>;

export type PromptName = keyof typeof PROMPT_VARIABLES;

export interface Prompts {
  render(name: PromptName, lang: Lang, vars: Record<string, string>): string;
}

export class PromptError extends Error {}

const PLACEHOLDER = /\{\{\s*([a-z]+)\s*\}\}/g;

/** Parses templates given as text; `templates[name][lang]`. */
export function createPrompts(templates: Record<PromptName, Record<Lang, string>>): Prompts {
  for (const [name, vars] of Object.entries(PROMPT_VARIABLES) as Array<[PromptName, readonly string[]]>) {
    for (const lang of ["vi", "en"] as const) {
      const text = templates[name]?.[lang];
      if (!text?.trim()) throw new PromptError(`prompt ${name}.${lang}.md is missing or empty`);
      const used = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
      for (const v of vars) if (!used.has(v)) throw new PromptError(`prompt ${name}.${lang}.md does not use {{${v}}}`);
      for (const u of used) if (!vars.includes(u)) throw new PromptError(`prompt ${name}.${lang}.md uses unknown {{${u}}}`);
    }
  }
  return {
    render(name, lang, vars) {
      // One pass: a value that itself contains "{{…}}" (a user's question) is not expanded again.
      return templates[name][lang].replace(PLACEHOLDER, (_, v: string) => {
        const value = vars[v];
        if (value === undefined) throw new PromptError(`prompt ${name}: no value for {{${v}}}`);
        return value;
      }).trim();
    },
  };
}

export async function loadPrompts(dir: string): Promise<Prompts> {
  const templates = {} as Record<PromptName, Record<Lang, string>>;
  for (const name of Object.keys(PROMPT_VARIABLES) as PromptName[]) {
    const read = async (lang: Lang) => {
      const file = path.join(dir, `${name}.${lang}.md`);
      try {
        return await readFile(file, "utf8");
      } catch {
        throw new PromptError(`prompt file ${file} cannot be read`);
      }
    };
    templates[name] = { vi: await read("vi"), en: await read("en") };
  }
  return createPrompts(templates);
}
