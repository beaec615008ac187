import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, renderSchema } from '../../../src/domain/history/json-schema.js';

describe('committed JSON Schema files', () => {
  for (const [name, doc] of Object.entries(jsonSchemas())) {
    it(`schemas/${name}.schema.json matches the zod contract (regenerate with: npx ews schema)`, () => {
      const committed = readFileSync(new URL(`../../../schemas/${name}.schema.json`, import.meta.url), 'utf8');
      expect(committed).toBe(renderSchema(doc));
    });
  }
});
