/**
 * A merchant's server talking to Payrail, with nothing but Node's standard library:
 * it creates a payin order with a signed request, verifies the signed response, and runs a callback
 * endpoint that verifies every status callback Payrail sends. See the README ("Try the merchant API").
 *
 *   PAYRAIL_URL=http://localhost:4000 APP_ID=… MCH_ID=… KEY_SERIAL=… \
 *   MERCHANT_KEY=merchant.pem PLATFORM_KEY=platform.pem CALLBACK_PORT=4100 \
 *   npx tsx examples/merchant-client.ts
 */
import { createSign, createVerify, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`set ${name}`);
  return value;
};

const baseUrl = env('PAYRAIL_URL', 'http://localhost:4000');
const appId = env('APP_ID');
const mchId = env('MCH_ID');
const serial = env('KEY_SERIAL');
const merchantKey = readFileSync(env('MERCHANT_KEY'), 'utf8');
const platformKey = readFileSync(env('PLATFORM_KEY'), 'utf8');
const callbackPort = Number(env('CALLBACK_PORT', '4100'));

const nonce = () => randomBytes(12).toString('hex');

/** Authorization over METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY\n with the merchant's private key. */
function authorization(method: string, path: string, body: string): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const n = nonce();
  const signer = createSign('RSA-SHA256');
  signer.update(`${method}\n${path}\n${timestamp}\n${n}\n${body}\n`);
  const signature = signer.sign(merchantKey, 'base64');
  return `PAYRAIL-SHA256-RSA2048 timestamp="${timestamp}",nonce="${n}",serial="${serial}",signature="${signature}"`;
}

/** Responses and callbacks are signed over TIMESTAMP\nNONCE\nBODY\n with the platform key. */
function verifyPlatformSignature(headers: { get(name: string): string | null }, body: string): boolean {
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${headers.get('payrail-timestamp')}\n${headers.get('payrail-nonce')}\n${body}\n`);
  return verifier.verify(platformKey, headers.get('payrail-signature') ?? '', 'base64');
}

async function call(path: string, payload: Record<string, unknown>): Promise<{ code: number; msg: string; data: any }> {
  const body = JSON.stringify({ mch_id: mchId, ...payload });
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', app_id: appId, authorization: authorization('POST', path, body) },
    body,
  });
  const text = await response.text();
  const parsed = JSON.parse(text);
  if (parsed.code === 0 && !verifyPlatformSignature(response.headers, text)) throw new Error('response signature does not verify');
  return parsed;
}

const seen = new Map<string, number>();
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    const headers = { get: (name: string) => (req.headers[name] as string | undefined) ?? null };
    if (!verifyPlatformSignature(headers, body)) {
      console.log('callback with a bad signature: refused');
      res.writeHead(401).end();
      return;
    }
    const event = JSON.parse(body);
    const { out_trade_no, status, sequence } = event.data;
    // Callbacks of one order arrive in sequence order; ignore anything older than what was processed.
    if ((seen.get(out_trade_no) ?? 0) < sequence) seen.set(out_trade_no, sequence);
    console.log(`callback verified: ${event.event_type} ${out_trade_no} → ${status} (sequence ${sequence})`);
    res.writeHead(200).end('ok');
  });
});
server.listen(callbackPort, '127.0.0.1');

const outTradeNo = `example-${Date.now()}`;
const created = await call('/v1/transaction/prepayment', {
  out_trade_no: outTradeNo,
  amount: process.env.AMOUNT ?? '500.00',
  currency: process.env.CURRENCY ?? 'THB',
  service: process.env.SERVICE ?? 'THB_BANK',
  expire_second: 900,
  order_type: 'platform_order',
  payer_name: 'Example Payer',
  payer_account: '1234567890',
  bank_code: 'KBANK',
  notify_url: `http://127.0.0.1:${callbackPort}/callback`,
  locale: 'en',
});
if (created.code !== 0) {
  console.error(`order refused: ${created.code} ${created.msg}`);
  process.exit(1);
}
console.log(`order ${outTradeNo} created; the payer pays at:\n  ${created.data.payment_url}`);
console.log(`listening for callbacks on http://127.0.0.1:${callbackPort}/callback (Ctrl-C to stop)`);
