/**
 * The last resort for an internal code with no translated label yet (a timeline event type, an audit
 * action the server started writing after this build): shown as words, never as raw SCREAMING_CASE or
 * dotted identifiers. "FUNDS_FROZEN" → "Funds frozen", "payout.create_test" → "Payout: create test".
 */
export function humanizeCode(code: string): string {
  const words = (part: string) => part.replace(/[_-]+/g, ' ').trim().toLowerCase();
  const parts = code.split('.').map(words).filter(Boolean);
  const text = parts.length > 1 ? `${parts[0]}: ${parts.slice(1).join(' ')}` : (parts[0] ?? '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
