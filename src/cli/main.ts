#!/usr/bin/env node
/**
 * The command line: a second face on the engine, and the contract scripts use. Installed as the
 * `archivist` bin (compiled: dist/src/cli/main.js); `npm run ask` / `npm run cli` run the sources.
 *
 *   ask    [--data PATH] [--limit N] [--json] [--batch] [--from D] [--to D] [--source S] "question"
 *   search [same options as ask] "topic"   (a topic search, ranked as /search ranks: the keyword profile)
 *   index [--data PATH]
 *   feedback [--data PATH] [--db FILE] [--export FILE]
 *
 * Exit codes: 0 success (no results is a success), 2 usage error, 1 archive cannot be loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import type { SearchOptions, SearchResponse } from '../archive/index.js';
import { PROJECT_ROOT, readSetting } from '../settings/index.js';
import type { FeedbackStore } from '../feedback/store.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** The engine, imported once a command needs it: `--version` and usage errors answer without loading it. */
type Engine = typeof import('../archive/index.js');

const USAGE = `Usage:
  archivist ask [--data PATH] [--limit N] [--json] [--batch] [--from DATE] [--to DATE] [--source NAME] "question"
  archivist search [--data PATH] [--limit N] [--json] [--batch] [--from DATE] [--to DATE] [--source NAME] "topic"
  archivist index [--data PATH]
  archivist feedback [--data PATH] [--db FILE] [--export FILE]
  archivist import-archive --data DIR | export-archive --out DIR   (with DATABASE_URL)
  archivist --help | --version
From a clone: npm run ask -- "question", npm run -s cli -- <command> [options].`;

const help = (maxLimit: number): string => `archivist — answer questions about a document archive with verbatim quotes and their sources.

${USAGE}

Commands:
  ask "question"    the best passages for the question, quoted, with their sources
  search "topic"    passages about a topic, ranked as /search ranks (keyword profile); the same output as ask
  index             what loads: documents, passages, terms, skipped files, cache use, timings
  feedback          how the bot's answers were rated (👍/👎): answers rated, share helpful, worst questions
  import-archive    load the folder --data DIR into the archive several machines share (DATABASE_URL);
                    the same folder again changes nothing
  export-archive    write the shared archive's files into --out DIR, byte for byte

Options:
  --data PATH       archive folder (read recursively) or single file
                    (default: DATA_DIR from the environment or .env, else the bundled data/)
  --limit N         results to return, 1-${maxLimit} (default: 3)
  --json            print one JSON object: {"query", "results": [{"docId", "title", "source", "date",
                    "url", "passage", "score", "excerpt", "text", "highlights", "missing"}], "total",
                    "emptyReason"?, "suggestions"?, "corrections"?, "phrasesRelaxed"?}; a result may add
                    "section" and "duplicates"; absent metadata is null
  --batch           read one question per line from standard input; answer each in order
                    (with --json, one object per line)
  --from DATE       only documents dated on or after DATE: YYYY, YYYY-MM or YYYY-MM-DD
  --to DATE         only documents dated on or before DATE (undated documents are left out by either)
  --source NAME     only documents from this source (case-insensitive)
  --db FILE         (feedback) the votes database (default: FEEDBACK_DB, else in the archive folder)
  --export FILE     (feedback) write the 👎 questions as a question set the benchmark reads
  --out DIR         (export-archive) the folder to write the shared archive's files into
  -h, --help        print this help and exit
  -v, --version     print the version and exit

Environment (also read from .env in the project folder):
  DATA_DIR          the default archive (relative paths from the project folder)
  CACHE_DIR         where the on-disk index is kept (default: .archivist-cache/ beside the archive)
  FEEDBACK_DB       the bot's votes database (default: .archivist-feedback.sqlite in CACHE_DIR when set, else in the archive folder)
  DATABASE_URL      PostgreSQL shared by several machines: feedback reads the votes there (unless --db)

Exit codes:
  0  success (an answer with no results is a success)
  1  the archive cannot be loaded
  2  usage error (unknown option or command, bad value, empty question)`;

/** A mistake in how the command was called: exit code 2 with a one-line message. */
class UsageError extends Error {}

