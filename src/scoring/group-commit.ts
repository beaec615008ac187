// Group commit: calls that arrive in the same turn of the event loop run together, in one write
// transaction (one commit for all of them instead of one each), and each caller still gets its own
// outcome. The runner isolates callers from each other (a savepoint each), so one caller's failure
// rejects only that caller; a failure of the whole group (the commit itself) rejects every caller.

/** Runs a group of inputs; returns one outcome per input, in order: a value, or the Error for that input. */
export type GroupRunner<I, O> = (inputs: readonly I[]) => ReadonlyArray<O | Error>;

interface Job<I, O> {
  readonly input: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupLimits<I> {
  /** Calls per group (default 128). */
  readonly maxCalls?: number;
  /** Total weight per group (default unbounded); a group always takes at least one call. */
  readonly maxWeight?: number;
  /** A call's weight, e.g. its item count, so that one group cannot hold the event loop for long. */
  readonly weight?: (input: I) => number;
}

/** Wraps a group runner as a per-call async function. */
export function groupCommit<I, O>(run: GroupRunner<I, O>, limits: GroupLimits<I> = {}): (input: I) => Promise<O> {
  const maxCalls = limits.maxCalls ?? 128;
  const maxWeight = limits.maxWeight ?? Number.POSITIVE_INFINITY;
  const weight = limits.weight ?? (() => 1);
  let queue: Array<Job<I, O>> = [];
  let scheduled = false;

  const take = (): Array<Job<I, O>> => {
    let n = 0;
    let total = 0;
    while (n < queue.length && n < maxCalls) {
      total += weight(queue[n]!.input);
      if (n > 0 && total > maxWeight) break;
      n++;
    }
    const jobs = n === queue.length ? queue : queue.slice(0, n);
    queue = n === queue.length ? [] : queue.slice(n);
    return jobs;
  };

  const flush = () => {
    scheduled = false;
    const jobs = take();
    if (queue.length > 0) schedule();
    let outcomes: ReadonlyArray<O | Error>;
    try {
      outcomes = run(jobs.map((j) => j.input));
    } catch (error) {
      for (const j of jobs) j.reject(error);
      return;
    }
    jobs.forEach((j, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) j.reject(outcome);
      else if (i >= outcomes.length) j.reject(new Error(`group runner returned ${outcomes.length} outcomes for ${jobs.length} inputs`));
      else j.resolve(outcome as O);
    });
  };

  // setImmediate runs after the current poll phase, so requests whose bodies arrived together share a commit.
  const schedule = () => {
    scheduled = true;
    setImmediate(flush);
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (!scheduled) schedule();
    });
}
