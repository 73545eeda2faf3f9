import type { CombinedError } from '@urql/vue';
import { i18n } from '@/locales';

/** An expected failure (a GraphQL error's `extensions.code` and details) or the transport's. */
export interface ErrorResult {
  code: string;
  message?: string | null;
  details?: unknown;
  lockedUntil?: string | null;
  retryAfterSeconds?: number | null;
}

function formatLockedUntil(iso: string): string {
  const date = new Date(iso);
  return new Intl.DateTimeFormat(i18n.global.locale.value, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/**
 * What to tell a person about a failure: `errors.<CODE>` in their language when we have it (with the
 * error's details as parameters), else the server's message, else a generic line.
 */
export function errorText(error: ErrorResult): string {
  const { t, te } = i18n.global;
  const key = `errors.${error.code}`;
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as Record<string, unknown>;
  const params: Record<string, unknown> = {
    ...details,
    message: error.message ?? '',
    until: error.lockedUntil ? formatLockedUntil(error.lockedUntil) : '',
    seconds: error.retryAfterSeconds ?? '',
  };
  if (error.code === 'PASSWORD_POLICY' && typeof details.rule === 'string' && te(`errors.PASSWORD_POLICY_${details.rule}`)) {
    return t(`errors.PASSWORD_POLICY_${details.rule}` as never, params);
  }
  if (te(key)) return t(key as never, params);
  return error.message || t('errors.UNKNOWN');
}

/** The text of a transport or GraphQL error (network down, FORBIDDEN …). */
export function combinedErrorText(error: CombinedError | undefined | null): string {
  if (!error) return '';
  if (error.networkError) return errorText({ code: 'NETWORK', message: error.networkError.message });
  const first = error.graphQLErrors[0];
  const code = first?.extensions?.code;
  if (typeof code === 'string') return errorText({ code, message: first?.message });
  return first?.message ?? error.message;
}

/**
 * The failure of an operation that answered with an error: `extensions.code` and the details beside it
 * (lockedUntil, retryAfterSeconds, rule, field …), or NETWORK.
 */
export function errorResultOf(error: CombinedError | undefined | null): ErrorResult {
  if (!error || error.networkError) return { code: 'NETWORK', message: error?.networkError?.message ?? error?.message ?? '' };
  const first = error.graphQLErrors[0];
  const details = { ...(first?.extensions ?? {}) } as Record<string, unknown>;
  return {
    code: typeof details.code === 'string' ? details.code : 'UNKNOWN',
    message: first?.message ?? error.message,
    details,
    lockedUntil: typeof details.lockedUntil === 'string' ? details.lockedUntil : null,
    retryAfterSeconds: typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : null,
  };
}

/** `__typename` of a mutation result, narrowed: is it an expected failure? */
export function isErrorResult<T extends { __typename?: string }>(value: T | null | undefined): value is Extract<T, { code: string }> {
  return !!value && typeof (value as { code?: unknown }).code === 'string';
}
