import type { AppServices } from '../../services.ts';

/** What the payin operations use: the process services (a JobContext lacks `secrets`, so jobs that need it say so). */
export type PayinsServices = Pick<AppServices, 'prisma' | 'events' | 'config' | 'log' | 'secrets'>;
