/**
 * Running the bot: the health endpoint and its metrics.
 * The wing's entry: everything outside src/bot/ops/ imports it from here.
 */
export { startHealthServer } from './health.js';
export type { HealthServer, HealthStatus } from './health.js';
export { BotMetrics } from './metrics.js';
