import type { Output } from './output.js';

/** Exit codes, so that schedulers can tell a bad invocation from a failed run. */
export const EXIT = { ok: 0, failure: 1, usage: 2, partial: 3, interrupted: 130 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  run(argv: string[], out: Output): Promise<number>;
}
