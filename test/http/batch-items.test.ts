// A whole-body batch job (its histories found as they are read, batch-items.ts) must answer exactly as
// the jobs of the main thread's split do, or give up; never answer differently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBatchJob } from '../../src/http/batch-job.js';
import { cutPoints, plainItemsRange, splitBatchBody } from '../../src/http/batch-split.js';
import { joinParts, MAX_CUT_BYTES, type PooledBatch, runPooledBatch } from '../../src/http/pooled-batch.js';
import type { Renumber } from '../../src/http/renumber.js';
import type { ScorePool } from '../../src/http/score-pool.js';
import type { ScoreJob, ScoreJobRequest, ScoreJobResult } from '../../src/http/score-worker-protocol.js';
import { BodyBuffers } from '../../src/http/shared-body.js';
import { makeHistoryInput } from '../support/histories.js';
import { createTestScorer } from '../support/test-scorer.js';

const NOW = Date.parse('2025-05-20T04:00:00Z');
const scorer = createTestScorer();

/** The body's histories as the split route's one job over all of them, or null when the split steps aside. */
async function splitJob(body: Buffer, score = true, slice?: number): Promise<ScoreJobResult | null> {
  const split = splitBatchBody(body);
  if (split === null) return null;
  const job: ScoreJob = { kind: 'split', id: 1, asOf: NOW, score, bytes: new Uint8Array(body), items: split.items, firstIndex: 0 };
  return runBatchJob(scorer, job, slice);
}

/** The body sent whole, or null when it is not of the plain shape. */
async function wholeJob(body: Buffer, maxItems?: number, score = true, readText = true, slice?: number): Promise<ScoreJobResult | null> {
  const range = plainItemsRange(body);
  if (range === null) return null;
  const job: ScoreJob = { kind: 'items', id: 1, asOf: NOW, score, bytes: new Uint8Array(body.subarray(range[0], range[1])), maxItems: maxItems ?? Number.POSITIVE_INFINITY, cut: null };
  return runBatchJob(scorer, job, slice, readText);
}

const text = (r: ScoreJobResult | null) => (r?.ok ? Buffer.from(r.results).toString('utf8') : r);

const history = fc
  .record({ loanId: fc.stringMatching(/^[A-Za-z0-9 _\-é逾期]{1,12}$/), due: fc.integer({ min: 0, max: 8 }), missed: fc.integer({ min: 0, max: 3 }), breakIt: fc.constantFrom('no', 'no', 'currency', 'events') })
  .map(({ loanId, due, missed, breakIt }) => {
    const h = makeHistoryInput({ loanId, due, missed: Math.min(due, missed) }) as unknown as Record<string, unknown>;
    if (breakIt === 'currency') h.currency = 'yuan';
    if (breakIt === 'events') h.events = [{ id: 'x', type: 'payment' }];
    return h;
  });
// Mostly plain JSON (a backslash anywhere sends a body to the split); now and then an escape.
const other = fc.jsonValue({ maxDepth: 3 });
const item = fc.oneof({ weight: 8, arbitrary: history }, { weight: 2, arbitrary: other.filter((v) => !JSON.stringify(v).includes('\\')) }, { weight: 1, arbitrary: other });

