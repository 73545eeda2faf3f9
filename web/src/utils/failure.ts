import type { CombinedError } from '@urql/vue';
import { i18n } from '@/locales';
import { formatClock } from '@/utils/time';

/**
 * A failure as people read it — the one place a GraphQL/urql error or an expected mutation failure
 * becomes text. The server's errors carry a stable code in `extensions.code` (INSUFFICIENT_BALANCE,
 * DUPLICATE, IN_USE …) with its details (`field`, `min`, `max` …); the text is the page area's own
 * wording of the code (`<area>.errors.<CODE>`), else the shared `errors.<CODE>`, else the server's
 * message. The code is always kept, for display beside the text (what support asks for).
 */
export interface Failure {
  code: string;
  message: string;
  details: Record<string, unknown>;
  /** The form field the failure is about, when the server names one. */
  field: string | null;
}

/** An expected failure from a mutation result (`... on Error { code message }`). */
export interface ErrorResult {
  code: string;
  message?: string | null;
  details?: unknown;
  lockedUntil?: string | null;
  retryAfterSeconds?: number | null;
}

/** The areas with their own wording of failure codes (`<area>.errors.<CODE>` in the locale files). */
export type FailureArea = 'config' | 'transactions' | 'finance' | 'operations' | 'merchant';

/**
 * Where a page of each area looks for a code's wording, in order, before the shared `errors.<CODE>`
 * (the only wording used without an area). The money pages (finance, operations, merchant) share theirs.
 */
const WORDING: Record<FailureArea, readonly FailureArea[]> = {
  config: ['config'],
  transactions: ['transactions'],
  finance: ['finance', 'operations', 'merchant'],
  operations: ['operations', 'finance', 'merchant'],
  merchant: ['merchant', 'finance', 'operations'],
};

export type FailureSource = Failure | ErrorResult | CombinedError;

function isCombinedError(value: FailureSource): value is CombinedError {
  return 'graphQLErrors' in value;
}

function isFailure(value: FailureSource): value is Failure {
  return 'field' in value && 'details' in value;
}

/** The failure of a urql error (transport or GraphQL) or of an expected mutation result. */
export function failureOf(source: FailureSource | null | undefined): Failure | null {
  if (!source) return null;
  if (isCombinedError(source)) {
    if (source.networkError) return { code: 'NETWORK', message: source.networkError.message, details: {}, field: null };
    const first = source.graphQLErrors[0];
    const details = { ...(first?.extensions ?? {}) } as Record<string, unknown>;
    const code = typeof details.code === 'string' ? details.code : 'UNKNOWN';
    return { code, message: first?.message ?? source.message, details, field: typeof details.field === 'string' ? details.field : null };
  }
  if (isFailure(source)) return source;
  const details = { ...(source.details && typeof source.details === 'object' ? (source.details as Record<string, unknown>) : {}) };
  if (source.lockedUntil) details.lockedUntil = source.lockedUntil;
  if (source.retryAfterSeconds !== null && source.retryAfterSeconds !== undefined) details.retryAfterSeconds = source.retryAfterSeconds;
  return { code: source.code, message: source.message ?? '', details, field: typeof details.field === 'string' ? details.field : null };
}

/** A failure found before sending (a form's own check): same shape, so one alert shows both. */
export function localFailure(code: string, message = ''): Failure {
  return { code, message, details: {}, field: null };
}

/** The stable code of a failure (NETWORK, UNKNOWN …), '' for none. */
export function failureCode(source: FailureSource | null | undefined): string {
  return failureOf(source)?.code ?? '';
}

/** What to tell a person about `source`, in their language, worded as `area`'s pages word it. */
export function failureText(source: FailureSource | null | undefined, area?: FailureArea): string {
  const failure = failureOf(source);
  if (!failure) return '';
  const { t, te } = i18n.global;
  const { details } = failure;
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) params[key] = value === null || value === undefined ? '—' : value;
  params.message = failure.message;
  params.until = typeof details.lockedUntil === 'string' ? formatClock(details.lockedUntil) : '';
  params.seconds = details.retryAfterSeconds ?? '';
  for (const candidate of area ? WORDING[area] : []) {
    const key = `${candidate}.errors.${failure.code}`;
    if (te(key)) return t(key as never, params);
  }
  const rule = `errors.${failure.code}_${String(details.rule)}`;
  if (failure.code === 'PASSWORD_POLICY' && typeof details.rule === 'string' && te(rule)) return t(rule as never, params);
  if (te(`errors.${failure.code}`)) return t(`errors.${failure.code}` as never, params);
  return failure.message || t('errors.UNKNOWN');
}
