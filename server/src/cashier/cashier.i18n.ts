/**
 * The hosted cashier's texts, English and Chinese. Keys are flat; `{name}` placeholders are filled by
 * `t()`. The page passes the keys the browser script needs (status labels, errors …) to the client in its
 * config block, so both sides speak the same words.
 */

export type CashierLang = 'en' | 'zh';

const en = {
  'page.title': 'Checkout',
  'page.notFoundTitle': 'Order not found',
  'page.notFoundBody': 'This payment link is invalid or no longer exists. Please go back to the merchant and start again.',
  'page.errorTitle': 'Something went wrong',
  'page.errorBody': 'The payment page could not be loaded. Please try again in a moment.',
  'page.payTo': 'Pay {merchant}',
  'page.amountDue': 'Amount due',
  'page.received': 'Received {paid} of {amount} {currency}',
  'page.orderNo': 'Order number',
  'page.description': 'Description',
  'page.service': 'Payment method',
  'page.timeLeft': 'Time left to pay',
  'page.testOrder': 'Test order — no real money moves.',
  'page.noscript': 'JavaScript is off: reload this page to see the latest status.',
  'page.footer': 'Secured by Payrail',
  'page.language': 'Language',
  'page.returnToMerchant': 'Return to merchant',

  'status.PENDING': 'Awaiting payment',
  'status.PROCESSING': 'Confirming your payment',
  'status.SUCCEEDED': 'Paid',
  'status.FAILED': 'Payment failed',
  'status.EXPIRED': 'Expired',
  'status.CLOSED': 'Closed',
  'status.REVERSED': 'Payment reversed',

  'message.PENDING': 'Pay the amount shown using the details below, then press "I have paid".',
  'message.PROCESSING': 'Thank you. We are waiting for your payment to arrive; this page updates by itself.',
  'message.SUCCEEDED': 'Your payment has been received. Thank you!',
  'message.FAILED': 'The payment did not go through. If money has left your account, please contact the merchant.',
  'message.EXPIRED': 'The time to pay this order has run out. Please do not pay it any more; ask the merchant for a new order.',
  'message.CLOSED': 'The merchant has closed this order. Please do not pay it.',
  'message.REVERSED': 'The payment for this order was reversed. Please contact the merchant.',

  'instructions.bankTitle': 'Transfer to this account',
  'instructions.cryptoTitle': 'Send exactly this amount',
  'instructions.qrTitle': 'Scan to pay',
  'instructions.pending': 'The payment details are being prepared. Reload this page in a moment.',
  'instructions.bankName': 'Bank',
  'instructions.accountName': 'Account holder',
  'instructions.accountNumber': 'Account number',
  'instructions.reference': 'Reference (put it in the transfer note)',
  'instructions.amount': 'Amount',
  'instructions.network': 'Network',
  'instructions.address': 'Address',
  'instructions.pixKey': 'PIX key',
  'instructions.qrAlt': 'QR code to scan with your payment app',
  'instructions.cryptoWarning': 'Send only {currency} on the {network} network, and exactly the amount shown. Other coins or networks are lost.',
  'instructions.bankWarning': 'Transfer exactly the amount shown and include the reference, or the payment cannot be matched.',
  'instructions.copy': 'Copy',
  'instructions.copied': 'Copied',

  'form.title': 'Your details',
  'form.hint': 'We need these to match your payment to this order.',
  'form.submit': 'I have paid',
  'form.submitting': 'Sending…',
  'form.submitHint': 'Press after you have completed the payment.',
  'form.chooseBank': 'Choose your bank',

  'field.payer_name': 'Full name (as on your account)',
  'field.payer_account': 'Card or account number',
  'field.bank_code': 'Your bank',
  'field.payer_phone': 'Phone number',
  'field.payer_id_number': 'ID number',
  'field.remark_code': 'Remark code',

  'hint.payer_name': 'Between 2 and 128 characters.',
  'hint.payer_account': 'Digits only, 6 to 34 of them.',
  'hint.bank_code': 'Choose the bank you pay from.',
  'hint.payer_phone': 'A phone number, e.g. +66 812345678.',
  'hint.payer_id_number': 'Letters, digits, dots, dashes or slashes, 4 to 64 characters.',
  'hint.remark_code': 'Up to 32 characters, as given by the merchant.',

  'error.required': 'This field is required.',
  'error.INVALID_PARAMETER': 'Please check this value.',
  'error.INVALID_TRANSITION': 'This order can no longer be submitted.',
  'error.ORDER_NOT_FOUND': 'This order no longer exists.',
  'error.RATE_LIMITED': 'Too many attempts. Please wait a minute and try again.',
  'error.RISK_REJECTED': 'This account cannot be used for this payment. Please use another one or contact the merchant.',
  'error.BODY_TOO_LARGE': 'The form is too large.',
  'error.NETWORK': 'Network error. Please check your connection and try again.',
  'error.UNKNOWN': 'Something went wrong. Please try again.',
} as const;

export type CashierMessageKey = keyof typeof en;
type Messages = Record<CashierMessageKey, string>;

