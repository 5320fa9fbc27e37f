/**
 * The votes store's contract, run against both implementations: the SQLite file (the default) and
 * PostgreSQL (DATABASE_URL, a real server: see tests/helpers/postgres.ts). Then what only one of
 * them promises: the SQLite file survives a restart with its own salt; PostgreSQL shares one salt
 * between machines, so a vote through another machine replaces the first.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { loadKcnaQuestions } from '../../bench/eval/kcna-own.js';
import { PostgresFeedbackStore } from '../../src/feedback/postgres.js';
import { SqliteFeedbackStore, toQuestionSet, type FeedbackStore } from '../../src/feedback/store.js';
import { postgresMissing, useDatabase } from '../helpers/postgres.js';

const ALICE = '1400000000000005001';
const BOB = '1400000000000005002';

async function tempDb(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'archivist-feedback-')), 'feedback.sqlite');
}

const database = useDatabase();

/** A new, empty store of each kind. */
const kinds: Array<[string, () => Promise<FeedbackStore>]> = [
  ['SQLite', async () => SqliteFeedbackStore.open(await tempDb())],
  ['PostgreSQL', async () => new PostgresFeedbackStore(await database.another())],
];

describe.each(kinds)('FeedbackStore contract: %s', (kind, open) => {
  test.skipIf(kind === 'PostgreSQL' && postgresMissing !== undefined)(
    'a second vote by the same person replaces the first; unknown answers are told apart',
    async () => {
      const store = await open();
      const answer = store.recordAnswer('where is the reservoir?', [{ document: 'notes/a.md', passage: 2 }]);
      expect(await store.vote(answer, ALICE, true)).toBe('recorded');
      expect(await store.report()).toMatchObject({ answersRated: 1, votes: 1, helpful: 1, unhelpful: 0, helpfulShare: 1 });
      expect(await store.vote(answer, ALICE, false)).toBe('replaced');
      expect(await store.vote(answer, BOB, false)).toBe('recorded');
      expect(await store.vote('no-such-answer', BOB, false)).toBe('unknown-answer');
      const report = await store.report();
      expect(report).toMatchObject({ answersRated: 1, votes: 2, helpful: 0, unhelpful: 2, helpfulShare: 0 });
      expect(report.worst).toEqual([
        { question: 'where is the reservoir?', up: 0, down: 2, passages: [{ document: 'notes/a.md', passage: 2 }] },
      ]);
      await store.close();
    },
  );

  test.skipIf(kind === 'PostgreSQL' && postgresMissing !== undefined)('the votes window: only votes since a date count', async () => {
    const store = await open();
    expect(await store.report()).toMatchObject({ votes: 0, helpfulShare: undefined, worst: [] });
    const old = store.recordAnswer('old question', [], Date.parse('2020-01-01'));
    await store.vote(old, ALICE, false, Date.parse('2020-01-02'));
    await store.vote(store.recordAnswer('new question', []), ALICE, true);
    expect(await store.report({ since: new Date(Date.now() - 30 * 86_400_000) })).toMatchObject({ votes: 1, helpfulShare: 1, worst: [] });
    expect((await store.report()).votes).toBe(2);
    await store.close();
  });

  test.skipIf(kind === 'PostgreSQL' && postgresMissing !== undefined)(
    'the 👎 questions export as a question set the benchmark reads',
    async () => {
      const store = await open();
      for (const [question, votes] of [
        ['who built the canal?', [false, false]],
        ['when was the summit?', [true]],
        ['what did the brigade reclaim?', [false, true, false]],
        ['Zebra crossings?', [false, false]],
      ] as const) {
        const id = store.recordAnswer(question, [{ document: 'd', passage: 1 }]);
        for (const [i, helpful] of votes.entries()) await store.vote(id, `14000000000000060${i}`, helpful);
      }
      const questions = await store.unhelpfulQuestions();
      // Ties in order of the question's bytes (upper case first), as SQLite orders text.
      expect(questions.map((q) => q.question)).toEqual(['Zebra crossings?', 'who built the canal?', 'what did the brigade reclaim?']);
      const file = join(await mkdtemp(join(tmpdir(), 'archivist-export-')), 'unhelpful.json');
      await writeFile(file, JSON.stringify(toQuestionSet(questions)));
      await store.close();
      const set = await loadKcnaQuestions(file);
      expect(set.map((q) => [q.id, q.question])).toEqual([
        ['f001', 'Zebra crossings?'],
        ['f002', 'who built the canal?'],
        ['f003', 'what did the brigade reclaim?'],
      ]);
      expect(set.every((q) => q.split === 'tune' && Array.isArray(q.evidence))).toBe(true);
    },
  );
});

