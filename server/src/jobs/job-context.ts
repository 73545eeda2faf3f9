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
}
