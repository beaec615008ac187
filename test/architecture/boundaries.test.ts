// The import rules of eslint.config.js are the architecture (STYLE.md); check that they bite.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('import boundaries', () => {
  it('domain may not import adapters, frameworks or I/O', async () => {
    expect(await restrictedImports('src/domain/features/x.ts', "import { a } from '../../model/artefact.js';\nexport const b = a;\n")).toBe(1);
    expect(await restrictedImports('src/domain/rules/x.ts', "import fastify from 'fastify';\nexport const b = fastify;\n")).toBe(1);
    expect(await restrictedImports('src/domain/rules/x.ts', "import { readFileSync } from 'node:fs';\nexport const b = readFileSync;\n")).toBe(1);
    expect(await restrictedImports('src/domain/rules/x.ts', "import { buildLedger } from '../history/ledger.js';\nexport const b = buildLedger;\n")).toBe(0);
  });

  it('scoring sees domain and its ports, not adapters', async () => {
    expect(await restrictedImports('src/scoring/x.ts', "import { db } from '../store/sqlite.js';\nexport const b = db;\n")).toBe(1);
    expect(await restrictedImports('src/scoring/x.ts', "import type { RiskModel } from './ports.js';\nexport type B = RiskModel;\n")).toBe(0);
  });

  it('adapters do not reach into each other', async () => {
    expect(await restrictedImports('src/http/x.ts', "import { open } from '../store/sqlite.js';\nexport const b = open;\n")).toBe(1);
    expect(await restrictedImports('src/store/x.ts', "import { app } from '../http/app.js';\nexport const b = app;\n")).toBe(1);
    expect(await restrictedImports('src/batch/x.ts', "import { app } from '../http/app.js';\nexport const b = app;\n")).toBe(1);
  });
});
