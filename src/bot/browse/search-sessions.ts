/**
 * /search result lists that can be paged with buttons. A button's custom_id is too short for a query,
 * so it carries a short session id; the session remembers the query, filters and who asked.
 */
import { randomBytes } from 'node:crypto';
import type { SearchFilters } from '../../archive/index.js';
import { INTERACTION_TOKEN_LIFETIME_MS } from '../../discord/limits.js';

export interface SearchSession {
  userId: string;
  query: string;
  filters: SearchFilters;
  /**
   * How the list is ranked: `keyword` as /search ranks a topic; `question` as /ask ranks a question, for
   * **More results** under an answer, so that its list and the answer's "N more" count the same passages.
   * @defaultValue 'keyword'
   */
  profile?: 'question' | 'keyword';
  /** Passages at the head of the list already shown (in the answer): the list starts after them. @defaultValue 0 */
  skip?: number;
  createdAt: number;
}

interface SearchSessionOptions {
  /** Sessions kept at most; the oldest is dropped first. @defaultValue 1000 */
  max?: number;
  /** Sessions kept per user; a user's new search drops their own oldest, never someone else's. @defaultValue 20 */
  perUser?: number;
  /** How long a result list can be paged. @defaultValue 15 minutes */
  ttlMs?: number;
  now?: () => number;
}

export class SearchSessions {
  readonly #sessions = new Map<string, SearchSession>();
  /** Each user's session ids, oldest first. */
  readonly #byUser = new Map<string, string[]>();
  readonly #max: number;
  readonly #perUser: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor({ max = 1000, perUser = 20, ttlMs = INTERACTION_TOKEN_LIFETIME_MS, now = Date.now }: SearchSessionOptions = {}) {
    this.#max = max;
    this.#perUser = perUser;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  create(session: Omit<SearchSession, 'createdAt'>): string {
    const id = randomBytes(6).toString('base64url');
    this.#sessions.set(id, { ...session, createdAt: this.#now() });
    const own = this.#byUser.get(session.userId) ?? [];
    own.push(id);
    this.#byUser.set(session.userId, own);
    while (own.length > this.#perUser) this.#delete(own[0]!);
    while (this.#sessions.size > this.#max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#delete(oldest);
    }
    return id;
  }

  /** How many sessions are kept now (all users). */
  get size(): number {
    return this.#sessions.size;
  }

  #delete(id: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    const own = this.#byUser.get(session.userId);
    if (!own) return;
    const at = own.indexOf(id);
    if (at >= 0) own.splice(at, 1);
    if (!own.length) this.#byUser.delete(session.userId);
  }

  get(id: string): SearchSession | undefined {
    const session = this.#sessions.get(id);
    if (session && this.#now() - session.createdAt > this.#ttlMs) {
      this.#delete(id);
      return undefined;
    }
    return session;
  }
}
