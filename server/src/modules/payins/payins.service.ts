import type { Db } from '../../db/prisma.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { formatAmount } from '../../lib/money.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { PayinNotFoundError } from './payins.errors.ts';
import { missingPayerFields, PAYER_FIELDS, type PayerField } from './payins.params.ts';
import { toPayinObject, type PayinObject } from './payins.presenter.ts';
import { findPayin, type LoadedPayin } from './payins.transition.ts';

/**
 * Payin queries. The operations (state changes) live in `operations/`, one file each:
 *   create-payin, submit-payer, apply-upstream-payment, close-payin, expire-payins, reverse-payin,
 *   simulate-callback, release-settlements.
 */

export type PayinLookup = { outTradeNo: string } | { prepayId: string };

export interface PayinView {
  order: LoadedPayin;
  object: PayinObject;
  digits: number;
}

/** A merchant's payin by out_trade_no or prepay_id (POST /v1/transaction/query). ORDER_NOT_FOUND otherwise. */
/** `test`: the caller's book (a test application sees only test orders, a live one only live ones). */
export async function getPayin(db: Db, merchantId: string, lookup: PayinLookup, test?: boolean): Promise<PayinView> {
  const order =
    'outTradeNo' in lookup ? await findPayin(db, { merchantId, outTradeNo: lookup.outTradeNo }) : await findPayin(db, { prepayId: lookup.prepayId });
  if (!order || order.merchantId !== merchantId || (test !== undefined && order.test !== test)) throw new PayinNotFoundError();
  const digits = await currencyDigits(db, order.currencyCode);
  return { order, object: toPayinObject(order, order.service.code, order.merchant.mchId, digits), digits };
}

/** What the hosted cashier page shows the payer (nothing merchant-private: no attach, notify URL, fees). */
export interface CashierView {
  prepayId: string;
  orderNo: string;
  status: string;
  amount: string;
  paidAmount: string;
  currency: string;
  digits: number;
  chain: string | null;
  merchantName: string;
  serviceCode: string;
  serviceName: string;
  serviceKind: string;
  description: string | null;
  locale: string;
  returnUrl: string | null;
  expireAt: string;
  /** Seconds until expiry (0 once past). */
  expiresIn: number;
  test: boolean;
  /** Bank details or crypto address from the connector. */
  instructions: Prisma.JsonValue | null;
  /** Payer fields the service requires, with what the order already has (the form pre-fills them). */
  payerFields: Array<{ field: PayerField; required: boolean; value: string | null }>;
  /** Required payer fields still missing: the payer must fill them before "I have paid". */
  missingFields: PayerField[];
  payments: Array<{ amount: string; paidAt: string }>;
}

export async function getPayinForCashier(db: Db, prepayId: string): Promise<CashierView> {
  const order = await db.order.findUnique({
    where: { prepayId },
    include: {
      payments: { orderBy: [{ paidAt: 'asc' }, { id: 'asc' }], select: { amount: true, paidAt: true } },
      service: { select: { code: true, name: true, kind: true, requiredFields: true } },
      merchant: { select: { name: true } },
    },
  });
  if (!order) throw new PayinNotFoundError();
  const digits = await currencyDigits(db, order.currencyCode);
  const values: Record<PayerField, string | null> = {
    payer_name: order.payerName,
    payer_account: order.payerAccount,
    bank_code: order.bankCode,
    payer_phone: order.payerPhone,
    payer_id_number: order.payerIdNumber,
    remark_code: order.remarkCode,
  };
  const required = order.service.requiredFields;
  return {
    prepayId: order.prepayId,
    orderNo: order.orderNo,
    status: order.status,
    amount: formatAmount(order.amount, digits),
    paidAmount: formatAmount(order.paidAmount, digits),
    currency: order.currencyCode,
    digits,
    chain: order.chain,
    merchantName: order.merchant.name,
    serviceCode: order.service.code,
    serviceName: order.service.name,
    serviceKind: order.service.kind,
    description: order.description,
    locale: order.locale,
    returnUrl: order.returnUrl,
    expireAt: order.expireAt.toISOString(),
    expiresIn: Math.max(0, Math.floor((order.expireAt.getTime() - Date.now()) / 1000)),
    test: order.test,
    instructions: order.instructions,
    payerFields: PAYER_FIELDS.filter((f) => required.includes(f) || values[f] !== null).map((field) => ({
      field,
      required: required.includes(field),
      value: values[field],
    })),
    missingFields: missingPayerFields(required, values),
    payments: order.payments.map((p) => ({ amount: formatAmount(p.amount, digits), paidAt: p.paidAt.toISOString() })),
  };
}
