// The CLI's one door to the terminal: commands print through here, never through console.log.
export interface Output {
  line(text?: string): void;
  json(value: unknown): void;
  error(text: string): void;
  readonly isTty: boolean;
}

export const terminal: Output = {
  line: (text = '') => void process.stdout.write(`${text}\n`),
  json: (value) => void process.stdout.write(`${JSON.stringify(value)}\n`),
  error: (text) => void process.stderr.write(`${text}\n`),
  isTty: Boolean(process.stderr.isTTY),
};

/** An Output that keeps what was printed, for tests. */
export function capture(): Output & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    line: (text = '') => void stdout.push(text),
    json: (value) => void stdout.push(JSON.stringify(value)),
    error: (text) => void stderr.push(text),
    isTty: false,
  };
}

/** Fixed-width table for human-readable summaries. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}
