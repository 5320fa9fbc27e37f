/**
 * /search result lists that can be paged with buttons. A button's custom_id is too short for a query,
 * so it carries a short session id; the session remembers the query, filters and who asked.
 */
import { randomBytes } from 'node:crypto';
import type { SearchFilters } from '../archive/index.js';
import { INTERACTION_TOKEN_LIFETIME_MS } from '../discord/limits.js';

export interface SearchSession {
  userId: string;
  query: string;
  filters: SearchFilters;
  createdAt: number;
}

export interface SearchSessionOptions {
  /** Sessions kept at most; the oldest is dropped first. @defaultValue 1000 */
  max?: number;
  /** How long a result list can be paged. @defaultValue 15 minutes */
  ttlMs?: number;
  now?: () => number;
}

export class SearchSessions {
  readonly #sessions = new Map<string, SearchSession>();
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor({ max = 1000, ttlMs = INTERACTION_TOKEN_LIFETIME_MS, now = Date.now }: SearchSessionOptions = {}) {
    this.#max = max;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  create(session: Omit<SearchSession, 'createdAt'>): string {
    const id = randomBytes(6).toString('base64url');
    this.#sessions.set(id, { ...session, createdAt: this.#now() });
    while (this.#sessions.size > this.#max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    return id;
  }

  get(id: string): SearchSession | undefined {
    const session = this.#sessions.get(id);
    if (session && this.#now() - session.createdAt > this.#ttlMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }
}
