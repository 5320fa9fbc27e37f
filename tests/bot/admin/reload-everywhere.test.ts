import { expect, test } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { ArchiveHolder, type LoadArchive } from '../../../src/bot/holder.js';
import { reloadAfterChange, reloadEverywhere } from '../../../src/bot/admin/reload-everywhere.js';
import { createLogger } from '../../../src/discord/logger.js';

const logger = createLogger({ level: 'error', format: 'json', write: () => {} });
const documents = [{ id: 'a', title: 'A', text: 'Some text about sluice gates.', file: 'a.md' }];

test('after a change, a reload that only joined one already running is followed by a fresh one', async () => {
  let loads = 0;
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const load: LoadArchive = async (path) => {
    loads++;
    if (loads === 2) await gate; // the reload that was running before the change
    return Archive.fromDocuments(documents, {}, path);
  };
  const holder = new ArchiveHolder('/archive', logger, load);
  await holder.init();
  const earlier = holder.reload();
  const joinedOnly = reloadEverywhere({ archive: holder });
  const afterChange = reloadAfterChange({ archive: holder });
  release();
  await earlier;
  expect((await joinedOnly).report.joined).toBe(true);
  const result = await afterChange;
  expect(result.report.joined).toBe(false);
  expect(loads).toBe(3);
});
