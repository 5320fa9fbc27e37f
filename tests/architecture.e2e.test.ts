/**
 * The import rules fail on a forbidden import: dependency-cruiser runs with the project's own
 * rules over tests/fixtures/lint, a small tree that breaks each rule (and keeps allowed imports
 * beside them), and must report exactly those breaks.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/lint');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

test('every layering rule fires on the fixture, and nothing else does', async () => {
  const depcruise = path.join(ROOT, 'node_modules/.bin/depcruise');
  const args = ['src', 'commands', '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'];
  // depcruise exits non-zero when it finds violations; the report is on stdout either way.
  const { stdout } = await promisify(execFile)(depcruise, args, { cwd: FIXTURE, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout: string }) => error,
  );
  const violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  const found = violations.map((v) => `${v.rule.name}: ${v.from}`).sort();
  expect(found).toEqual(
    [
      'cli-and-bot-apart: src/cli/imports-bot.ts',
      'engine-knows-no-discord: src/archive/imports-discord.ts',
      'engine-layers: src/archive/postings/imports-pipeline.ts',
      'engine-no-folder-cycle: src/archive/newa',
      'engine-no-folder-cycle: src/archive/newb',
      'engine-through-its-entry: src/bot/past-entry.ts',
      'layers: commands/imports-app.ts',
      'layers: src/archive/imports-bot.ts',
      'layers: src/bot/imports-commands.ts',
      'layers: src/discord/imports-bot.ts',
      'layers: src/feedback/imports-discord.ts',
      'no-circular: src/bot/cycle-a.ts',
      'only-analysis-imports-wink: src/archive/load/imports-wink.ts',
      'wings-through-their-entry: commands/past-wing-entry.ts',
      'wings-through-their-entry: src/bot/admin/past-wing-entry.ts',
    ].sort(),
  );
});
