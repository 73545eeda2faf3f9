import { minorToDecimal } from '@/utils/money';
import type { MoneyValue } from '@/utils/money';

/**
 * What a money-moving dialog restates before the click (issue 15 defect 3): the lines of its summary
 * (amount, fee, total, recipient, balances after), computed in bigint minor units from the data the
 * drawer or review queue already loaded, never through a float.
 */

/** One line of a dialog's summary: a money value or a text, with a test id for the browser tests. */
export interface SummaryLine {
  key: string;
  label: string;
  money?: MoneyValue | null;
  text?: string;
  /** The line a person should read twice (the total, a balance after). */
  strong?: boolean;
}

/** The minor units of a money value (exact, from `minorUnits` or its decimal string). */
export function unitsOf(value: MoneyValue): bigint {
  if (value.minorUnits !== undefined) return BigInt(value.minorUnits);
  const digits = value.digits ?? 2;
  const [whole = '0', fraction = ''] = value.amount.replace('-', '').split('.');
  const units = BigInt(whole) * 10n ** BigInt(digits) + BigInt((fraction + '0'.repeat(digits)).slice(0, digits) || '0');
  return value.amount.startsWith('-') ? -units : units;
}

/** `units` minor units in the currency and digits of `like`. */
export function moneyOf(units: bigint, like: MoneyValue): MoneyValue {
  const digits = like.digits ?? 2;
  return { amount: minorToDecimal(units, digits), currency: like.currency, digits, minorUnits: units.toString() };
}

/** `value` moved by `delta` minor units (a balance after the action). */
export function shifted(value: MoneyValue, delta: bigint): MoneyValue {
  return moneyOf(unitsOf(value) + delta, value);
}

/** An account number shown with its last four characters only ("•••• 6789"). */
export function maskAccount(account: string | null | undefined): string {
  if (!account) return '—';
  const plain = account.replace(/\s+/g, '');
  return plain.length <= 4 ? plain : `•••• ${plain.slice(-4)}`;
}

/** "Somchai · •••• 6789 · KBANK": who receives, as far as it is known. */
export function recipientText(name: string | null | undefined, account: string | null | undefined, bank: string | null | undefined): string {
  return [name, account ? maskAccount(account) : null, bank].filter((part): part is string => !!part).join(' · ') || '—';
}
