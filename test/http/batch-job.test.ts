import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../src/domain/history/validate.js';
import { encodeJoined, JOB_SLICE, runBatchJob } from '../../src/http/batch-job.js';
import { splitBatchBody } from '../../src/http/batch-split.js';
import { makeHistoryInput } from '../support/histories.js';
import { createTestScorer } from '../support/test-scorer.js';
import type { ScoreJob } from '../../src/http/score-worker-protocol.js';
import type { Scorer } from '../../src/scoring/scorer.js';

const NOW = Date.parse('2025-05-20T04:00:00Z');

describe('encodeJoined', () => {
  it('writes the UTF-8 of the comma-joined texts, with the leading comma asked for, however many and long (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40_000 }), { maxLength: 12 }), fc.boolean(), (texts, lead) => {
        const got = encodeJoined(texts, lead);
        expect(Buffer.from(got).equals(Buffer.from((lead && texts.length > 0 ? ',' : '') + texts.join(',')))).toBe(true);
        // Its own memory, exactly as long: it can be transferred to another thread.
        expect(got.byteLength).toBe(got.buffer.byteLength);
      }),
      { numRuns: 60 },
    );
  });
});

describe('runBatchJob', () => {
  it('answers each history of its slice with the text JSON.stringify writes for the in-process result, batch indices and field paths included', async () => {
    const good = [0, 1, 2].map((m) => makeHistoryInput({ loanId: `L-${m}-逾期`, due: 4, missed: m }));
    const bad = { ...makeHistoryInput({ loanId: 'L-bad' }), currency: 'yuan' };
    const body = Buffer.from(JSON.stringify({ histories: [good[0], good[1], bad, good[2]] }));
    const split = splitBatchBody(body)!;
    // The slice of histories 1..3, as the route would cut it.
    const from = split.items[2]!;
    const bytes = new Uint8Array(body.subarray(from, split.items[7]!));
    const items = split.items.slice(2).map((x) => x - from);
    const scorer = createTestScorer();
    const r = await runBatchJob(scorer, { kind: 'split', id: 7, asOf: NOW, score: true, bytes, items, firstIndex: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const expected = [1, 2, 3].map((index) => {
      const parsed = parseHistory(JSON.parse(JSON.stringify([good[0], good[1], bad, good[2]][index])), ['histories', index]);
      return JSON.stringify(parsed.ok ? { index, ok: true, decision: scorer.scoreOne(parsed.value, NOW) } : { index, ok: false, errors: parsed.problems });
    });
    expect(Buffer.from(r.results).toString('utf8')).toBe(`,${expected.join(',')}`);
    expect([r.id, r.scored, r.failed]).toEqual([7, 2, 1]);
    expect(r.bands.reduce((a, b) => a + b, 0)).toBe(2);
    const floor = await runBatchJob(scorer, { kind: 'split', id: 8, asOf: NOW, score: false, bytes, items, firstIndex: 1 });
    expect(floor).toMatchObject({ ok: true, scored: 2, failed: 1 });
    if (floor.ok) expect(floor.results.byteLength).toBe(0);
  });

  it('writes its results into the shared memory the job brings when they fit, else into a buffer of their own, the same bytes either way', async () => {
    const histories = [0, 1, 2].map((m) => makeHistoryInput({ loanId: `L-${m}-逾期`, due: 4, missed: m }));
    const body = Buffer.from(JSON.stringify({ histories }));
    const split = splitBatchBody(body)!;
    const bytes = new Uint8Array(body);
    const scorer = createTestScorer();
    const job = { kind: 'split', id: 3, asOf: NOW, score: true, bytes, items: split.items, firstIndex: 2 } as const;
    const plain = await runBatchJob(scorer, job);
    if (!plain.ok) throw new Error('the job failed');
    expect(plain.written).toBe(0);
    const text = Buffer.from(plain.results).toString('utf8');
    const memory = new SharedArrayBuffer(1 << 16);
    const out = new Uint8Array(memory, 100, 1 << 15);
    const fits = await runBatchJob(scorer, { ...job, out });
    if (!fits.ok) throw new Error('the job failed');
    expect([fits.written, fits.results.byteLength]).toEqual([Buffer.byteLength(text), 0]);
    expect(Buffer.from(memory, 100, fits.written).toString('utf8')).toBe(text);
    // Memory outside the job's region is never written.
    expect(new Uint8Array(memory, 0, 100).every((b) => b === 0)).toBe(true);
    const tooSmall = await runBatchJob(scorer, { ...job, out: new Uint8Array(new SharedArrayBuffer(64)) });
    if (!tooSmall.ok) throw new Error('the job failed');
    expect(tooSmall.written).toBe(0);
    expect(Buffer.from(tooSmall.results).toString('utf8')).toBe(text);
  });

  it('gives up on the whole job when an item is not JSON (the route then parses the body the ordinary way)', async () => {
    const bytes = new Uint8Array(Buffer.from('{"a":1},{"a":}'));
    const r = await runBatchJob(createTestScorer(), { kind: 'split', id: 1, asOf: NOW, score: true, bytes, items: Int32Array.from([0, 7, 8, 14]), firstIndex: 0 });
    expect(r).toEqual({ id: 1, ok: false, notJson: true });
  });
  /** A job over all of `histories` from batch index firstIndex, cut as the route cuts it, and the text expected of it. */
  function jobOf(histories: unknown[], firstIndex: number, id: number, scorer: Scorer): { job: ScoreJob; expected: string } {
    const body = Buffer.from(JSON.stringify({ histories }));
    const split = splitBatchBody(body)!;
    const from = split.items[0]!;
    const bytes = new Uint8Array(body.subarray(from, split.items[split.items.length - 1]!));
    const items = split.items.map((x) => x - from);
    const texts = histories.map((h, k) => {
      const index = firstIndex + k;
      const parsed = parseHistory(JSON.parse(JSON.stringify(h)), ['histories', index]);
      return JSON.stringify(parsed.ok ? { index, ok: true, decision: scorer.scoreOne(parsed.value, NOW) } : { index, ok: false, errors: parsed.problems });
    });
    return { job: { kind: 'split', id, asOf: NOW, score: true, bytes, items, firstIndex }, expected: (firstIndex > 0 ? ',' : '') + texts.join(',') };
  }

  it('answers a job longer than one slice, with bad histories on and beside the slice boundaries, as the in-process route would', async () => {
    const scorer = createTestScorer();
    const n = 3 * JOB_SLICE + 5;
    const bad = new Set([0, JOB_SLICE - 1, JOB_SLICE, 2 * JOB_SLICE + 1, n - 1]);
    const histories = Array.from({ length: n }, (_, k) => {
      const h = makeHistoryInput({ loanId: `L-${k}`, due: 2 + (k % 5), missed: k % 3 });
      return bad.has(k) ? { ...h, currency: 'yuan' } : h;
    });
    const { job, expected } = jobOf(histories, 40, 3, scorer);
    const r = await runBatchJob(scorer, job);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Buffer.from(r.results).toString('utf8')).toBe(expected);
    expect([r.scored, r.failed]).toEqual([n - bad.size, bad.size]);
  });

  it('gives up on the whole job when an item of a later slice is not JSON', async () => {
    const good = JSON.stringify(makeHistoryInput({ loanId: 'L-ok' }));
    const texts = [...Array.from({ length: JOB_SLICE + 2 }, () => good), '{"a":}'];
    const body = Buffer.from(texts.join(','));
    const items: number[] = [];
    let at = 0;
    for (const t of texts) {
      items.push(at, at + t.length);
      at += t.length + 1;
    }
    const r = await runBatchJob(createTestScorer(), { kind: 'split', id: 2, asOf: NOW, score: true, bytes: new Uint8Array(body), items: Int32Array.from(items), firstIndex: 0 });
    expect(r).toEqual({ id: 2, ok: false, notJson: true });
  });

  it('keeps the texts of jobs that run at the same time apart when the scorer awaits between slices', async () => {
    const inner = createTestScorer();
    // A scorer that gives the event loop a turn before answering, so that the two jobs interleave.
    const awaiting: Pick<Scorer, 'scoreMany'> = {
      scoreMany: async (histories, asOf) => {
        await new Promise((resolve) => setImmediate(resolve));
        return inner.scoreMany(histories, asOf);
      },
    };
    const batch = (tag: string) => Array.from({ length: 2 * JOB_SLICE + 3 }, (_, k) => makeHistoryInput({ loanId: `${tag}-${k}`, due: 3, missed: k % 2 }));
    const a = jobOf(batch('A'), 0, 1, inner);
    const b = jobOf(batch('B'), 35, 2, inner);
    const [ra, rb] = await Promise.all([runBatchJob(awaiting, a.job), runBatchJob(awaiting, b.job)]);
    expect(ra.ok && Buffer.from(ra.results).toString('utf8')).toBe(a.expected);
    expect(rb.ok && Buffer.from(rb.results).toString('utf8')).toBe(b.expected);
  });
});

