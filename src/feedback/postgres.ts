/**
 * The votes in PostgreSQL (DATABASE_URL), shared by every machine: an answer shown by one machine can
 * be rated through another, and `archivist feedback` reads them all. The same tables and rules as the
 * SQLite store (store.ts): a salted hash in place of the voter's id (one salt, kept in the database,
 * so a person's two votes on an answer through two machines are one vote), one vote per person per
 * answer, unrated answers dropped after 90 days.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createPool, createSchema } from '../store/pool.js';
import {
  newAnswerId,
  type FeedbackReport,
  type FeedbackStore,
  type QuestionFeedback,
  type ShownPassage,
  type VoteOutcome,
  UNRATED_KEEP_MS,
} from './store.js';

/** How long a vote on an answer not (yet) recorded waits before looking again. */
const UNKNOWN_RETRY_MS = 1_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS feedback_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS feedback_answers (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    passages TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS feedback_votes (
    answer_id TEXT NOT NULL REFERENCES feedback_answers(id),
    user_hash TEXT NOT NULL,
    helpful SMALLINT NOT NULL,
    voted_at BIGINT NOT NULL,
    PRIMARY KEY (answer_id, user_hash)
  );
  CREATE INDEX IF NOT EXISTS feedback_votes_by_time ON feedback_votes (voted_at);
`;

export class PostgresFeedbackStore implements FeedbackStore {
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  #ready: Promise<string> | undefined;
  /** Answers recorded by this process whose row may not be written yet: a vote on one waits for it. */
  readonly #pending = new Map<string, Promise<void>>();
  /** Told why a background write failed (the answer then cannot be rated). */
  onError: (err: unknown) => void = () => {};

  /** A store on `pool` (or a pool of its own on `url`); tables are made on first use, and again after a failure. */
  constructor(pool: pg.Pool | string) {
    this.#ownsPool = typeof pool === 'string';
    this.#pool = typeof pool === 'string' ? createPool(pool) : pool;
  }

  /** The tables exist and the salt is read; retried on the next call when the database was unreachable. */
  #salt(now = Date.now()): Promise<string> {
    this.#ready ??= (async () => {
      await createSchema(this.#pool, SCHEMA);
      await this.#pool.query('INSERT INTO feedback_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
        'salt',
        randomBytes(32).toString('hex'),
      ]);
      const { rows } = await this.#pool.query<{ value: string }>('SELECT value FROM feedback_meta WHERE key = $1', ['salt']);
      await this.#pool.query('DELETE FROM feedback_answers WHERE created_at < $1 AND id NOT IN (SELECT answer_id FROM feedback_votes)', [
        now - UNRATED_KEEP_MS,
      ]);
      return rows[0]!.value;
    })();
    const ready = this.#ready;
    ready.catch(() => {
      if (this.#ready === ready) this.#ready = undefined;
    });
    return ready;
  }

  /** Makes the tables now (the bot does it lazily); rejects when the database cannot be reached. */
  async init(): Promise<void> {
    await this.#salt();
  }

  async userHash(userId: string): Promise<string> {
    return createHash('sha256')
      .update(`${await this.#salt()}:${userId}`)
      .digest('hex');
  }

  recordAnswer(question: string, passages: readonly ShownPassage[], now = Date.now()): string {
    const id = newAnswerId();
    const write = this.#salt()
      .then(() =>
        this.#pool.query('INSERT INTO feedback_answers (id, question, passages, created_at) VALUES ($1, $2, $3, $4)', [
          id,
          question,
          JSON.stringify(passages),
          now,
        ]),
      )
      .then(
        () => undefined,
        (err: unknown) => this.onError(err),
      )
      .finally(() => this.#pending.delete(id));
    this.#pending.set(id, write);
    return id;
  }

  async vote(answerId: string, userId: string, helpful: boolean, now = Date.now()): Promise<VoteOutcome> {
    await this.#pending.get(answerId);
    const hash = await this.userHash(userId);
    if (!(await this.#known(answerId))) return 'unknown-answer';
    const { rows } = await this.#pool.query<{ inserted: boolean }>(
      `INSERT INTO feedback_votes (answer_id, user_hash, helpful, voted_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (answer_id, user_hash) DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at
       RETURNING (xmax = 0) AS inserted`,
      [answerId, hash, helpful ? 1 : 0, now],
    );
    return rows[0]!.inserted ? 'recorded' : 'replaced';
  }

  /**
   * Whether the answer is recorded. Another machine writes its answers after sending them, so a
   * press that arrives at once may find none yet: an unknown id is looked up once more, shortly after.
   */
  async #known(answerId: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const { rowCount } = await this.#pool.query('SELECT 1 FROM feedback_answers WHERE id = $1', [answerId]);
      if (rowCount) return true;
      if (attempt === 1) return false;
      await new Promise((resolve) => setTimeout(resolve, UNKNOWN_RETRY_MS));
    }
  }

  async report({ since, worst = 10 }: { since?: Date; worst?: number } = {}): Promise<FeedbackReport> {
    await this.#salt();
    const from = since?.getTime() ?? 0;
    const { rows } = await this.#pool.query<{ answers: number; votes: number; helpful: number }>(
      `SELECT COUNT(DISTINCT answer_id)::int AS answers, COUNT(*)::int AS votes, COALESCE(SUM(helpful), 0)::int AS helpful
       FROM feedback_votes WHERE voted_at >= $1`,
      [from],
    );
    const totals = rows[0]!;
    return {
      answersRated: totals.answers,
      votes: totals.votes,
      helpful: totals.helpful,
      unhelpful: totals.votes - totals.helpful,
      helpfulShare: totals.votes ? totals.helpful / totals.votes : undefined,
      worst: await this.#questions(from, worst),
    };
  }

  async unhelpfulQuestions(): Promise<QuestionFeedback[]> {
    await this.#salt();
    return this.#questions(0, null);
  }

  async #questions(from: number, limit: number | null): Promise<QuestionFeedback[]> {
    const { rows } = await this.#pool.query<{ question: string; up: number; down: number; passages: string }>(
      `SELECT a.question AS question, SUM(v.helpful)::int AS up, SUM(1 - v.helpful)::int AS down,
              (SELECT passages FROM feedback_answers WHERE question = a.question ORDER BY created_at DESC LIMIT 1) AS passages
       FROM feedback_votes v JOIN feedback_answers a ON a.id = v.answer_id
       WHERE v.voted_at >= $1
       GROUP BY a.question
       HAVING SUM(1 - v.helpful) > 0
       ORDER BY SUM(1 - v.helpful) - SUM(v.helpful) DESC, SUM(1 - v.helpful) DESC, a.question COLLATE "C"
       LIMIT $2`,
      [from, limit],
    );
    return rows.map((r) => ({ question: r.question, up: r.up, down: r.down, passages: JSON.parse(r.passages) as ShownPassage[] }));
  }

  async close(): Promise<void> {
    await Promise.all(this.#pending.values());
    if (this.#ownsPool) await this.#pool.end();
  }
}
