import { EventEmitter } from 'node:events';
import pg from 'pg';
import {
  Logger as WorkerLogger,
  makeWorkerUtils,
  parseCronItems,
  run,
  runMigrations,
  type Runner,
  type TaskList,
  type WorkerEvents,
  type WorkerUtils,
} from 'graphile-worker';
import type { Logger } from '../lib/logger.ts';
import type { JobContext, JobModule } from './job-context.ts';
import { startWorkerHeartbeat, type HeartbeatSettings, type WorkerHeartbeat } from './heartbeat.ts';

/** Installs or upgrades the queue's own schema (graphile_worker). */
export async function migrateQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: silentLogger() });
}

export interface WorkerHandle {
  runner: Runner;
  heartbeat: WorkerHeartbeat;
  /** graphile-worker pool id(s) of this process (jobs' locked_by). */
  workerIds: string[];
  /** Stops the pool (jobs in flight finish), then the heartbeat, which deregisters the process. */
  stop(): Promise<void>;
}

/**
 * Starts the worker pool of this process (the server's in-process worker or `npm run worker`) with the
 * tasks and schedules of `jobs` (platform.ts gathers them from the modules), announced
 * in worker_processes with a heartbeat (jobs/heartbeat.ts) so that, should it die, its jobs are released
 * within seconds instead of graphile-worker's four-hour lock expiry.
 */
export async function startWorker(
  ctx: JobContext,
  opts: { connectionString: string; concurrency: number; jobs: readonly JobModule[]; heartbeat?: HeartbeatSettings },
): Promise<WorkerHandle> {
  const settings = opts.heartbeat ?? {
    heartbeatSeconds: ctx.config.WORKER_HEARTBEAT_SECONDS,
    deadAfterSeconds: ctx.config.WORKER_DEAD_AFTER_SECONDS,
    sweepSeconds: ctx.config.WORKER_SWEEP_SECONDS,
  };
  // Our own pools, with error listeners that live as long as the pools: graphile-worker drops its
  // listeners when it is released, and a connection the database ends afterwards (a restart, a dropped
  // database) would then be an unhandled 'error' event that takes the process down.
  const utilsPool = ownPool(ctx.log, opts.connectionString, 2);
  const runnerPool = ownPool(ctx.log, opts.connectionString, opts.concurrency + 2);
  const endPools = async () => {
    await Promise.allSettled([utilsPool.end(), runnerPool.end()]);
  };
  let utils: WorkerUtils;
  try {
    utils = await makeWorkerUtils({ pgPool: utilsPool, logger: workerLogger(ctx.log) });
  } catch (error) {
    await endPools();
    throw error;
  }
  let heartbeat: WorkerHeartbeat;
  try {
    // Registered (and dead workers swept) before the pool can lock anything.
    heartbeat = await startWorkerHeartbeat(ctx, utils, settings, opts.jobs);
  } catch (error) {
    await utils.release();
    await endPools();
    throw error;
  }

  const workerIds: string[] = [];
  let registered: Promise<void> = Promise.resolve();
  let workerId: string | null = null;
  const events = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => {
    workerId = workerPool.id;
    workerIds.push(workerPool.id);
    registered = heartbeat.addWorkerId(workerPool.id);
  });

  const taskList: TaskList = {};
  for (const [name, task] of Object.entries(Object.assign({}, ...opts.jobs.map((job) => job.tasks)) as JobModule['tasks'])) {
    taskList[name] = async (payload, helpers) => {
      // No task acts before this process's pool id is recorded: a crash is then always traceable.
      await registered;
      return task(payload, { ...ctx, workerId }, helpers);
    };
  }
  let runner: Runner;
  try {
    runner = await run({
      pgPool: runnerPool,
      concurrency: opts.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      taskList,
      parsedCronItems: parseCronItems(opts.jobs.flatMap((job) => job.cron ?? [])),
      logger: workerLogger(ctx.log),
      events,
    });
  } catch (error) {
    await heartbeat.stop();
    await utils.release();
    await endPools();
    throw error;
  }
  return {
    runner,
    heartbeat,
    workerIds,
    async stop() {
      try {
        await runner.stop();
      } finally {
        await heartbeat.stop();
        await utils.release();
        await endPools();
      }
    },
  };
}

function ownPool(log: Logger, connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', (error) => log.warn({ err: error }, 'job queue: an idle database connection ended'));
  pool.on('connect', (client) => client.on('error', (error) => log.warn({ err: error }, 'job queue: a database connection ended')));
  return pool;
}

function workerLogger(log: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    const fn = level === 'error' ? log.error : level === 'warning' ? log.warn : level === 'info' ? log.info : log.debug;
    fn.call(log, { worker: meta }, message);
  });
}

function silentLogger(): WorkerLogger {
  return new WorkerLogger(() => () => {});
}
