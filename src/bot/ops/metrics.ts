/**
 * The bot's Prometheus metrics (prom-client), every name starting with `archivist_`: questions by
 * command and outcome, answer latency, reloads, the archive's size, gateway ping, and the REST rate
 * limits Discord imposed; plus Node's own process metrics. Served at GET /metrics (health.ts).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReloadReport } from '../holder.js';

type QuestionOutcome = 'answered' | 'nothing_found' | 'refused';

/** What the gauges read when scraped. */
interface MetricSources {
  /** The archive in use, or undefined before the first load. */
  archive(): { documents: number; passages: number } | undefined;
  /** The gateway's last heartbeat round trip in ms (-1 before the first). */
  pingMs(): number;
}

export class BotMetrics {
  readonly registry = new Registry();
  private readonly questions: Counter<'command' | 'outcome'>;
  private readonly answerSeconds: Histogram<'command'>;
  private readonly reloads: Counter<'result'>;
  private readonly reloadSeconds: Histogram;
  private readonly rateLimits: Counter<'kind'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'archivist_' });
    this.questions = new Counter({
      name: 'archivist_questions_total',
      help: 'Questions by command (ask, mention, …) and outcome: answered, nothing_found, refused.',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.answerSeconds = new Histogram({
      name: 'archivist_answer_seconds',
      help: 'Time from a question to its answer being sent, by command.',
      labelNames: ['command'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
      registers,
    });
    this.reloads = new Counter({
      name: 'archivist_reloads_total',
      help: 'Archive reloads by result: ok, failed.',
      labelNames: ['result'],
      registers,
    });
    this.reloadSeconds = new Histogram({
      name: 'archivist_reload_duration_seconds',
      help: 'How long archive reloads took.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.rateLimits = new Counter({
      name: 'archivist_rest_rate_limits_total',
      help: 'REST rate limits hit: 429 responses, and requests held back for a route or the global limit.',
      labelNames: ['kind'],
      registers,
    });
    new Gauge({
      name: 'archivist_archive_documents',
      help: 'Documents in the archive in use.',
      registers,
      collect() {
        this.set(sources.archive()?.documents ?? 0);
      },
    });
    new Gauge({
      name: 'archivist_archive_passages',
      help: 'Passages in the archive in use.',
      registers,
      collect() {
        this.set(sources.archive()?.passages ?? 0);
      },
    });
    new Gauge({
      name: 'archivist_gateway_ping_seconds',
      help: "The gateway heartbeat's last round trip (-1 before the first).",
      registers,
      collect() {
        const ms = sources.pingMs();
        this.set(ms < 0 ? -1 : ms / 1000);
      },
    });
  }

  /** A question got its reply (or its refusal); `startedAt` from performance.now() adds it to the latency histogram. */
  question(command: string, outcome: QuestionOutcome, startedAt?: number): void {
    this.questions.inc({ command, outcome });
    if (startedAt !== undefined) this.answerSeconds.observe({ command }, (performance.now() - startedAt) / 1000);
  }

  reloaded(report: ReloadReport): void {
    this.reloads.inc({ result: report.ok ? 'ok' : 'failed' });
    this.reloadSeconds.observe(report.durationMs / 1000);
  }

  rateLimited(kind: string): void {
    this.rateLimits.inc({ kind });
  }

  /**
   * ARCHIVE_STORE=postgres only (without it the metrics are as they were): the archive version this
   * machine holds, and its syncs with the shared archive. Returns the counter's increment.
   */
  sharedArchive(version: () => number): (trigger: string, result: string) => void {
    const registers = [this.registry];
    new Gauge({
      name: 'archivist_archive_version',
      help: 'The shared archive version this machine holds (ARCHIVE_STORE=postgres).',
      registers,
      collect() {
        this.set(version());
      },
    });
    const syncs = new Counter({
      name: 'archivist_archive_syncs_total',
      help: 'Syncs with the shared archive by what rang (notice, reconnect, poll, start) and result (reloaded, failed, refused).',
      labelNames: ['trigger', 'result'],
      registers,
    });
    return (trigger, result) => syncs.inc({ trigger, result });
  }
}
