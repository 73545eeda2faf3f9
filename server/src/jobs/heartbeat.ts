import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WorkerUtils } from 'graphile-worker';
import type { PrismaClient } from '../db/prisma.ts';
import type { InterruptedJob, JanitorPayload, JobContext, JobModule } from './job-context.ts';
import { enqueueJob } from './queue.ts';

/**
 * Crash recovery for the job queue. graphile-worker only frees the jobs of a worker that died without
 * stopping (kill -9, OOM, lost host) when their lock is four hours old; a payment gateway cannot wait
 * that long. So every worker process announces itself in `worker_processes` with its graphile pool
 * ids (what jobs' `locked_by` holds) and beats every WORKER_HEARTBEAT_SECONDS. Every process, at start
 * and every WORKER_SWEEP_SECONDS, looks for processes silent for WORKER_DEAD_AFTER_SECONDS and:
 *   1. settles the claims they held outside the queue (each job module's `releaseDeadClaims`: for
 *      callbacks, the interrupted attempt counts and the next one follows the retry schedule);
 *   2. releases their jobs with graphile-worker's own `forceUnlockWorkers`;
 *   3. deletes their rows;
 *   4. runs the janitor now (payouts whose submission was cut, callbacks not applied …).
 * Jobs locked by a pool no live process claims (a process that died in the milliseconds between its
 * pool starting and its registration) are released the same way once their lock is that old.
 * Every step is idempotent: several processes may sweep at once.
 *
 * Worst case from a crash to its jobs running again: WORKER_DEAD_AFTER_SECONDS + WORKER_SWEEP_SECONDS
 * (+ the queue's 1 s poll); 45 s with the defaults.
 */

export interface HeartbeatSettings {
  heartbeatSeconds: number;
  deadAfterSeconds: number;
  sweepSeconds: number;
}

export interface DeadWorkerRelease {
  /** Dead processes found (and deleted). */
  processes: number;
  /** Pool ids whose jobs were released. */
  workerIds: string[];
  /** Claims settled by the job modules (callback attempts …). */
  claims: number;
}


