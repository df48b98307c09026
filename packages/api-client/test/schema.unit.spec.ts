import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'api-client-schema-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the generated schema', () => {
  it('is what openapi-typescript makes of docs/openapi.json now (pnpm openapi regenerates it)', () => {
    const fresh = join(scratch, 'schema.ts');
    execFileSync(
      join(PACKAGE, 'node_modules/.bin/openapi-typescript'),
      [join(PACKAGE, '../../docs/openapi.json'), '--output', fresh],
      { stdio: 'pipe' },
    );
    const committed = readFileSync(join(PACKAGE, 'src/schema.ts'), 'utf8');
    expect(committed === readFileSync(fresh, 'utf8'), 'src/schema.ts is stale: run `pnpm openapi`').toBe(
      true,
    );
  });
});
