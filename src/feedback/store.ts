/**
 * What people said about the answers: a {@link FeedbackStore}, by default a local SQLite database
 * (better-sqlite3, this file) that the bot writes and `archivist feedback` reads; with DATABASE_URL,
 * the PostgreSQL one every machine shares (postgres.ts). Each answer shown with 👍/👎 buttons is recorded (question and the
 * passages it quoted); a vote records helpful or not, when, and a salted hash of the voter's id —
 * never the id itself. One vote per person per answer: a second one replaces the first.
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { copyForReading, prepareFeedbackFiles, readOrCreateSalt } from './sqlite-file.js';

export { defaultFeedbackPath, FEEDBACK_FILE_NAME, formerFeedbackPath, UnsafeFeedbackFileError } from './sqlite-file.js';

/** A passage an answer quoted. */
export interface ShownPassage {
  document: string;
  passage: number;
}

export type VoteOutcome = 'recorded' | 'replaced' | 'unknown-answer';

export interface QuestionFeedback {
  question: string;
  up: number;
  down: number;
  /** The passages the answer showed (of its most recent answer, when asked more than once). */
  passages: ShownPassage[];
}

export interface FeedbackReport {
  /** Answers with at least one vote. */
  answersRated: number;
  votes: number;
  helpful: number;
  unhelpful: number;
  /** helpful / votes; undefined with no votes. */
  helpfulShare: number | undefined;
  /** Questions with the most 👎 (net of 👍), worst first. */
  worst: QuestionFeedback[];
}

/** Where votes go: the SQLite file ({@link SqliteFeedbackStore}, answering at once) or PostgreSQL (postgres.ts). */
export interface FeedbackStore {
  /**
   * Records an answer as shown; returns its id for the vote buttons (8 characters) at once, so an
   * answer never waits for the database (a store that writes later makes a vote on it wait for the write).
   */
  recordAnswer(question: string, passages: readonly ShownPassage[], now?: number): string;
  /** Records `userId`'s vote on an answer, replacing their earlier vote on it. Throws (or rejects) when the database cannot take it. */
  vote(answerId: string, userId: string, helpful: boolean, now?: number): VoteOutcome | Promise<VoteOutcome>;
  /** Votes cast since `since` (all with no date), and the `worst` questions by 👎. */
  report(options?: { since?: Date; worst?: number }): FeedbackReport | Promise<FeedbackReport>;
  /** Every question with more 👎 than 👍 at least once, worst first: a question set to improve on. */
  unhelpfulQuestions(): QuestionFeedback[] | Promise<QuestionFeedback[]>;
  close(): void | Promise<void>;
}

/** A new answer id: 8 base64url characters. */
export function newAnswerId(): string {
  return randomBytes(6).toString('base64url');
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    passages TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers(id),
    user_hash TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    voted_at INTEGER NOT NULL,
    PRIMARY KEY (answer_id, user_hash)
  );
  CREATE INDEX IF NOT EXISTS votes_by_time ON votes (voted_at);
