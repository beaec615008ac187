// Decision -> JSON text, byte-identical to JSON.stringify, for the service's responses and the nightly
// rescore's output (one per loan). The text is written as UTF-8 bytes (utf8-writer.ts): a socket or a
// file wants bytes, and the Chinese texts make the JS string two-byte, dear to measure and encode. The
// string forms decode those bytes.
// Most of a decision's text repeats from loan to loan: a rule hit's id, step, severity and texts, a model
// reason's feature and texts, the step's texts, the guardrails, the versions. Those parts are encoded once
// and kept, keyed by rule id, feature or step, and reused only when every field they cover is equal to the
// cached one (a mismatch writes them afresh), so only the varying parts (ids, times, numbers, fact values)
// are written per decision.
// Contract: for a value that src/domain/decision/schema.ts accepts, with object keys in shape order and no
// extra keys (what decide() builds, and what JSON.parse of a stored decision gives back), the output equals
// JSON.stringify(value). test/domain/decision/json.test.ts holds it to that over decisions generated from
// the zod schema (a field added to the schema fails it until written here) and over real decisions.
import type { Decision, EvidenceSummary, GuardrailEffect, Reason, RuleHit } from './schema.js';
import { utf8, Utf8Writer } from './utf8-writer.js';

// JSON.stringify escapes ", \, control characters and (well-formed JSON.stringify) lone surrogates;
// a string with any surrogate at all goes to JSON.stringify, which then decides.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A number as JSON text: finite numbers print as ToString (so -0 is "0"), NaN and ±Infinity as null. */
export function jsonNumber(n: number): string {
  return n === n && n !== Infinity && n !== -Infinity ? `${n}` : 'null';
}

const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NULL = utf8('null');

function writeString(w: Utf8Writer, s: string): void {
  if (!w.plainString(s)) w.text(jsonString(s));
}

function writeNumber(w: Utf8Writer, n: number): void {
  w.ascii(jsonNumber(n));
}

function writeScalar(w: Utf8Writer, v: string | number | boolean | null): void {
  if (typeof v === 'number') writeNumber(w, v);
  else if (typeof v === 'string') writeString(w, v);
  else w.ascii(v === null ? 'null' : v ? 'true' : 'false');
}

function writeNullableString(w: Utf8Writer, s: string | null): void {
  if (s === null) w.raw(NULL);
  else writeString(w, s);
}

/** Cached parts are keyed by rule id, feature name or step: a few dozen in practice; the bound guards odd input. */
const MAX_CACHED = 512;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

interface ReasonHead {
  readonly source: Reason['source'];
  readonly en: string;
  readonly zh: string;
  /** `{"source":..,"code":..,"en":..,"zh":..,"value":` */
  readonly bytes: Uint8Array;
}
const reasonHeads = new Map<string, ReasonHead>();
const WEIGHT = utf8(',"weight":');

function writeReason(w: Utf8Writer, r: Reason): void {
  let head = reasonHeads.get(r.code);
  if (head === undefined || head.source !== r.source || head.en !== r.en || head.zh !== r.zh) {
    const text = `{"source":${jsonString(r.source)},"code":${jsonString(r.code)},"en":${jsonString(r.en)},"zh":${jsonString(r.zh)},"value":`;
    head = remember(reasonHeads, r.code, { source: r.source, en: r.en, zh: r.zh, bytes: utf8(text) });
  }
  w.raw(head.bytes);
  writeScalar(w, r.value);
  w.raw(WEIGHT);
  writeNumber(w, r.weight);
  w.byte(CLOSE_BRACE);
}

interface RuleHitHead {
  readonly outcome: RuleHit['outcome'];
  readonly severity: number;
  readonly referralCondition: boolean;
  readonly step: RuleHit['step'];
  readonly en: string;
  readonly zh: string;
  /** `{"ruleId":..,"outcome":..,"severity":..,"referralCondition":..,"step":..,"en":..,"zh":..,"values":` */
  readonly bytes: Uint8Array;
}
const ruleHitHeads = new Map<string, RuleHitHead>();
const ERROR = utf8(',"error":');

