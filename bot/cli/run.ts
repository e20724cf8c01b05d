// The one way every command-line entry point runs: its exit code, or a plain error on stderr.

export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`Lỗi: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
