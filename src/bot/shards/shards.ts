/**
 * The launcher: `npm start` with SHARDS, SHARD_COUNT or SHARD_IDS set runs this instead of the bot.
 * It brings the archive's on-disk index up to date once, then starts one process per shard with
 * discord.js's ShardingManager — each is `main` again, which runs the bot for its shard and reads
 * the saved index instead of analysing — and carries a `/reload` from any shard to all of them.
 */
import { REST, Routes, type RESTGetAPIGatewayBotResult, ShardingManager, type Shard } from 'discord.js';
import type { LoadProgress } from '../../archive/index.js';
import type { Logger } from '../../discord/logger.js';
import { childExecArgv } from './child-entry.js';
import type { Config, ShardingConfig } from '../config.js';
import { prepareIndex } from './index-preparation.js';
import { ReloadCoordinator, type ShardProcess } from './shard-reloads.js';
import type { ReloadEverywhereOutcome } from './shard-protocol.js';
import { openSharedArchive } from './shared-archive.js';
import type { MachineOutcome } from '../../store/archive-db.js';
import type { MachineSync } from '../../store/machine-sync.js';

/** Discord allows one IDENTIFY per 5 s per `max_concurrency` bucket; discord.js's default spacing. */
const SPAWN_DELAY_MS = 5_500;
/** A shard that has not logged in this long after its process started counts as failed (it reads the saved index, then connects). */
const SHARD_READY_TIMEOUT_MS = 180_000;
/** How long a shard process gets to disconnect and exit after SIGTERM. */
const STOP_GRACE_MS = 15_000;

interface ShardLauncher {
  readonly manager: ShardingManager;
  /** Stops every shard process (SIGTERM, then SIGKILL after a grace period) without restarting them. */
  stop(): Promise<void>;
}

interface LaunchOptions {
  config: Config & { sharding: ShardingConfig };
  logger: Logger;
  /** The script each shard process runs: the bot's composition root (src/app/main.ts, or its build), which calls this. */
  entry: string;
  /** Milliseconds between starting two shards. @defaultValue {@link SPAWN_DELAY_MS} */
  spawnDelayMs?: number;
}

/** A reload of this machine's shards as the shared archive records it: ok when every shard switched. */
function machineOutcome(outcome: ReloadEverywhereOutcome, durationMs: number): Omit<MachineOutcome, 'machine' | 'version'> {
  if (!outcome.ok) return { ok: false, documents: 0, durationMs, error: outcome.failure.message };
  const failed = outcome.shards.find((s) => !s.ok);
  return {
    ok: !failed,
    documents: Math.max(0, ...outcome.shards.map((s) => s.documents)),
    durationMs,
    ...(failed ? { error: `shard ${failed.shardIds.join(', ')}: ${failed.error ?? 'no reason given'}` } : {}),
  };
}

/** Discord's recommended shard count, asked where the bot's REST requests go (DISCORD_API_URL). */
async function recommendedShardCount(config: Pick<Config, 'apiUrl' | 'token'>): Promise<number> {
  if (!config.token) throw new Error('DISCORD_TOKEN is not set.');
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const { shards } = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return shards;
}

/** Prepares the index, then starts the shard processes; resolves once every one has logged in. */
export async function launchShards({ config, logger, entry, spawnDelayMs = SPAWN_DELAY_MS }: LaunchOptions): Promise<ShardLauncher> {
  const total = config.sharding.count === 'auto' ? await recommendedShardCount(config) : config.sharding.count;
  const ids = config.sharding.ids ?? [...Array(total).keys()];
  logger.info('starting shards', { total, here: ids, auto: config.sharding.count === 'auto' });

  // ARCHIVE_STORE=postgres: this launcher keeps the machine's replica (DATA_DIR) in step with the shared
  // archive — pulled before every index preparation — and its shard processes only write changes.
  const shared =
    config.archiveStore === 'postgres' && config.databaseUrl
      ? openSharedArchive({ ...config, databaseUrl: config.databaseUrl }, logger)
      : undefined;
  let sync: MachineSync | undefined;
  await shared?.pull(true);

  // One analysis for all: every shard process then starts from the saved index. In a child process,
  // so the launcher never holds the index nor keeps its memory; a bad archive folder stops the start
  // here, before any shard connects (a shard that fails to start would be restarted again and again).
  const started = Date.now();
  // A long analysis logs how far it has got, every few seconds, at the start and at each reload.
  const logProgress = (progress: LoadProgress): void =>
    logger.info('preparing the index for the shards', { path: config.dataDir, ...progress });
  const summary = await prepareIndex(logProgress);
  logger.info('archive index saved for the shards', { path: config.dataDir, ...summary, durationMs: Date.now() - started });
  if (summary.report?.saved === false) {
    logger.warn('the index cache could not be written: every shard analyses the archive itself', { warnings: summary.report.warnings });
  }

  // Each shard process runs `main` again, which sees the ShardingManager's marker and runs the bot.
  const manager = new ShardingManager(entry, {
    totalShards: total,
    shardList: [...ids],
    mode: 'process',
    respawn: true,
    execArgv: childExecArgv(),
    ...(config.token ? { token: config.token } : {}),
  });
  const coordinator = new ReloadCoordinator({
    shards: () => manager.shards.values() as Iterable<Shard & ShardProcess>,
    prepare: async () => {
      await shared?.pull();
      return prepareIndex(logProgress);
    },
    ...(shared ? { onRun: (outcome, durationMs) => sync?.recordOutcome(machineOutcome(outcome, durationMs)) } : {}),
    logger,
  });
  manager.on('shardCreate', (shard) => {
    coordinator.attach(shard);
    shard.on('death', (child) => {
      const fields = { shard: shard.id, exitCode: 'exitCode' in child ? child.exitCode : undefined };
      // While running, an exit is news (the manager restarts the shard); while stopping, it is the plan.
      if (manager.respawn) logger.warn('shard process exited; restarting it', fields);
      else logger.info('shard process exited', fields);
    });
    shard.on('ready', () => logger.info('shard ready', { shard: shard.id }));
  });

  const stop = async (): Promise<void> => {
    await shared?.close();
    manager.respawn = false;
    await Promise.all(
      [...manager.shards.values()].map(async (shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  try {
    await manager.spawn({ amount: total, delay: spawnDelayMs, timeout: SHARD_READY_TIMEOUT_MS });
    if (shared) {
      const reloadAll = async (): Promise<Omit<MachineOutcome, 'machine' | 'version'>> => {
        const reloadStarted = Date.now();
        return machineOutcome(await coordinator.reloadAll(), Date.now() - reloadStarted);
      };
      sync = await shared.startSync(reloadAll);
      await sync.recordOutcome({ ok: true, documents: summary.documents, durationMs: Date.now() - started });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info('every shard ready', { total, here: ids, durationMs: Date.now() - started });
  return { manager, stop };
}
