// Decision -> JSON text, byte-identical to JSON.stringify, for the service's responses and the nightly
// rescore's output (one per loan). Most of a decision's text repeats from loan to loan: a rule hit's id,
// step, severity and texts, a model reason's feature and texts, the step's texts, the guardrails, the
// versions. Those parts are written once and kept, keyed by rule id, feature or step, and reused only when
// every field they cover is equal to the cached one (a mismatch writes them afresh), so only the varying
// parts (ids, times, numbers, fact values) are written per decision.
// Contract: for a value that src/domain/decision/schema.ts accepts, with object keys in shape order and no
// extra keys (what decide() builds, and what JSON.parse of a stored decision gives back), the output equals
// JSON.stringify(value). test/domain/decision/json.test.ts holds it to that over decisions generated from
// the zod schema (a field added to the schema fails it until written here) and over real decisions.
import type { Decision, EvidenceSummary, GuardrailEffect, Reason, RuleHit } from './schema.js';

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

function scalar(v: string | number | boolean | null): string {
  if (typeof v === 'number') return jsonNumber(v);
  if (typeof v === 'string') return jsonString(v);
  if (v === null) return 'null';
  return v ? 'true' : 'false';
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
  readonly text: string;
}
const reasonHeads = new Map<string, ReasonHead>();

function reasonJson(r: Reason): string {
  let head = reasonHeads.get(r.code);
  if (head === undefined || head.source !== r.source || head.en !== r.en || head.zh !== r.zh) {
    const text = `{"source":${jsonString(r.source)},"code":${jsonString(r.code)},"en":${jsonString(r.en)},"zh":${jsonString(r.zh)},"value":`;
    head = remember(reasonHeads, r.code, { source: r.source, en: r.en, zh: r.zh, text });
  }
  return `${head.text}${scalar(r.value)},"weight":${jsonNumber(r.weight)}}`;
}

interface RuleHitHead {
  readonly outcome: RuleHit['outcome'];
  readonly severity: number;
  readonly referralCondition: boolean;
  readonly step: RuleHit['step'];
  readonly en: string;
  readonly zh: string;
  /** `{"ruleId":..,"outcome":..,"severity":..,"referralCondition":..,"step":..,"en":..,"zh":..,"values":` */
  readonly text: string;
}
const ruleHitHeads = new Map<string, RuleHitHead>();

function ruleHitJson(h: RuleHit): string {
  let head = ruleHitHeads.get(h.ruleId);
  if (head === undefined || head.outcome !== h.outcome || head.severity !== h.severity || head.referralCondition !== h.referralCondition || head.step !== h.step || head.en !== h.en || head.zh !== h.zh) {
    const text = `{"ruleId":${jsonString(h.ruleId)},"outcome":${jsonString(h.outcome)},"severity":${jsonNumber(h.severity)},"referralCondition":${h.referralCondition ? 'true' : 'false'},"step":${jsonString(h.step)},"en":${jsonString(h.en)},"zh":${jsonString(h.zh)},"values":`;
    head = remember(ruleHitHeads, h.ruleId, { outcome: h.outcome, severity: h.severity, referralCondition: h.referralCondition, step: h.step, en: h.en, zh: h.zh, text });
  }
  // Object.keys gives JSON.stringify's key order (integer-like keys first); undefined values are left out.
  const values = h.values;
  let s = '{';
  for (const k of Object.keys(values)) {
    const v = values[k];
    if (v === undefined) continue;
    if (s.length > 1) s += ',';
    s += `${jsonString(k)}:${scalar(v)}`;
  }
  s += '}';
  return h.error === undefined ? `${head.text}${s}}` : `${head.text}${s},"error":${jsonString(h.error)}}`;
}

interface StepParts {
  readonly action: string;
  readonly channel: string;
  readonly priority: string;
  readonly en: string;
  readonly zh: string;
  /** `{"action":..,"channel":..,"priority":..,"earliestContactAt":` */
  readonly head: string;
  /** `,"en":..,"zh":..}` */
  readonly tail: string;
}
const stepParts = new Map<string, StepParts>();

/** A decision's step as JSON text (the batch output's step_json column). */
export function stepJson(st: Decision['step']): string {
  let p = stepParts.get(st.action);
  if (p === undefined || p.channel !== st.channel || p.priority !== st.priority || p.en !== st.en || p.zh !== st.zh) {
    const head = `{"action":${jsonString(st.action)},"channel":${jsonString(st.channel)},"priority":${jsonString(st.priority)},"earliestContactAt":`;
    const tail = `,"en":${jsonString(st.en)},"zh":${jsonString(st.zh)}}`;
    p = remember(stepParts, st.action, { action: st.action, channel: st.channel, priority: st.priority, en: st.en, zh: st.zh, head, tail });
  }
  return `${p.head}${st.earliestContactAt === null ? 'null' : jsonString(st.earliestContactAt)}${p.tail}`;
}