describe('whole-body batch jobs', () => {
  it('answer byte for byte as the split jobs do, any items, any whitespace, with and without the text reader (property)', async () => {
    let compared = 0;
    await fc.assert(
      // Slices of 3 as well as the shipped 16: items on and beside slice boundaries.
      fc.asyncProperty(fc.array(item, { maxLength: 40, size: 'large' }), fc.constantFrom(0, 1, 2), fc.boolean(), fc.constantFrom(3, undefined), async (items, indent, readText, slice) => {
        const body = Buffer.from(JSON.stringify({ histories: items }, null, indent));
        const split = await splitJob(body, true, slice);
        const whole = await wholeJob(body, undefined, true, readText, slice);
        if (whole === null) {
          expect(body.includes('\\')).toBe(true);
          return;
        }
        if (split === null || !whole.ok) {
          // Either gives up only on what the ordinary parser must answer for (or on escapes it cannot read).
          expect(whole.ok).toBe(false);
          expect(/\\|__proto__|constructor/.test(body.toString())).toBe(true);
          return;
        }
        expect(text(whole)).toBe(text(split));
        expect(whole).toMatchObject({ scored: (split as { scored: number }).scored, failed: (split as { failed: number }).failed });
        compared++;
      }),
      { numRuns: 120 },
    );
    // Most bodies are plain: the law was checked, not stepped around.
    expect(compared).toBeGreaterThan(40);
  });

  it('reads the histories array of the plain shape only, whitespace allowed between its tokens', () => {
    const at = (body: string) => {
      const r = plainItemsRange(Buffer.from(body));
      return r === null ? null : body.slice(r[0], r[1]);
    };
    expect(at('{"histories":[{"a":1},2]}')).toBe('{"a":1},2');
    expect(at(' {\n "histories" :\t[ 1 ] \n} \n')).toBe(' 1 ');
    expect(at('{"histories":[]}')).toBe('');
    for (const body of ['', '{}', '{"histories":[1]', '{"histories": {}}', '{"loans":[1]}', '{"note":1,"histories":[1]}', '{"histories":[1],"x":{}}', '{"histories":["\\n"]}', '{"hist ories":[1]}', '[1]']) {
      expect(at(body), body).toBeNull();
    }
  });

  it('gives up on items that are not a plain comma-separated list, and past maxItems', async () => {
    const h = JSON.stringify(makeHistoryInput({ loanId: 'L-1', due: 2 }));
    for (const body of [
      `{"histories":[${h},]}`,
      `{"histories":[${h} ${h}]}`,
      `{"histories":[,${h}]}`,
      `{"histories":[${h}],"histories":[${h}]}`,
      `{"histories":[${h}],"x":[1]}`,
      `{"histories":[${h},{"a":}]}`,
      `{"histories":[${h},{"a":{"constructor":{"prototype":{}}}}]}`,
      `{"histories":[{"__proto__":{"x":1}}]}`,
    ]) {
      expect(await wholeJob(Buffer.from(body)), body.slice(-40)).toEqual({ id: 1, ok: false, notJson: true });
    }
    const three = Buffer.from(`{"histories":[${h},${h},${h}]}`);
    expect(await wholeJob(three, 2)).toEqual({ id: 1, ok: false, notJson: true });
    expect(await wholeJob(three, 3)).toMatchObject({ ok: true, scored: 3, failed: 0 });
  });

  it('validates only on the floor, as the split jobs do', async () => {
    const body = Buffer.from(JSON.stringify({ histories: [makeHistoryInput({ loanId: 'L-f' }), { loanId: 2 }] }));
    const whole = await wholeJob(body, undefined, false);
    expect(whole).toMatchObject({ ok: true, scored: 1, failed: 1 });
    expect(whole?.ok && whole.results.byteLength).toBe(0);
    expect(await splitJob(body, false)).toMatchObject({ ok: true, scored: 1, failed: 1 });
  });
});