`;

/** Unrated answers older than this are dropped when the store opens: the table stays the size of what matters. */
export const UNRATED_KEEP_MS = 90 * 24 * 60 * 60 * 1000;

/** How long opening the database waits for another process's lock: at start, before any answer waits on it. */
const OPEN_BUSY_TIMEOUT_MS = 2000;

export class SqliteFeedbackStore implements FeedbackStore {
  readonly #db: Database.Database;
  readonly #salt: string;
  readonly #cleanup: (() => void) | undefined;

  private constructor(db: Database.Database, salt: string, cleanup?: () => void) {
    this.#db = db;
    this.#salt = salt;
    this.#cleanup = cleanup;
  }

  /**
   * Opens the database at `path` for the bot, creating it (0600, with its salt file beside it) if
   * needed. Once open, a write that meets another process's lock fails at once instead of waiting
   * (an answer must never wait on a vote).
   *
   * @throws UnsafeFeedbackFileError when the file, its salt or its folder is another user's or writable by others.
   */
  static open(path: string, { now = Date.now() }: { now?: number } = {}): SqliteFeedbackStore {
    prepareFeedbackFiles(path);
    const db = new Database(path, { fileMustExist: true });
    try {
      db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.exec(SCHEMA);
      // Older databases kept the salt inside: it moves to its own file, and out of the database.
      const legacy = db.prepare('SELECT value FROM meta WHERE key = ?').get('salt') as { value: string } | undefined;
      const salt = readOrCreateSalt(path, legacy?.value);
      if (legacy) db.prepare('DELETE FROM meta WHERE key = ?').run('salt');
      db.prepare('DELETE FROM answers WHERE created_at < ? AND id NOT IN (SELECT answer_id FROM votes)').run(now - UNRATED_KEEP_MS);
      db.pragma('busy_timeout = 0');
      return new SqliteFeedbackStore(db, salt);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Opens the database at `path` to read only (`archivist feedback`): nothing is written, no salt
   * is read, and a database in a folder this user cannot write (a read-only copy or mount) is read
   * from a private temporary copy.
   *
   * @throws the file system's error (ENOENT when there is no database at `path`) or SQLite's.
   */
  static async openReadOnly(path: string): Promise<SqliteFeedbackStore> {
    try {
      return SqliteFeedbackStore.#reader(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'SQLITE_READONLY_DIRECTORY' && code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY') throw error;
    }
    const copy = await copyForReading(path);
    const remove = () => rmSync(dirname(copy), { recursive: true, force: true });
    try {
      return SqliteFeedbackStore.#reader(copy, remove);
    } catch (error) {
      remove();
      throw error;
    }
  }

  static #reader(path: string, cleanup?: () => void): SqliteFeedbackStore {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      // Reading the tables proves it is a votes database (a read-only open checks nothing).
      db.prepare('SELECT COUNT(*) FROM votes JOIN answers ON answers.id = votes.answer_id').get();
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteFeedbackStore(db, '', cleanup);
  }

  /** Records an answer as shown; returns its id for the vote buttons (8 characters). */
  recordAnswer(question: string, passages: readonly ShownPassage[], now = Date.now()): string {
    const id = newAnswerId();
    this.#db
      .prepare('INSERT INTO answers (id, question, passages, created_at) VALUES (?, ?, ?, ?)')
      .run(id, question, JSON.stringify(passages), now);
    return id;
  }

  /** The salted hash stored in place of a user id. */
  userHash(userId: string): string {
    return createHash('sha256').update(`${this.#salt}:${userId}`).digest('hex');
  }

  /** Records `userId`'s vote on an answer, replacing their earlier vote on it. */
  vote(answerId: string, userId: string, helpful: boolean, now = Date.now()): VoteOutcome {
    const known = this.#db.prepare('SELECT 1 FROM answers WHERE id = ?').get(answerId);
    if (!known) return 'unknown-answer';
    const hash = this.userHash(userId);
    const before = this.#db.prepare('SELECT 1 FROM votes WHERE answer_id = ? AND user_hash = ?').get(answerId, hash);
    this.#db
      .prepare(
        `INSERT INTO votes (answer_id, user_hash, helpful, voted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (answer_id, user_hash) DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at`,
      )
      .run(answerId, hash, helpful ? 1 : 0, now);
    return before ? 'replaced' : 'recorded';
  }

  /** Votes cast since `since` (all with no date), and the `worst` questions by 👎. */
  report({ since, worst = 10 }: { since?: Date; worst?: number } = {}): FeedbackReport {
    const from = since?.getTime() ?? 0;
    const totals = this.#db
      .prepare(
        `SELECT COUNT(DISTINCT answer_id) AS answers, COUNT(*) AS votes, COALESCE(SUM(helpful), 0) AS helpful
         FROM votes WHERE voted_at >= ?`,
      )
      .get(from) as { answers: number; votes: number; helpful: number };
    return {
      answersRated: totals.answers,
      votes: totals.votes,
      helpful: totals.helpful,
      unhelpful: totals.votes - totals.helpful,
      helpfulShare: totals.votes ? totals.helpful / totals.votes : undefined,
      worst: this.questions({ from, limit: worst, onlyUnhelpful: true }),
    };
  }

  /** Every question with more 👎 than 👍 at least once, worst first: a question set to improve on. */
  unhelpfulQuestions(): QuestionFeedback[] {
    return this.questions({ from: 0, limit: -1, onlyUnhelpful: true });
  }

  private questions({ from, limit, onlyUnhelpful }: { from: number; limit: number; onlyUnhelpful: boolean }): QuestionFeedback[] {
    const rows = this.#db
      .prepare(
        `SELECT a.question AS question, SUM(v.helpful) AS up, SUM(1 - v.helpful) AS down,
                (SELECT passages FROM answers WHERE question = a.question ORDER BY created_at DESC LIMIT 1) AS passages
         FROM votes v JOIN answers a ON a.id = v.answer_id
         WHERE v.voted_at >= ?
         GROUP BY a.question
         HAVING ? = 0 OR SUM(1 - v.helpful) > 0
         ORDER BY SUM(1 - v.helpful) - SUM(v.helpful) DESC, SUM(1 - v.helpful) DESC, a.question
         LIMIT ?`,
      )
      .all(from, onlyUnhelpful ? 1 : 0, limit) as Array<{ question: string; up: number; down: number; passages: string }>;
    return rows.map((r) => ({ question: r.question, up: r.up, down: r.down, passages: JSON.parse(r.passages) as ShownPassage[] }));
  }

  /** Closes the database (and removes the temporary copy a read-only open may have made). */
  close(): void {
    this.#db.close();
    this.#cleanup?.();
  }
}

/** The 👎 questions as a question set the benchmark reads (the shape of bench/eval/kcna-questions.json). */
export function toQuestionSet(questions: readonly QuestionFeedback[], exportedAt = new Date()): object {
  return {
    description: `Questions people marked unhelpful in Discord (👎), exported by \`archivist feedback --export\` on ${exportedAt.toISOString().slice(0, 10)}. No evidence strings yet: add them before scoring answers against these.`,
    questions: questions.map((q, i) => ({
      id: `f${String(i + 1).padStart(3, '0')}`,
      question: q.question,
      split: 'tune',
      style: 'feedback',
      kind: 'unhelpful',
      answerable: true,
      evidence: [],
      article: null,
      votes: { up: q.up, down: q.down },
      passagesShown: q.passages,
    })),
  };
}
