import { Logger as WorkerLogger, parseCronItems, run, runMigrations, type CronItem, type Runner, type Task, type TaskList } from 'graphile-worker';
import type { Logger } from '../lib/logger.ts';
import type { JobContext } from './job-context.ts';
import { maintenanceTasks, maintenanceCron } from './maintenance.ts';
import { deliveryTasks } from '../modules/deliveries/deliveries.jobs.ts';
import { orderCron, orderTasks } from '../modules/orders/orders.tasks.ts';
import { payoutTasks } from '../modules/payouts/payouts.tasks.ts';
import { janitorCron, janitorTasks } from './janitor.ts';
import { exportCron, exportTasks } from '../modules/exports/exports.tasks.ts';
import { statementCron, statementTasks } from '../modules/statements/statements.tasks.ts';
import { authCron, authTasks } from '../modules/auth/auth.tasks.ts';

export type JobTask = (payload: unknown, ctx: JobContext, helpers: Parameters<Task>[1]) => Promise<void>;

/** Every background task of the platform, by name. Modules add theirs here. */
export function allTasks(): Record<string, JobTask> {
  return { ...maintenanceTasks, ...orderTasks, ...deliveryTasks, ...payoutTasks, ...janitorTasks, ...exportTasks, ...statementTasks, ...authTasks };
}

export function allCron(): CronItem[] {
  return [...maintenanceCron, ...orderCron, ...janitorCron, ...exportCron, ...statementCron, ...authCron];
}

/** Installs or upgrades the queue's own schema (graphile_worker). */
export async function migrateQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: silentLogger() });
}

export async function startWorker(ctx: JobContext, opts: { connectionString: string; concurrency: number }): Promise<Runner> {
  const taskList: TaskList = {};
  for (const [name, task] of Object.entries(allTasks())) {
    taskList[name] = (payload, helpers) => task(payload, ctx, helpers);
  }
  return run({
    connectionString: opts.connectionString,
    concurrency: opts.concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList,
    parsedCronItems: parseCronItems(allCron()),
    logger: workerLogger(ctx.log),
  });
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
