// API keys with scopes. Only sha256 hashes of keys are held (from a keys file, or hashed on load from
// EWS_API_KEYS in development); a request's key is hashed and looked up, so the plain key never lives
// in memory longer than the request header does.
import { hash, randomBytes } from 'node:crypto';
import { z } from 'zod';

export const SCOPES = ['underwriting', 'servicing', 'collector', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  /** A non-secret name for logs and audit (`acknowledgedBy`), never the key itself. */
  readonly id: string;
  readonly scopes: ReadonlySet<Scope>;
}

// One-shot crypto.hash: every authenticated request hashes its key, and a Hash object per call was ~2 % of
// the event loop under single-score load (CPU profile, docs/service.md).
export const hashKey = (key: string): string => hash('sha256', key, 'hex');

export function generateKey(): string {
  return `ews_${randomBytes(24).toString('base64url')}`;
}

export class KeyRing {
  private readonly byHash = new Map<string, Principal>();

  add(sha256: string, scopes: readonly Scope[], id = `key-${sha256.slice(0, 8)}`): void {
    this.byHash.set(sha256.toLowerCase(), { id, scopes: new Set(scopes) });
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The principal a presented key belongs to, or null. */
  lookup(key: string): Principal | null {
    return this.byHash.get(hashKey(key)) ?? null;
  }
}

export function allows(principal: Principal, scope: Scope | 'any'): boolean {
  if (principal.scopes.has('admin')) return true;
  return scope === 'any' ? principal.scopes.size > 0 : principal.scopes.has(scope);
}

function parseScopes(text: string, where: string): Scope[] {
  const scopes = text.split('+').map((s) => s.trim());
  for (const s of scopes) if (!(SCOPES as readonly string[]).includes(s)) throw new Error(`${where}: unknown scope "${s}"; expected ${SCOPES.join(', ')}`);
  return scopes as Scope[];
}

/** EWS_API_KEYS format: `key=scope+scope,key=scope` (development only: keys in plain text). */
export function parseKeySpec(spec: string, ring = new KeyRing()): KeyRing {
  spec.split(',').map((s) => s.trim()).filter((s) => s !== '').forEach((entry, i) => {
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) throw new Error(`EWS_API_KEYS entry ${i + 1}: expected key=scope+scope`);
    ring.add(hashKey(entry.slice(0, eq)), parseScopes(entry.slice(eq + 1), `EWS_API_KEYS entry ${i + 1}`));
  });
  return ring;
}

export const KeysFile = z.array(
  z.strictObject({
    id: z.string().min(1).max(64),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hex digits (sha256 of the key)' }),
    scopes: z.array(z.enum(SCOPES)).min(1),
  }),
);

/** A keys file: JSON array of {id, sha256, scopes}. */
export function parseKeysFile(text: string, ring = new KeyRing()): KeyRing {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`keys file: not JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = KeysFile.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`keys file: ${parsed.error.issues.map((i) => `[${i.path.join('].')}: ${i.message}`).join('; ')}`);
  }
  for (const k of parsed.data) ring.add(k.sha256, k.scopes, k.id);
  return ring;
}
