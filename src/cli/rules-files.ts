// Reading the versioned rule-set and policy files (config/rules, config/policy): the file I/O around
// the pure parsers, so that a bad file fails naming the file, the rule and the path at fault.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parsePolicy, type Policy } from '../domain/decision/policy.js';
import { parseRuleSet, type RuleSetOptions } from '../domain/rules/load.js';
import type { RuleSet } from '../domain/rules/schema.js';

/** The shipped defaults, resolved from the package root (works from src/ and dist/). */
export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../../config/rules/default.json', import.meta.url));
export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../../config/policy/default.json', import.meta.url));

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
}

export async function readRuleSet(file: string = DEFAULT_RULES_FILE, options: RuleSetOptions = {}): Promise<RuleSet> {
  return parseRuleSet(await readJson(file, 'rule set'), file, options);
}

export async function readPolicy(file: string = DEFAULT_POLICY_FILE): Promise<Policy> {
  return parsePolicy(await readJson(file, 'policy'), file);
}