describe('cut batch jobs', () => {
  /** The reply's results text from jobs over the cuts starting at `starts` of the plain body's items, or null when a job gave up. */
  async function cutsText(body: Buffer, starts: number[]): Promise<string | null> {
    const [from, to] = plainItemsRange(body)!;
    const ends = [...starts.slice(1), to];
    const results: ScoreJobResult[] = [];
    for (const [k, start] of starts.entries()) {
      const job: ScoreJob = { kind: 'items', id: k, asOf: NOW, score: true, bytes: new Uint8Array(body.subarray(start, ends[k])), maxItems: Number.POSITIVE_INFINITY, cut: { continued: k + 1 < starts.length, leadingComma: k > 0 } };
      results.push(await runBatchJob(scorer, job, 3));
    }
    if (results.some((r) => !r.ok)) return null;
    let first = 0;
    const parts: Uint8Array[] = [];
    const renumber: Renumber[] = [];
    for (const r of results as Array<ScoreJobResult & { ok: true }>) {
      parts.push(r.results);
      renumber.push({ first, slots: r.slots! });
      first += r.scored + r.failed;
    }
    expect(from).toBeLessThanOrEqual(starts[0]!);
    return joinParts('', parts, '', new BodyBuffers(0, (n) => new ArrayBuffer(n)), renumber).bytes.toString('utf8');
  }

  it('answer, renumbered and joined, byte for byte as the split does, or give up when a cut is not between two items (property)', async () => {
    let joined = 0;
    let gaveUp = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 30, size: 'large' }), fc.constantFrom(0, 2), fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 4 }), async (items, indent, picks) => {
        const body = Buffer.from(JSON.stringify({ histories: items }, null, indent));
        const range = plainItemsRange(body);
        const split = splitBatchBody(body);
        if (range === null || split === null) return;
        // Cuts at item starts, or at any '{' of the items, mostly inside one (nested objects, strings).
        const braces: number[] = [];
        for (let i = range[0] + 1; i < range[1]; i++) if (body[i] === 0x7b) braces.push(i);
        const itemStarts = Array.from({ length: split.items.length / 2 - 1 }, (_, k) => split.items[2 * k + 2]!);
        const chosen = picks.flatMap(([atItem, p]) => {
          const from = atItem ? itemStarts : braces;
          return from.length > 0 ? [from[p % from.length]!] : [];
        });
        const starts = [range[0], ...[...new Set(chosen)].sort((a, b) => a - b)];
        const cut = await cutsText(body, starts);
        if (cut === null) {
          // Only a cut that is not at an item's start gives up, or an item the reader does not take that holds a screened word.
          expect(starts.slice(1).some((c) => !itemStarts.includes(c)) || /__proto__|constructor/.test(body.toString())).toBe(true);
          gaveUp++;
          return;
        }
        expect(cut).toBe(text(await splitJob(body)));
        joined++;
      }),
      { numRuns: 150 },
    );
    // Both happened: the law was checked on good cuts, and bad cuts were caught.
    expect(joined).toBeGreaterThan(30);
    expect(gaveUp).toBeGreaterThan(10);
  });

  it("cut where an item looks like it starts: the first item's brace and first key, after a closing brace, a comma and whitespace", () => {
    const body = Buffer.from('{"histories":[{"a":[{"a":1},{"a":2}]},  {"a":{"b":[1]}},\n{"a":3}, {"b":4}]}');
    const [from, to] = plainItemsRange(body)!;
    const text = body.toString('latin1');
    const at = (parts: number) => cutPoints(body, from, to, parts).map((c) => text.slice(c, c + 6));
    expect(at(2)).toEqual(['{"a":3']);
    // The first lies inside an item (a nested array): only a candidate; the worker reading the cut before it finds out.
    expect(at(12)).toEqual(['{"a":2', '{"a":{', '{"a":3']);
    expect(cutPoints(body, from, to, 1)).toEqual([]);
    // No cuts when the first item is not an object with a key.
    expect(cutPoints(Buffer.from('{"histories":[1,{"a":1}]}'), 14, 23, 4)).toEqual([]);
    expect(cutPoints(Buffer.from('{"histories":[{},{"a":1}]}'), 14, 24, 4)).toEqual([]);
  });
});

