import type { Db } from '../db/prisma.ts';

export interface EnqueueOptions {
  /** When to run; default now. */
  runAt?: Date;
  /** Jobs with the same queue name run one at a time, in order (e.g. callbacks of one order). */
  queueName?: string;
  /** A job with the same key replaces a pending one instead of adding another. */
  jobKey?: string;
  maxAttempts?: number;
  priority?: number;
  /**
   * With a jobKey, what happens to a pending (not running) job with that key: 'replace' (default)
   * updates it, run_at included; 'preserve_run_at' updates it but keeps its run_at.
   */
  jobKeyMode?: 'replace' | 'preserve_run_at';
}

/**
 * Adds a background job in the caller's transaction: it becomes visible to workers only when that
 * transaction commits, so a committed state change can never lose the work it caused.
 */
export async function enqueueJob(db: Db, task: string, payload: unknown, opts: EnqueueOptions = {}): Promise<void> {
  await db.$executeRaw`SELECT graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload ?? {})}::json,
    queue_name => ${opts.queueName ?? null}::text,
    run_at => ${opts.runAt ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? null}::int,
    job_key => ${opts.jobKey ?? null}::text,
    priority => ${opts.priority ?? null}::int,
    job_key_mode => ${opts.jobKeyMode ?? 'replace'}::text
  )`;
}
