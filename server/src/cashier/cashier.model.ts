import type { CashierView } from '../modules/payins/payins.service.ts';
import { PAYER_FIELDS, type PayerField } from '../modules/payins/payins.params.ts';
import { isOpenPayin, PAYIN_TRANSITIONS, type PayinStatus } from '../modules/payins/payins.state.ts';
import { parsePayinInstructions, type PayinInstructions } from '../modules/routing/connectors/connector.ts';
import { bankOptions, type BankOption } from './cashier.banks.ts';
import { isCashierMessageKey, messagesFor, type CashierLang, type CashierMessageKey } from './cashier.i18n.ts';

/**
 * What the hosted cashier page shows, computed from the payin (`CashierView`): no HTML here, that is
 * `cashier.template.ts`. Statuses are the payin state machine's (`payins.state.ts`); instructions are the
 * connector's typed `PayinInstructions`. Amounts stay decimal strings, only regrouped as text.
 */

export const CASHIER_PATHS = {
  page: '/pay/order',
  status: (prepayId: string) => `/pay/api/order/${encodeURIComponent(prepayId)}`,
  submit: (prepayId: string) => `/pay/api/order/${encodeURIComponent(prepayId)}/submit`,
};

/** Every payin status the state machine knows. */
const PAYIN_STATUSES = Object.keys(PAYIN_TRANSITIONS) as PayinStatus[];

/**
 * Final for the payer: the order no longer waits for money (not open in the state machine), so the page
 * shows the outcome and stops polling. A SUCCEEDED payin can still be reversed, but not by the payer.
 */
export function isFinalForPayer(status: PayinStatus): boolean {
  return !isOpenPayin(status);
}

const FINAL_FOR_PAYER = PAYIN_STATUSES.filter(isFinalForPayer);

/** A status read from the order (a string in the views) as the state machine's type. */
export function payinStatus(value: string): PayinStatus {
  if (!(PAYIN_STATUSES as string[]).includes(value)) throw new Error(`not a payin status: ${value}`);
  return value as PayinStatus;
}

/** "1234567.50" → "1,234,567.50", as text. */
export function groupDigits(amount: string): string {
  const [int = '', frac] = amount.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A return URL the page may link to: absolute http(s) only (no javascript:, data: …). */
export function safeReturnUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname ? parsed.href : null;
  } catch {
    return null;
  }
}

