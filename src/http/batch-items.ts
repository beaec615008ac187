// Where a batch worker job's histories come from, one at a time: byte ranges the main thread found
// (batch-split.ts), or, for a cut of the histories array (pooled-batch.ts), its items read one after
// another where they lie. The second saves the split, a scan of every byte of the body on the event
// loop that was most of its work under batch load (docs/service.md); the text reader finds each item's
// end anyway.
import type { LoanHistory } from '../domain/history/schema.js';
import { readHistoryAscii, readHistoryAt } from '../domain/history/text-history.js';
import { cursor, skipValue, ws } from '../domain/history/text-scan.js';

/** Reads the next item into known[k] (the text reader was sure) or raw[k] (JSON.parse's value, validated later). */
export interface BatchItems {
  /** true: item k was read; false: there are no more; null: not plain, the job gives up (the main thread then splits or parses the body itself). */
  next(known: (LoanHistory | undefined)[], raw: unknown[], k: number): boolean | null;
}

const COMMA = 44;

/** The items at the [start, end) byte offsets of `items` (flattened) in `bytes`. */
export class RangeItems implements BatchItems {
  private i = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly items: Int32Array,
    private readonly readText: boolean,
  ) {}

  next(known: (LoanHistory | undefined)[], raw: unknown[], k: number): boolean | null {
    if (this.i >= this.items.length) return false;
    const from = this.items[this.i]!;
    const to = this.items[this.i + 1]!;
    const item = this.bytes.toString('utf8', from, to);
    this.i += 2;
    known[k] = this.readText ? readHistoryAscii(item, this.bytes.subarray(from, to)) : undefined;
    if (known[k] !== undefined) return true;
    try {
      raw[k] = JSON.parse(item);
      return true;
    } catch {
      return null;
    }
  }
}

/**
 * Items of the histories array given without its brackets (`{...},{...}`), found as they are read: all
 * of them, or, for a cut of the array (`continued`), some of them each followed by its comma. Plain
 * bodies only: the main thread cuts only a body that holds no backslash (no escapes that could hide a
 * key), and an item that the text reader does not take holding `"__proto__"` or `"constructor"` (keys
 * fastify's parser screens; the reader itself takes neither) gives up, as does anything that is not a
 * comma-separated list of JSON values, or more than `maxItems` of them. A cut made at a place that is
 * not between two items gives up too: the item before it cannot end where its text does.
 */
export class InPlaceItems implements BatchItems {
  private readonly text: string;
  private p: number;
  private count = 0;
  private readonly plain: boolean;

  /** bytes: the body's; the text reader scans them when the body is ASCII (text-history.ts). */
  constructor(
    private readonly bytes: Buffer,
    private readonly maxItems: number,
    private readonly readText: boolean,
    private readonly continued = false,
  ) {
    this.text = bytes.toString('utf8');
    this.plain = !this.text.includes('\\');
    this.p = ws(this.text, 0);
  }

  next(known: (LoanHistory | undefined)[], raw: unknown[], k: number): boolean | null {
    const s = this.text;
    if (this.p >= s.length) return false;
    if (!this.plain || ++this.count > this.maxItems) return null;
    const from = this.p;
    let end: number;
    known[k] = this.readText ? readHistoryAt(s, from, this.bytes) : undefined;
    if (known[k] !== undefined) {
      end = cursor.at;
    } else {
      try {
        end = skipValue(s, from);
      } catch {
        return null; // nesting deeper than the stack
      }
      if (end < 0) return null;
      const item = s.slice(from, end);
      if (item.includes('"__proto__"') || item.includes('"constructor"')) return null;
      try {
        raw[k] = JSON.parse(item);
      } catch {
        return null;
      }
    }
    let p = ws(s, end);
    if (p >= s.length) {
      if (this.continued) return null; // a cut's last item has its comma
    } else {
      if (s.charCodeAt(p) !== COMMA) return null;
      p = ws(s, p + 1);
      if (p >= s.length && !this.continued) return null; // a trailing comma
    }
    this.p = p;
    return true;
  }
}
