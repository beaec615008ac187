// Speed work on the decision path must not change a single decision: the sample portfolio's full
// decisions at four as-of instants are compared with a digest committed from the code before that work.
// The golden (__golden__/sample-decisions.json) was written ONCE by this test on commit 5024aa3
// (branch scoring, before any change to create-scorer, timeline, ledger, rules or decision), by running
// it with the file absent; it is never regenerated to make a change pass.
import { describe, expect, it } from 'vitest';
import { digestDecisions, GOLDEN_AS_OF, goldenHistories, goldenScorer } from '../support/decision-digest.js';

describe('the sample portfolio decides exactly as before', () => {
  const histories = goldenHistories();
  const scorer = goldenScorer();

  it('scoreOne at four as-of instants matches the committed digest', async () => {
    const digests = GOLDEN_AS_OF.map((iso) => {
      const asOf = Date.parse(iso);
      return digestDecisions(iso, histories.map((h) => scorer.scoreOne(h, asOf)));
    });
    await expect(`${JSON.stringify(digests, null, 2)}\n`).toMatchFileSnapshot('__golden__/sample-decisions.json');
  });

  it('scoreMany and finish without reasons agree with scoreOne', async () => {
    const asOf = Date.parse(GOLDEN_AS_OF[3]);
    const one = histories.map((h) => scorer.scoreOne(h, asOf));
    const many = await scorer.scoreMany(histories, asOf);
    expect(digestDecisions('many', many).sha256).toBe(digestDecisions('many', one).sha256);
    // Without reasons only the model reasons go: every other field stays.
    const bare = histories.map((h, i) => scorer.finish(scorer.prepare(h, asOf), one[i]!.pd, { explain: false }));
    const strip = (ds: typeof one) => ds.map((d) => ({ ...d, reasons: d.reasons.filter((r) => r.source === 'rule') }));
    expect(strip(bare).map((d, i) => ({ ...d, reasons: d.reasons.slice(0, strip(one)[i]!.reasons.length) }))).toEqual(strip(one));
  });
});