describe('SqliteFeedbackStore (a real SQLite file)', () => {
  test('votes survive a restart; a second vote by the same person replaces the first', async () => {
    const path = await tempDb();
    let store = SqliteFeedbackStore.open(path);
    const answer = store.recordAnswer('where is the reservoir?', [{ document: 'notes/a.md', passage: 2 }]);
    expect(store.vote(answer, ALICE, true)).toBe('recorded');
    store.close();

    store = SqliteFeedbackStore.open(path);
    expect(store.report()).toMatchObject({ answersRated: 1, votes: 1, helpful: 1, unhelpful: 0, helpfulShare: 1 });
    expect(store.vote(answer, ALICE, false)).toBe('replaced');
    expect(store.vote(answer, BOB, false)).toBe('recorded');
    expect(store.vote('no-such-answer', BOB, false)).toBe('unknown-answer');
    const report = store.report();
    expect(report).toMatchObject({ answersRated: 1, votes: 2, helpful: 0, unhelpful: 2, helpfulShare: 0 });
    expect(report.worst).toEqual([
      { question: 'where is the reservoir?', up: 0, down: 2, passages: [{ document: 'notes/a.md', passage: 2 }] },
    ]);
    store.close();
  });

  test('never stores a user id: only a salted hash, different per database', async () => {
    const [pathA, pathB] = [await tempDb(), await tempDb()];
    const a = SqliteFeedbackStore.open(pathA);
    const b = SqliteFeedbackStore.open(pathB);
    a.vote(a.recordAnswer('q', []), ALICE, true);
    expect(a.userHash(ALICE)).toMatch(/^[0-9a-f]{64}$/);
    expect(a.userHash(ALICE)).not.toBe(b.userHash(ALICE));
    a.close();
    b.close();
    for (const file of [pathA, `${pathA}-wal`]) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(ALICE))).toBe(false);
    }
  });
});

describe.skipIf(postgresMissing !== undefined)('PostgresFeedbackStore (a real server)', () => {
  test('two machines share one salt: a vote through the second replaces the first; no user id is stored', async () => {
    const url = await database.another();
    const machineA = new PostgresFeedbackStore(url);
    const machineB = new PostgresFeedbackStore(url);
    const answer = machineA.recordAnswer('who opened the spaceport?', [{ document: 'summit.md', passage: 1 }]);
    expect(await machineA.vote(answer, ALICE, false)).toBe('recorded');
    expect(await machineB.vote(answer, ALICE, true)).toBe('replaced');
    expect(await machineB.userHash(ALICE)).toBe(await machineA.userHash(ALICE));
    expect(await machineA.report()).toMatchObject({ answersRated: 1, votes: 1, helpful: 1 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("SELECT count(*)::int AS n FROM feedback_votes WHERE user_hash LIKE '%' || $1 || '%'", [ALICE]);
    expect(rows[0].n).toBe(0);
    await client.end();
    await machineA.close();
    await machineB.close();
  });

  test('an unreachable database: recording an answer never throws; a vote rejects (the bot says why)', async () => {
    const store = new PostgresFeedbackStore('postgres://archivist@127.0.0.1:1/nothing');
    const errors: unknown[] = [];
    store.onError = (err) => errors.push(err);
    const answer = store.recordAnswer('q', []);
    await expect(store.vote(answer, ALICE, true)).rejects.toThrow();
    expect(errors).toHaveLength(1);
    await store.close();
  });
});