describe('runPooledBatch: cut or split', () => {
  /** A pool that runs its jobs here (or answers them with `answer`), recording the jobs' kinds. */
  function poolOf(answer?: (job: ScoreJobRequest) => ScoreJobResult) {
    const jobs: Array<ScoreJob['kind']> = [];
    const pool: ScorePool = {
      size: 2,
      failed: false,
      run: (job) => {
        jobs.push(job.kind);
        return answer !== undefined ? Promise.resolve(answer(job)) : runBatchJob(scorer, { ...job, id: jobs.length });
      },
      runOne: () => Promise.reject(new Error('not here')),
      close: () => Promise.resolve(),
    };
    return { pool, jobs };
  }
  const replies = new BodyBuffers(0, (n) => new ArrayBuffer(n));
  const reply = (r: PooledBatch | null) => (r === null ? null : joinParts('[', r.results, ']', replies, r.renumber).bytes.toString('utf8'));
  const histories = (n: number, bad: (k: number) => boolean) =>
    Array.from({ length: n }, (_, k) => (bad(k) ? { loanId: `bad-${k}` } : makeHistoryInput({ loanId: `L-${k}`, due: 1 + (k % 4), missed: k % 2 })));

  it('cuts a plain body into jobs without finding its items first, the same reply as the split, bad items renumbered', async () => {
    const body = Buffer.from(JSON.stringify({ histories: histories(150, (k) => k % 29 === 3) }));
    const cut = poolOf();
    const split = poolOf();
    const plan = { slice: 8, jobs: 'cut' } as const;
    const [a, b] = await Promise.all([runPooledBatch(cut.pool, body, NOW, true, () => undefined, plan), runPooledBatch(split.pool, body, NOW, true, () => undefined, { ...plan, jobs: 'split' })]);
    expect(cut.jobs.length).toBeGreaterThan(3);
    expect(cut.jobs.every((j) => j === 'items')).toBe(true);
    expect(split.jobs.every((j) => j === 'split')).toBe(true);
    expect(reply(a)).toBe(reply(b));
    expect(JSON.parse(reply(a)!).map((r: { index: number }) => r.index)).toEqual(Array.from({ length: 150 }, (_, k) => k));
    expect([a!.count, a!.scored, a!.failed, a!.bands]).toEqual([b!.count, b!.scored, b!.failed, b!.bands]);
  });

  it('splits a body whose cut fell inside an item, and refuses an oversized batch with its full count', async () => {
    // Every history's extras hold many objects that start as a history does (its first key is loanId).
    const tricky = Buffer.from(JSON.stringify({ histories: histories(40, () => false).map((h) => ({ ...h, meta: { copies: Array.from({ length: 200 }, (_, k) => ({ loanId: k })) } })) }));
    const cut = poolOf();
    const a = await runPooledBatch(cut.pool, tricky, NOW, true, () => undefined, { slice: 8, jobs: 'cut' });
    expect(cut.jobs.some((j) => j === 'items') && cut.jobs.some((j) => j === 'split')).toBe(true);
    expect(reply(a)).toBe(reply(await runPooledBatch(poolOf().pool, tricky, NOW, true, () => undefined, { slice: 8, jobs: 'split' })));
    const body = Buffer.from(JSON.stringify({ histories: histories(70, () => false) }));
    const counts: number[] = [];
    const check = (n: number) => {
      counts.push(n);
      if (n > 50) throw new Error(`${n} histories`);
    };
    await expect(runPooledBatch(poolOf().pool, body, NOW, true, check, { slice: 256, jobs: 'cut', maxItems: 50 })).rejects.toThrow('70 histories');
    expect(counts).toEqual([70]);
    // Cuts under the limit each, over it together.
    counts.length = 0;
    await expect(runPooledBatch(poolOf().pool, body, NOW, true, check, { slice: 8, jobs: 'cut', maxItems: 50 })).rejects.toThrow('70 histories');
    expect(counts).toEqual([70]);
  });

  it('splits a body it would cut into a piece larger than MAX_CUT_BYTES (no places where histories start alike)', async () => {
    // Every history has its own first key: no place looks like the first history's start.
    const n = Math.ceil((MAX_CUT_BYTES * 1.2) / 1200);
    const items = Array.from({ length: n }, (_, k) => ({ [`k${k}`]: 'x'.repeat(1200) }));
    const body = Buffer.from(JSON.stringify({ histories: items }));
    // Not scored: each job answers that its items failed.
    const { pool, jobs } = poolOf((job) => ({ id: 0, ok: true, written: 0, results: new Uint8Array(0), scored: 0, failed: job.kind === 'split' ? job.items.length / 2 : 0, bands: [], seconds: 0 }));
    const done = await runPooledBatch(pool, body, NOW, false, () => undefined, { slice: 256, jobs: 'cut' });
    expect(jobs.length).toBeGreaterThan(1);
    expect(jobs.every((j) => j === 'split')).toBe(true);
    expect(done!.count).toBe(n);
  });

  it("writes the cuts' results into the route's result memory, the same reply", async () => {
    const body = Buffer.from(JSON.stringify({ histories: histories(60, (k) => k === 40) }));
    const outputs = new BodyBuffers(1 << 20);
    const done = await runPooledBatch(poolOf().pool, body, NOW, true, () => undefined, { slice: 16, jobs: 'cut' }, outputs);
    expect(done!.results.every((p) => p.buffer instanceof SharedArrayBuffer)).toBe(true);
    expect(reply(done)).toBe(reply(await runPooledBatch(poolOf().pool, body, NOW, true, () => undefined, { slice: 16, jobs: 'split' })));
    done!.release();
  });
});
