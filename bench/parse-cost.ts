// What does accepting one typical history cost before any scoring? JSON.parse vs the zod contract.
import { LoanHistory } from '../src/domain/history/schema.js';
import { synthesiseHistories } from './support/typical-histories.js';

const hs = synthesiseHistories(1000, 7);
const text = hs.map((h) => JSON.stringify(h));
const raw = text.map((t) => JSON.parse(t) as unknown);
const time = (name: string, fn: (i: number) => void) => {
  const t0 = performance.now();
  for (let r = 0; r < 3; r++) for (let i = 0; i < raw.length; i++) fn(i);
  console.log(name.padEnd(12), ((performance.now() - t0) * 1000 / (3 * raw.length)).toFixed(1), 'µs/history');
};
console.log('events/history', hs.reduce((s, h) => s + h.events.length, 0) / hs.length, 'bytes', Math.round(text.reduce((s, t) => s + t.length, 0) / text.length));
time('JSON.parse', (i) => JSON.parse(text[i]!));
time('zod parse', (i) => LoanHistory.parse(raw[i]));
