import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { PAYER_FIELD_MAX, type PayerField } from '../modules/payins/payins.params.ts';
import type { CashierInstructions, CashierPage, PayerFormField } from './cashier.model.ts';
import { HTML_LANG, t, type CashierLang, type CashierMessageKey } from './cashier.i18n.ts';

/**
 * The hosted cashier's HTML: one self-contained page. Its stylesheet (`cashier.css`) and browser script
 * (`cashier.client.js`) are read once, when this module loads, and inlined under the response's CSP nonce:
 * the page loads nothing from elsewhere. Everything that comes from an order or a request goes through
 * `escapeHtml` (text and attribute values, always double-quoted) or `scriptJson` (the config block).
 */

/** A file beside this module, found however the server runs (tsx, node from the sources, the image). */
function asset(name: string, closingTag: string): string {
  const text = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  // Inlined into HTML: its closing tag would end the element early.
  if (text.toLowerCase().includes(closingTag)) throw new Error(`${name} must not contain ${closingTag}`);
  return text;
}

const CSS = asset('cashier.css', '</style');
const CLIENT_SCRIPT = asset('cashier.client.js', '</script');

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

/** The QR code as a data: URL of an SVG drawn on the server (the page loads nothing from elsewhere). */
export async function qrDataUrl(content: string): Promise<string> {
  const svg = await QRCode.toString(content, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: 200 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

type Translate = (key: CashierMessageKey, vars?: Record<string, string>) => string;

/** `t` with the result escaped for HTML. */
function translator(lang: CashierLang): Translate {
  return (key, vars) => escapeHtml(t(lang, key, vars));
}

export interface RenderOptions {
  nonce: string;
  /** data: URL of the QR code, when the instructions carry something to scan. */
  qr: string | null;
}

export function renderCashierPage(page: CashierPage, { nonce, qr }: RenderOptions): string {
  const tr = translator(page.lang);
  const { status, final } = page;

  const langLinks = page.langLinks
    .map(
      (link) =>
        `<a href="${escapeHtml(link.href)}" hreflang="${HTML_LANG[link.lang]}"${link.current ? ' aria-current="true"' : ''}>${escapeHtml(LANG_NAMES[link.lang])}</a>`,
    )
    .join('');

  const meta = [
    [tr('page.orderNo'), `<span class="mono">${escapeHtml(page.orderNo)}</span>`],
    ...(page.description ? [[tr('page.description'), escapeHtml(page.description)]] : []),
    [tr('page.service'), escapeHtml(page.serviceName)],
  ]
    .map(([dt, dd]) => `<div><dt>${dt}</dt><dd>${dd}</dd></div>`)
    .join('');

  const body = `
<main class="card" id="cashier" data-status="${escapeHtml(status)}">
  <header class="top">
    <div class="merchant">${tr('page.payTo', { merchant: page.merchantName })}</div>
    <nav class="lang" aria-label="${tr('page.language')}">${langLinks}</nav>
  </header>
  ${page.test ? `<p class="test-banner">${tr('page.testOrder')}</p>` : ''}
  <section class="amount-box" aria-label="${tr('page.amountDue')}">
    <div class="label">${tr('page.amountDue')}</div>
    <div class="amount"><span class="value" id="amount">${escapeHtml(page.amount)}</span> <span class="currency">${escapeHtml(page.currency)}</span></div>
    <div class="received" id="received"${page.received ? '' : ' hidden'}>${page.received ? tr('page.received', page.received) : ''}</div>
  </section>
  <div class="status-row">
    <span class="status status-${escapeHtml(status)}" id="status" role="status" aria-live="polite"><span class="dot"></span><span id="status-label">${tr(`status.${status}`)}</span></span>
    <span class="countdown" id="countdown-box"${final ? ' hidden' : ''}>${tr('page.timeLeft')} <time id="countdown" datetime="${escapeHtml(page.expireAt)}">${page.clock}</time></span>
  </div>
  <p class="message" id="status-message">${tr(`message.${status}`)}</p>
  <dl class="meta">${meta}</dl>
  ${final ? '' : renderInstructions(page.instructions, tr, qr)}
  ${page.form ? renderForm(page, page.form, tr) : ''}
  ${page.returnUrl ? `<a class="btn ${final ? 'primary' : 'secondary'}" id="return" href="${escapeHtml(page.returnUrl)}" rel="noopener noreferrer">${tr('page.returnToMerchant')}</a>` : ''}
  ${final ? '' : `<noscript><p class="hint">${tr('page.noscript')}</p></noscript>`}
  <footer>${tr('page.footer')}</footer>
</main>
<script type="application/json" id="cashier-config">${scriptJson(page.client)}</script>
<script nonce="${escapeHtml(nonce)}">${CLIENT_SCRIPT}</script>`;

  return documentShell({ lang: page.lang, nonce, title: `${t(page.lang, 'page.title')} · ${page.merchantName}`, body });
}

const LANG_NAMES: Record<CashierLang, string> = { en: 'English', zh: '中文' };

const INSTRUCTIONS_TITLE: Record<CashierInstructions['kind'], CashierMessageKey> = {
  bank: 'instructions.bankTitle',
  crypto: 'instructions.cryptoTitle',
  qr: 'instructions.qrTitle',
};

function renderInstructions(instructions: CashierInstructions | null, tr: Translate, qr: string | null): string {
  if (!instructions) {
    return `<section class="instructions" id="instructions"><p class="hint">${tr('instructions.pending')}</p></section>`;
  }
  const rows = instructions.rows
    .map((row) => {
      const copy = row.copy === null ? '' : `<button type="button" class="copy" data-copy="${escapeHtml(row.copy)}" hidden>${tr('instructions.copy')}</button>`;
      return `<div class="row"><dt>${tr(row.label)}</dt><dd><span class="value${row.mono ? ' mono' : ''}">${escapeHtml(row.display)}</span>${copy}</dd></div>`;
    })
    .join('');
  const image = qr ? `<div class="qr"><img src="${escapeHtml(qr)}" alt="${tr('instructions.qrAlt')}" width="200" height="200"></div>` : '';
  const warning = instructions.warning ? `<p class="warning">${tr(instructions.warning.key, instructions.warning.vars)}</p>` : '';
  return `<section class="instructions" id="instructions" data-kind="${instructions.kind}">
    <h2>${tr(INSTRUCTIONS_TITLE[instructions.kind])}</h2>${image}<dl class="rows">${rows}</dl>${warning}
  </section>`;
}

/** The browser's own checks on each text input; the script applies the same rules with its messages. */
const FIELD_INPUT: Record<PayerField, { type: string; autocomplete: string; inputmode?: string; pattern?: string; minlength?: number }> = {
  payer_name: { type: 'text', autocomplete: 'name', minlength: 2 },
  payer_account: { type: 'text', autocomplete: 'off', inputmode: 'numeric', pattern: '[0-9 \\-]{6,40}' },
  bank_code: { type: 'text', autocomplete: 'off', pattern: '[A-Za-z0-9_\\-]{2,32}' },
  payer_phone: { type: 'tel', autocomplete: 'tel', pattern: '\\+?[0-9 \\(\\)\\-]{6,24}' },
  payer_id_number: { type: 'text', autocomplete: 'off', pattern: '[A-Za-z0-9 \\.\\/\\-]{4,64}' },
  remark_code: { type: 'text', autocomplete: 'off' },
};

function renderForm(page: CashierPage, form: NonNullable<CashierPage['form']>, tr: Translate): string {
  const fields = form.fields.map((field) => renderField(field, tr)).join('');
  const formError = form.error ? tr(form.error) : '';
  return `<form id="payer-form" method="post" action="${escapeHtml(page.client.submitUrl)}">
    ${form.fields.length > 0 ? `<h2>${tr('form.title')}</h2><p class="hint">${tr('form.hint')}</p>` : ''}
    ${fields}
    <input type="hidden" name="lang" value="${escapeHtml(form.lang ?? '')}">
    <p class="form-error" id="form-error" role="alert"${formError ? '' : ' hidden'}>${formError}</p>
    <button type="submit" class="btn primary" id="submit">${tr('form.submit')}</button>
    <p class="hint center">${tr('form.submitHint')}</p>
  </form>`;
}

function renderField({ field, banks, error }: PayerFormField, tr: Translate): string {
  const id = `f-${field}`;
  const describedBy = `h-${field} e-${field}`;
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
      error ? 'aria-invalid="true"' : '',
    ].filter(Boolean);
    control = `<input ${attrs.join(' ')}>`;
  }
  return `<div class="field${error ? ' invalid' : ''}" data-field="${field}">
      <label for="${id}">${tr(`field.${field}`)}</label>${control}
      <p class="field-hint" id="h-${field}">${tr(`hint.${field}`)}</p>
      <p class="field-error" id="e-${field}" role="alert"${error ? '' : ' hidden'}>${error ? tr(error) : ''}</p>
    </div>`;
}

/** The 404 (unknown prepay id) and error pages, in the cashier's style. */
export function renderMessagePage(opts: { lang: CashierLang; nonce: string; title: CashierMessageKey; body: CashierMessageKey }): string {
  const tr = translator(opts.lang);
  const body = `
<main class="card" id="cashier" data-status="NOT_FOUND">
  <div class="notice">
    <div class="notice-icon" aria-hidden="true">!</div>
    <h1>${tr(opts.title)}</h1>
    <p class="message">${tr(opts.body)}</p>
  </div>
  <footer>${tr('page.footer')}</footer>
</main>`;
  return documentShell({ lang: opts.lang, nonce: opts.nonce, title: t(opts.lang, opts.title), body });
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
