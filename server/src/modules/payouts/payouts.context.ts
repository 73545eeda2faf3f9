import type { AppServices } from '../../services.ts';

/** What the payout operations use (a JobContext has all of it). */
export type PayoutsServices = Pick<AppServices, 'prisma' | 'events' | 'config' | 'log' | 'secrets'>;

export const SUBMIT_TASK = 'payouts:submit';
export const RECONCILE_TASK = 'payouts:reconcile';

export function submitJobKey(payoutId: string): string {
  return `payout-submit:${payoutId}`;
}
