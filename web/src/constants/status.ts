import type { TagProps } from 'naive-ui';
import type {
  AccumulationStatus,
  DeliveryStatus,
  ExportStatus,
  FundRequestKind,
  FundRequestStatus,
  PayinStatus,
  Originality,
  PayoutStatus,
  PostbackStatus,
} from '@/gql/graphql';
import type { I18nKey } from '@/locales';

/**
 * How each status reads (i18n key) and looks (tag colour), one entry per value of the GraphQL enum
 * (`gql/graphql.ts`). Select options are derived from these.
 */
export interface StatusDisplay {
  i18nKey: I18nKey;
  type: NonNullable<TagProps['type']>;
}

export const PAYIN_STATUS = {
  PENDING: { i18nKey: 'status.payin.PENDING', type: 'default' },
  PROCESSING: { i18nKey: 'status.payin.PROCESSING', type: 'info' },
  SUCCEEDED: { i18nKey: 'status.payin.SUCCEEDED', type: 'success' },
  FAILED: { i18nKey: 'status.payin.FAILED', type: 'error' },
  EXPIRED: { i18nKey: 'status.payin.EXPIRED', type: 'warning' },
  CLOSED: { i18nKey: 'status.payin.CLOSED', type: 'default' },
  REVERSED: { i18nKey: 'status.payin.REVERSED', type: 'error' },
} satisfies Record<PayinStatus, StatusDisplay>;

export const PAYOUT_STATUS = {
  PENDING: { i18nKey: 'status.payout.PENDING', type: 'default' },
  REVIEW: { i18nKey: 'status.payout.REVIEW', type: 'warning' },
  PROCESSING: { i18nKey: 'status.payout.PROCESSING', type: 'info' },
  SUCCEEDED: { i18nKey: 'status.payout.SUCCEEDED', type: 'success' },
  FAILED: { i18nKey: 'status.payout.FAILED', type: 'error' },
  REJECTED: { i18nKey: 'status.payout.REJECTED', type: 'error' },
  REVERSED: { i18nKey: 'status.payout.REVERSED', type: 'error' },
} satisfies Record<PayoutStatus, StatusDisplay>;

export const POSTBACK_STATUS = {
  NOT_SENT: { i18nKey: 'status.postback.NOT_SENT', type: 'default' },
  PENDING: { i18nKey: 'status.postback.PENDING', type: 'info' },
  SENT: { i18nKey: 'status.postback.SENT', type: 'success' },
  ERROR: { i18nKey: 'status.postback.ERROR', type: 'error' },
} satisfies Record<PostbackStatus, StatusDisplay>;

export const ACCUMULATION_STATUS = {
  NOT_FOUND: { i18nKey: 'status.accumulation.NOT_FOUND', type: 'default' },
  IN_PROGRESS: { i18nKey: 'status.accumulation.IN_PROGRESS', type: 'warning' },
  COMPLETED: { i18nKey: 'status.accumulation.COMPLETED', type: 'success' },
} satisfies Record<AccumulationStatus, StatusDisplay>;

export const ORIGINALITY = {
  NORMAL: { i18nKey: 'status.originality.NORMAL', type: 'default' },
  FRAUD: { i18nKey: 'status.originality.FRAUD', type: 'error' },
} satisfies Record<Originality, StatusDisplay>;

export const DELIVERY_STATUS = {
  PENDING: { i18nKey: 'status.delivery.PENDING', type: 'info' },
  SENT: { i18nKey: 'status.delivery.SENT', type: 'success' },
  FAILED: { i18nKey: 'status.delivery.FAILED', type: 'error' },
} satisfies Record<DeliveryStatus, StatusDisplay>;

export const EXPORT_STATUS = {
  QUEUED: { i18nKey: 'status.export.QUEUED', type: 'default' },
  RUNNING: { i18nKey: 'status.export.RUNNING', type: 'info' },
  DONE: { i18nKey: 'status.export.DONE', type: 'success' },
  FAILED: { i18nKey: 'status.export.FAILED', type: 'error' },
} satisfies Record<ExportStatus, StatusDisplay>;

export const FUND_REQUEST_STATUS = {
  NEW: { i18nKey: 'status.fundRequest.NEW', type: 'info' },
  APPROVED: { i18nKey: 'status.fundRequest.APPROVED', type: 'success' },
  REJECTED: { i18nKey: 'status.fundRequest.REJECTED', type: 'error' },
  CANCELLED: { i18nKey: 'status.fundRequest.CANCELLED', type: 'default' },
} satisfies Record<FundRequestStatus, StatusDisplay>;

export const FUND_REQUEST_KIND = {
  RECHARGE: { i18nKey: 'status.fundKind.RECHARGE', type: 'success' },
  WITHDRAWAL: { i18nKey: 'status.fundKind.WITHDRAWAL', type: 'warning' },
  TRANSFER: { i18nKey: 'status.fundKind.TRANSFER', type: 'info' },
} satisfies Record<FundRequestKind, StatusDisplay>;

/** What finance decides on a fund request (review). */
export type FundDecision = Extract<FundRequestStatus, 'APPROVED' | 'REJECTED'>;

/** Select options (value + translated label) of a display table. */
export function statusOptions<K extends string>(table: Record<K, StatusDisplay>, t: (key: I18nKey) => string): Array<{ label: string; value: K }> {
  return (Object.keys(table) as K[]).map((value) => ({ value, label: t(table[value].i18nKey) }));
}

/** An API token: revoked, past its expiry, or working (derived from revokedAt and active). */
export const API_TOKEN_STATUS = {
  ACTIVE: { i18nKey: 'merchant.tokens.statusACTIVE', type: 'success' },
  EXPIRED: { i18nKey: 'merchant.tokens.statusEXPIRED', type: 'warning' },
  REVOKED: { i18nKey: 'merchant.tokens.statusREVOKED', type: 'default' },
} satisfies Record<string, StatusDisplay>;

export type ApiTokenStatus = keyof typeof API_TOKEN_STATUS;

export function apiTokenStatus(token: { revokedAt?: string | null; active: boolean }): ApiTokenStatus {
  if (token.revokedAt) return 'REVOKED';
  return token.active ? 'ACTIVE' : 'EXPIRED';
}