const zh: Messages = {
  'page.title': '收银台',
  'page.notFoundTitle': '订单不存在',
  'page.notFoundBody': '支付链接无效或已失效，请返回商户重新下单。',
  'page.errorTitle': '出错了',
  'page.errorBody': '支付页面暂时无法加载，请稍后重试。',
  'page.payTo': '向 {merchant} 付款',
  'page.amountDue': '应付金额',
  'page.received': '已收到 {paid} / {amount} {currency}',
  'page.orderNo': '订单号',
  'page.description': '订单描述',
  'page.service': '支付方式',
  'page.timeLeft': '剩余支付时间',
  'page.testOrder': '测试订单 — 不会产生真实资金流动。',
  'page.noscript': 'JavaScript 已关闭：请刷新页面查看最新状态。',
  'page.footer': '由 Payrail 提供安全支付',
  'page.language': '语言',
  'page.returnToMerchant': '返回商户',

  'status.PENDING': '待支付',
  'status.PROCESSING': '支付确认中',
  'status.SUCCEEDED': '支付成功',
  'status.FAILED': '支付失败',
  'status.EXPIRED': '已过期',
  'status.CLOSED': '已关闭',
  'status.REVERSED': '支付已撤销',

  'message.PENDING': '请按以下信息支付所示金额，完成后点击“我已付款”。',
  'message.PROCESSING': '谢谢！我们正在等待款项到账，本页面会自动更新。',
  'message.SUCCEEDED': '您的付款已到账，谢谢！',
  'message.FAILED': '支付未成功。如您的账户已扣款，请联系商户。',
  'message.EXPIRED': '该订单已超过支付时间，请勿再付款，请向商户重新下单。',
  'message.CLOSED': '商户已关闭该订单，请勿付款。',
  'message.REVERSED': '该订单的付款已被撤销，请联系商户。',

  'instructions.bankTitle': '请转账至以下账户',
  'instructions.cryptoTitle': '请转入以下准确金额',
  'instructions.qrTitle': '扫码支付',
  'instructions.pending': '支付信息准备中，请稍后刷新本页面。',
  'instructions.bankName': '银行',
  'instructions.accountName': '收款人',
  'instructions.accountNumber': '收款账号',
  'instructions.reference': '附言（请填写在转账备注中）',
  'instructions.amount': '金额',
  'instructions.network': '网络',
  'instructions.address': '收款地址',
  'instructions.pixKey': 'PIX 密钥',
  'instructions.qrAlt': '使用支付应用扫描的二维码',
  'instructions.cryptoWarning': '仅支持 {network} 网络的 {currency}，请转入准确金额；其他币种或网络的转账将会丢失。',
  'instructions.bankWarning': '请转入准确金额并填写附言，否则无法匹配您的付款。',
  'instructions.copy': '复制',
  'instructions.copied': '已复制',

  'form.title': '付款人信息',
  'form.hint': '我们需要这些信息来匹配您的付款。',
  'form.submit': '我已付款',
  'form.submitting': '提交中…',
  'form.submitHint': '请在完成付款后点击。',
  'form.chooseBank': '请选择银行',

  'field.payer_name': '付款人姓名（与账户一致）',
  'field.payer_account': '付款卡号或账号',
  'field.bank_code': '付款银行',
  'field.payer_phone': '手机号码',
  'field.payer_id_number': '证件号码',
  'field.remark_code': '备注码',

  'hint.payer_name': '2 到 128 个字符。',
  'hint.payer_account': '仅限数字，6 到 34 位。',
  'hint.bank_code': '请选择您付款所用的银行。',
  'hint.payer_phone': '请输入手机号码，例如 +86 13812345678。',
  'hint.payer_id_number': '字母、数字、点、横线或斜线，4 到 64 个字符。',
  'hint.remark_code': '最多 32 个字符，按商户提供的填写。',

  'error.required': '此项为必填。',
  'error.INVALID_PARAMETER': '请检查填写内容。',
  'error.INVALID_TRANSITION': '该订单当前状态不可提交。',
  'error.ORDER_NOT_FOUND': '该订单已不存在。',
  'error.RATE_LIMITED': '尝试次数过多，请一分钟后再试。',
  'error.RISK_REJECTED': '该账户不能用于本次付款，请更换账户或联系商户。',
  'error.BODY_TOO_LARGE': '提交内容过大。',
  'error.NETWORK': '网络错误，请检查网络后重试。',
  'error.UNKNOWN': '出错了，请重试。',
};

const MESSAGES: Record<CashierLang, Messages> = { en, zh };

/** `zh_cn` (the order's locale) or `zh` → Chinese; anything else → English. */
export function cashierLang(value: string | null | undefined): CashierLang | null {
  if (!value) return null;
  const v = value.toLowerCase();
  if (v === 'zh' || v === 'zh_cn' || v === 'zh-cn') return 'zh';
  if (v === 'en') return 'en';
  return null;
}

/** The text for `key` in `lang` with `{name}` placeholders replaced (values are inserted as given: escape at output). */
export function t(lang: CashierLang, key: CashierMessageKey, vars: Record<string, string> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

export function isCashierMessageKey(key: string): key is CashierMessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** Every message whose key starts with one of `prefixes` (for the browser script). */
export function messagesFor(lang: CashierLang, prefixes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(MESSAGES[lang])) {
    if (prefixes.some((p) => key.startsWith(p))) out[key] = value;
  }
  return out;
}

export const HTML_LANG: Record<CashierLang, string> = { en: 'en', zh: 'zh-CN' };
