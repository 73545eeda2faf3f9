import QRCode from 'qrcode';
import type { Prisma } from '../generated/prisma/client.ts';
import type { CashierView } from '../modules/orders/orders.service.ts';
import { PAYER_FIELD_MAX, PAYER_FIELDS, type PayerField } from '../modules/orders/orders.params.ts';
import { bankOptions } from './cashier.banks.ts';
import { HTML_LANG, messagesFor, t, type CashierLang, type CashierMessageKey } from './cashier.i18n.ts';

/**
 * The hosted cashier's HTML: one self-contained page (inline CSS and script carrying the response's
 * CSP nonce, no external assets). Everything that comes from an order or a request goes through
 * `escapeHtml` (text and attribute values, always double-quoted) or `scriptJson` (the config block).
 * Amounts arrive as decimal strings and are only regrouped as text, never turned into numbers.
 */

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED', 'REVERSED']);

export const CASHIER_PATHS = {
  page: '/pay/order',
  status: (prepayId: string) => `/pay/api/order/${encodeURIComponent(prepayId)}`,
  submit: (prepayId: string) => `/pay/api/order/${encodeURIComponent(prepayId)}/submit`,
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
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
export function displayStatus(view: Pick<CashierView, 'status' | 'expiresIn'>): string {
  return view.status === 'PENDING' && view.expiresIn <= 0 ? 'EXPIRED' : view.status;
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

// ---------------------------------------------------------------------------------------------------
// Payment instructions (from the connector; the sandbox writes `bank`/`crypto`, the demo data
// `BANK`/`CRYPTO`/`PIX`/`QR`): normalised into rows to show, and the text a QR code carries.

type Label = { key: CashierMessageKey } | { text: string };

export interface InstructionRow {
  label: Label;
  display: string;
  /** When set, a copy button copies exactly this. */
  copy: string | null;
  mono: boolean;
}

export interface CashierInstructions {
  kind: 'bank' | 'crypto' | 'qr' | 'other';
  rows: InstructionRow[];
  /** Encoded in the QR code: a wallet address, a PIX code, a QR payment link. */
  qrText: string | null;
  network: string | null;
  currency: string;
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function normalizeInstructions(view: Pick<CashierView, 'instructions' | 'amount' | 'currency' | 'chain'>): CashierInstructions | null {
  const raw = view.instructions as Prisma.JsonValue | null;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const type = (text(o.type) ?? '').toLowerCase();
  const currency = text(o.currency) ?? view.currency;
  const amount = text(o.amount) ?? view.amount;
  const rows: InstructionRow[] = [];
  const add = (key: CashierMessageKey, value: string | null, opts: { copy?: boolean; mono?: boolean; display?: string } = {}) => {
    if (value === null) return;
    rows.push({ label: { key }, display: opts.display ?? value, copy: opts.copy ? value : null, mono: opts.mono ?? false });
  };
  const amountRow = () => add('instructions.amount', amount, { copy: true, mono: true, display: `${groupDigits(amount)} ${currency}` });

  if (type === 'bank') {
    add('instructions.bankName', text(o.bankName));
    add('instructions.accountName', text(o.accountName), { copy: true });
    add('instructions.accountNumber', text(o.accountNumber), { copy: true, mono: true });
    add('instructions.reference', text(o.reference) ?? text(o.remark), { copy: true, mono: true });
    amountRow();
    return { kind: 'bank', rows, qrText: null, network: null, currency };
  }
  if (type === 'crypto') {
    const network = text(o.chain) ?? view.chain;
    const address = text(o.address);
    add('instructions.network', network);
    add('instructions.address', address, { copy: true, mono: true });
    amountRow();
    return { kind: 'crypto', rows, qrText: address, network, currency };
  }
  if (type === 'pix' || type === 'qr') {
    const code = text(o.qrCode) ?? text(o.qrContent);
    add('instructions.pixKey', text(o.pixKey), { copy: true, mono: true });
    if (code) rows.push({ label: { key: 'instructions.qrTitle' }, display: code, copy: code, mono: true });
    amountRow();
    return { kind: 'qr', rows, qrText: code, network: null, currency };
  }
  // An unknown connector format: show its plain fields as they are.
  for (const [key, value] of Object.entries(o)) {
    const v = text(value);
    if (key !== 'type' && v !== null) rows.push({ label: { text: key }, display: v, copy: v, mono: false });
  }
  return rows.length > 0 ? { kind: 'other', rows, qrText: null, network: null, currency } : null;
}

/** The QR code as a data: URL of an SVG drawn on the server (the page loads nothing from elsewhere). */
export async function qrDataUrl(content: string): Promise<string> {
  const svg = await QRCode.toString(content, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: 200 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

// ---------------------------------------------------------------------------------------------------
// Page

export interface CashierPageModel {
  view: CashierView;
  lang: CashierLang;
  /** Whether the language came from `?lang=` (then links and redirects keep it). */
  langExplicit: boolean;
  nonce: string;
  /** data: URL of the QR code, when the instructions carry something to scan. */
  qr: string | null;
  /** An error reported back to a form posted without JavaScript. */
  error: { code: string; field: PayerField | null } | null;
}

const FIELD_INPUT: Record<PayerField, { type: string; autocomplete: string; inputmode?: string; pattern?: string; minlength?: number }> = {
  payer_name: { type: 'text', autocomplete: 'name', minlength: 2 },
  payer_account: { type: 'text', autocomplete: 'off', inputmode: 'numeric', pattern: '[0-9 \\-]{6,40}' },
  bank_code: { type: 'text', autocomplete: 'off', pattern: '[A-Za-z0-9_\\-]{2,32}' },
  payer_phone: { type: 'tel', autocomplete: 'tel', pattern: '\\+?[0-9 \\(\\)\\-]{6,24}' },
  payer_id_number: { type: 'text', autocomplete: 'off', pattern: '[A-Za-z0-9 \\.\\/\\-]{4,64}' },
  remark_code: { type: 'text', autocomplete: 'off' },
};

export function renderCashierPage(model: CashierPageModel): string {
  const { view, lang, nonce } = model;
  const tr = (key: CashierMessageKey, vars?: Record<string, string>) => escapeHtml(t(lang, key, vars));
  const status = displayStatus(view);
  const final = FINAL_STATUSES.has(status);
  const returnUrl = safeReturnUrl(view.returnUrl);
  const instructions = final ? null : normalizeInstructions(view);
  const showForm = status === 'PENDING';
  // Part of the amount arrived (accumulation, or an underpaid order that expired): say how much.
  const paid = !/^0+(\.0+)?$/.test(view.paidAmount) && view.paidAmount !== view.amount;
  const langQuery = model.langExplicit ? `&lang=${lang}` : '';

  const langLink = (target: CashierLang, label: string) =>
    `<a href="${escapeHtml(`${CASHIER_PATHS.page}?prepay_id=${encodeURIComponent(view.prepayId)}&lang=${target}`)}" hreflang="${HTML_LANG[target]}"${
      target === lang ? ' aria-current="true"' : ''
    }>${escapeHtml(label)}</a>`;

  const meta = [
    [tr('page.orderNo'), `<span class="mono">${escapeHtml(view.orderNo)}</span>`],
    ...(view.description ? [[tr('page.description'), escapeHtml(view.description)]] : []),
    [tr('page.service'), escapeHtml(view.serviceName)],
  ]
    .map(([dt, dd]) => `<div><dt>${dt}</dt><dd>${dd}</dd></div>`)
    .join('');

  const config = {
    status: view.status,
    displayStatus: status,
    secondsLeft: view.status === 'PENDING' || view.status === 'PROCESSING' ? view.expiresIn : 0,
    statusUrl: CASHIER_PATHS.status(view.prepayId),
    submitUrl: CASHIER_PATHS.submit(view.prepayId),
    fields: showForm ? view.missingFields : [],
    text: messagesFor(lang, ['status.', 'message.', 'error.', 'hint.', 'page.received', 'instructions.copy', 'form.submit']),
  };

  const body = `
<main class="card" id="cashier" data-status="${escapeHtml(status)}">
  <header class="top">
    <div class="merchant">${tr('page.payTo', { merchant: view.merchantName })}</div>
    <nav class="lang" aria-label="${tr('page.language')}">${langLink('en', 'English')}${langLink('zh', '中文')}</nav>
  </header>
  ${view.test ? `<p class="test-banner">${tr('page.testOrder')}</p>` : ''}
  <section class="amount-box" aria-label="${tr('page.amountDue')}">
    <div class="label">${tr('page.amountDue')}</div>
    <div class="amount"><span class="value" id="amount">${escapeHtml(groupDigits(view.amount))}</span> <span class="currency">${escapeHtml(view.currency)}</span></div>
    <div class="received" id="received"${paid ? '' : ' hidden'}>${
      paid ? tr('page.received', { paid: groupDigits(view.paidAmount), amount: groupDigits(view.amount), currency: view.currency }) : ''
    }</div>
  </section>
  <div class="status-row">
    <span class="status status-${escapeHtml(status)}" id="status" role="status" aria-live="polite"><span class="dot"></span><span id="status-label">${tr(statusKey(status))}</span></span>
    <span class="countdown" id="countdown-box"${final ? ' hidden' : ''}>${tr('page.timeLeft')} <time id="countdown" datetime="${escapeHtml(view.expireAt)}">${formatClock(view.expiresIn)}</time></span>
  </div>
  <p class="message" id="status-message">${tr(messageKey(status))}</p>
  <dl class="meta">${meta}</dl>
  ${final ? '' : renderInstructions(instructions, model)}
  ${showForm ? renderForm(model, langQuery) : ''}
  ${returnUrl ? `<a class="btn ${final ? 'primary' : 'secondary'}" id="return" href="${escapeHtml(returnUrl)}" rel="noopener noreferrer">${tr('page.returnToMerchant')}</a>` : ''}
  ${final ? '' : `<noscript><p class="hint">${tr('page.noscript')}</p></noscript>`}
  <footer>${tr('page.footer')}</footer>
</main>
<script type="application/json" id="cashier-config">${scriptJson(config)}</script>
<script nonce="${escapeHtml(nonce)}">${CLIENT_SCRIPT}</script>`;

  return documentShell({ lang, nonce, title: `${t(lang, 'page.title')} · ${view.merchantName}`, body });
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED', 'REVERSED']);

function statusKey(status: string): CashierMessageKey {
  return (KNOWN_STATUSES.has(status) ? `status.${status}` : 'status.PENDING') as CashierMessageKey;
}

function messageKey(status: string): CashierMessageKey {
  return (KNOWN_STATUSES.has(status) ? `message.${status}` : 'message.PENDING') as CashierMessageKey;
}

function renderInstructions(instructions: CashierInstructions | null, model: CashierPageModel): string {
  const { lang } = model;
  const tr = (key: CashierMessageKey, vars?: Record<string, string>) => escapeHtml(t(lang, key, vars));
  if (!instructions) {
    return `<section class="instructions" id="instructions"><p class="hint">${tr('instructions.pending')}</p></section>`;
  }
  const title: Record<CashierInstructions['kind'], CashierMessageKey> = {
    bank: 'instructions.bankTitle',
    crypto: 'instructions.cryptoTitle',
    qr: 'instructions.qrTitle',
    other: 'instructions.otherTitle',
  };
  const rows = instructions.rows
    .map((row) => {
      const label = 'key' in row.label ? tr(row.label.key) : escapeHtml(row.label.text);
      const copy = row.copy === null ? '' : `<button type="button" class="copy" data-copy="${escapeHtml(row.copy)}" hidden>${tr('instructions.copy')}</button>`;
      return `<div class="row"><dt>${label}</dt><dd><span class="value${row.mono ? ' mono' : ''}">${escapeHtml(row.display)}</span>${copy}</dd></div>`;
    })
    .join('');
  const qr = model.qr ? `<div class="qr"><img src="${escapeHtml(model.qr)}" alt="${tr('instructions.qrAlt')}" width="200" height="200"></div>` : '';
  const warning =
    instructions.kind === 'crypto'
      ? tr('instructions.cryptoWarning', { currency: instructions.currency, network: instructions.network ?? '' })
      : instructions.kind === 'bank'
        ? tr('instructions.bankWarning')
        : '';
  return `<section class="instructions" id="instructions" data-kind="${instructions.kind}">
    <h2>${tr(title[instructions.kind])}</h2>${qr}<dl class="rows">${rows}</dl>${warning ? `<p class="warning">${warning}</p>` : ''}
  </section>`;
}

function renderForm(model: CashierPageModel, langQuery: string): string {
  const { view, lang, error } = model;
  const tr = (key: CashierMessageKey) => escapeHtml(t(lang, key));
  const fields = view.missingFields
    .map((field) => {
      const id = `f-${field}`;
      const errorText = error?.field === field ? t(lang, error.code === 'INVALID_PARAMETER' ? 'error.required' : errorKey(error.code)) : null;
      const describedBy = `h-${field} e-${field}`;
      const banks = field === 'bank_code' ? bankOptions(view.currency) : null;
      let control: string;
      if (banks) {
        const options = banks.map((b) => `<option value="${escapeHtml(b.code)}">${escapeHtml(`${b.code} — ${b.name}`)}</option>`).join('');
        control = `<select id="${id}" name="${field}" required aria-describedby="${describedBy}"><option value="">${tr('form.chooseBank')}</option>${options}</select>`;
      } else {
        const spec = FIELD_INPUT[field];
        const attrs = [
          `type="${spec.type}"`,
          `id="${id}"`,
          `name="${field}"`,
          'required',
          `maxlength="${PAYER_FIELD_MAX[field]}"`,
          `autocomplete="${spec.autocomplete}"`,
          spec.inputmode ? `inputmode="${spec.inputmode}"` : '',
          spec.pattern ? `pattern="${escapeHtml(spec.pattern)}"` : '',
          spec.minlength ? `minlength="${spec.minlength}"` : '',
          'spellcheck="false"',
          `aria-describedby="${describedBy}"`,
          errorText ? 'aria-invalid="true"' : '',
        ].filter(Boolean);
        control = `<input ${attrs.join(' ')}>`;
      }
      return `<div class="field${errorText ? ' invalid' : ''}" data-field="${field}">
      <label for="${id}">${tr(`field.${field}` as CashierMessageKey)}</label>${control}
      <p class="field-hint" id="h-${field}">${tr(`hint.${field}` as CashierMessageKey)}</p>
      <p class="field-error" id="e-${field}" role="alert"${errorText ? '' : ' hidden'}>${errorText ? escapeHtml(errorText) : ''}</p>
    </div>`;
    })
    .join('');
  const formError = error && !error.field ? escapeHtml(t(lang, errorKey(error.code))) : '';
  return `<form id="payer-form" method="post" action="${escapeHtml(CASHIER_PATHS.submit(view.prepayId))}">
    ${view.missingFields.length > 0 ? `<h2>${tr('form.title')}</h2><p class="hint">${tr('form.hint')}</p>` : ''}
    ${fields}
    <input type="hidden" name="lang" value="${escapeHtml(langQuery ? lang : '')}">
    <p class="form-error" id="form-error" role="alert"${formError ? '' : ' hidden'}>${formError}</p>
    <button type="submit" class="btn primary" id="submit">${tr('form.submit')}</button>
    <p class="hint center">${tr('form.submitHint')}</p>
  </form>`;
}

function errorKey(code: string): CashierMessageKey {
  const known = ['INVALID_PARAMETER', 'INVALID_TRANSITION', 'ORDER_NOT_FOUND', 'RATE_LIMITED', 'BODY_TOO_LARGE', 'NETWORK'];
  return (known.includes(code) ? `error.${code}` : 'error.UNKNOWN') as CashierMessageKey;
}

/** The 404 (unknown prepay id) and error pages, in the cashier's style. */
export function renderMessagePage(opts: { lang: CashierLang; nonce: string; title: CashierMessageKey; body: CashierMessageKey }): string {
  const { lang, nonce } = opts;
  const body = `
<main class="card" id="cashier" data-status="NOT_FOUND">
  <div class="notice">
    <div class="notice-icon" aria-hidden="true">!</div>
    <h1>${escapeHtml(t(lang, opts.title))}</h1>
    <p class="message">${escapeHtml(t(lang, opts.body))}</p>
  </div>
  <footer>${escapeHtml(t(lang, 'page.footer'))}</footer>
</main>`;
  return documentShell({ lang, nonce, title: t(lang, opts.title), body });
}

function documentShell(opts: { lang: CashierLang; nonce: string; title: string; body: string }): string {
  return `<!doctype html>
<html lang="${HTML_LANG[opts.lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(opts.title)}</title>
<style nonce="${escapeHtml(opts.nonce)}">${CSS}</style>
</head>
<body>${opts.body}
</body>
</html>
`;
}

/** The payer field names, for validating what a no-JS redirect reports back. */
export function asPayerField(value: unknown): PayerField | null {
  return typeof value === 'string' && (PAYER_FIELDS as readonly string[]).includes(value) ? (value as PayerField) : null;
}

const CSS = `
*{box-sizing:border-box}
[hidden]{display:none!important}
:root{--bg:#f2f4f8;--card:#fff;--text:#18202e;--muted:#5d697c;--line:#e2e7ee;--accent:#2356d8;--accent-ink:#fff;--ok:#177245;--warn:#a35f00;--bad:#bf3124;--radius:16px}
@media (prefers-color-scheme:dark){:root{--bg:#0e131b;--card:#161d28;--text:#e6ebf2;--muted:#99a5b7;--line:#2a3443;--accent:#6b95ff;--accent-ink:#0b1020;--ok:#4cc38a;--warn:#e0a040;--bad:#ff7a6b}}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif}
.card{max-width:480px;margin:32px auto;background:var(--card);border-radius:var(--radius);box-shadow:0 8px 28px rgba(16,24,40,.08);padding:24px}
@media (max-width:520px){.card{margin:0;border-radius:0;min-height:100vh;padding:20px 16px}}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px}
.merchant{font-weight:600;word-break:break-word}
.lang{flex:none}
.lang a{color:var(--muted);text-decoration:none;font-size:14px;margin-left:10px}
.lang a[aria-current]{color:var(--text);font-weight:600}
.test-banner{background:rgba(163,95,0,.12);color:var(--warn);border-radius:8px;padding:8px 12px;font-size:14px;margin:16px 0 0}
.amount-box{text-align:center;padding:22px 0 14px}
.amount-box .label{color:var(--muted);font-size:14px}
.amount{font-size:38px;font-weight:700;letter-spacing:-.5px;font-variant-numeric:tabular-nums;word-break:break-all;line-height:1.2;margin-top:4px}
.amount .currency{font-size:20px;font-weight:600;color:var(--muted);letter-spacing:0}
.card[data-status=SUCCEEDED] .amount .value{color:var(--ok)}
.received{color:var(--warn);font-size:14px;margin-top:4px}
.status-row{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:8px;border-top:1px solid var(--line);padding-top:14px}
.status{display:inline-flex;align-items:center;gap:6px;font-weight:600;border-radius:999px;padding:4px 12px;font-size:14px;background:rgba(35,86,216,.1);color:var(--accent)}
.status .dot{width:8px;height:8px;border-radius:50%;background:currentColor}
.status-PENDING .dot,.status-PROCESSING .dot{animation:pulse 1.4s ease-in-out infinite}
.status-PROCESSING{background:rgba(163,95,0,.12);color:var(--warn)}
.status-SUCCEEDED{background:rgba(23,114,69,.12);color:var(--ok)}
.status-FAILED,.status-REVERSED{background:rgba(191,49,36,.12);color:var(--bad)}
.status-EXPIRED,.status-CLOSED{background:rgba(93,105,124,.15);color:var(--muted)}
@keyframes pulse{50%{opacity:.25}}
@media (prefers-reduced-motion:reduce){.status .dot{animation:none}}
.countdown{font-size:14px;color:var(--muted)}
.countdown time{font-weight:700;color:var(--text);font-variant-numeric:tabular-nums;margin-left:4px}
.message{margin:14px 0}
.meta{margin:0 0 8px;display:grid;gap:6px;font-size:14px}
.meta div{display:flex;justify-content:space-between;gap:16px}
.meta dt{color:var(--muted);flex:none}
.meta dd{margin:0;text-align:right;word-break:break-word}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.instructions,form{border:1px solid var(--line);border-radius:12px;padding:16px;margin:16px 0}
h1{font-size:20px;margin:8px 0}
h2{font-size:16px;margin:0 0 12px}
.rows{margin:0;display:grid;gap:12px}
.row dt{color:var(--muted);font-size:13px}
.row dd{margin:2px 0 0;display:flex;align-items:center;gap:10px;justify-content:space-between}
.row .value{font-weight:600;word-break:break-all}
.copy{border:1px solid var(--line);background:transparent;color:var(--accent);border-radius:8px;padding:3px 10px;font:inherit;font-size:13px;cursor:pointer;flex:none}
.qr{display:flex;justify-content:center;margin:0 0 14px}
.qr img{width:200px;height:200px;background:#fff;padding:8px;border-radius:8px;border:1px solid var(--line)}
.warning{font-size:13px;color:var(--warn);margin:12px 0 0}
.field{margin-bottom:14px}
label{display:block;font-size:14px;font-weight:600;margin-bottom:4px}
input,select{width:100%;font:inherit;padding:10px 12px;border:1px solid var(--line);border-radius:10px;background:var(--card);color:var(--text)}
input:focus,select:focus{outline:2px solid var(--accent);outline-offset:1px}
.field.invalid input,.field.invalid select{border-color:var(--bad)}
.field-hint,.hint{font-size:13px;color:var(--muted);margin:4px 0 0}
.center{text-align:center}
.field-error,.form-error{font-size:13px;color:var(--bad);margin:4px 0 0}
.form-error{margin:0 0 10px}
.btn{display:block;width:100%;text-align:center;font:inherit;font-weight:600;padding:12px 16px;border-radius:10px;border:1px solid transparent;cursor:pointer;text-decoration:none;margin-top:8px}
.btn.primary{background:var(--accent);color:var(--accent-ink)}
.btn.secondary{background:transparent;color:var(--accent);border-color:var(--line)}
.btn[disabled]{opacity:.6;cursor:progress}
.notice{text-align:center;padding:24px 0 8px}
.notice-icon{width:48px;height:48px;line-height:48px;margin:0 auto;border-radius:50%;background:rgba(93,105,124,.15);color:var(--muted);font-weight:700;font-size:24px}
footer{text-align:center;color:var(--muted);font-size:12px;margin-top:20px}
`;

/**
 * The browser side: countdown, status polling every 2 s (stale answers ignored by `sequence`),
 * client-side validation with the same rules as the field hints, the JSON submit, copy buttons.
 * Plain ES2017, no framework. `String.raw` keeps the regular expressions' backslashes.
 */
const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('cashier-config').textContent);
  var T = cfg.text;
  var FINAL = { SUCCEEDED: 1, FAILED: 1, EXPIRED: 1, CLOSED: 1, REVERSED: 1 };
  var RULES = {
    payer_name: function (v) { return v.length >= 2 && v.length <= 128; },
    payer_account: function (v) { return /^[0-9]{6,34}$/.test(v); },
    bank_code: function (v) { return /^[A-Za-z0-9_-]{2,32}$/.test(v); },
    payer_phone: function (v) { return /^\+?[0-9 ()-]{6,24}$/.test(v) && v.replace(/[^0-9]/g, '').length >= 6; },
    payer_id_number: function (v) { return /^[A-Za-z0-9 .\/-]{4,64}$/.test(v); },
    remark_code: function (v) { return v.length >= 1 && v.length <= 32; }
  };
  function $(id) { return document.getElementById(id); }
  var root = $('cashier');
  var form = $('payer-form');
  var shown = cfg.displayStatus;
  var sequence = 0;
  var deadline = Date.now() + cfg.secondsLeft * 1000;
  var pollTimer = null;
  var clockTimer = null;
  var stopped = false;

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    return (h > 0 ? h + ':' + pad(m) : pad(m)) + ':' + pad(x);
  }
  function group(a) {
    var p = String(a).split('.');
    p[0] = p[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return p.join('.');
  }
  function fill(s, vars) { return s.replace(/\{(\w+)\}/g, function (w, k) { return vars[k] !== undefined ? vars[k] : w; }); }
  function show(el, on) { if (el) el.hidden = !on; }

  function render(next) {
    shown = next;
    var done = !!FINAL[next];
    root.setAttribute('data-status', next);
    $('status').className = 'status status-' + next;
    $('status-label').textContent = T['status.' + next] || next;
    $('status-message').textContent = T['message.' + next] || '';
    show(form, next === 'PENDING');
    show($('instructions'), !done);
    show($('countdown-box'), !done);
    var back = $('return');
    if (back) back.className = 'btn ' + (done ? 'primary' : 'secondary');
    if (done && clockTimer) { clearInterval(clockTimer); clockTimer = null; }
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var c = $('countdown');
    if (c) c.textContent = clock(left);
    if (left === 0 && shown === 'PENDING') render('EXPIRED');
  }

  function apply(d) {
    if (!d || typeof d.status !== 'string') return;
    if (typeof d.sequence === 'number') {
      if (d.sequence < sequence) return;
      sequence = d.sequence;
    }
    deadline = Date.now() + (d.seconds_left || 0) * 1000;
    var rec = $('received');
    if (rec) {
      var paid = !/^0+(\.0+)?$/.test(d.paid_amount) && d.paid_amount !== d.amount;
      rec.textContent = paid ? fill(T['page.received'], { paid: group(d.paid_amount), amount: group(d.amount), currency: d.currency }) : '';
      show(rec, paid);
    }
    var next = d.status === 'PENDING' && d.seconds_left === 0 ? 'EXPIRED' : d.status;
    if (next !== shown) render(next);
    if (FINAL[d.status]) stop();
    tick();
  }

  function stop() {
    stopped = true;
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
  }
  function schedule() { if (!stopped) pollTimer = setTimeout(poll, 2000); }
  function poll() {
    pollTimer = null;
    fetch(cfg.statusUrl, { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (r) {
        if (r.status === 404) { stop(); return null; }
        return r.ok ? r.json() : null;
      })
      .then(apply, function () {})
      .then(schedule, schedule);
  }

  function fieldError(field, message) {
    var box = root.querySelector('[data-field="' + field + '"]');
    var err = $('e-' + field);
    var input = $('f-' + field);
    if (box) box.classList.toggle('invalid', !!message);
    if (err) { err.textContent = message || ''; show(err, !!message); }
    if (input) { if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid'); }
  }
  function formError(message) {
    var el = $('form-error');
    if (el) { el.textContent = message || ''; show(el, !!message); }
  }
  function value(field) {
    var el = $('f-' + field);
    if (!el) return '';
    var v = String(el.value || '').trim();
    return field === 'payer_account' ? v.replace(/[\s-]/g, '') : v;
  }
  function check(field) {
    var v = value(field);
    if (!v) return T['error.required'];
    return RULES[field] && !RULES[field](v) ? T['hint.' + field] : null;
  }

  if (form) {
    form.noValidate = true;
    var button = $('submit');
    cfg.fields.forEach(function (f) {
      var el = $('f-' + f);
      if (el) el.addEventListener('change', function () { fieldError(f, check(f)); });
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      formError(null);
      var payload = {};
      var first = null;
      cfg.fields.forEach(function (f) {
        var problem = check(f);
        fieldError(f, problem);
        if (problem && !first) first = $('f-' + f);
        if (!problem) payload[f] = value(f);
      });
      if (first) { first.focus(); return; }
      button.disabled = true;
      button.textContent = T['form.submitting'];
      var done = function () { button.disabled = false; button.textContent = T['form.submit']; };
      fetch(cfg.submitUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload)
      })
        .then(function (r) {
          return r.json().then(function (b) { return { ok: r.ok, body: b }; }, function () { return { ok: false, body: null }; });
        })
        .then(function (res) {
          done();
          if (res.ok) { apply(res.body); return; }
          var err = (res.body && res.body.error) || {};
          var message = T['error.' + err.code] || T['error.UNKNOWN'];
          if (err.field && cfg.fields.indexOf(err.field) >= 0) {
            fieldError(err.field, value(err.field) ? T['hint.' + err.field] || message : T['error.required']);
            var input = $('f-' + err.field);
            if (input) input.focus();
          } else {
            formError(message);
          }
          if (err.code === 'INVALID_TRANSITION') { stopped = false; if (!pollTimer) poll(); }
        }, function () { done(); formError(T['error.NETWORK']); });
    });
  }

  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (btn) {
      btn.hidden = false;
      btn.addEventListener('click', function () {
        navigator.clipboard.writeText(btn.getAttribute('data-copy')).then(function () {
          btn.textContent = T['instructions.copied'];
          setTimeout(function () { btn.textContent = T['instructions.copy']; }, 1500);
        }, function () {});
      });
    });
  }

  if (!FINAL[cfg.status]) {
    clockTimer = setInterval(tick, 1000);
    schedule();
  }
})();
`;
