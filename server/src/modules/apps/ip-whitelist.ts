import { BlockList, isIP, isIPv4 } from 'node:net';
import { DomainError } from '../../lib/errors.ts';

/**
 * An app's IP whitelist: IPv4 and IPv6 CIDRs or single addresses; an empty list lets any address in.
 * IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, what a dual-stack socket reports for an IPv4 client)
 * are treated as the IPv4 address, both in the list and in the checked address.
 */

export const MAX_WHITELIST_ENTRIES = 100;

interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

/**
 * Checks a whitelist and returns it normalised (trimmed, IPv4-mapped entries as IPv4, duplicates
 * removed). Throws DomainError INVALID_PARAMETER naming the first bad entry.
 */
export function validateCidrs(list: readonly string[]): string[] {
  if (!Array.isArray(list)) throw invalid('ip_whitelist must be a list of CIDRs', undefined);
  if (list.length > MAX_WHITELIST_ENTRIES) {
    throw new DomainError('INVALID_PARAMETER', `ip_whitelist has more than ${MAX_WHITELIST_ENTRIES} entries`, {
      field: 'ip_whitelist',
      max: MAX_WHITELIST_ENTRIES,
    });
  }
  const out: string[] = [];
  for (const entry of list) {
    const cidr = typeof entry === 'string' ? parseCidr(entry.trim()) : undefined;
    if (!cidr) throw invalid(`not an IP address or CIDR: ${JSON.stringify(entry)}`, entry);
    const text = formatCidr(cidr);
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

/** True when `ip` is inside one of `cidrs`, or when `cidrs` is empty. Unparseable input gives false. */
export function ipAllowed(ip: string | undefined, cidrs: readonly string[]): boolean {
  return ipMatcher(cidrs)(ip);
}

/**
 * Builds the check once for a whitelist (the hot path caches it with the app). Entries that do not
 * parse are ignored: the stored list was validated on write, and ignoring only narrows the list.
 */
export function ipMatcher(cidrs: readonly string[]): (ip: string | undefined) => boolean {
  if (cidrs.length === 0) return () => true;
  const blockList = new BlockList();
  let rules = 0;
  for (const entry of cidrs) {
    const cidr = parseCidr(entry.trim());
    if (!cidr) continue;
    blockList.addSubnet(cidr.address, cidr.prefix, cidr.family);
    rules++;
  }
  if (rules === 0) return () => false;
  return (ip) => {
    const address = typeof ip === 'string' ? normaliseAddress(ip.trim()) : undefined;
    if (!address) return false;
    try {
      return blockList.check(address.address, address.family);
    } catch {
      return false;
    }
  };
}

function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const address = normaliseAddress(addressText);
  if (!address) return undefined;
  const max = address.family === 'ipv4' ? 32 : 128;
  let prefix = max;
  if (prefixText !== undefined) {
    if (!PREFIX.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (address.mappedFromIpv6) {
      // ::ffff:1.2.3.0/120 is 1.2.3.0/24; a shorter prefix leaves the mapped range.
      if (prefix < 96 || prefix > 128) return undefined;
      prefix -= 96;
    }
    if (prefix > max) return undefined;
  }
  return { address: address.address, prefix, family: address.family };
}

function normaliseAddress(text: string): { address: string; family: 'ipv4' | 'ipv6'; mappedFromIpv6: boolean } | undefined {
  if (text.includes('%')) return undefined; // zone ids (fe80::1%eth0) are local to one host
  const mapped = MAPPED_IPV4.exec(text);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return { address: mapped[1], family: 'ipv4', mappedFromIpv6: true };
  const version = isIP(text);
  if (version === 4) return { address: text, family: 'ipv4', mappedFromIpv6: false };
  if (version === 6) return { address: text.toLowerCase(), family: 'ipv6', mappedFromIpv6: false };
  return undefined;
}

function formatCidr(cidr: Cidr): string {
  const full = cidr.family === 'ipv4' ? 32 : 128;
  return cidr.prefix === full ? cidr.address : `${cidr.address}/${cidr.prefix}`;
}

function invalid(message: string, value: unknown): DomainError {
  return new DomainError('INVALID_PARAMETER', message, { field: 'ip_whitelist', value });
}
