/**
 * `npm run bench -- load` (or `npx tsx bench/load.ts`): the bot under load, through the fake Discord.
 *
 * The real bot (bench/load-bot.ts: createBot, the real discord.js client, the real loader) runs in a
 * child process serving the KCNA archive; this process plays Discord (tests/fake-discord) and its
 * users. Each run: 500 /ask interactions at once, then a sustained 50 per second for 60 s with a
 * /reload of the archive half-way through. Every interaction must get its initial response within
 * Discord's 3 s and then its answer. Memory is measured after startup and after each run (after a
 * full garbage collection in the bot), to show that it returns to its baseline across runs.
 *
 *   npm run bench -- load                       3 runs; writes the "## Load" section of docs/benchmarks.md
 *                                               (bench/main.ts hands `load` over to this file)
 *   npm run bench -- load --runs=1 --duration=20 --out=    shorter, print only
 *   options: --burst=N --rate=N --duration=S --runs=N --hostile=PCT --floods=PCT --archive=PATH --out=FILE --uploads
 *
 * The sustained phase mixes in hostile traffic (issue 10): --hostile percent (10) of its interactions
 * are 1,000-character nonsense questions and --floods percent (1) are autocomplete floods; the
 * table's figures are those of the ordinary /ask, which must still get their initial response in 3 s.
 *
 * --uploads: an admin also /uploads the two files that stalled the bot in issue 19's red team, in
 * every sustained phase (at a quarter and three quarters of it): a Markdown file with 90 KB of
 * front matter (many keys, with a title set so the front matter is rewritten) and an 8 MB HTML
 * table. The archive is copied to a temporary folder first (uploads write into it).
 *
 * Every interaction comes from a different user, so the per-user cooldown (3 questions per 15 s)
 * never refuses one: the run measures answering, not refusing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceLoadSection } from './load-section.js';
import { FakeDiscord, MANAGE_GUILD, MEMBER_PERMISSIONS, type RecordedRequest } from '../testing/fake-discord/server.js';
import { PROGRESS_EDIT_PREFIX } from '../testing/fake-discord/answers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEADLINE_MS = 3000;
const ADMIN_ID = '1400000000000000999';

interface Args {
  burst: number;
  /** Percent of the sustained interactions that are 1,000-character nonsense questions. */
  hostile: number;
  /** Percent of the sustained interactions that are autocomplete floods (AUTOCOMPLETE_FLOOD keystrokes at once). */
  floods: number;
  rate: number;
  durationS: number;
  runs: number;
  archive: string;
  out: string | undefined;
  /** Upload the two stall files (issue 19) during each sustained phase, as an admin. */
  uploads: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    burst: 500,
    hostile: 10,
    floods: 1,
    rate: 50,
    durationS: 60,
    runs: 3,
    archive: path.resolve(ROOT, '..', 'shared', 'archive', 'kcna-2024'),
    out: path.join(ROOT, 'docs', 'benchmarks.md'),
    uploads: false,
  };
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    const number = (): number => {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`bench load: ${key} needs a number, got "${value}"`);
      return n;
    };
    if (key === '--burst') args.burst = number();
    else if (key === '--rate') args.rate = number();
    else if (key === '--hostile') args.hostile = number();
    else if (key === '--floods') args.floods = number();
    else if (key === '--duration') args.durationS = number();
    else if (key === '--runs') args.runs = Math.max(1, Math.floor(number()));
    else if (key === '--archive') args.archive = path.resolve(value);
    else if (key === '--out') args.out = value ? path.resolve(value) : undefined;
    else if (key === '--uploads') args.uploads = true;
    else throw new Error(`bench load: unknown option ${arg}`);
  }
  return args;
}

