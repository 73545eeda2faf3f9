import type { StatusDisplay } from '@/constants/status';
import type { Direction, EnableStatus, MerchantStatus, RiskAction, RiskRuleKind, ServiceKind, UserStatus } from '@/gql/graphql';
import { i18n } from '@/locales';
import { checkAmount } from '@/utils/amount-check';
import type { AmountCheck, AmountProblem } from '@/utils/amount-check';

/**
 * What the configuration pages share: status display tables, exact checks of typed amounts, rates
 * and percentages (never through a JS number), and the channel credentials and settings editors.
 */

// ─────────────────────────────── statuses ───────────────────────────────

export const ENABLE_STATUS = {
  ENABLED: { i18nKey: 'config.status.ENABLED', type: 'success' },
  DISABLED: { i18nKey: 'config.status.DISABLED', type: 'default' },
} satisfies Record<EnableStatus, StatusDisplay>;

export const MERCHANT_STATUS = {
  ACTIVE: { i18nKey: 'config.merchantStatus.ACTIVE', type: 'success' },
  SUSPENDED: { i18nKey: 'config.merchantStatus.SUSPENDED', type: 'warning' },
  CLOSED: { i18nKey: 'config.merchantStatus.CLOSED', type: 'error' },
} satisfies Record<MerchantStatus, StatusDisplay>;

export const USER_STATUS = {
  ACTIVE: { i18nKey: 'config.userStatus.ACTIVE', type: 'success' },
  DISABLED: { i18nKey: 'config.userStatus.DISABLED', type: 'error' },
} satisfies Record<UserStatus, StatusDisplay>;

export const RISK_ACTION = {
  REJECT: { i18nKey: 'config.riskAction.REJECT', type: 'error' },
  REVIEW: { i18nKey: 'config.riskAction.REVIEW', type: 'warning' },
} satisfies Record<RiskAction, StatusDisplay>;

/** Option lists in the order the forms show them (the values are the GraphQL enums'). */
export const SERVICE_KINDS: readonly ServiceKind[] = ['BANK_CARD', 'BANK_TRANSFER', 'E_WALLET', 'QR', 'PIX', 'CRYPTO'];
export const DIRECTIONS: readonly Direction[] = ['PAYIN', 'PAYOUT'];
export const RISK_RULE_KINDS: readonly RiskRuleKind[] = ['AMOUNT_ABOVE', 'DAILY_VOLUME_ABOVE', 'DAILY_COUNT_ABOVE', 'BLOCKED_ACCOUNT'];
export const RISK_ACTIONS: readonly RiskAction[] = ['REJECT', 'REVIEW'];
/** Risk rules whose threshold is an amount of money (in the rule's currency). */
export const AMOUNT_RULE_KINDS: readonly RiskRuleKind[] = ['AMOUNT_ABOVE', 'DAILY_VOLUME_ABOVE'];

/** Payer fields of payin services and recipient fields of payout services (seed 001 table). */
export const PAYER_FIELDS = ['payer_name', 'payer_account', 'bank_code', 'payer_phone', 'payer_id_number', 'remark_code'] as const;
export const RECIPIENT_FIELDS = ['recipient_name', 'recipient_account', 'bank_code', 'recipient_phone', 'recipient_id_number'] as const;

// ─────────────────────────────── exact input checks ───────────────────────────────

/** Lower and upper bounds of one source (0 or empty = no limit on that side): upper must not be below lower. */
export function boundsProblem(lower: AmountCheck, upper: AmountCheck): boolean {
  return lower.units !== null && upper.units !== null && upper.units !== 0n && upper.units < lower.units;
}

/** A fee rate in percent: 0 to 100 with at most 4 decimals, e.g. "2.5". */
export function checkPercent(text: string | null | undefined, opts: { required?: boolean } = {}): AmountCheck {
  return checkAmount(text, 4, { optional: !opts.required, zero: true, max: 1_000_000n });
}