function writeRuleHit(w: Utf8Writer, h: RuleHit): void {
  let head = ruleHitHeads.get(h.ruleId);
  if (head === undefined || head.outcome !== h.outcome || head.severity !== h.severity || head.referralCondition !== h.referralCondition || head.step !== h.step || head.en !== h.en || head.zh !== h.zh) {
    const text = `{"ruleId":${jsonString(h.ruleId)},"outcome":${jsonString(h.outcome)},"severity":${jsonNumber(h.severity)},"referralCondition":${h.referralCondition ? 'true' : 'false'},"step":${jsonString(h.step)},"en":${jsonString(h.en)},"zh":${jsonString(h.zh)},"values":`;
    head = remember(ruleHitHeads, h.ruleId, { outcome: h.outcome, severity: h.severity, referralCondition: h.referralCondition, step: h.step, en: h.en, zh: h.zh, bytes: utf8(text) });
  }
  w.raw(head.bytes);
  // Object.keys gives JSON.stringify's key order (integer-like keys first); undefined values are left out.
  const values = h.values;
  w.byte(OPEN_BRACE);
  let first = true;
  for (const k of Object.keys(values)) {
    const v = values[k];
    if (v === undefined) continue;
    if (!first) w.byte(COMMA);
    first = false;
    writeString(w, k);
    w.byte(COLON);
    writeScalar(w, v);
  }
  w.byte(CLOSE_BRACE);
  if (h.error !== undefined) {
    w.raw(ERROR);
    writeString(w, h.error);
  }
  w.byte(CLOSE_BRACE);
}

interface StepParts {
  readonly action: string;
  readonly channel: string;
  readonly priority: string;
  readonly en: string;
  readonly zh: string;
  /** `{"action":..,"channel":..,"priority":..,"earliestContactAt":` */
  readonly head: Uint8Array;
  /** `,"en":..,"zh":..}` */
  readonly tail: Uint8Array;
}
const stepParts = new Map<string, StepParts>();

export function writeStep(w: Utf8Writer, st: Decision['step']): void {
  let p = stepParts.get(st.action);
  if (p === undefined || p.channel !== st.channel || p.priority !== st.priority || p.en !== st.en || p.zh !== st.zh) {
    const head = `{"action":${jsonString(st.action)},"channel":${jsonString(st.channel)},"priority":${jsonString(st.priority)},"earliestContactAt":`;
    const tail = `,"en":${jsonString(st.en)},"zh":${jsonString(st.zh)}}`;
    p = remember(stepParts, st.action, { action: st.action, channel: st.channel, priority: st.priority, en: st.en, zh: st.zh, head: utf8(head), tail: utf8(tail) });
  }
  w.raw(p.head);
  writeNullableString(w, st.earliestContactAt);
  w.raw(p.tail);
}

interface GuardrailText {
  readonly en: string;
  readonly zh: string;
  readonly bytes: Uint8Array;
}
const guardrailTexts = new Map<string, GuardrailText>();

function writeGuardrail(w: Utf8Writer, g: GuardrailEffect): void {
  let t = guardrailTexts.get(g.guardrail);
  if (t === undefined || t.en !== g.en || t.zh !== g.zh) {
    t = remember(guardrailTexts, g.guardrail, { en: g.en, zh: g.zh, bytes: utf8(`{"guardrail":${jsonString(g.guardrail)},"en":${jsonString(g.en)},"zh":${jsonString(g.zh)}}`) });
  }
  w.raw(t.bytes);
}

// The evidence summary's keys in shape order, each with its lead-in (`{"dpd":`, `,"maxOverdueDays":`, ...).
const EVIDENCE_NUMBERS = ['dpd', 'maxOverdueDays', 'overdueAmount', 'contactAttempts', 'contactsAnswered', 'refusals', 'promisesMade', 'promisesBroken', 'arrangementsOffered', 'arrangementsBroken'] as const;
const EVIDENCE_KEYS = EVIDENCE_NUMBERS.map((k, i) => utf8(`${i === 0 ? '{' : ','}"${k}":`));
const LAST_PAYMENT_AT = utf8(',"lastPaymentAt":');

export function writeEvidence(w: Utf8Writer, e: EvidenceSummary | null): void {
  if (e === null) {
    w.raw(NULL);
    return;
  }
  for (let i = 0; i < EVIDENCE_NUMBERS.length; i++) {
    w.raw(EVIDENCE_KEYS[i]!);
    writeNumber(w, e[EVIDENCE_NUMBERS[i]!]);
  }
  w.raw(LAST_PAYMENT_AT);
  writeNullableString(w, e.lastPaymentAt);
  w.byte(CLOSE_BRACE);
}

