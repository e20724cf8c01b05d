import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests start real processes and build real indexes.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
