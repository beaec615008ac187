// fast-check values derived from a zod schema (the subset the decision schema uses), for serializer
// property tests: objects with keys in shape order, optional keys sometimes absent, and scalars chosen
// to stress JSON text (escapes, lone surrogates, -0, exponents, non-finite numbers where a number is).
import fc from 'fast-check';
import type { z } from 'zod';

type Schema = z.core.$ZodType;
interface AnyDef {
  type: string;
  [key: string]: unknown;
}
const defOf = (s: Schema): AnyDef => s._zod.def as unknown as AnyDef;

const AWKWARD = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', '中', '逾', '\ud800', '\udfff', '\ud83d\ude00', '\ud83d', 'é'];

export const awkwardString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom(...AWKWARD), { maxLength: 12 }).map((xs) => xs.join('')),
  );

export const awkwardNumber = (): fc.Arbitrary<number> =>
  fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e21, 1e-7, 123456789012345680000, 5e-324, 0.1 + 0.2, Number.NaN, Infinity, -Infinity));

export function arbitraryOf(schema: Schema): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return awkwardString();
    case 'number':
      return awkwardNumber();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'nullable':
      return fc.option(arbitraryOf(def.innerType as Schema), { nil: null });
    case 'union':
      return fc.oneof(...(def.options as Schema[]).map(arbitraryOf));
    case 'array':
      return fc.array(arbitraryOf(def.element as Schema), { maxLength: 5 });
    case 'record':
      return fc.dictionary(awkwardString(), arbitraryOf(def.valueType as Schema), { maxKeys: 5 });
    case 'object': {
      const shape = def.shape as Record<string, Schema>;
      const fields = Object.entries(shape).map(([key, s]) => {
        const optional = defOf(s).type === 'optional';
        const value = arbitraryOf(optional ? (defOf(s).innerType as Schema) : s);
        return optional ? fc.option(value.map((v) => [key, v] as const), { nil: undefined }) : value.map((v) => [key, v] as const);
      });
      // Keys in shape order, as decide() builds them; an optional key is absent or present.
      return fc.tuple(...fields).map((pairs) => {
        const o: Record<string, unknown> = {};
        for (const p of pairs) if (p !== undefined) o[p[0]] = p[1];
        return o;
      });
    }
    default:
      throw new Error(`no arbitrary for zod type '${def.type}'`);
  }
}