// One scorer's decisions all carry the same versions.
let lastVersions: Decision['versions'] = { model: '', featureSet: '', ruleSet: '', policy: '' };
let lastVersionsBytes = utf8('{"model":"","featureSet":"","ruleSet":"","policy":""}');

function writeVersions(w: Utf8Writer, v: Decision['versions']): void {
  const l = lastVersions;
  if (v.model !== l.model || v.featureSet !== l.featureSet || v.ruleSet !== l.ruleSet || v.policy !== l.policy) {
    lastVersions = { model: v.model, featureSet: v.featureSet, ruleSet: v.ruleSet, policy: v.policy };
    lastVersionsBytes = utf8(`{"model":${jsonString(v.model)},"featureSet":${jsonString(v.featureSet)},"ruleSet":${jsonString(v.ruleSet)},"policy":${jsonString(v.policy)}}`);
  }
  w.raw(lastVersionsBytes);
}

function writeList<T>(w: Utf8Writer, xs: readonly T[], one: (w: Utf8Writer, x: T) => void): void {
  w.byte(OPEN_BRACKET);
  for (let i = 0; i < xs.length; i++) {
    if (i > 0) w.byte(COMMA);
    one(w, xs[i]!);
  }
  w.byte(CLOSE_BRACKET);
}

/** A decision's reasons, rule hits and guardrail effects as JSON arrays. */
export const writeReasons = (w: Utf8Writer, reasons: readonly Reason[]): void => writeList(w, reasons, writeReason);
export const writeRuleHits = (w: Utf8Writer, hits: readonly RuleHit[]): void => writeList(w, hits, writeRuleHit);
export const writeGuardrails = (w: Utf8Writer, guardrails: readonly GuardrailEffect[]): void => writeList(w, guardrails, writeGuardrail);

const LOAN_ID = utf8('{"loanId":');
const AS_OF = utf8(',"asOf":');
const HORIZON_DAYS = utf8(',"horizonDays":');
const PD = utf8(',"pd":');
const POINTS = utf8(',"points":');
const BAND = utf8(',"band":');
const REASONS = utf8(',"reasons":');
const RULE_HITS = utf8(',"ruleHits":');
const STEP = utf8(',"step":');
const GUARDRAILS = utf8(',"guardrails":');
const EVIDENCE = utf8(',"evidence":');
const VERSIONS = utf8(',"versions":');

/** One decision as JSON text in UTF-8, byte-identical to the UTF-8 of JSON.stringify(decision) (see the contract above). */
export function writeDecision(w: Utf8Writer, d: Decision): void {
  w.raw(LOAN_ID);
  writeString(w, d.loanId);
  w.raw(AS_OF);
  writeString(w, d.asOf);
  w.raw(HORIZON_DAYS);
  writeNumber(w, d.horizonDays);
  w.raw(PD);
  writeNumber(w, d.pd);
  w.raw(POINTS);
  writeNumber(w, d.points);
  w.raw(BAND);
  writeString(w, d.band);
  w.raw(REASONS);
  writeReasons(w, d.reasons);
  w.raw(RULE_HITS);
  writeRuleHits(w, d.ruleHits);
  w.raw(STEP);
  writeStep(w, d.step);
  w.raw(GUARDRAILS);
  writeGuardrails(w, d.guardrails);
  w.raw(EVIDENCE);
  writeEvidence(w, d.evidence);
  w.raw(VERSIONS);
  writeVersions(w, d.versions);
  w.byte(CLOSE_BRACE);
}

// The string form writes into one scratch buffer (synchronously: nothing else writes to it meanwhile).
const scratch = new Utf8Writer(16 * 1024);

const replies = new Utf8Writer();

/** One decision's JSON as UTF-8 (what a response gets): a view of bytes no later call overwrites. */
export function decisionBytes(d: Decision): Uint8Array {
  writeDecision(replies, d);
  return replies.take();
}

/**
 * One decision's JSON as UTF-8 in the scratch buffer: a view the next call overwrites (for a store that
 * copies the bytes at once: the text form's decode, and the store's encoding back to UTF-8, cost ~5 µs).
 */
export function decisionUtf8(d: Decision): Uint8Array {
  scratch.reset();
  writeDecision(scratch, d);
  return scratch.current();
}

/** One decision as JSON text, identical to JSON.stringify(decision) (see the contract above). */
export function decisionJson(d: Decision): string {
  decisionUtf8(d);
  // The text decisionUtf8 has just written into the scratch buffer, decoded.
  return scratch.toString();
}
