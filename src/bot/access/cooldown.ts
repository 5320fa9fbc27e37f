/**
 * Per-user rate limit shared by /ask, /search and questions in channels: at most `uses` requests in
 * any `windowMs` (a sliding window).
 */

export interface CooldownOptions {
  /** Requests allowed per window. @defaultValue 3 */
  uses?: number;
  /** Window length in milliseconds. @defaultValue 15_000 */
  windowMs?: number;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
}

type CooldownResult =
  | { ok: true }
  | {
      ok: false;
      /** How long until the next request is allowed. */
      retryAfterMs: number;
      /** True only for the first refusal in this cooldown (so a channel is not flooded with notices). */
      firstNotice: boolean;
    };

export class Cooldowns {
  readonly uses: number;
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, { times: number[]; noticed: boolean }>();

  constructor({ uses = 3, windowMs = 15_000, now = Date.now }: CooldownOptions = {}) {
    if (!(uses >= 1) || !(windowMs >= 0)) throw new RangeError('Cooldowns: uses must be ≥ 1 and windowMs ≥ 0');
    this.uses = uses;
    this.windowMs = windowMs;
    this.#now = now;
  }

  /** Records a request by `userId` if allowed. */
  take(userId: string): CooldownResult {
    const now = this.#now();
    if (this.#hits.size > 10_000) this.#sweep(now);
    let entry = this.#hits.get(userId);
    if (!entry) {
      entry = { times: [], noticed: false };
      this.#hits.set(userId, entry);
    }
    entry.times = entry.times.filter((t) => now - t < this.windowMs);
    if (entry.times.length < this.uses) {
      entry.times.push(now);
      entry.noticed = false;
      return { ok: true };
    }
    const firstNotice = !entry.noticed;
    entry.noticed = true;
    return { ok: false, retryAfterMs: entry.times[0]! + this.windowMs - now, firstNotice };
  }

  #sweep(now: number): void {
    for (const [user, entry] of this.#hits) {
      if (entry.times.every((t) => now - t >= this.windowMs)) this.#hits.delete(user);
    }
  }
}
