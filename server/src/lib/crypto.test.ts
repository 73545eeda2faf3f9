import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  AUTH_SCHEME,
  assertRsaPublicKey,
  buildAuthorizationHeader,
  canonicalRequest,
  createSecretBox,
  generateRsaKeyPair,
  generateRsaKeyPairAsync,
  isValidNonce,
  keySerial,
  parseAuthorizationHeader,
  parseSecretKey,
  payloadMessage,
  randomNonce,
  signMessage,
  signPayload,
  signRequest,
  verifyPayload,
  verifyRequest,
  verifySignature,
  type RequestParts,
} from './crypto.ts';
import { isDomainError } from './errors.ts';

const merchant = generateRsaKeyPair();
const other = generateRsaKeyPair();

const request: RequestParts = {
  method: 'post',
  pathWithQuery: '/v1/transaction/prepayment',
  timestamp: '1763877860',
  nonce: 'k3J9x0QmZp7LwT2v',
  body: '{"mch_id":"1234567890","amount":"150.00"}',
};

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDomainError(error) ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

describe('key pairs', () => {
  it('generates 2048-bit RSA keys in SPKI/PKCS#8 PEM', () => {
    expect(merchant.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(merchant.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPublicKey(merchant.publicKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPrivateKey(merchant.privateKeyPem).asymmetricKeyType).toBe('rsa');
  });

  it('refuses to generate weak keys', () => {
    expect(() => generateRsaKeyPair(1024)).toThrow(RangeError);
    expect(() => generateRsaKeyPairAsync(1024)).toThrow(RangeError);
  });

  it('generates keys asynchronously too', async () => {
    const pair = await generateRsaKeyPairAsync();
    expect(assertRsaPublicKey(pair.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('keySerial is the first 32 upper-case hex chars of sha256(SPKI DER)', () => {
    const der = createPublicKey(merchant.publicKeyPem).export({ type: 'spki', format: 'der' });
    const expected = createHash('sha256').update(der).digest('hex').slice(0, 32).toUpperCase();
    expect(keySerial(merchant.publicKeyPem)).toBe(expected);
    expect(keySerial(merchant.publicKeyPem)).toMatch(/^[0-9A-F]{32}$/);
    expect(keySerial(other.publicKeyPem)).not.toBe(expected);
  });

  it('keySerial is the same for the PKCS#1 and SPKI forms of a key', () => {
    const pkcs1 = createPublicKey(merchant.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toMatch(/^-----BEGIN RSA PUBLIC KEY-----/);
    expect(keySerial(pkcs1)).toBe(keySerial(merchant.publicKeyPem));
  });

  it('keySerial of garbage is INVALID_PUBLIC_KEY', () => {
    expect(errorCode(() => keySerial('not a key'))).toBe('INVALID_PUBLIC_KEY');
  });
});

describe('assertRsaPublicKey', () => {
  it('accepts RSA public keys of 2048+ bits in SPKI or PKCS#1 PEM', () => {
    expect(assertRsaPublicKey(merchant.publicKeyPem).type).toBe('public');
    const pkcs1 = createPublicKey(merchant.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(assertRsaPublicKey(pkcs1).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(assertRsaPublicKey(`\n  ${merchant.publicKeyPem}\n`).type).toBe('public');
  });

  it('refuses a 1024-bit key', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(errorCode(() => assertRsaPublicKey(weak.toString()))).toBe('INVALID_PUBLIC_KEY');
  });

  it('refuses non-RSA keys, private keys and garbage', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(errorCode(() => assertRsaPublicKey(ec.toString()))).toBe('INVALID_PUBLIC_KEY');
    expect(errorCode(() => assertRsaPublicKey(merchant.privateKeyPem))).toBe('INVALID_PUBLIC_KEY');
    expect(errorCode(() => assertRsaPublicKey(`${merchant.publicKeyPem}${merchant.privateKeyPem}`))).toBe(
      'INVALID_PUBLIC_KEY',
    );
    expect(errorCode(() => assertRsaPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'))).toBe(
      'INVALID_PUBLIC_KEY',
    );
    expect(errorCode(() => assertRsaPublicKey(''))).toBe('INVALID_PUBLIC_KEY');
  });
});

describe('request signing', () => {
  it('builds the canonical request exactly as the contract says', () => {
    expect(canonicalRequest(request)).toBe(
      'POST\n/v1/transaction/prepayment\n1763877860\nk3J9x0QmZp7LwT2v\n{"mch_id":"1234567890","amount":"150.00"}\n',
    );
    expect(
      canonicalRequest({ method: 'get', pathWithQuery: '/v1/platform/certificates?x=1', timestamp: 1763877860, nonce: 'k3J9x0QmZp7LwT2v' }),
    ).toBe('GET\n/v1/platform/certificates?x=1\n1763877860\nk3J9x0QmZp7LwT2v\n\n');
    // a GET always signs an empty body
    expect(canonicalRequest({ ...request, method: 'GET' })).toMatch(/k3J9x0QmZp7LwT2v\n\n$/);
  });

  it('refuses fields that would break the line structure', () => {
    expect(() => canonicalRequest({ ...request, pathWithQuery: '/v1/x\nPOST' })).toThrow(TypeError);
    expect(() => canonicalRequest({ ...request, timestamp: '17638 77860' })).toThrow(TypeError);
    expect(() => canonicalRequest({ ...request, nonce: 'a\nb' })).toThrow(TypeError);
  });

  it('produces a signature Node verifies as RSA-SHA256 PKCS#1 v1.5 over the canonical request', () => {
    const signature = signRequest(merchant.privateKeyPem, request);
    const verifier = createVerify('RSA-SHA256');
    verifier.update(canonicalRequest(request));
    expect(verifier.verify(merchant.publicKeyPem, signature, 'base64')).toBe(true);
  });

  it('verifies a signature made by Node (what an external client would do)', () => {
    const signer = createSign('RSA-SHA256');
    signer.update(canonicalRequest(request));
    const signature = signer.sign(merchant.privateKeyPem, 'base64');
    expect(verifyRequest(merchant.publicKeyPem, request, signature)).toBe(true);
    expect(verifyRequest(createPublicKey(merchant.publicKeyPem), request, signature)).toBe(true);
    expect(verifySignature(merchant.publicKeyPem, canonicalRequest(request), signature)).toBe(true);
    expect(verifySignature(merchant.publicKeyPem, Buffer.from(canonicalRequest(request)), signature)).toBe(true);
  });

  it('fails when any signed part is tampered with', () => {
    const signature = signRequest(merchant.privateKeyPem, request);
    expect(verifyRequest(merchant.publicKeyPem, request, signature)).toBe(true);
    expect(verifyRequest(merchant.publicKeyPem, { ...request, body: request.body + ' ' }, signature)).toBe(false);
    expect(verifyRequest(merchant.publicKeyPem, { ...request, body: request.body?.replace('150', '151') }, signature)).toBe(false);
    expect(verifyRequest(merchant.publicKeyPem, { ...request, timestamp: '1763877861' }, signature)).toBe(false);
    expect(verifyRequest(merchant.publicKeyPem, { ...request, nonce: 'k3J9x0QmZp7LwT2w' }, signature)).toBe(false);
    expect(verifyRequest(merchant.publicKeyPem, { ...request, method: 'PUT' }, signature)).toBe(false);
    expect(verifyRequest(merchant.publicKeyPem, { ...request, pathWithQuery: '/v1/payout/create' }, signature)).toBe(false);
    expect(verifyRequest(other.publicKeyPem, request, signature)).toBe(false);
  });

  it('method case does not matter (it is upper-cased)', () => {
    const signature = signRequest(merchant.privateKeyPem, { ...request, method: 'post' });
    expect(verifyRequest(merchant.publicKeyPem, { ...request, method: 'POST' }, signature)).toBe(true);
  });

  it('verifySignature never throws on garbage', () => {
    const message = canonicalRequest(request);
    const signature = signMessage(merchant.privateKeyPem, message);
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const ecSignature = signMessageEc(ec.privateKey, message);
    const cases: Array<[string, string]> = [
      [merchant.publicKeyPem, ''],
      [merchant.publicKeyPem, 'not base64!'],
      [merchant.publicKeyPem, 'AAAA'],
      [merchant.publicKeyPem, `${signature}AAAA`],
      [merchant.publicKeyPem, signature.slice(4)],
      [merchant.publicKeyPem, ` ${signature}`],
      [merchant.publicKeyPem, null as unknown as string],
      ['garbage', signature],
      ['', signature],
      [ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), ecSignature],
    ];
    for (const [key, sig] of cases) expect(verifySignature(key, message, sig)).toBe(false);
    expect(verifyRequest(merchant.publicKeyPem, { ...request, nonce: 'bad\nnonce' }, signature)).toBe(false);
  });
});

function signMessageEc(privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'], message: string): string {
  const signer = createSign('SHA256');
  signer.update(message);
  return signer.sign(privateKey, 'base64');
}

describe('Authorization header', () => {
  const parts = {
    timestamp: '1763877860',
    nonce: 'k3J9x0QmZp7LwT2v',
    serial: '0123456789ABCDEF0123456789ABCDEF',
    signature: 'c2lnbmF0dXJlIGJ5dGVz+/==',
  };
  const header =
    'PAYRAIL-SHA256-RSA2048 timestamp="1763877860",nonce="k3J9x0QmZp7LwT2v",serial="0123456789ABCDEF0123456789ABCDEF",signature="c2lnbmF0dXJlIGJ5dGVz+/=="';

  it('builds the exact format', () => {
    expect(buildAuthorizationHeader(parts)).toBe(header);
    expect(buildAuthorizationHeader({ ...parts, timestamp: 1763877860 })).toBe(header);
  });

  it('parses what it builds, with a real signature', () => {
    expect(parseAuthorizationHeader(header)).toEqual(parts);
    const real = {
      timestamp: '1763877860',
      nonce: randomNonce(),
      serial: keySerial(merchant.publicKeyPem),
      signature: signRequest(merchant.privateKeyPem, request),
    };
    expect(parseAuthorizationHeader(buildAuthorizationHeader(real))).toEqual(real);
  });

  it('rejects malformed variants', () => {
    const variants = [
      '',
      AUTH_SCHEME,
      header.replace(AUTH_SCHEME, 'payrail-sha256-rsa2048'),
      header.replace(AUTH_SCHEME, 'Bearer'),
      header.replace(AUTH_SCHEME + ' ', AUTH_SCHEME + '  '),
      ` ${header}`,
      `${header} `,
      `${header},extra="1"`,
      header.replace('",nonce', '", nonce'),
      header.replace('timestamp="1763877860"', 'timestamp=1763877860'),
      header.replace('1763877860', '-1763877860'),
      header.replace('1763877860', '1763877860.5'),
      header.replace('1763877860', ''),
      header.replace('k3J9x0QmZp7LwT2v', 'k3J9x0QmZp7LwT2'), // 15 chars
      header.replace('k3J9x0QmZp7LwT2v', 'k'.repeat(65)),
      header.replace('k3J9x0QmZp7LwT2v', 'k3J9x0QmZp7LwT2-'),
      header.replace('k3J9x0QmZp7LwT2v', 'k3J9x0QmZp7LwT2ü'),
      header.replace('serial="0123456789ABCDEF0123456789ABCDEF"', 'serial=""'),
      header.replace('serial="0123456789ABCDEF0123456789ABCDEF"', 'serial="a b"'),
      header.replace('c2lnbmF0dXJlIGJ5dGVz+/==', ''),
      header.replace('c2lnbmF0dXJlIGJ5dGVz+/==', 'c2lnbmF0dXJlIGJ5dGVz+/='), // bad length
      header.replace('c2lnbmF0dXJlIGJ5dGVz+/==', 'c2lnbmF0dXJl*GJ5dGVz+/=='),
      // parameters in another order
      'PAYRAIL-SHA256-RSA2048 nonce="k3J9x0QmZp7LwT2v",timestamp="1763877860",serial="0123456789ABCDEF0123456789ABCDEF",signature="c2lnbmF0dXJlIGJ5dGVz+/=="',
      header.replace(',serial="0123456789ABCDEF0123456789ABCDEF"', ''),
      `${header}\n`,
    ];
    for (const variant of variants) expect(parseAuthorizationHeader(variant), variant).toBeNull();
    expect(parseAuthorizationHeader(undefined)).toBeNull();
    expect(parseAuthorizationHeader(null)).toBeNull();
    expect(parseAuthorizationHeader(header + 'x'.repeat(5000))).toBeNull();
  });

  it('accepts nonces of 16 and 64 characters', () => {
    for (const nonce of ['a'.repeat(16), 'Z9'.repeat(32)]) {
      expect(parseAuthorizationHeader(buildAuthorizationHeader({ ...parts, nonce }))?.nonce).toBe(nonce);
    }
  });
});

describe('response and callback signing', () => {
  const platform = other;
  const payload = { timestamp: '1763877860', nonce: 'Qm7x2N9pL4kT8vRs1Yw3Zc5B', body: '{"code":0,"msg":"ok"}' };

  it('signs <timestamp>\\n<nonce>\\n<raw body>\\n', () => {
    expect(payloadMessage(payload)).toBe('1763877860\nQm7x2N9pL4kT8vRs1Yw3Zc5B\n{"code":0,"msg":"ok"}\n');
    const signature = signPayload(platform.privateKeyPem, payload);
    const verifier = createVerify('RSA-SHA256');
    verifier.update(payloadMessage(payload));
    expect(verifier.verify(platform.publicKeyPem, signature, 'base64')).toBe(true);
    expect(verifyPayload(platform.publicKeyPem, payload, signature)).toBe(true);
  });

  it('fails when the body, timestamp or nonce is changed, or with another key', () => {
    const signature = signPayload(platform.privateKeyPem, payload);
    expect(verifyPayload(platform.publicKeyPem, { ...payload, body: '{"code":1,"msg":"ok"}' }, signature)).toBe(false);
    expect(verifyPayload(platform.publicKeyPem, { ...payload, timestamp: '1763877861' }, signature)).toBe(false);
    expect(verifyPayload(platform.publicKeyPem, { ...payload, nonce: 'Qm7x2N9pL4kT8vRs1Yw3Zc5C' }, signature)).toBe(false);
    expect(verifyPayload(merchant.publicKeyPem, payload, signature)).toBe(false);
    expect(verifyPayload(platform.publicKeyPem, { ...payload, nonce: 'x\ny' }, signature)).toBe(false);
  });
});

describe('randomNonce', () => {
  it('is alphanumeric of the requested length and valid for requests', () => {
    expect(randomNonce()).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(randomNonce(16)).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(randomNonce(64)).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(isValidNonce(randomNonce())).toBe(true);
    expect(() => randomNonce(0)).toThrow(RangeError);
    expect(() => randomNonce(1.5)).toThrow(RangeError);
  });

  it('does not repeat and uses the whole alphabet', () => {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const nonce = randomNonce();
      seen.add(nonce);
      for (const c of nonce) chars.add(c);
    }
    expect(seen.size).toBe(2000);
    expect(chars.size).toBe(62);
  });
});

describe('secret box', () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);

  it('round-trips, with a fresh IV each time', () => {
    for (const text of ['', 'secret', merchant.privateKeyPem, '密钥 🔑 ключ', 'x'.repeat(100_000)]) {
      const sealed = box.seal(text);
      expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]*$/);
      expect(box.open(sealed)).toBe(text);
    }
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('binds to the additional data when given', () => {
    const sealed = box.seal('api-key', 'channel:42');
    expect(box.open(sealed, 'channel:42')).toBe('api-key');
    expect(errorCode(() => box.open(sealed, 'channel:43'))).toBe('SECRET_DECRYPT_FAILED');
    expect(errorCode(() => box.open(sealed))).toBe('SECRET_DECRYPT_FAILED');
  });

  it('detects tampering and a wrong key', () => {
    const sealed = box.seal('top secret value');
    const [version, iv, tag, data] = sealed.split(':') as [string, string, string, string];
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    const tampered = [
      [version, iv, tag, flip(data)].join(':'),
      [version, flip(iv), tag, data].join(':'),
      [version, iv, flip(tag), data].join(':'),
      [version, iv, tag, data.slice(0, -4)].join(':'),
      ['v2', iv, tag, data].join(':'),
      [version, iv, tag].join(':'),
      `${sealed}:x`,
      [version, iv, 'AAAA', data].join(':'),
      [version, 'not*base64', tag, data].join(':'),
      '',
      'garbage',
    ];
    for (const value of tampered) expect(errorCode(() => box.open(value)), value).toBe('SECRET_DECRYPT_FAILED');
    expect(errorCode(() => createSecretBox(randomBytes(32)).open(sealed))).toBe('SECRET_DECRYPT_FAILED');
  });

  it('keeps its own copy of the key', () => {
    const mutable = Buffer.from(key);
    const own = createSecretBox(mutable);
    const sealed = own.seal('x');
    mutable.fill(0);
    expect(own.open(sealed)).toBe('x');
  });

  it('needs a 32-byte key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(RangeError);
    expect(() => createSecretBox(randomBytes(33))).toThrow(RangeError);
  });
});

describe('parseSecretKey', () => {
  const key = randomBytes(32);

  it('accepts 64 hex chars and base64 (standard, url-safe, padded or not) of 32 bytes', () => {
    expect(parseSecretKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('hex').toUpperCase()).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url')).equals(key)).toBe(true);
    expect(parseSecretKey(` ${key.toString('base64')}\n`).equals(key)).toBe(true);
  });

  it('refuses anything else', () => {
    for (const text of [
      '',
      key.toString('hex').slice(0, 62),
      `${key.toString('hex')}00`,
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      'not a key at all',
      `${key.toString('base64').slice(0, 40)}*AAA`,
    ]) {
      expect(errorCode(() => parseSecretKey(text)), text).toBe('INVALID_SECRET_KEY');
    }
  });
});
