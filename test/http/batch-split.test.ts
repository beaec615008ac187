import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBatchBody } from '../../src/http/batch-split.js';

const items = (body: string) => {
  const buf = Buffer.from(body);
  const split = splitBatchBody(buf);
  if (split === null) return null;
  const out: unknown[] = [];
  for (let k = 0; k < split.items.length; k += 2) out.push(JSON.parse(buf.toString('utf8', split.items[k], split.items[k + 1])));
  return out;
};

describe('splitBatchBody', () => {
  it('splits exactly what JSON.parse reads as histories, whatever the items and the other keys (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), fc.boolean(), (histories, others, pretty) => {
        const value = { ...others, histories };
        const body = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        const got = items(body);
        // Keys with escapes make the splitter step aside; otherwise it must split.
        if (got === null) expect(/\\|__proto__|constructor/.test(body)).toBe(true);
        else expect(got).toEqual((JSON.parse(body) as { histories: unknown[] }).histories);
      }),
    );
  });

  it('keeps multi-byte text intact', () => {
    expect(items('{"histories":[{"a":"逾期天数"},"é",[1,{"b":"]"}]]}')).toEqual([{ a: '逾期天数' }, 'é', [1, { b: ']' }]]);
  });

  it('reads escaped quotes and brackets inside values, with or without other escapes in the body', () => {
    expect(items('{"histories":[{"a":"x\\"]},{\\\\"},"\\n",{"b":["\\"",1]}]}')).toEqual([{ a: 'x"]},{\\' }, '\n', { b: ['"', 1] }]);
    expect(items('{"x":"\\"","histories":[1]}')).toEqual([1]);
  });

  it('steps aside for keys the ordinary parser screens, at any depth, but not for such words as values', () => {
    expect(splitBatchBody(Buffer.from('{"histories":[{"a":[{"b":{"__proto__":1}}]}]}'))).toBeNull();
    expect(splitBatchBody(Buffer.from('{"histories":[{"a":{"constructor" :1}}]}'))).toBeNull();
    expect(splitBatchBody(Buffer.from('{"histories":[{"a\\n":1}]}'))).toBeNull();
    expect(items('{"histories":[{"a":"__proto__","b":["constructor"]}]}')).toEqual([{ a: '__proto__', b: ['constructor'] }]);
  });

  it('steps aside for anything it cannot vouch for, so the ordinary parser answers', () => {
    for (const body of [
      '',
      '[]',
      '{}',
      '{"loans":[]}',
      '{"histories":{}}',
      '{"histories":[1,]}',
      '{"histories":[1 2]}',
      '{"histories":[1],"histories":[2]}',
      '{"histor\\u0069es":[1]}',
      '{"histories":[1]} x',
      '{"histories":[1],"x":tru}',
      '{"histories":[{"a":"unterminated]}',
      '{"histories":[1]',
      '{"histories":[1],',
      '{"histories":[1]}}',
      '{"histories":[{"a":1}',
      '{"histories":[{"__proto__":{"x":1}}]}',
      '{"histories":[{"\\u005f_proto__":{"x":1}}]}',
      '{"histories":[{"constructor":{"prototype":{}}}]}',
    ]) {
      expect(splitBatchBody(Buffer.from(body)), body).toBeNull();
    }
    expect(items('{ "histories" : [ ] , "x" : 1 }')).toEqual([]);
  });
});