/** What the page shows: a PENDING order past its expiry is expired for the payer (the expiry task catches up). */
export function displayStatus(view: Pick<CashierView, 'status' | 'expiresIn'>): PayinStatus {
  const status = payinStatus(view.status);
  return status === 'PENDING' && view.expiresIn <= 0 ? 'EXPIRED' : status;
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** The payer field names, for validating what a no-JS redirect reports back. */
export function asPayerField(value: unknown): PayerField | null {
  return typeof value === 'string' && (PAYER_FIELDS as readonly string[]).includes(value) ? (value as PayerField) : null;
}

// ---------------------------------------------------------------------------------------------------
// Payment instructions: the connector's typed instructions as rows to show, and the text a QR code carries.

export interface InstructionRow {
  label: CashierMessageKey;
  display: string;
  /** When set, a copy button copies exactly this. */
  copy: string | null;
  mono: boolean;
}

export interface CashierInstructions {
  kind: 'bank' | 'crypto' | 'qr';
  rows: InstructionRow[];
  /** Encoded in the QR code: a wallet address, a PIX code, a QR payment link. */
  qrText: string | null;
  /** Shown under the rows: send only this coin on this network; quote the reference. */
  warning: { key: CashierMessageKey; vars: Record<string, string> } | null;
}

export function instructionsView(instructions: PayinInstructions): CashierInstructions {
  const rows: InstructionRow[] = [];
  const add = (label: CashierMessageKey, value: string | undefined, opts: { copy?: boolean; mono?: boolean } = {}) => {
    if (value !== undefined) rows.push({ label, display: value, copy: opts.copy ? value : null, mono: opts.mono ?? false });
  };
  const addAmount = () =>
    rows.push({ label: 'instructions.amount', display: `${groupDigits(instructions.amount)} ${instructions.currency}`, copy: instructions.amount, mono: true });

  switch (instructions.type) {
    case 'bank':
      add('instructions.bankName', instructions.bankName);
      add('instructions.accountName', instructions.accountName, { copy: true });
      add('instructions.accountNumber', instructions.accountNumber, { copy: true, mono: true });
      add('instructions.reference', instructions.reference, { copy: true, mono: true });
      addAmount();
      return { kind: 'bank', rows, qrText: null, warning: { key: 'instructions.bankWarning', vars: {} } };
    case 'crypto':
      add('instructions.network', instructions.chain);
      add('instructions.address', instructions.address, { copy: true, mono: true });
      addAmount();
      return {
        kind: 'crypto',
        rows,
        qrText: instructions.address,
        warning: { key: 'instructions.cryptoWarning', vars: { currency: instructions.currency, network: instructions.chain } },
      };
    case 'pix':
    case 'qr':
      if (instructions.type === 'pix') add('instructions.pixKey', instructions.pixKey, { copy: true, mono: true });
      add('instructions.qrTitle', instructions.qrCode, { copy: true, mono: true });
      addAmount();
      return { kind: 'qr', rows, qrText: instructions.qrCode, warning: null };
  }
}

// ---------------------------------------------------------------------------------------------------
// Page

export interface PayerFormField {
  field: PayerField;
  /** The bank select's options; null for a text input. */
  banks: readonly BankOption[] | null;
  /** The error a form posted without JavaScript came back with, for this field. */
  error: CashierMessageKey | null;
}

/** What the browser script reads from the page's JSON config block. */
export interface CashierClientConfig {
  status: PayinStatus;
  displayStatus: PayinStatus;
  finalStatuses: PayinStatus[];
  secondsLeft: number;
  statusUrl: string;
  submitUrl: string;
  fields: PayerField[];
  text: Record<string, string>;
}

export interface CashierPage {
  lang: CashierLang;
  prepayId: string;
  merchantName: string;
  orderNo: string;
  description: string | null;
  serviceName: string;
  test: boolean;
  /** Grouped for display ("1,234.50"), with its currency. */
  amount: string;
  currency: string;
  /** Part of the amount arrived (accumulation, or an underpaid order that expired): how much, grouped. */
  received: { paid: string; amount: string; currency: string } | null;
  status: PayinStatus;
  /** `isFinalForPayer(status)`: the outcome is shown, no instructions, form or countdown. */
  final: boolean;
  expireAt: string;
  clock: string;
  /** Shown while the order is not final; null there when the connector has not issued any yet. */
  instructions: CashierInstructions | null;
  /** The payer form: while PENDING only. */
  form: {
    fields: PayerFormField[];
    /** The error a form posted without JavaScript came back with, not about one field. */
    error: CashierMessageKey | null;
    /** The hidden `lang` input: kept only when the language was chosen explicitly. */
    lang: CashierLang | null;
  } | null;
  returnUrl: string | null;
  /** Language links: the same order in each language. */
  langLinks: Array<{ lang: CashierLang; href: string; current: boolean }>;
  client: CashierClientConfig;
}

export interface CashierPageInput {
  view: CashierView;
  lang: CashierLang;
  /** Whether the language came from `?lang=` (then links and redirects keep it). */
  langExplicit: boolean;
  /** An error reported back to a form posted without JavaScript. */
  error: { code: string; field: PayerField | null } | null;
}

export function cashierPage({ view, lang, langExplicit, error }: CashierPageInput): CashierPage {
  const status = displayStatus(view);
  const final = isFinalForPayer(status);
  const stored = final ? null : parsePayinInstructions(view.instructions);
  const paid = !/^0+(\.0+)?$/.test(view.paidAmount) && view.paidAmount !== view.amount;
  const showForm = status === 'PENDING';
  return {
    lang,
    prepayId: view.prepayId,
    merchantName: view.merchantName,
    orderNo: view.orderNo,
    description: view.description,
    serviceName: view.serviceName,
    test: view.test,
    amount: groupDigits(view.amount),
    currency: view.currency,
    received: paid ? { paid: groupDigits(view.paidAmount), amount: groupDigits(view.amount), currency: view.currency } : null,
    status,
    final,
    expireAt: view.expireAt,
    clock: formatClock(view.expiresIn),
    instructions: stored ? instructionsView(stored) : null,
    form: showForm
      ? {
          fields: view.missingFields.map((field) => ({
            field,
            banks: field === 'bank_code' ? bankOptions(view.currency) : null,
            error: error?.field === field ? (error.code === 'INVALID_PARAMETER' ? 'error.required' : errorKey(error.code)) : null,
          })),
          error: error && !error.field ? errorKey(error.code) : null,
          lang: langExplicit ? lang : null,
        }
      : null,
    returnUrl: safeReturnUrl(view.returnUrl),
    langLinks: (['en', 'zh'] as const).map((target) => ({
      lang: target,
      href: `${CASHIER_PATHS.page}?prepay_id=${encodeURIComponent(view.prepayId)}&lang=${target}`,
      current: target === lang,
    })),
    client: {
      status: payinStatus(view.status),
      displayStatus: status,
      finalStatuses: FINAL_FOR_PAYER,
      secondsLeft: isOpenPayin(payinStatus(view.status)) ? view.expiresIn : 0,
      statusUrl: CASHIER_PATHS.status(view.prepayId),
      submitUrl: CASHIER_PATHS.submit(view.prepayId),
      fields: showForm ? view.missingFields : [],
      text: messagesFor(lang, ['status.', 'message.', 'error.', 'hint.', 'page.received', 'instructions.copy', 'instructions.copied', 'form.submit']),
    },
  };
}

/** The message for an error code the API answered (`error.<CODE>`), or the generic one. */
function errorKey(code: string): CashierMessageKey {
  const key = `error.${code}`;
  return isCashierMessageKey(key) ? key : 'error.UNKNOWN';
}