/** An FX rate: > 0 with at most 12 decimals; sent exactly as typed (without grouping). */
export function checkRate(text: string | null | undefined): AmountCheck {
  const check = checkAmount(text, 12);
  if (check.problem) return check;
  return { ...check, value: (text ?? '').trim().replace(/,/g, '') };
}

/** A whole number of transactions, at least 1. */
export function checkCount(text: string | null | undefined): AmountCheck {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { problem: 'REQUIRED', value: null, units: null };
  if (!/^\d{1,10}$/.test(trimmed)) return { problem: 'FORMAT', value: null, units: null };
  const units = BigInt(trimmed);
  if (units <= 0n) return { problem: 'ZERO', value: null, units };
  return { problem: null, value: units.toString(), units };
}

/** A Money value as the editable decimal string of a form ("" for none / no limit). */
export function moneyInput(value: { amount: string; minorUnits: string } | null | undefined): string {
  return value && value.minorUnits !== '0' ? value.amount : '';
}

// ─────────────────────────────── other helpers ───────────────────────────────

/** The database id inside a Relay global id (`base64("Type:id")`), e.g. for the audit log's actorId. */
export function rawIdOf(globalId: string): string {
  try {
    const match = /^[A-Z][A-Za-z]+:(.+)$/.exec(atob(globalId));
    return match ? match[1]! : globalId;
  } catch {
    return globalId;
  }
}

/** IANA time zones the browser knows (for the merchant's statement time zone). */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** A delete confirmation with the page's title and question and the configuration pages' Delete / Cancel buttons. */
export function deleteConfirmation(title: string, content: string) {
  const { t } = i18n.global;
  return { title, content, positiveText: t('config.common.delete'), negativeText: t('config.common.cancel') };
}

/** What is wrong with a typed amount, rate or count, in the viewer's language (null: nothing). */
export function amountProblemText(problem: AmountProblem | null, params: { digits?: number; currency?: string | null } = {}): string | null {
  if (!problem) return null;
  const { t } = i18n.global;
  return t(`config.validation.amount.${problem}` as never, { digits: params.digits ?? 0, currency: params.currency ?? '' });
}

// ─────────────────────────────── channel credentials and settings ───────────────────────────────

/** One row of the write-only credentials editor. */
export interface CredentialRow {
  key: string;
  value: string;
}

const JSON_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Setting names that look like secrets belong in the write-only credentials (the server refuses them in settings). */
const SECRET_KEY_NAME = /(secret|password|passwd|private|token|api[_-]?key|credential|signing[_-]?key)/i;

/** Per row: what is wrong with it (null: fine), as the server checks it. */
export function credentialProblems(rows: readonly CredentialRow[]): (string | null)[] {
  const { t } = i18n.global;
  return rows.map((row, index) => {
    const key = row.key.trim();
    if (!JSON_KEY.test(key)) return t('config.channels.credentialKeyInvalid');
    if (rows.findIndex((r) => r.key.trim() === key) !== index) return t('config.channels.credentialKeyDuplicate');
    if (row.value === '') return t('config.channels.credentialValueRequired');
    return null;
  });
}

/** The rows as the credentials object to send (values are strings). */
export function credentialsObject(rows: readonly CredentialRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((row) => [row.key.trim(), row.value]));
}

/** Parses the settings text: a JSON object without secret-looking keys; `error` says what is wrong. */
export function parseSettings(text: string): { value: Record<string, unknown> | null; error: string | null } {
  const { t } = i18n.global;
  if (text.trim() === '') return { value: {}, error: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { value: null, error: t('config.channels.settingsNotJson') };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { value: null, error: t('config.channels.settingsNotObject') };
  const object = parsed as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!JSON_KEY.test(key)) return { value: null, error: t('config.channels.settingsKeyInvalid', { key }) };
    if (SECRET_KEY_NAME.test(key)) return { value: null, error: t('config.channels.settingsSecretKey', { key }) };
  }
  return { value: object, error: null };
}
