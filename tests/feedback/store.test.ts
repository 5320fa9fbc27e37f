import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadKcnaQuestions } from '../../bench/eval/kcna-own.js';
import { FeedbackStore, toQuestionSet } from '../../src/feedback/store.js';

const ALICE = '1400000000000005001';
const BOB = '1400000000000005002';

async function tempDb(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'archivist-feedback-')), 'feedback.sqlite');
}

describe('FeedbackStore (a real SQLite file)', () => {
  test('votes survive a restart; a second vote by the same person replaces the first', async () => {
    const path = await tempDb();
    let store = FeedbackStore.open(path);
    const answer = store.recordAnswer('where is the reservoir?', [{ document: 'notes/a.md', passage: 2 }]);
    expect(store.vote(answer, ALICE, true)).toBe('recorded');
    store.close();

    store = FeedbackStore.open(path);
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
    const a = FeedbackStore.open(pathA);
    const b = FeedbackStore.open(pathB);
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

  test('the votes window: only votes since a date count', async () => {
    const store = FeedbackStore.open(await tempDb());
    const old = store.recordAnswer('old question', [], Date.parse('2020-01-01'));
    store.vote(old, ALICE, false, Date.parse('2020-01-02'));
    store.vote(store.recordAnswer('new question', []), ALICE, true);
    expect(store.report({ since: new Date(Date.now() - 30 * 86_400_000) })).toMatchObject({ votes: 1, helpfulShare: 1, worst: [] });
    expect(store.report().votes).toBe(2);
    store.close();
  });

  test('the 👎 questions export as a question set the benchmark reads', async () => {
    const store = FeedbackStore.open(await tempDb());
    for (const [question, votes] of [
      ['who built the canal?', [false, false]],
      ['when was the summit?', [true]],
      ['what did the brigade reclaim?', [false, true, false]],
    ] as const) {
      const id = store.recordAnswer(question, [{ document: 'd', passage: 1 }]);
      votes.forEach((helpful, i) => store.vote(id, `14000000000000060${i}`, helpful));
    }
    const file = join(await mkdtemp(join(tmpdir(), 'archivist-export-')), 'unhelpful.json');
    await writeFile(file, JSON.stringify(toQuestionSet(store.unhelpfulQuestions())));
    store.close();
    const questions = await loadKcnaQuestions(file);
    expect(questions.map((q) => [q.id, q.question])).toEqual([
      ['f001', 'who built the canal?'],
      ['f002', 'what did the brigade reclaim?'],
    ]);
    expect(questions.every((q) => q.split === 'tune' && Array.isArray(q.evidence))).toBe(true);
  });
});
