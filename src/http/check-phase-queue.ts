// Work queued during one turn of the event loop, done back to back in the check phase right after it
// (setImmediate). Under load the event loop reads several requests in one turn (~5.6 a turn at 10
// connections); scoring them one after another, instead of each between other requests' HTTP work, keeps
// the scoring code's caches warm: by turns, POST /v1/score's main thread spent a median 27 µs a request more
// than its floor in the same run, against 44 before (docs/service.md, "Nineteenth session"). A lone request
// waits only for the check phase of the same turn.

/** A function that queues `work(job)` for the coming check phase and answers with its result (or its error). */
export function checkPhaseQueue<J, R>(work: (job: J) => R): (job: J) => Promise<R> {
  let pending: { job: J; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  const flush = (): void => {
    const jobs = pending;
    pending = [];
    for (const { job, resolve, reject } of jobs) {
      try {
        resolve(work(job));
      } catch (error) {
        reject(error);
      }
    }
  };
  return (job) =>
    new Promise<R>((resolve, reject) => {
      if (pending.push({ job, resolve, reject }) === 1) setImmediate(flush);
    });
}
