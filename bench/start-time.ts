/**
 * `npx tsx bench/start-time.ts [runs]`: how long the bot and the CLI take to start, compiled (dist/,
 * plain node, as `npm start` runs it) against the sources under tsx (`npm run dev`, `npm run ask`).
 * Bot: from spawn to its "logged in" line, against the fake Discord on loopback, the bundled archive's
 * saved index warm. CLI: one `ask` from spawn to exit. Runs alternate, so load on the machine hits
 * both alike; medians are printed as a Markdown table. Needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord } from '../testing/fake-discord/server.js';
import { projectRoot } from './paths.js';

const runs = Number(process.argv[2] ?? 5);
if (!existsSync(join(projectRoot, 'dist/src/app/main.js'))) throw new Error('bench/start-time: run `npm run build` first');

const fake = await FakeDiscord.start();
const cacheDirs = { compiled: mkdtempSync(join(tmpdir(), 'start-compiled-')), tsx: mkdtempSync(join(tmpdir(), 'start-tsx-')) };
type Variant = keyof typeof cacheDirs;
const bot: Record<Variant, string[]> = {
  compiled: ['--enable-source-maps', 'dist/src/app/main.js'],
  tsx: ['--import', 'tsx', 'src/app/main.ts'],
};
const cli: Record<Variant, string[]> = {
  compiled: ['--enable-source-maps', 'dist/src/cli/main.js', 'ask', 'Where did Kim Jong Un meet Putin?'],
  tsx: ['--import', 'tsx', 'src/cli/main.ts', 'ask', 'Where did Kim Jong Un meet Putin?'],
};

function timed(args: string[], variant: Variant, until?: RegExp): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: 'data',
      CACHE_DIR: cacheDirs[variant],
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (d) => {
      output += String(d);
      if (until?.test(output)) {
        resolve(performance.now() - started);
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => (until ? reject(new Error(`exited (${code}) before ${until}`)) : resolve(performance.now() - started)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = { bot: { compiled: [] as number[], tsx: [] as number[] }, cli: { compiled: [] as number[], tsx: [] as number[] } };
// One untimed run each first: it writes the saved index every later run reads.
for (const variant of ['compiled', 'tsx'] as const) await timed(cli[variant], variant);
for (let i = 0; i < runs; i++) {
  for (const variant of ['compiled', 'tsx'] as const) {
    results.bot[variant].push(await timed(bot[variant], variant, /"msg":"logged in"/));
    results.cli[variant].push(await timed(cli[variant], variant));
  }
}
await fake.close();
const ms = (x: number) => `${Math.round(x)} ms`;
console.log(`| start (median of ${runs}, bundled archive, index cache warm) | compiled (node dist/) | tsx (sources) |`);
console.log('|---|---|---|');
console.log(`| bot: spawn → logged in (fake Discord) | ${ms(median(results.bot.compiled))} | ${ms(median(results.bot.tsx))} |`);
console.log(`| CLI: one \`ask\`, spawn → exit | ${ms(median(results.cli.compiled))} | ${ms(median(results.cli.tsx))} |`);