interface GuardrailText {
  readonly en: string;
  readonly zh: string;
  readonly text: string;
}
const guardrailTexts = new Map<string, GuardrailText>();

function guardrailJson(g: GuardrailEffect): string {
  let t = guardrailTexts.get(g.guardrail);
  if (t === undefined || t.en !== g.en || t.zh !== g.zh) {
    t = remember(guardrailTexts, g.guardrail, { en: g.en, zh: g.zh, text: `{"guardrail":${jsonString(g.guardrail)},"en":${jsonString(g.en)},"zh":${jsonString(g.zh)}}` });
  }
  return t.text;
}

function evidenceObjectJson(e: EvidenceSummary): string {
  return (
    `{"dpd":${jsonNumber(e.dpd)},"maxOverdueDays":${jsonNumber(e.maxOverdueDays)},"overdueAmount":${jsonNumber(e.overdueAmount)},` +
    `"contactAttempts":${jsonNumber(e.contactAttempts)},"contactsAnswered":${jsonNumber(e.contactsAnswered)},"refusals":${jsonNumber(e.refusals)},` +
    `"promisesMade":${jsonNumber(e.promisesMade)},"promisesBroken":${jsonNumber(e.promisesBroken)},"arrangementsOffered":${jsonNumber(e.arrangementsOffered)},` +
    `"arrangementsBroken":${jsonNumber(e.arrangementsBroken)},"lastPaymentAt":${e.lastPaymentAt === null ? 'null' : jsonString(e.lastPaymentAt)}}`
  );
}

// One scorer's decisions all carry the same versions.
let lastVersions: Decision['versions'] = { model: '', featureSet: '', ruleSet: '', policy: '' };
let lastVersionsText = '{"model":"","featureSet":"","ruleSet":"","policy":""}';

function versionsJson(v: Decision['versions']): string {
  const l = lastVersions;
  if (v.model !== l.model || v.featureSet !== l.featureSet || v.ruleSet !== l.ruleSet || v.policy !== l.policy) {
    lastVersions = { model: v.model, featureSet: v.featureSet, ruleSet: v.ruleSet, policy: v.policy };
    lastVersionsText = `{"model":${jsonString(v.model)},"featureSet":${jsonString(v.featureSet)},"ruleSet":${jsonString(v.ruleSet)},"policy":${jsonString(v.policy)}}`;
  }
  return lastVersionsText;
}

function list<T>(xs: readonly T[], one: (x: T) => string): string {
  const n = xs.length;
  if (n === 0) return '[]';
  let s = `[${one(xs[0]!)}`;
  for (let i = 1; i < n; i++) s += `,${one(xs[i]!)}`;
  return `${s}]`;
}

/** A decision's reasons as JSON text (reasons_json). */
export const reasonsJson = (reasons: readonly Reason[]): string => list(reasons, reasonJson);
/** A decision's rule hits as JSON text (rule_hits_json). */
export const ruleHitsJson = (hits: readonly RuleHit[]): string => list(hits, ruleHitJson);
/** A decision's guardrail effects as JSON text (guardrails_json). */
export const guardrailsJson = (guardrails: readonly GuardrailEffect[]): string => list(guardrails, guardrailJson);
/** A decision's evidence summary (or null) as JSON text (evidence_json). */
export const evidenceJson = (e: EvidenceSummary | null): string => (e === null ? 'null' : evidenceObjectJson(e));

/** One decision as JSON text, byte-identical to JSON.stringify(decision) (see the contract above). */
export function decisionJson(d: Decision): string {
  return (
    `{"loanId":${jsonString(d.loanId)},"asOf":${jsonString(d.asOf)},"horizonDays":${jsonNumber(d.horizonDays)},"pd":${jsonNumber(d.pd)},` +
    `"points":${jsonNumber(d.points)},"band":${jsonString(d.band)},"reasons":${reasonsJson(d.reasons)},"ruleHits":${ruleHitsJson(d.ruleHits)},` +
    `"step":${stepJson(d.step)},"guardrails":${guardrailsJson(d.guardrails)},"evidence":${evidenceJson(d.evidence)},` +
    `"versions":${versionsJson(d.versions)}}`
  );
}
