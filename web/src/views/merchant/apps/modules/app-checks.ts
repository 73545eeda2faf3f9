/**
 * Checks of the application forms before sending (the server validates again and has the last word):
 * an IP whitelist entry is an IPv4/IPv6 address or CIDR, a notify URL is http(s), a public key is PEM.
 */
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^(?=.*:)[0-9a-fA-F:.]{2,45}(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

export function isIpOrCidr(value: string): boolean {
  const v = value.trim();
  return IPV4.test(v) || IPV6.test(v);
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value.trim());
}

export function isPublicKeyPem(value: string): boolean {
  return /-----BEGIN (RSA )?PUBLIC KEY-----[\s\S]+-----END (RSA )?PUBLIC KEY-----/.test(value.trim());
}

/** Placeholder of the notify URL inputs. */
export const URL_HINT = 'https://';
