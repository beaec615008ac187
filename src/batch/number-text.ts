// Number to text exactly as String(v) does, with fast paths for the two shapes that dominate the
// flat tables: epoch milliseconds (integers beyond int32, where String() takes V8's slow dtoa path)
// and money with at most two decimals. test/batch/number-text.test.ts holds it equal to String().

const pad6 = (n: number): string => (n >= 100_000 ? `${n}` : n >= 10_000 ? `0${n}` : n >= 1000 ? `00${n}` : n >= 100 ? `000${n}` : n >= 10 ? `0000${n}` : `00000${n}`);

/** A non-negative safe integer as decimal text (two int32-sized halves, each formatted fast). */
function bigIntegerText(v: number): string {
  const high = Math.floor(v / 1e6);
  return `${high}${pad6(v - high * 1e6)}`;
}

/**
 * A double that equals cents/100 for an integer number of cents: its shortest round-trip text is
 * that decimal with trailing zeros dropped (any shorter decimal of at most 15 digits is another double).
 */
function centsText(v: number, cents: number): string {
  const whole = Math.trunc(cents / 100);
  const frac = Math.abs(cents - whole * 100);
  const sign = v < 0 && whole === 0 ? '-' : '';
  if (frac === 0) return `${sign}${whole}`;
  return frac % 10 === 0 ? `${sign}${whole}.${frac / 10}` : `${sign}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

export function numberText(v: number): string {
  if ((v | 0) === v) return `${v}`; // int32 (and -0, which String() also writes as "0")
  if (Number.isSafeInteger(v) && v > 0) return bigIntegerText(v);
  const cents = Math.round(v * 100);
  // Below 1e13 the decimal has at most 15 significant digits; from 1e-6 up String() writes no exponent.
  if (cents / 100 === v && Math.abs(v) < 1e13 && Math.abs(v) >= 0.01) return centsText(v, cents);
  return String(v);
}
