// Lint rules the project relies on: no floating or misused promises, no process.env outside
// the config module. Import cycles are checked by scripts/check-cycles.ts (part of npm test).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "knowledge/store/**", "eslint.config.js", "vitest.config.ts"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings through bot/config.ts only." },
      ],
    },
  },
  {
    // The config module reads the environment; tests build the environment of the child
    // processes they start (the CLI, the bot) and so read it too.
    files: ["bot/config.ts", "test/**/*.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