/** Questions a KCNA reader might ask; some match nothing, and one is a trap for the formatter. */
const QUESTIONS = [
  'Where did Kim Jong Un meet Putin?',
  'nuclear-polluted water',
  'Who visited the Vostochny Cosmodrome?',
  'rice harvest in the countryside',
  'new year celebrations in Pyongyang',
  'missile launch',
  'hospital construction',
  'Russian delegation',
  'What did the Foreign Ministry say about Japan?',
  'flood damage recovery',
  'regional development policy',
  "Korean Children's Union",
  'greenhouse farm',
  'solar eclipse',
  'sports competition winners',
  'zebra xylophone',
  '@everyone **who** <@123456789012345678> ```code```',
  'party plenary meeting',
  'anniversary of the founding',
  'Chinese embassy reception',
];

/** Keystrokes in one autocomplete flood: one user typing into /source's document option as fast as Discord sends. */
const AUTOCOMPLETE_FLOOD = 25;

/**
 * A 1,000-character question of words no archive holds (seeded, so every run asks the same): the
 * costliest question for the engine — every word is looked up, and spelling suggestions are sought.
 */
function nonsenseQuestion(seed: number): string {
  let state = seed * 2654435761 + 1;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 26;
  const words: string[] = [];
  let length = 0;
  while (length < 1000) {
    const word = Array.from({ length: 4 + (next() % 8) }, () => String.fromCharCode(97 + next())).join('');
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ').slice(0, 1000);
}

/** The two files that stalled the bot when /upload ran the loader on its thread (issue 19). */
function stallFiles(): Array<{ name: string; bytes: Buffer; options: Record<string, string> }> {
  const keys: string[] = [];
  for (let i = 0, size = 0; size < 90 * 1024; i++) {
    const line = `key${i}: value number ${i}`;
    keys.push(line);
    size += line.length + 1;
  }
  const frontMatter = Buffer.from(`---\n${keys.join('\n')}\n---\n\nA note with a great deal of front matter.\n`);
  const rows: string[] = [];
  for (let i = 0, size = 0; size < 8 * 1024 * 1024; i++) {
    const row = `<tr><td>${i}</td><td>harvest ${i}</td><td>county ${i % 97}</td><td>${(i * 7919) % 100000}</td></tr>`;
    rows.push(row);
    size += row.length;
  }
  const table = Buffer.from(`<html><head><title>Harvest table</title></head><body><table>${rows.join('')}</table></body></html>`);
  return [
    { name: 'front-matter-90kb.md', bytes: frontMatter, options: { title: 'Ninety kilobytes of front matter' } },
    { name: 'table-8mb.html', bytes: table, options: {} },
  ];
}

interface Tracked {
  kind: 'ask' | 'reload' | 'hostile' | 'upload';
  run: number;
  phase: 'burst' | 'sustained';
  dispatchedAt: number;
  initialAt?: number;
  callbackType?: number;
  answerAt?: number;
  content?: string;
}

interface Measure {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  maxRss: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

class Bot {
  readonly process: ChildProcess;
  readonly log: string[] = [];
  private pending: ((m: Measure) => void) | undefined;

  constructor(fake: FakeDiscord, archive: string) {
    this.process = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench', 'load-bot.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? os.tmpdir(),
        DISCORD_TOKEN: fake.token,
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        DATA_DIR: archive,
        ADMIN_USER_IDS: ADMIN_ID,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const collect = (d: Buffer) => this.log.push(...String(d).split('\n').filter(Boolean));
    this.process.stdout!.on('data', collect);
    this.process.stderr!.on('data', collect);
    this.process.on('message', (m: { type?: string } & Measure) => {
      if (m.type === 'measure') this.pending?.(m);
    });
  }

  async ready(): Promise<void> {
    const [message] = (await Promise.race([
      once(this.process, 'message'),
      once(this.process, 'exit').then(() => {
        throw new Error(`the bot exited before it was ready:\n${this.log.join('\n')}`);
      }),
    ])) as [{ type?: string }];
    if (message.type !== 'ready') throw new Error(`unexpected message from the bot: ${JSON.stringify(message)}`);
  }

  measure(): Promise<Measure> {
    return new Promise((resolve) => {
      this.pending = resolve;
      this.process.send({ type: 'measure' });
    });
  }

  /** Resident set size now, from /proc (no garbage collection forced): for the peak during a run. */
  rssNow(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
      const kb = /VmRSS:\s*(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    this.process.send({ type: 'stop' });
    await once(this.process, 'exit');
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface PhaseResult {
  run: number;
  phase: 'burst' | 'sustained';
  interactions: number;
  initial: number[];
  answer: number[];
  late: number;
  unanswered: number;
  wrong: number;
  peakRss: number;
  wallS: number;
}

async function main(): Promise<void> {
  // `npm run bench -- load …` reaches here through bench/main.ts with `load` as the first argument.
  const argv = process.argv.slice(2);
  const args = parseArgs(argv[0] === 'load' ? argv.slice(1) : argv);
  const startedAt = new Date();
  const loadStart = os.loadavg()[0]!;
  const fake = await FakeDiscord.start();
  const tracked = new Map<string, Tracked>();
  const appId = fake.applicationId;

  fake.onRequest((r: RecordedRequest) => {
    if (r.status < 200 || r.status >= 300) return;
    let m = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(r.path);
    if (m && r.method === 'POST') {
      const t = tracked.get(m[1]!);
      if (t && t.initialAt === undefined) {
        t.initialAt = r.at;
        t.callbackType = r.body?.type;
        if (r.body?.type === 4) {
          t.answerAt = r.at;
          t.content = r.body?.data?.content;
        }
      }
      return;
    }
    m = new RegExp(`^/webhooks/${appId}/([^/]+)/messages/@original$`).exec(r.path);
    if (m && r.method === 'PATCH') {
      const t = tracked.get(m[1]!);
      // A long /reload edits its reply with progress first; its answer is the edit that replaces it.
      if (t && t.answerAt === undefined && !String(r.body?.content ?? '').startsWith(PROGRESS_EDIT_PREFIX)) {
        t.answerAt = r.at;
        t.content = r.body?.content;
      }
    }
  });

  let archive = args.archive;
  if (args.uploads) {
    // Uploads write into the archive folder: serve a copy.
    archive = path.join(await mkdtemp(path.join(os.tmpdir(), 'archivist-load-')), 'archive');
    await cp(args.archive, archive, { recursive: true });
  }
  const stall = args.uploads ? stallFiles() : [];
  process.stderr.write(`bench load: starting the bot on ${archive}\n`);
  const bot = new Bot(fake, archive);
  let users = 0n;
  let asked = 0;
  const member = () => ({ user: fake.makeUser(String(1500000000000000000n + ++users), `load${users}`) });

  const askOne = (run: number, phase: Tracked['phase']): void => {
    const question = QUESTIONS[asked++ % QUESTIONS.length]!;
    const dispatchedAt = Date.now();
    const interaction = fake.slashCommand(member(), 'ask', { question });
    tracked.set(interaction.token as string, { kind: 'ask', run, phase, dispatchedAt });
  };

  /** One hostile interaction: a nonsense /ask (answered, but not counted with the ordinary ones) or an autocomplete flood. */
  let hostileSent = 0;
  let floodsSent = 0;
  const hostileOne = (run: number): void => {
    const interaction = fake.slashCommand(member(), 'ask', { question: nonsenseQuestion(++hostileSent) });
    tracked.set(interaction.token as string, { kind: 'hostile', run, phase: 'sustained', dispatchedAt: Date.now() });
  };
  const floodOne = (): void => {
    const typist = member();
    floodsSent++;
    for (let key = 1; key <= AUTOCOMPLETE_FLOOD; key++) fake.autocomplete(typist, 'source', 'document', 'kim jong un visits'.slice(0, key));
  };
  /** The sustained phase's i-th interaction: ordinary, except every 1/hostile% and 1/floods% of them. */
  const sustainedOne = (run: number, i: number): void => {
    if (args.floods > 0 && i % Math.round(100 / args.floods) === Math.round(100 / args.floods) - 1) floodOne();
    else if (args.hostile > 0 && i % Math.round(100 / args.hostile) === Math.round(100 / args.hostile) - 1) hostileOne(run);
    else askOne(run, 'sustained');
  };

  const waitForAnswers = async (run: number, phase: Tracked['phase'], timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    const open = () => [...tracked.values()].filter((t) => t.run === run && t.phase === phase && t.answerAt === undefined).length;
    while (open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };

  let peak = 0;
  const sampler = setInterval(() => {
    const rss = bot.rssNow();
    if (rss !== undefined && rss > peak) peak = rss;
  }, 100);

  const results: PhaseResult[] = [];
  const measures: Array<{ label: string } & Measure> = [];
  const reloads: Array<{ run: number; initialMs?: number; totalMs?: number; content?: string }> = [];
  const uploads: Array<{ run: number; name: string; initialMs?: number; totalMs?: number; content?: string }> = [];

  try {
    await bot.ready();
    // Warm up (first questions compile the hot paths), then the baseline.
    for (let i = 0; i < 20; i++) askOne(0, 'burst');
    await waitForAnswers(0, 'burst', 30_000);
    measures.push({ label: 'baseline (after start and 20 questions)', ...(await bot.measure()) });

    for (let run = 1; run <= args.runs; run++) {
      const summarize = (phase: Tracked['phase'], wallS: number) => {
        const list = [...tracked.values()].filter((t) => t.run === run && t.phase === phase && t.kind === 'ask');
        const initial = list
          .filter((t) => t.initialAt !== undefined)
          .map((t) => t.initialAt! - t.dispatchedAt)
          .sort((a, b) => a - b);
        const answer = list
          .filter((t) => t.answerAt !== undefined)
          .map((t) => t.answerAt! - t.dispatchedAt)
          .sort((a, b) => a - b);
        results.push({
          run,
          phase,
          interactions: list.length,
          initial,
          answer,
          late: list.filter((t) => t.initialAt === undefined || t.initialAt - t.dispatchedAt > DEADLINE_MS).length,
          unanswered: list.filter((t) => t.answerAt === undefined).length,
          // Every answer is a quote or an honest "nothing found", never a refusal or an error.
          wrong: list.filter((t) => t.answerAt !== undefined && !/^(From the archive|I found nothing)/.test(t.content ?? '')).length,
          peakRss: peak,
          wallS,
        });
      };

      process.stderr.write(`bench load: run ${run}/${args.runs}: ${args.burst} at once\n`);
      peak = 0;
      let t0 = performance.now();
      for (let i = 0; i < args.burst; i++) askOne(run, 'burst');
      await waitForAnswers(run, 'burst', 120_000);
      summarize('burst', (performance.now() - t0) / 1000);

      process.stderr.write(`bench load: run ${run}/${args.runs}: ${args.rate}/s for ${args.durationS} s with a /reload half-way\n`);
      peak = 0;
      const total = Math.round(args.rate * args.durationS);
      t0 = performance.now();
      let sent = 0;
      let reloadToken: string | undefined;
      let uploadsSent = 0;
      const uploadTokens: Array<{ token: string; name: string }> = [];
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const elapsed = (performance.now() - t0) / 1000;
          const due = Math.min(total, Math.floor(elapsed * args.rate));
          while (sent < due) {
            sustainedOne(run, sent);
            sent++;
          }
          const uploadDue = stall.length ? Math.min(stall.length, Math.floor((elapsed / args.durationS) * 2 + 0.5)) : 0;
          while (uploadsSent < uploadDue) {
            const file = stall[uploadsSent++]!;
            const admin = { user: fake.makeUser(ADMIN_ID, 'load-admin'), permissions: String(BigInt(MEMBER_PERMISSIONS) | MANAGE_GUILD) };
            const attachment = fake.addAttachment(file.name, file.bytes);
            const interaction = fake.slashCommand(admin, 'upload', { file: attachment, ...file.options });
            uploadTokens.push({ token: interaction.token as string, name: file.name });
            tracked.set(interaction.token as string, { kind: 'upload', run, phase: 'sustained', dispatchedAt: Date.now() });
          }
          if (!reloadToken && elapsed >= args.durationS / 2) {
            const admin = { user: fake.makeUser(ADMIN_ID, 'load-admin'), permissions: String(BigInt(MEMBER_PERMISSIONS) | MANAGE_GUILD) };
            const interaction = fake.slashCommand(admin, 'reload');
            reloadToken = interaction.token as string;
            tracked.set(reloadToken, { kind: 'reload', run, phase: 'sustained', dispatchedAt: Date.now() });
          }
          if (sent >= total && elapsed >= args.durationS) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      });
      await waitForAnswers(run, 'sustained', 120_000);
      summarize('sustained', (performance.now() - t0) / 1000);
      const reload = reloadToken ? tracked.get(reloadToken) : undefined;
      reloads.push({
        run,
        ...(reload?.initialAt !== undefined ? { initialMs: reload.initialAt - reload.dispatchedAt } : {}),
        ...(reload?.answerAt !== undefined ? { totalMs: reload.answerAt - reload.dispatchedAt } : {}),
        ...(reload?.content !== undefined ? { content: reload.content } : {}),
      });
      for (const { token, name } of uploadTokens) {
        const t = tracked.get(token);
        uploads.push({
          run,
          name,
          ...(t?.initialAt !== undefined ? { initialMs: t.initialAt - t.dispatchedAt } : {}),
          ...(t?.answerAt !== undefined ? { totalMs: t.answerAt - t.dispatchedAt } : {}),
          ...(t?.content !== undefined ? { content: t.content } : {}),
        });
      }
      measures.push({ label: `after run ${run}`, ...(await bot.measure()) });
    }
  } finally {
    clearInterval(sampler);
    await bot.stop().catch(() => {});
    await fake.close();
  }

  const errorLines = bot.log.filter((l) => l.includes('"level":"error"'));
  if (errorLines.length) process.stderr.write(`bench load: the bot logged errors; the first:\n${errorLines.slice(0, 3).join('\n')}\n`);
  const hostileList = [...tracked.values()].filter((t) => t.kind === 'hostile');
  const hostile = {
    sent: hostileList.length,
    answered: hostileList.filter((t) => t.answerAt !== undefined).length,
    late: hostileList.filter((t) => t.initialAt === undefined || t.initialAt - t.dispatchedAt > DEADLINE_MS).length,
    floods: floodsSent,
  };
  const report = render(args, results, measures, reloads, uploads, bot.log, {
    hostile,
    startedAt,
    loadStart,
    loadEnd: os.loadavg()[0]!,
    sentRequests: fake.requests.length,
  });
  process.stdout.write(`${report}\n`);
  if (args.out) {
    await writeSection(args.out, report);
    process.stderr.write(`bench load: wrote the "## Load" section of ${path.relative(ROOT, args.out)}\n`);
  }
  const failed = results.some((r) => r.late || r.unanswered || r.wrong) || reloads.some((r) => !r.content?.startsWith('**Reloaded**'));
  if (failed) {
    process.stderr.write('bench load: FAILED: some interactions were late, unanswered or wrong, or the reload failed (see the report)\n');
    process.exitCode = 1;
  }
}

const ms = (n: number): string => (Number.isFinite(n) ? `${Math.round(n)} ms` : '–');
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

function render(
  args: Args,
  results: PhaseResult[],
  measures: Array<{ label: string } & Measure>,
  reloads: Array<{ run: number; initialMs?: number; totalMs?: number; content?: string }>,
  uploads: Array<{ run: number; name: string; initialMs?: number; totalMs?: number; content?: string }>,
  log: string[],
  info: {
    hostile: { sent: number; answered: number; late: number; floods: number };
    startedAt: Date;
    loadStart: number;
    loadEnd: number;
    sentRequests: number;
  },
): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const lines: string[] = [];
  lines.push('## Load');
  lines.push('');
  lines.push(
    `Measured ${info.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench -- load\`` +
      `${args.burst !== 500 || args.rate !== 50 || args.durationS !== 60 || args.runs !== 3 || args.hostile !== 10 || args.floods !== 1 ? ` (--burst=${args.burst} --rate=${args.rate} --duration=${args.durationS} --runs=${args.runs} --hostile=${args.hostile} --floods=${args.floods})` : ''}: ` +
      `the real bot (its own process, the real discord.js client and loader) serving the KCNA archive, driven through the fake Discord on loopback.`,
  );
  lines.push(
    `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}. ` +
      `Load average (1 min) at start / end: ${info.loadStart.toFixed(2)} / ${info.loadEnd.toFixed(2)}${info.loadStart > 1 ? ' — other work shared the cores' : ''}. ` +
      `The fake Discord and the simulated users run in the measuring process, on the same cores as the bot.`,
  );
  lines.push('');
  lines.push(
    `Each run: ${args.burst} \`/ask\` at once, then ${args.rate} per second for ${args.durationS} s with a \`/reload\` of the archive at ${args.durationS / 2} s; every interaction from a different user (the per-user cooldown never refuses one). ` +
      `Times are from the moment the fake Discord dispatched the interaction to the bot's initial response (Discord wants one within 3 s: the answer itself, or a deferral) and to its answer.`,
  );
  if (args.hostile || args.floods) {
    const { sent, answered, late, floods } = info.hostile;
    lines.push('');
    lines.push(
      `Hostile mix in the sustained phase: ${args.hostile}% of its interactions are 1,000-character nonsense questions (every word unknown to the archive, so each is looked up and spelling suggestions are sought) ` +
        `and ${args.floods}% are autocomplete floods (${AUTOCOMPLETE_FLOOD} keystrokes at once into \`/source\`'s document option). The table counts only the ordinary \`/ask\`; ` +
        `of the ${sent} nonsense questions, ${answered} were answered and ${late} missed the 3 s initial response; ${floods} floods (${floods * AUTOCOMPLETE_FLOOD} autocompletes) were sent.`,
    );
  }
  lines.push('');
  lines.push(
    '| run | phase | interactions | initial p50 | p95 | p99 | max | answer p50 | p95 | p99 | max | over 3 s | unanswered | peak RSS |',
  );
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const row = [
      r.run,
      r.phase === 'burst' ? `${args.burst} at once` : `${args.rate}/s, ${args.durationS} s, /reload`,
      r.interactions,
      ms(percentile(r.initial, 50)),
      ms(percentile(r.initial, 95)),
      ms(percentile(r.initial, 99)),
      ms(r.initial.at(-1) ?? NaN),
      ms(percentile(r.answer, 50)),
      ms(percentile(r.answer, 95)),
      ms(percentile(r.answer, 99)),
      ms(r.answer.at(-1) ?? NaN),
      r.late,
      r.unanswered + (r.wrong ? ` (+${r.wrong} wrong)` : ''),
      mb(r.peakRss),
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('');
  lines.push('The reload in each run:');
  lines.push('');
  for (const r of reloads) {
    const first = r.content?.split('\n')[0] ?? 'no report';
    lines.push(
      `- run ${r.run}: deferred after ${ms(r.initialMs ?? NaN)}, report after ${ms(r.totalMs ?? NaN)}: ${first.replace(/\*\*/g, '')}`,
    );
  }
  if (uploads.length) {
    const maxAsk = Math.max(...results.filter((r) => r.phase === 'sustained').map((r) => r.initial.at(-1) ?? NaN));
    lines.push('');
    lines.push(
      `The stall files uploaded by an admin during each sustained phase (--uploads); the longest initial response of an ordinary /ask in those phases: ${ms(maxAsk)}.`,
    );
    lines.push('');
    for (const u of uploads) {
      const first = u.content?.split('\n')[0] ?? 'no report';
      lines.push(
        `- run ${u.run}, ${u.name}: deferred after ${ms(u.initialMs ?? NaN)}, report after ${ms(u.totalMs ?? NaN)}: ${first.replace(/\*\*/g, '')}`,
      );
    }
  }
  lines.push('');
  lines.push(
    'Memory of the bot process, each after a full garbage collection (heap = V8 heap in use; RSS = resident set); the event-loop delay is the longest stall since the previous line:',
  );
  lines.push('');
  lines.push('| when | heap used | external (typed arrays, buffers) | RSS | peak RSS so far | longest event-loop stall |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const m of measures)
    lines.push(`| ${m.label} | ${mb(m.heapUsed)} | ${mb(m.external)} | ${mb(m.rss)} | ${mb(m.maxRss)} | ${ms(m.loopDelayMaxMs)} |`);
  const base = measures[0];
  const first = measures[1];
  const last = measures.at(-1);
  lines.push('');
  if (base && first && last && measures.length > 2) {
    lines.push(
      `Heap after the last run vs after the first: ${signedMb(last.heapUsed - first.heapUsed)}; vs the baseline: ${signedMb(last.heapUsed - base.heapUsed)} ` +
        `(the first run's reload replaces the archive with a freshly built one, and discord.js caches fill to their bounds).`,
    );
  }
  lines.push('');
  lines.push(LOAD_NOTES);
  lines.push('');
  const errors = log.filter((l) => l.includes('"level":"error"')).length;
  const warnings = log.filter((l) => l.includes('"level":"warn"')).length;
  const kinds = [
    ...new Set(
      log
        .filter((l) => l.includes('"level":"warn"') || l.includes('"level":"error"'))
        .map((l) => /"msg":"([^"]*)"/.exec(l)?.[1] ?? l.slice(0, 60)),
    ),
  ];
  lines.push(
    `The bot logged ${errors} errors and ${warnings} warnings${kinds.length ? ` (${kinds.map((k) => `“${k}”`).join(', ')})` : ''}; the fake Discord served ${info.sentRequests} REST requests.`,
  );
  return lines.join('\n');
}

/** What the figures mean; the same every run, so it lives here and not in the file by hand. */
const LOAD_NOTES = [
  'How to read them: `/ask` answers in its one interaction response (a search takes about a millisecond) unless the interaction',
  'reached the bot over 1 s after Discord created it; then it defers first and edits the answer in, because the edit of a deferred',
  "reply waits in discord.js's global queue of 50 requests a second (interaction responses do not), which is what made a burst's",
  'last answers wait ~10 s when every `/ask` deferred. A reload builds the new index in a worker thread (`src/archive/worker/`), so',
  'questions keep being answered while it runs; the main thread only receives the finished index and swaps it in (its copy between',
  'threads is the longest remaining stall), and a reload past `RELOAD_TIMEOUT_S` is stopped. The first burst after start-up is the slowest (code paths and',
  'connections still cold). Timings on this shared 2-core machine vary by a factor of two or more from run to run.',
].join(' ');

function signedMb(bytes: number): string {
  const value = bytes / 1024 / 1024;
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} MB`;
}

/** Replaces (or adds) the "## Load" section of the file, leaving every other section as it is. */
async function writeSection(file: string, section: string): Promise<void> {
  const text = replaceLoadSection(await readFile(file, 'utf8').catch(() => '# Benchmarks\n'), section);
  // A temporary name, then a rename: an interrupted run never leaves the file half-written.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

await main();
