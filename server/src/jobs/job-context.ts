import type { CronItem, Task } from 'graphile-worker';
import type { AppServices } from '../services.ts';

/** What a background task gets: the same services the API uses. */
export interface JobContext extends Omit<AppServices, 'readiness'> {
  /** graphile-worker pool id of the process running the task (jobs' locked_by); absent outside a worker. */
  workerId?: string | null;
}

export type JobTask = (payload: unknown, ctx: JobContext, helpers: Parameters<Task>[1]) => Promise<void>;

/**
 * A module's background work: its tasks by name and their schedules. Modules (and connectors) declare
 * theirs; platform.ts hands them all to the worker (jobs/worker.ts), which knows no module.
 */
export interface JobModule {
  tasks: Record<string, JobTask>;
  cron?: CronItem[];
  /**
   * Settles what the worker pools `workerIds` of dead processes held outside the queue (e.g. callback
   * attempts they had claimed), before their jobs are released; returns how many it settled.
   */
  releaseDeadClaims?(ctx: Pick<JobContext, 'prisma' | 'events'>, workerIds: string[]): Promise<number>;
}

/** A job a dead worker was running. */
export interface InterruptedJob {
  task: string;
  key: string | null;
}

/** What the dead-worker sweep hands the janitor ('janitor:sweep'): the jobs that were cut short. */
export interface JanitorPayload {
  interrupted?: InterruptedJob[];
}
