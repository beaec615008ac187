// JSON text of an object, exactly as JSON.stringify writes it, for the small flat objects the event
// detail column holds ({"direction":"outbound"}): primitives are written by hand, anything nested
// goes to JSON.stringify. It can write the text already escaped for a quoted CSV cell (quotes
// doubled), which saves scanning it again. test/batch/history-csv.test.ts holds it equal to JSON.stringify.
import { numberText } from './number-text.js';

/** How a quote mark is written: as is (JSON) or doubled (inside a quoted CSV cell). */
export type QuoteMark = '"' | '""';

/** True when JSON.stringify would write the string as is between quotes (no escapes). */
function plainJsonString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

const stringified = (v: unknown, q: QuoteMark): string | undefined => {
  const json = JSON.stringify(v) as string | undefined;
  return q === '"' || json === undefined ? json : json.replaceAll('"', q);
};

const jsonString = (s: string, q: QuoteMark): string => (plainJsonString(s) ? `${q}${s}${q}` : stringified(s, q)!);

/** undefined where JSON.stringify leaves the key out (functions, symbols). */
function jsonValue(v: unknown, q: QuoteMark): string | undefined {
  if (typeof v === 'string') return jsonString(v, q);
  if (typeof v === 'number') return Number.isFinite(v) ? numberText(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  return stringified(v, q);
}

/** JSON of the object's fields except those in `skip` and those holding undefined; null when none is left. */
export function jsonWithout(o: Readonly<Record<string, unknown>>, skip: ReadonlySet<string>, q: QuoteMark = '"'): string | null {
  let out: string | null = null;
  for (const key in o) {
    if (skip.has(key)) continue;
    const v = o[key] === undefined ? undefined : jsonValue(o[key], q);
    if (v === undefined) continue;
    out = `${out === null ? '{' : `${out},`}${jsonString(key, q)}:${v}`;
  }
  return out === null ? null : `${out}}`;
}
