import type { CronItem } from 'graphile-worker';
import type { JobTask } from '../../jobs/job-context.ts';
import { purgeEndedSessions } from './sessions.ts';

const LOGIN_ATTEMPTS_KEPT_MS = 90 * 24 * 60 * 60_000;

/** Deletes sessions that ended (expired or revoked) over a week ago and login attempts older than 90 days. */
const purgeAuth: JobTask = async (_payload, ctx) => {
  const sessions = await purgeEndedSessions(ctx.prisma);
  const { count: attempts } = await ctx.prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - LOGIN_ATTEMPTS_KEPT_MS) } } });
  if (sessions || attempts) ctx.log.debug({ sessions, attempts }, 'purged ended sessions and old login attempts');
};

export const authTasks: Record<string, JobTask> = {
  'auth:purge': purgeAuth,
};

export const authCron: CronItem[] = [{ task: 'auth:purge', match: '17 * * * *', identifier: 'auth-purge' }];
