/**
 * Chart geometry needs plain numbers; money stays exact everywhere else. These turn an integer string
 * of minor units into a number for pixel positions only: what is shown in text always comes from the
 * exact decimal strings.
 */
export function plotNumber(integerText: string | null | undefined): number {
  if (!integerText) return 0;
  // money-lint-allow: pixel position on a chart, never displayed or summed
  return Number(integerText);
}

/** A "nice" upper bound for an axis (1, 2, 2.5 or 5 × 10^n at or above `max`). */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const exponent = Math.floor(Math.log10(max));
  const base = 10 ** exponent;
  for (const step of [1, 2, 2.5, 5, 10]) if (step * base >= max) return step * base;
  return 10 * base;
}
