// npm run ingest [-- --force]
// Builds the index from the corpus directory (CORPUS_DIR) into STORE_DIR, atomically.
// Without --force it does nothing when the index is already up to date.

import { loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { embeddingsFor, ingest } from "../app.js";
import { checkIndex } from "../../ingest/build.js";
import { createProgressPrinter } from "../../ingest/progress.js";
import { runCli } from "./run.js";

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config);
  if (!argv.includes("--force")) {
    const status = await checkIndex(config.corpusDir, config.storeDir, embeddingsFor(config).id);
    if (status.fresh) {
      process.stderr.write(`Chỉ mục đã cập nhật (${config.storeDir}). Dùng --force để lập lại.\n`);
      return 0;
    }
    process.stderr.write(`Lập chỉ mục: ${status.reason}\n`);
  }
  const report = await ingest(config, log, createProgressPrinter());
  process.stdout.write(
    `${report.docs} tài liệu, ${report.chunks} đoạn, ${report.figures} số liệu → ${config.storeDir} (phiên bản ${report.version})\n`,
  );
  for (const s of report.skipped) {
    process.stdout.write(`Bỏ qua ${s.file}: ${s.message}${s.kept ? " — giữ nội dung đã lập chỉ mục trước đó" : ""}\n`);
  }
  return 0;
}

runCli(main);
