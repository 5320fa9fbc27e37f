/**
 * The settings table is the one declaration of every setting: `.env.example` lists exactly its
 * names, and README's settings table is its rows (name, values, default, what it does), so neither
 * can drift from what the bot, the CLI and the preparation child read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT, readSetting, readSettings, SETTINGS, SettingsError } from '../../src/settings/index.js';

const read = (file: string) => readFileSync(`${PROJECT_ROOT}/${file}`, 'utf8');

/** README's row for a setting, as the table declares it. */
function readmeRow(setting: { name: string; values: string; default: string; doc: string }): string {
  return `| \`${setting.name}\` | ${setting.values} | ${setting.default} | ${setting.doc} |`;
}

describe('the settings table', () => {
  test('.env.example lists exactly the settings of the table, each once', () => {
    const names = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...names].sort()).toEqual(SETTINGS.map((s) => s.name).sort());
  });

  test("README's settings table is the table's rows, in its order", () => {
    const readme = read('README.md').split('\n');
    const start = readme.indexOf('| setting | values | default | what it does |');
    expect(start, 'README has the settings table').toBeGreaterThan(-1);
    const after = readme.slice(start + 2);
    const rows = after.slice(
      0,
      after.findIndex((line) => !line.startsWith('|')),
    );
    expect(rows.join('\n')).toBe(SETTINGS.map(readmeRow).join('\n'));
  });

  test('names are unique, and so are keys', () => {
    expect(new Set(SETTINGS.map((s) => s.name)).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((s) => s.key)).size).toBe(SETTINGS.length);
  });

  test('an unset or empty setting takes its default; a set one is read from the project folder', () => {
    const { settings, problems } = readSettings({ DATA_DIR: '  ', CACHE_DIR: 'cache' }, { root: '/srv/archivist' });
    expect(problems).toEqual([]);
    expect(settings.dataDir).toBe('/srv/archivist/data');
    expect(settings.cacheDir).toBe('/srv/archivist/cache');
    expect(settings.feedbackDb).toBeUndefined();
  });

  test('readSetting reads one setting, and names what is wrong with it', () => {
    expect(readSetting({ CACHE_DIR: '/var/cache/archivist' }, 'cacheDir')).toBe('/var/cache/archivist');
    expect(() => readSetting({ HEALTH_PORT: 'http' }, 'healthPort')).toThrow(SettingsError);
    expect(() => readSetting({ HEALTH_PORT: 'http' }, 'healthPort')).toThrow(
      'HEALTH_PORT must be a port number from 0 to 65535 (0: any free port), got "http".',
    );
  });
});