/** Registers a worker process (before its pool starts, so it is known even with no pool id yet). */
export async function registerWorkerProcess(prisma: PrismaClient, id: string, workerIds: string[]): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO worker_processes (id, "workerIds", hostname, pid, "startedAt", "heartbeatAt")
    VALUES (${id}::uuid, ${workerIds}::text[], ${hostname().slice(0, 255)}, ${process.pid}, now(), now())
    ON CONFLICT (id) DO UPDATE SET "workerIds" = EXCLUDED."workerIds", "heartbeatAt" = now()`;
}

/** One heartbeat (database clock). False when the row was gone: another process declared this one dead. */
export async function beat(prisma: PrismaClient, id: string, workerIds: string[]): Promise<boolean> {
  const updated = await prisma.$executeRaw`
    UPDATE worker_processes SET "heartbeatAt" = now(), "workerIds" = ${workerIds}::text[] WHERE id = ${id}::uuid`;
  if (updated > 0) return true;
  await registerWorkerProcess(prisma, id, workerIds);
  return false;
}

/**
 * Finds worker processes whose heartbeat is older than `deadAfterSeconds` (and orphaned locks as old),
 * settles their callback claims, releases their jobs through graphile-worker's `forceUnlockWorkers`
 * and deletes their rows. Safe to run from several processes at once.
 */
export async function releaseDeadWorkers(
  ctx: Pick<JobContext, 'prisma' | 'log' | 'events'>,
  utils: Pick<WorkerUtils, 'forceUnlockWorkers' | 'rescheduleJobs'>,
  opts: { deadAfterSeconds: number; jobs?: readonly JobModule[] },
): Promise<DeadWorkerRelease> {
  const { prisma } = ctx;
  const deadAfter = opts.deadAfterSeconds;
  const dead = await prisma.$queryRaw<{ id: string; workerIds: string[] }[]>`
    SELECT id, "workerIds" FROM worker_processes
    WHERE "heartbeatAt" < now() - make_interval(secs => ${deadAfter}::float8)`;
  // Locks held by pools no live process claims, as old as a dead heartbeat. graphile-worker's `jobs`
  // view is read only to learn the pool ids; releasing goes through its API.
  const orphans = await prisma.$queryRaw<{ lockedBy: string }[]>`
    SELECT DISTINCT j.locked_by AS "lockedBy" FROM graphile_worker.jobs j
    WHERE j.locked_by IS NOT NULL
      AND j.locked_at < now() - make_interval(secs => ${deadAfter}::float8)
      AND NOT EXISTS (
        SELECT 1 FROM worker_processes w
        WHERE j.locked_by = ANY(w."workerIds") AND w."heartbeatAt" >= now() - make_interval(secs => ${deadAfter}::float8))`;
  const workerIds = [...new Set([...dead.flatMap((d) => d.workerIds), ...orphans.map((o) => o.lockedBy)])];
  if (workerIds.length === 0 && dead.length === 0) return { processes: 0, workerIds: [], claims: 0 };
  // The jobs they were running, by task and key: the janitor re-drives what those were doing (a payout
  // submission cut mid-call is asked of its upstream at once: its re-run skips a PROCESSING payout).
  const held = workerIds.length
    ? await prisma.$queryRaw<Array<InterruptedJob & { id: bigint }>>`
        SELECT j.id, j.task_identifier AS task, j.key
        FROM graphile_worker.jobs j WHERE j.locked_by = ANY(${workerIds}::text[])`
    : [];
  const interrupted: InterruptedJob[] = held.map(({ task, key }) => ({ task, key }));

  // Claims first: when the flush job comes back it must find the interrupted attempt settled.
  let claims = 0;
  for (const job of workerIds.length ? (opts.jobs ?? []) : []) claims += (await job.releaseDeadClaims?.(ctx, workerIds)) ?? 0;
  if (workerIds.length) await utils.forceUnlockWorkers(workerIds);
  // graphile-worker counts an attempt when a job is taken, and takes no job whose attempts are used up:
  // a job cut on its last attempt, or one whose key was taken over by a successor while it ran (which
  // sets its attempts to the maximum), would stay behind forever. The crash was no failure of the task:
  // each gets one more attempt (tasks re-check their state, so a superseded one finds nothing to do).
  // (Read again: settling a claim above re-enqueues its flush, which supersedes the locked one.)
  const exhausted = held.length
    ? await prisma.$queryRaw<Array<{ id: bigint; maxAttempts: number }>>`
        SELECT j.id, j.max_attempts AS "maxAttempts" FROM graphile_worker.jobs j
        WHERE j.id = ANY(${held.map((j) => j.id)}::bigint[]) AND j.attempts >= j.max_attempts AND j.locked_by IS NULL`
    : [];
  for (const job of exhausted) {
    await utils.rescheduleJobs([String(job.id)], { attempts: job.maxAttempts - 1, runAt: new Date() });
  }
  if (dead.length) {
    await prisma.$executeRaw`
      DELETE FROM worker_processes
      WHERE id = ANY(${dead.map((d) => d.id)}::uuid[]) AND "heartbeatAt" < now() - make_interval(secs => ${deadAfter}::float8)`;
  }
  // Whatever the dead jobs were driving (a payout submission, an upstream callback) is looked at now,
  // not at the janitor's next minute.
  await enqueueJob(prisma, 'janitor:sweep', { interrupted } satisfies JanitorPayload);
  ctx.log.warn({ processes: dead.map((d) => d.id), workerIds, claims, interrupted }, 'released the jobs of dead workers');
  return { processes: dead.length, workerIds, claims };
}

export interface WorkerHeartbeat {
  /** This process's row id in worker_processes. */
  processId: string;
  /** Adds a graphile pool id (from its 'pool:create' event) and records it at once. */
  addWorkerId(workerId: string): Promise<void>;
  /** One sweep now (also run at start and every sweepSeconds). */
  sweep(): Promise<DeadWorkerRelease | null>;
  stop(): Promise<void>;
}

/**
 * Registers this process, beats, and sweeps for dead ones until stopped. `stop` removes the row (the
 * caller stops its worker pool first, so nothing it holds is left locked).
 */
export async function startWorkerHeartbeat(
  ctx: Pick<JobContext, 'prisma' | 'log' | 'events'>,
  utils: Pick<WorkerUtils, 'forceUnlockWorkers' | 'rescheduleJobs'>,
  settings: HeartbeatSettings,
  jobs: readonly JobModule[] = [],
): Promise<WorkerHeartbeat> {
  const processId = randomUUID();
  const workerIds: string[] = [];
  await registerWorkerProcess(ctx.prisma, processId, workerIds);
  let stopped = false;

  let beating: Promise<unknown> = Promise.resolve();
  const doBeat = () => {
    beating = beating
      .then(() => beat(ctx.prisma, processId, [...workerIds]))
      .then((alive) => {
        if (!alive) ctx.log.error({ processId }, 'this worker was declared dead (no heartbeat for too long) and has registered again; its jobs may have run twice');
      })
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'worker heartbeat failed'));
    return beating;
  };

  let sweeping: Promise<DeadWorkerRelease | null> | null = null;
  const sweep = () => {
    if (stopped) return Promise.resolve(null);
    sweeping ??= releaseDeadWorkers(ctx, utils, { deadAfterSeconds: settings.deadAfterSeconds, jobs })
      .catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'dead worker sweep failed; retried next round');
        return null;
      })
      .finally(() => {
        sweeping = null;
      });
    return sweeping;
  };

  const beatTimer = setInterval(() => void doBeat(), settings.heartbeatSeconds * 1000);
  const sweepTimer = setInterval(() => void sweep(), settings.sweepSeconds * 1000);
  beatTimer.unref();
  sweepTimer.unref();
  await sweep();

  return {
    processId,
    async addWorkerId(workerId) {
      if (!workerIds.includes(workerId)) workerIds.push(workerId);
      await doBeat();
    },
    sweep,
    async stop() {
      stopped = true;
      clearInterval(beatTimer);
      clearInterval(sweepTimer);
      await beating;
      await sweeping;
      await ctx.prisma.workerProcess.deleteMany({ where: { id: processId } }).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'could not remove this worker from worker_processes');
      });
    },
  };
}
