// Text that fastify's JSON parser treats specially: prototype-poisoning keys (`__proto__`, and
// `constructor` with a `prototype`), also when \u-escaped. A body holding any of them is parsed the
// ordinary way (fastify's parser, its checks included), so that it gets exactly the ordinary answer.
export const SUSPECT_TEXTS = ['__proto__', 'constructor', '\\u00'] as const;

/** true: only the ordinary parser may answer for this text. */
export function needsOrdinaryParse(text: string): boolean {
  return SUSPECT_TEXTS.some((t) => text.includes(t));
}
