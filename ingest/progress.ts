// A progress display for ingest: a live line on a terminal, plain lines otherwise.

import type { ProgressEvent } from "./build.js";

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr): (e: ProgressEvent) => void {
  const live = Boolean(stream.isTTY);
  const bar = (done: number, total: number) => {
    const width = 24;
    const filled = total ? Math.round((done / total) * width) : width;
    return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${done}/${total}`;
  };
  const line = (s: string, final = false) => {
    if (live) stream.write(`\r\x1b[2K${s}${final ? "\n" : ""}`);
    else if (final || !live) stream.write(`${s}\n`);
  };
  return (e) => {
    switch (e.step) {
      case "scan":
        line(`Lập chỉ mục: ${e.files} tệp trong kho tài liệu`, true);
        break;
      case "load":
        line(`Đọc tệp ${bar(e.index, e.total)} ${e.file}`, !live);
        break;
      case "skip":
        line(`⚠ Bỏ qua «${e.file}»: ${e.message}`, true);
        break;
      case "embed":
        if (live || e.done === e.total) line(`Tính vector ${bar(e.done, e.total)}`, !live || e.done === e.total);
        break;
      case "write":
        line("Ghi chỉ mục (an toàn: bản cũ vẫn dùng được đến khi bản mới hoàn tất)…", true);
        break;
      case "done":
        line(`Xong trong ${(e.ms / 1000).toFixed(1)} s`, true);
        break;
    }
  };
}
