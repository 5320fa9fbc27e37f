/**
 * The launcher: `npm start` with SHARDS, SHARD_COUNT or SHARD_IDS set runs this instead of the bot.
 * It brings the archive's on-disk index up to date once, then starts the shard processes with
 * discord.js's ShardingManager — by default one process for all of this machine's shards, else
 * SHARDS_PER_PROCESS each (shard-groups.ts). Each is `main` again, which runs the bot for its shards
 * (discord.js's Client, one gateway connection per shard, one index) and reads the saved index
 * instead of analysing; the launcher carries a `/reload` from any shard to all of them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { REST, Routes, type RESTGetAPIGatewayBotResult, ShardingManager, type Shard } from 'discord.js';
import type { LoadProgress } from '../../archive/index.js';
import type { Logger } from '../../discord/logger.js';
import { childExecArgv } from './child-entry.js';
import type { Config, ShardingConfig } from '../config.js';
import { prepareIndex } from './index-preparation.js';
import { shardGroups } from './shard-groups.js';
import { ReloadCoordinator, type ShardProcess } from './shard-reloads.js';
import type { ReloadEverywhereOutcome } from './shard-protocol.js';
import { openSharedArchive } from './shared-archive.js';
import type { MachineOutcome } from '../../store/archive-db.js';
import type { MachineSync } from '../../store/machine-sync.js';

/** Discord allows one IDENTIFY per 5 s per `max_concurrency` bucket; discord.js's default spacing. */
const SPAWN_DELAY_MS = 5_500;
/** A shard process whose shards have not all logged in this long after it started counts as failed (it reads the saved index, then connects). */
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

/**
 * Starts one shard process and resolves once every shard it runs has logged in: discord.js's child
 * reports each shard's READY (`Shard#ready`), while `Shard#spawn` waits for the first only.
 */
async function spawnProcess(shard: Shard, shardIds: readonly number[], timeoutMs: number): Promise<void> {
  const allReady = new Promise<void>((resolve, reject) => {
    let ready = 0;
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      shard.off('ready', onReady);
      shard.off('death', onDeath);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => {
      if (++ready === shardIds.length) finish();
    };
    const onDeath = (): void => finish(new Error(`the process of shards ${shardIds.join(', ')} exited before they all logged in`));
    const timer = setTimeout(
      () => finish(new Error(`shards ${shardIds.join(', ')} did not all log in within ${Math.round(timeoutMs / 1000)} s`)),
      timeoutMs,
    );
    timer.unref();
    shard.on('ready', onReady);
    shard.on('death', onDeath);
  });
  await Promise.all([shard.spawn(timeoutMs), allReady]);
}

/** Prepares the index, then starts the shard processes; resolves once every shard has logged in. */
export async function launchShards({ config, logger, entry, spawnDelayMs = SPAWN_DELAY_MS }: LaunchOptions): Promise<ShardLauncher> {
  const total = config.sharding.count === 'auto' ? await recommendedShardCount(config) : config.sharding.count;
  const ids = config.sharding.ids ?? [...Array(total).keys()];
  const groups = shardGroups(ids, config.sharding.perProcess);
  // discord.js's manager knows each process by its first shard id; the process runs the whole group.
  const groupOf = new Map(groups.map((group) => [group[0]!, group]));
  const idsOf = (shard: { id: number }): readonly number[] => groupOf.get(shard.id) ?? [shard.id];
  logger.info('starting shards', { total, here: ids, processes: groups, auto: config.sharding.count === 'auto' });

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
    shardList: [...groupOf.keys()],
    mode: 'process',
    respawn: true,
    execArgv: childExecArgv(),
    ...(config.token ? { token: config.token } : {}),
  });
  const coordinator = new ReloadCoordinator({
    shards: () => manager.shards.values() as Iterable<Shard & ShardProcess>,
    idsOf,
    prepare: async (onProgress) => {
      await shared?.pull();
      return prepareIndex((progress) => {
        logProgress(progress);
        onProgress(progress);
      });
    },
    ...(shared ? { onRun: (outcome, durationMs) => sync?.recordOutcome(machineOutcome(outcome, durationMs)) } : {}),
    logger,
  });
  manager.on('shardCreate', (shard) => {
    // discord.js's Client reads its shards from SHARDS (JSON) in the child: the whole group, one gateway
    // connection each, one index between them. Kept for the process's restarts too.
    const shards = idsOf(shard);
    (shard.env as Record<string, unknown>).SHARDS = JSON.stringify(shards);
    coordinator.attach(shard);
    shard.on('death', (child) => {
      const fields = { shards, exitCode: 'exitCode' in child ? child.exitCode : undefined };
      // While running, an exit is news (the manager restarts the shard); while stopping, it is the plan.
      if (manager.respawn) logger.warn('shard process exited; restarting it', fields);
      else logger.info('shard process exited', fields);
    });
    shard.on('ready', () => logger.info('shard ready', { process: shards }));
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
    // ShardingManager#spawn's loop, waiting for every shard of a process (not its first) and spacing
    // the processes by their shard count: a process identifies its own shards 5 s apart (discord.js's
    // throttler), so the next one starts after them, as one process per shard always did.
    for (const [i, [first, group]] of [...groupOf].entries()) {
      const shard = manager.createShard(first);
      const spaced = i < groupOf.size - 1 ? sleep(spawnDelayMs * group.length) : undefined;
      await Promise.all([spawnProcess(shard, group, SHARD_READY_TIMEOUT_MS), spaced]);
    }
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
