import type { CombinedError } from '@urql/vue';
import { i18n } from '@/locales';
import { errorText } from '@/utils/errors';

/**
 * A failed query or mutation as people read it. The back-office mutations throw GraphQL errors whose
 * `extensions` carry the stable domain code (INSUFFICIENT_BALANCE, AMOUNT_OUT_OF_RANGE …) and its
 * details (field, min, max …). The text comes from the areas' own messages (`<area>.errors.<CODE>`),
 * then the shared `errors.<CODE>`, then the server's message; the code is always kept for display.
 */
export interface Failure {
  code: string;
  message: string;
  details: Record<string, unknown>;
  /** The form field the failure is about, when the server names one. */
  field: string | null;
}

const AREAS = ['finance', 'operations', 'merchant'] as const;
export type FailureArea = (typeof AREAS)[number];

export function failureOf(error: CombinedError | null | undefined): Failure | null {
  if (!error) return null;
  if (error.networkError) return { code: 'NETWORK', message: error.networkError.message, details: {}, field: null };
  const first = error.graphQLErrors[0];
  const details = { ...(first?.extensions ?? {}) } as Record<string, unknown>;
  const code = typeof details.code === 'string' ? details.code : 'UNKNOWN';
  return { code, message: first?.message ?? error.message, details, field: typeof details.field === 'string' ? details.field : null };
}

/** A failure found before sending (form validation): same shape, so one alert shows both. */
export function localFailure(code: string, message = ''): Failure {
  return { code, message, details: {}, field: null };
}

/** The text of `failure`, looked up first in `area`'s messages (the page's own wording). */
export function failureText(failure: Failure | null | undefined, area?: FailureArea): string {
  if (!failure) return '';
  const { t, te } = i18n.global;
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(failure.details)) params[key] = value === null || value === undefined ? '—' : value;
  params.message = failure.message;
  for (const candidate of area ? [area, ...AREAS] : AREAS) {
    const key = `${candidate}.errors.${failure.code}`;
    if (te(key)) return t(key as never, params);
  }
  return errorText({ code: failure.code, message: failure.message, details: failure.details });
}
