import * as E from '../../generated/prisma/enums.ts';
import { builder } from '../builder.ts';

/** GraphQL enums mirroring the database enums (values identical, so no mapping anywhere). */

const values = <T extends Record<string, string>>(e: T) => Object.values(e) as Array<T[keyof T]>;

export const MerchantStatusEnum = builder.enumType('MerchantStatus', { values: values(E.MerchantStatus) });
export const UserStatusEnum = builder.enumType('UserStatus', { values: values(E.UserStatus) });
export const RoleScopeEnum = builder.enumType('RoleScope', {
  description: 'GLOBAL: platform staff acting on every merchant. MERCHANT: a merchant\'s members, own merchant only.',
  values: values(E.RoleScope),
});
export const ActorTypeEnum = builder.enumType('ActorType', { values: values(E.ActorType) });
export const KeyStatusEnum = builder.enumType('KeyStatus', { values: values(E.KeyStatus) });
export const PayinStatusEnum = builder.enumType('PayinStatus', {
  description: 'Payin status: PENDING → PROCESSING → SUCCEEDED | FAILED | EXPIRED | CLOSED; SUCCEEDED → REVERSED.',
  values: values(E.OrderStatus),
});
export const PayoutStatusEnum = builder.enumType('PayoutStatus', {
  description: 'Payout status: PENDING → (REVIEW) → PROCESSING → SUCCEEDED | FAILED | REJECTED; SUCCEEDED → REVERSED.',
  values: values(E.PayoutStatus),
});
export const PayinTypeEnum = builder.enumType('PayinType', { values: values(E.OrderType) });
export const CreationTypeEnum = builder.enumType('CreationType', {
  description: 'Seed 002 "transaction type": AUTO through the API, MANUAL from the back office.',
  values: values(E.CreationType),
});
export const OriginalityEnum = builder.enumType('Originality', {
  description: 'Seed 002 "originality": NORMAL or FRAUD (marked by staff).',
  values: values(E.Originality),
});
export const PostbackStatusEnum = builder.enumType('PostbackStatus', {
  description: 'Seed 002 postback status of the callback to the merchant. NOT_SENT: nothing worth a callback yet.',
  values: values(E.PostbackStatus),
});
export const AccumulationStatusEnum = builder.enumType('AccumulationStatus', {
  description: 'Seed 002 stockpiling: several payments accumulating up to the payin amount.',
  values: values(E.AccumulationStatus),
});
export const PaymentStatusEnum = builder.enumType('PaymentStatus', { values: values(E.PaymentStatus) });
export const LedgerOwnerTypeEnum = builder.enumType('LedgerOwnerType', { values: values(E.LedgerOwnerType) });
export const LedgerAccountKindEnum = builder.enumType('LedgerAccountKind', {
  description: 'Merchant: AVAILABLE, PENDING (T+N), FROZEN (in flight). Channel: BALANCE. Platform: FEES, CLEARING, ADJUSTMENT.',
  values: values(E.LedgerAccountKind),
});
export const FundRequestKindEnum = builder.enumType('FundRequestKind', { values: values(E.FundRequestKind) });
export const FundRequestStatusEnum = builder.enumType('FundRequestStatus', { values: values(E.FundRequestStatus) });
export const DestinationKindEnum = builder.enumType('DestinationKind', { values: values(E.DestinationKind) });
export const DeliveryStatusEnum = builder.enumType('DeliveryStatus', { values: values(E.DeliveryStatus) });
export const ExportStatusEnum = builder.enumType('ExportStatus', { values: values(E.ExportStatus) });
export const RiskActionEnum = builder.enumType('RiskAction', { values: values(E.RiskAction) });

export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

export const SimulatedOutcomeEnum = builder.enumType('SimulatedOutcome', { values: ['SUCCESS', 'FAILURE', 'REVERSAL'] as const });
export const ManualStatusEnum = builder.enumType('ManualStatus', {
  description: 'What staff may set by hand: a success, a failure, or the reversal of a success.',
  values: ['SUCCEEDED', 'FAILED', 'REVERSED'] as const,
});

/** A simulated callback's outcome as the operations name it. */
export const simulatedOutcomeOf = (o: 'SUCCESS' | 'FAILURE' | 'REVERSAL') => (o === 'SUCCESS' ? 'success' : o === 'FAILURE' ? 'failure' : 'reversal') as 'success' | 'failure' | 'reversal';
