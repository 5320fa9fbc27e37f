/**
 * `archivist import-archive` and `export-archive` as an operator runs them, against a real
 * PostgreSQL: a folder goes in and comes back out byte for byte (hidden folders left out), and
 * importing it again changes nothing — no new version, so no machine reloads.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/bot/config.js';
import { postgresMissing, useDatabase } from '../helpers/postgres.js';
import { UNSET_SETTINGS } from '../helpers/bot-process.js';

const run = promisify(execFile);
const database = useDatabase();

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', ...UNSET_SETTINGS, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file under `root` (hidden ones too) with its bytes, by relative path. */
async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      out[join(entry.parentPath, entry.name).slice(root.length + 1)] = (await readFile(join(entry.parentPath, entry.name))).toString(
        'base64',
      );
  }
  return out;
}

describe.skipIf(postgresMissing !== undefined)('import-archive / export-archive', () => {
  test('a folder goes in and comes back out byte for byte; the same folder again changes nothing', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'archivist-import-'));
    const data = join(tmp, 'data');
    await mkdir(join(data, 'notes', 'deep'), { recursive: true });
    await mkdir(join(data, '.archivist-trash'), { recursive: true });
    await writeFile(join(data, 'canal.md'), '# Canal\n\nThe canal was finished in spring.\n');
    await writeFile(join(data, 'notes', 'deep', 'bytes.txt'), Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a, 0xff, 0x00, 0x42]));
    await writeFile(join(data, '.archivistignore'), 'drafts/\n');
    await writeFile(join(data, '.archivist-trash', 'old.md'), '# Old\n');
    await writeFile(join(data, '.hidden.md'), '# Hidden\n');
    const env = { DATABASE_URL: database.url() };

    const first = await cli(['import-archive', '--data', data], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`Imported ${data}: 3 files, 3 added, 0 changed, 0 unchanged; the shared archive is at version 1.\n`);
    const again = await cli(['import-archive', '--data', data], env);
    expect(again.stdout).toBe(`Imported ${data}: 3 files, 0 added, 0 changed, 3 unchanged; the shared archive is at version 1.\n`);

    const out = join(tmp, 'out');
    expect((await cli(['export-archive', '--out', out], env)).stdout).toBe(`Exported 3 files to ${out}.\n`);
    const expected = await tree(data);
    delete expected['.archivist-trash/old.md'];
    delete expected['.hidden.md'];
    expect(await tree(out)).toEqual(expected);

    // A changed file is one change, one new version.
    await writeFile(join(data, 'canal.md'), '# Canal\n\nThe canal was finished in summer.\n');
    expect((await cli(['import-archive', '--data', data], env)).stdout).toMatch(
      /0 added, 1 changed, 2 unchanged; the shared archive is at version 2\.$/m,
    );
  }, 300_000);

  test('without DATABASE_URL, or without its folder, each says what is missing', async () => {
    const noUrl = await cli(['export-archive', '--out', tmpdir()], {});
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toMatch(/^archivist: DATABASE_URL is not set/);
    const noData = await cli(['import-archive'], { DATABASE_URL: database.url() });
    expect(noData.code).toBe(2);
    expect(noData.stderr.split('\n')[0]).toBe('archivist: import-archive needs --data DIR: the archive folder to load');
  }, 120_000);
});
