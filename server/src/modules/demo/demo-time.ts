import type { Rng } from './demo-rng.ts';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** The demo history covers the days before the seed's "now". */
export const WINDOW_DAYS = 30;

/** Relative traffic by local hour: quiet nights, busy afternoons and evenings. */
const HOUR_WEIGHTS = [0.35, 0.25, 0.15, 0.1, 0.08, 0.1, 0.2, 0.35, 0.55, 0.75, 0.9, 1, 0.95, 0.9, 0.95, 1, 1, 0.95, 0.9, 0.95, 1, 1, 0.85, 0.6];

/** A time in [from, to], weighted to local business hours and a slowly growing business. */
export function sampleTime(rng: Rng, from: number, to: number, utcOffsetHours: number, windowStart: number, windowEnd: number): number {
  if (to <= from) return Math.floor(to);
  for (let i = 0; i < 200; i++) {
    const t = from + rng.next() * (to - from);
    const hour = new Date(t + utcOffsetHours * HOUR).getUTCHours();
    const trend = 0.8 + 0.2 * Math.min(1, Math.max(0, (t - windowStart) / (windowEnd - windowStart)));
    if (rng.next() < HOUR_WEIGHTS[hour]! * trend) return Math.floor(t);
  }
  return Math.floor(from + rng.next() * (to - from));
}

/** Scales step offsets down proportionally so the last one fits into `budget` ms. */
export function compress(steps: Record<string, number>, offsets: number[], budget: number): void {
  const last = Math.max(0, ...Object.values(steps), ...offsets);
  if (last <= budget || budget <= 0) return;
  const f = budget / last;
  for (const key of Object.keys(steps)) steps[key] = Math.floor(steps[key]! * f);
  for (const [i, v] of offsets.entries()) offsets[i] = Math.floor(v * f);
}

export function elapsed(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}
