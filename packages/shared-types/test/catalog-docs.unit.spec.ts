import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEventCatalogMarkdown } from '../src/catalog/describe.js';
import { EVENT_CATALOG, EVENT_TYPES, KAFKA_HEADERS, PILLARS } from '../src/index.js';
import { repoRoot } from './support/files.js';

const REGENERATE = 'docs/event-catalog.md is stale: run pnpm --filter @timeline/shared-types catalog:docs';

describe('docs/event-catalog.md', () => {
  const rendered = renderEventCatalogMarkdown();

  it('is the committed document, regenerated from the schemas', () => {
    let committed: string;
    try {
      committed = readFileSync(join(repoRoot(), 'docs', 'event-catalog.md'), 'utf8');
    } catch {
      throw new Error(
        `docs/event-catalog.md is missing: run pnpm --filter @timeline/shared-types catalog:docs`,
      );
    }
    expect(committed === rendered, REGENERATE).toBe(true);
  });

  it('has a table for every type and every version, the pillars and the Kafka headers', () => {
    for (const type of EVENT_TYPES) {
      expect(rendered).toContain(`### ${type}\n`);
      for (const version of Object.keys(EVENT_CATALOG[type].versions))
        expect(rendered).toMatch(new RegExp(`### ${type}\\n[\\s\\S]*#### v${version} `));
    }
    const row = (first: string) => new RegExp(`^\\| \`${first}\` +\\|`, 'm');
    for (const pillar of PILLARS) expect(rendered).toMatch(row(pillar));
    for (const header of Object.values(KAFKA_HEADERS)) expect(rendered).toMatch(row(header));
  });

  it('is deterministic', () => {
    expect(renderEventCatalogMarkdown()).toBe(rendered);
  });
});
