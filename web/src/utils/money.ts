/**
 * Money in the browser never passes through a float: amounts arrive as exact decimal strings with
 * their currency's digits (GraphQL `Money { amount minorUnits digits currency }`), are summed as
 * bigint minor units and formatted back to strings here. Forms parse what people type with
 * `parseDecimal` and send decimal strings.
 */

export interface MoneyValue {
  amount: string;
  currency: string;
  digits?: number;
  minorUnits?: string;
}

/** "1234567.50" → "1,234,567.50" (grouping by the locale's separators is left out on purpose: one format for money). */
export function groupDecimal(amount: string): string {
  const negative = amount.startsWith('-');
  const unsigned = negative ? amount.slice(1) : amount;
  const [whole = '0', fraction] = unsigned.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** Minor units as a decimal string with `digits` fractional digits: (123450n, 2) → "1234.50". */
export function minorToDecimal(units: bigint, digits: number): string {
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const whole = digits > 0 ? text.slice(0, -digits) : text;
  const fraction = digits > 0 ? `.${text.slice(-digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * A typed amount as minor units, exactly; null when it is not a plain non-negative decimal or has more
 * fractional digits than the currency allows (rejected, never rounded).
 */
export function parseDecimal(text: string, digits: number): bigint | null {
  const trimmed = text.trim().replace(/,/g, '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return BigInt(match[1] + fraction.padEnd(digits, '0'));
}

/** Sums Money values of one currency as minor units (all must carry minorUnits). */
export function sumUnits(values: readonly { minorUnits: string }[]): bigint {
  return values.reduce((acc, value) => acc + BigInt(value.minorUnits), 0n);
}

/** "1,234.50 THB" for text (messages, hints), as money-text shows it: a no-break space keeps the code beside the number. */
export function formatMoney(value: MoneyValue | null | undefined): string {
  if (!value) return '—';
  return `${groupDecimal(value.amount)}\u00a0${value.currency}`;
}

/**
 * Amounts inside free text (timeline messages written by the server: "payout of 200000.00 THB created")
 * grouped the way money is shown: "200,000.00 THB", the number kept to its currency by a no-break space.
 * Only decimals with a fraction are touched, so ids and counts stay as they are.
 */
export function groupAmountsInText(text: string): string {
  return text.replace(/(?<![\w.,-])(-?\d+\.\d+)(?![\w.])( (?=[A-Z]{3,5}\b))?/g, (_, amount: string, space?: string) => `${groupDecimal(amount)}${space ? '\u00a0' : ''}`);
}
