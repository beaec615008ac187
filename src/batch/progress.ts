// Progress for people and for machines: a one-line bar with rate and ETA on a TTY, structured pino
// logs (at most one every few seconds) otherwise.
import type { Logger } from 'pino';

export interface Progress {
  readonly records: number;
  readonly scored: number;
  readonly rejected: number;
  /** Fraction of the input read, when known. */
  readonly fraction: number | null;
  readonly elapsedMs: number;
}

export interface ProgressReporter {
  update(p: Progress): void;
  finish(p: Progress): void;
}

export const silentProgress: ProgressReporter = { update: () => {}, finish: () => {} };

function eta(p: Progress): number | null {
  if (p.fraction === null || p.fraction <= 0 || p.elapsedMs < 500) return null;
  return (p.elapsedMs * (1 - p.fraction)) / p.fraction;
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function barLine(p: Progress, width = 30): string {
  const rate = p.elapsedMs > 0 ? (p.records * 1000) / p.elapsedMs : 0;
  const left = eta(p);
  const filled = p.fraction === null ? 0 : Math.round(p.fraction * width);
  const bar = p.fraction === null ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(p.fraction * 100).toFixed(0).padStart(3)}% `;
  return `${bar}${p.records.toLocaleString('en-US')} loans  ${Math.round(rate).toLocaleString('en-US')}/s  rejected ${p.rejected}  elapsed ${clock(p.elapsedMs)}  ETA ${left === null ? '?' : clock(left)}`;
}

export function ttyProgress(stream: NodeJS.WriteStream): ProgressReporter {
  let last = 0;
  return {
    update(p) {
      if (p.elapsedMs - last < 100) return;
      last = p.elapsedMs;
      stream.write(`\r${barLine(p)}\x1b[K`);
    },
    finish(p) {
      stream.write(`\r${barLine(p)}\x1b[K\n`);
    },
  };
}

export function logProgress(log: Logger, everyMs = 5000): ProgressReporter {
  let last = -Infinity;
  const fields = (p: Progress) => ({
    records: p.records,
    scored: p.scored,
    rejected: p.rejected,
    fraction: p.fraction === null ? null : Number(p.fraction.toFixed(4)),
    loansPerSecond: p.elapsedMs > 0 ? Math.round((p.records * 1000) / p.elapsedMs) : 0,
    etaSeconds: eta(p) === null ? null : Math.round(eta(p)! / 1000),
  });
  return {
    update(p) {
      if (p.elapsedMs - last < everyMs) return;
      last = p.elapsedMs;
      log.info({ progress: fields(p) }, 'rescore progress');
    },
    finish(p) {
      log.info({ progress: fields(p) }, 'rescore finished reading');
    },
  };
}
