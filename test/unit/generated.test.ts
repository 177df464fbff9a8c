// The committed wiring must be what services/generate.ts makes from the topology.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAll } from '../../services/generate.ts';

const root = join(import.meta.dirname, '../..');

describe('generated mesh files', () => {
  for (const [file, text] of Object.entries(renderAll())) {
    it(`${file} is up to date (else run npm run mesh:generate)`, () => {
      expect(readFileSync(join(root, file), 'utf8')).toBe(text);
    });
  }
});
