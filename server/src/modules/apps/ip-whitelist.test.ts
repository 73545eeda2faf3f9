import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.ts';
import { ipAllowed, ipMatcher, validateCidrs } from './ip-whitelist.ts';

function rejection(list: string[]): unknown {
  try {
    validateCidrs(list);
  } catch (error) {
    return error;
  }
  throw new Error(`accepted ${JSON.stringify(list)}`);
}

describe('validateCidrs', () => {
  it('accepts IPv4 and IPv6 CIDRs and single addresses, normalised', () => {
    expect(validateCidrs([' 10.0.0.0/8 ', '192.168.1.7', '2001:DB8::/32', '::1', '0.0.0.0/0', '::/0'])).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      '2001:db8::/32',
      '::1',
      '0.0.0.0/0',
      '::/0',
    ]);
  });

  it('treats a full-length prefix as a single address and drops duplicates', () => {
    expect(validateCidrs(['1.2.3.4/32', '1.2.3.4', '::1/128'])).toEqual(['1.2.3.4', '::1']);
  });

  it('turns IPv4-mapped IPv6 entries into IPv4', () => {
    expect(validateCidrs(['::ffff:1.2.3.4', '::FFFF:10.1.0.0/112'])).toEqual(['1.2.3.4', '10.1.0.0/16']);
  });

  it('accepts an empty list (any address)', () => {
    expect(validateCidrs([])).toEqual([]);
  });

  it.each([
    ['', ''],
    ['not-an-ip', 'not-an-ip'],
    ['1.2.3.256', '1.2.3.256'],
    ['1.2.3', '1.2.3'],
    ['01.2.3.4', '01.2.3.4'],
    ['1.2.3.0/33', '1.2.3.0/33'],
    ['1.2.3.0/-1', '1.2.3.0/-1'],
    ['1.2.3.0/', '1.2.3.0/'],
    ['1.2.3.0/08', '1.2.3.0/08'],
    ['1.2.3.0/8/8', '1.2.3.0/8/8'],
    ['2001:db8::/129', '2001:db8::/129'],
    ['2001:db8:::1', '2001:db8:::1'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['::ffff:1.2.3.0/64', '::ffff:1.2.3.0/64'],
  ])('rejects %j with INVALID_PARAMETER naming the entry', (entry, value) => {
    const error = rejection(['10.0.0.0/8', entry]);
    expect(isDomainError(error, 'INVALID_PARAMETER')).toBe(true);
    expect((error as { details: unknown }).details).toEqual({ field: 'ip_whitelist', value });
    expect((error as Error).message).toContain(JSON.stringify(value));
  });

  it('rejects entries that are not strings and overly long lists', () => {
    expect(isDomainError(rejection([42 as unknown as string]), 'INVALID_PARAMETER')).toBe(true);
    expect(isDomainError(rejection(Array.from({ length: 101 }, (_, i) => `10.0.0.${i % 250}`)), 'INVALID_PARAMETER')).toBe(true);
  });
});

describe('ipAllowed', () => {
  it('lets any address in when the list is empty', () => {
    expect(ipAllowed('203.0.113.9', [])).toBe(true);
    expect(ipAllowed('2001:db8::1', [])).toBe(true);
  });

  it('matches IPv4 CIDRs and single addresses', () => {
    const list = ['10.0.0.0/8', '192.168.1.7'];
    expect(ipAllowed('10.255.255.255', list)).toBe(true);
    expect(ipAllowed('10.0.0.0', list)).toBe(true);
    expect(ipAllowed('11.0.0.1', list)).toBe(false);
    expect(ipAllowed('192.168.1.7', list)).toBe(true);
    expect(ipAllowed('192.168.1.8', list)).toBe(false);
  });

  it('matches the prefix boundaries exactly', () => {
    expect(ipAllowed('198.51.100.127', ['198.51.100.0/25'])).toBe(true);
    expect(ipAllowed('198.51.100.128', ['198.51.100.0/25'])).toBe(false);
    expect(ipAllowed('8.8.8.8', ['0.0.0.0/0'])).toBe(true);
  });

  it('matches IPv6 CIDRs', () => {
    const list = ['2001:db8::/32', '::1'];
    expect(ipAllowed('2001:db8:ffff::1', list)).toBe(true);
    expect(ipAllowed('2001:0db8:0000::0001', list)).toBe(true);
    expect(ipAllowed('2001:db9::1', list)).toBe(false);
    expect(ipAllowed('::1', list)).toBe(true);
    expect(ipAllowed('::2', list)).toBe(false);
  });

  it('treats an IPv4-mapped IPv6 client address as IPv4', () => {
    expect(ipAllowed('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('::FFFF:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('::ffff:11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(ipAllowed('::ffff:127.0.0.1', ['127.0.0.1'])).toBe(true);
  });

  it('matches an IPv4-mapped whitelist entry against a plain IPv4 client', () => {
    expect(ipAllowed('1.2.3.4', ['::ffff:1.2.3.4'])).toBe(true);
    expect(ipAllowed('1.2.3.5', ['::ffff:1.2.3.4'])).toBe(false);
  });

  it('does not let IPv4 clients through an IPv6 list or the reverse', () => {
    expect(ipAllowed('10.0.0.1', ['2001:db8::/32'])).toBe(false);
    expect(ipAllowed('2001:db8::1', ['10.0.0.0/8'])).toBe(false);
  });

  it('refuses unparseable or missing client addresses when a whitelist is set', () => {
    expect(ipAllowed(undefined, ['10.0.0.0/8'])).toBe(false);
    expect(ipAllowed('', ['10.0.0.0/8'])).toBe(false);
    expect(ipAllowed('garbage', ['0.0.0.0/0'])).toBe(false);
  });

  it('ignores stored entries that do not parse (the list only narrows)', () => {
    expect(ipAllowed('10.0.0.1', ['junk', '10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('10.0.0.1', ['junk'])).toBe(false);
  });

  it('builds a reusable matcher', () => {
    const allows = ipMatcher(['172.16.0.0/12']);
    expect(allows('172.31.255.255')).toBe(true);
    expect(allows('172.32.0.0')).toBe(false);
  });
});