const OPTIONS = {
  data: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  batch: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  source: { type: 'string' },
  db: { type: 'string' },
  export: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The version in package.json (the project folder's, compiled or not). */
function version(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...words] = positionals;
  if (values.help) {
    const { MAX_LIMIT } = await import('../archive/index.js');
    process.stdout.write(`${help(MAX_LIMIT)}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (command === 'import-archive' || command === 'export-archive') return sharedArchive(command, values);
  if (command !== 'ask' && command !== 'search' && command !== 'index' && command !== 'feedback') {
    throw new UsageError(
      command
        ? `unknown command "${command}" (expected ask, search, index or feedback)`
        : 'missing command (ask, search, index or feedback)',
    );
  }
  if (command === 'feedback') return feedback(values);

  const engine = await import('../archive/index.js');
  const { answerText, filterNote, formatIndexReport } = await import('./format.js');
  // `search` ranks a topic as /search does; its output has the same shape as `ask`'s.
  const search: SearchOptions =
    command === 'index' ? {} : { ...searchOptionsFrom(engine, values), ...(command === 'search' ? { profile: 'keyword' } : {}) };
  const question = words.join(' ');
  if (command !== 'index' && !values.batch && !question.trim()) {
    throw new UsageError(
      command === 'search'
        ? 'the topic is empty: npm run -s cli -- search "your topic"'
        : 'the question is empty: npm run ask -- "your question"',
    );
  }

  // `index` lists cache warnings in its report; `ask` leaves them on stderr.
  const archive = await engine.Archive.load(values.data ?? readSetting(process.env, 'dataDir'), {
    cacheDir: readSetting(process.env, 'cacheDir'),
    ...(command === 'index' ? { onCacheWarning: () => undefined } : {}),
  });
  if (command === 'index') {
    process.stdout.write(formatIndexReport(archive));
    return 0;
  }
  const empty = engine.emptyArchiveReason(archive);
  if (empty) process.stderr.write(`archivist: the archive ${archive.root} is empty: ${empty}\n`);

  const answer = (text: string): SearchResponse => archive.search(text, search);
  const note = filterNote(archive, search);
  const { toJsonAnswer } = await import('./json.js');
  if (values.batch) {
    const { createInterface } = await import('node:readline');
    const { answerLines } = await import('./batch.js');
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    await answerLines(lines, process.stdout, (line) => {
      const text = line.trim();
      if (values.json) {
        return JSON.stringify(text ? toJsonAnswer(answer(text)) : { query: text, results: [], error: 'empty question' });
      }
      return text ? answerText(answer(text), note) : undefined;
    });
    return 0;
  }
  const response = answer(question);
  process.stdout.write(values.json ? `${JSON.stringify(toJsonAnswer(response))}\n` : `${answerText(response, note)}\n`);
  return 0;
}

/** `import-archive` / `export-archive`: a folder into the shared archive (PostgreSQL) and back. */
async function sharedArchive(command: 'import-archive' | 'export-archive', values: { data?: string; out?: string }): Promise<number> {
  const { exportArchive, importArchive } = await import('./shared-archive.js');
  if (command === 'import-archive') {
    if (!values.data) throw new UsageError('import-archive needs --data DIR: the archive folder to load');
    process.stdout.write(await importArchive(resolve(values.data)));
  } else {
    if (!values.out) throw new UsageError('export-archive needs --out DIR: the folder to write the files into');
    process.stdout.write(await exportArchive(resolve(values.out)));
  }
  return 0;
}

/** `feedback`: how answers were received, and optionally the 👎 questions as a question set. */
async function feedback(values: { data?: string; db?: string; export?: string }): Promise<number> {
  // Imported here: better-sqlite3 (and pg) are needed by this command only, not by every ask's start.
  const { defaultFeedbackPath, SqliteFeedbackStore, toQuestionSet } = await import('../feedback/store.js');
  const { formatFeedbackReport } = await import('./format.js');
  const databaseUrl = readSetting(process.env, 'databaseUrl');
  let store: FeedbackStore;
  let path: string;
  if (databaseUrl && !values.db) {
    // The votes every machine shares (the bot keeps them there when DATABASE_URL is set).
    const { PostgresFeedbackStore } = await import('../feedback/postgres.js');
    path = 'PostgreSQL (DATABASE_URL)';
    const shared = new PostgresFeedbackStore(databaseUrl);
    try {
      await shared.init();
    } catch (error) {
      await shared.close();
      throw new Error(`cannot reach the feedback database in DATABASE_URL: ${(error as Error).message}`, { cause: error });
    }
    store = shared;
  } else {
    path =
      (values.db ? resolve(PROJECT_ROOT, values.db) : readSetting(process.env, 'feedbackDb')) ??
      defaultFeedbackPath(values.data ?? readSetting(process.env, 'dataDir'), readSetting(process.env, 'cacheDir'));
    try {
      store = await SqliteFeedbackStore.openReadOnly(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' || (code === 'SQLITE_CANTOPEN' && !existsSync(path))) {
        throw new Error(
          `no votes database at ${path}: the bot creates it when it first shows an answer with 👍/👎 buttons (set FEEDBACK_DB or --db to read another)`,
          { cause: error },
        );
      }
      throw new Error(`cannot read the votes database ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    process.stdout.write(formatFeedbackReport(await store.report(), path));
    if (values.export) {
      const questions = await store.unhelpfulQuestions();
      await writeFile(values.export, `${JSON.stringify(toQuestionSet(questions), null, 2)}\n`);
      process.stdout.write(`Exported ${questions.length} 👎 question${questions.length === 1 ? '' : 's'} to ${values.export}\n`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

function searchOptionsFrom(
  { MAX_LIMIT, parseDateBound, FilterError }: Engine,
  values: { limit?: string; from?: string; to?: string; source?: string },
): SearchOptions {
  const options: SearchOptions = {};
  if (values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, not "${values.limit}"`);
    }
    options.limit = limit;
  }
  try {
    // Validate here so a bad date is a usage error (exit 2), not a failure of the archive.
    if (values.from) parseDateBound(values.from, 'from');
    if (values.to) parseDateBound(values.to, 'to');
  } catch (error) {
    if (error instanceof FilterError) throw new UsageError(error.message);
    throw error;
  }
  if (values.from) options.from = values.from;
  if (values.to) options.to = values.to;
  if (values.source) options.source = values.source;
  return options;
}

dotenv.config({ path: `${PROJECT_ROOT}/.env`, quiet: true });
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`archivist: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`archivist: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
