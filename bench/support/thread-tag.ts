// Preloaded (`node --import`) into a process a benchmark watches: each JavaScript thread (the main
// thread, every worker thread) appends its OS thread id to the file named by EWS_THREAD_TAGS. The
// main thread also finds libuv's pool (where @duckdb/node-api runs every query): it keeps each pool
// thread busy for a moment (pbkdf2 jobs, ~30 ms each) and lists the threads whose CPU grew, with that
// CPU so the benchmark can leave it out. Threads that already exist and are neither are V8's platform
// threads (garbage collection and compiler helpers); native threads started later are DuckDB's own.
// So any build of the program can be measured, main's too. Linux only; does nothing without the variable.
import { pbkdf2 } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const TICK_US = 10_000;

function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, (Number(f[11]) + Number(f[12])) * TICK_US);
  }
  return out;
}

const file = process.env['EWS_THREAD_TAGS'];
if (file !== undefined && file !== '') {
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop()!;
    if (!isMainThread) appendFileSync(file, `worker ${tid}\n`);
    else {
      const poolSize = Number(process.env['UV_THREADPOOL_SIZE'] ?? 4);
      const before = threadCpu();
      await Promise.all(Array.from({ length: poolSize * 2 }, () => new Promise((done) => pbkdf2('ews', 'salt', 60_000, 32, 'sha256', done))));
      const after = threadCpu();
      const pool: string[] = [];
      let probeUs = 0;
      for (const [t, us] of after) {
        const grew = us - (before.get(t) ?? 0);
        if (t !== tid && grew > 0) {
          pool.push(t);
          probeUs += grew;
        }
      }
      const startup = [...after.keys()].filter((t) => t !== tid && !pool.includes(t));
      appendFileSync(file, `main ${tid}\npool ${pool.join(' ')}\nprobe ${probeUs}\nstartup ${startup.join(' ')}\n`);
    }
  } catch {
    // not Linux: the benchmark reports the process as a whole
  }
}
