// The workspace's read-only shared/ folder sits beside the checkout (CI lays a copy there too).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  process.env.EWS_SHARED_DIR,
  fileURLToPath(new URL('../../../shared', import.meta.url)),
  '/work/shared',
].filter((d): d is string => d !== undefined && d !== '');

/** Path of a file under shared/, e.g. sharedFile('data/uci-taiwan/UCI_Credit_Card.csv'). */
export function sharedFile(relative: string): string {
  for (const dir of candidates) {
    const path = `${dir}/${relative}`;
    if (existsSync(path)) return path;
  }
  throw new Error(`shared/${relative} not found in ${candidates.join(', ')} (set EWS_SHARED_DIR)`);
}
