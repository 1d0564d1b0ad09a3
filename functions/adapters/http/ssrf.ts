// Server-side request forgery guard shared by the feed fetcher and the webhook sender. Feed and webhook URLs come
// from users, so every address we are about to connect to must be a public unicast one: otherwise a URL could read
// the instance metadata service (169.254.169.254), a VPC-internal service or the Lambda's own loopback.
import dns from 'node:dns';
import net from 'node:net';
import { FeedError } from '#domain/errors.js';

export interface AddressPolicy {
  /** Lets 127.0.0.0/8 and ::1 through: for the local runtime and loopback test servers only. */
  allowLoopback: boolean;
}

export class BlockedAddressError extends FeedError {
  constructor(
    message: string,
    readonly address?: string,
    options?: { cause?: unknown },
  ) {
    super('blocked-address', message, options);
    this.name = 'BlockedAddressError';
  }
}

export type AddressCheck = { allowed: true } | { allowed: false; reason: string };

interface Ipv4Range {
  base: number;
  prefix: number;
  reason: string;
}

// IANA IPv4 special-purpose registry, minus the globally reachable anycast entries that no feed lives on anyway.
const BLOCKED_IPV4: readonly Ipv4Range[] = [
  { base: ipv4('0.0.0.0'), prefix: 8, reason: 'this-network address (0.0.0.0/8)' },
  { base: ipv4('10.0.0.0'), prefix: 8, reason: 'private address (10.0.0.0/8)' },
  { base: ipv4('100.64.0.0'), prefix: 10, reason: 'carrier-grade NAT address (100.64.0.0/10)' },
  { base: ipv4('169.254.0.0'), prefix: 16, reason: 'link-local address (169.254.0.0/16, cloud metadata)' },
  { base: ipv4('172.16.0.0'), prefix: 12, reason: 'private address (172.16.0.0/12)' },
  { base: ipv4('192.0.0.0'), prefix: 24, reason: 'IETF protocol assignment (192.0.0.0/24)' },
  { base: ipv4('192.0.2.0'), prefix: 24, reason: 'documentation address (192.0.2.0/24)' },
  { base: ipv4('192.88.99.0'), prefix: 24, reason: '6to4 relay anycast (192.88.99.0/24)' },
  { base: ipv4('192.168.0.0'), prefix: 16, reason: 'private address (192.168.0.0/16)' },
  { base: ipv4('198.18.0.0'), prefix: 15, reason: 'benchmarking address (198.18.0.0/15)' },
  { base: ipv4('198.51.100.0'), prefix: 24, reason: 'documentation address (198.51.100.0/24)' },
  { base: ipv4('203.0.113.0'), prefix: 24, reason: 'documentation address (203.0.113.0/24)' },
  { base: ipv4('224.0.0.0'), prefix: 4, reason: 'multicast address (224.0.0.0/4)' },
  { base: ipv4('240.0.0.0'), prefix: 4, reason: 'reserved or broadcast address (240.0.0.0/4)' },
];

const LOOPBACK_IPV4: Ipv4Range = { base: ipv4('127.0.0.0'), prefix: 8, reason: 'loopback address (127.0.0.0/8)' };

function ipv4(text: string): number {
  const parts = text.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

function inIpv4Range(address: number, range: Ipv4Range): boolean {
  if (range.prefix === 0) return true;
  const mask = (0xffffffff << (32 - range.prefix)) >>> 0;
  return ((address & mask) >>> 0) === ((range.base & mask) >>> 0);
}

function checkIpv4(address: number, policy: AddressPolicy, form = ''): AddressCheck {
  if (inIpv4Range(address, LOOPBACK_IPV4)) {
    return policy.allowLoopback ? { allowed: true } : { allowed: false, reason: form + LOOPBACK_IPV4.reason };
  }
  const hit = BLOCKED_IPV4.find((range) => inIpv4Range(address, range));
  return hit ? { allowed: false, reason: form + hit.reason } : { allowed: true };
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseIpv6(text: string): number[] | undefined {
  if (net.isIPv6(text) === false) return undefined;
  let head = text;
  const tailGroups: number[] = [];
  // An embedded dotted quad (::ffff:1.2.3.4, ::1.2.3.4, 64:ff9b::1.2.3.4) becomes the last two groups.
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted?.[1] !== undefined && dotted[2] !== undefined) {
    const v4 = ipv4(dotted[2]);
    tailGroups.push(v4 >>> 16, v4 & 0xffff);
    head = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = head.split('::');
  const toGroups = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = toGroups(halves[0]);
  const right = [...toGroups(halves[1]), ...tailGroups];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1) return missing === 0 ? left.concat(right) : undefined;
  return [...left, ...new Array<number>(Math.max(missing, 0)).fill(0), ...right];
}

function embeddedIpv4(groups: number[], high: number, low: number): number {
  return (((groups[high] ?? 0) << 16) | (groups[low] ?? 0)) >>> 0;
}

function startsWith(groups: number[], prefix: number[]): boolean {
  return prefix.every((value, index) => groups[index] === value);
}

function checkIpv6(groups: number[], policy: AddressPolicy): AddressCheck {
  const first = groups[0] ?? 0;
  const allZeroUpTo = (count: number): boolean => groups.slice(0, count).every((group) => group === 0);

  if (allZeroUpTo(8)) return { allowed: false, reason: 'unspecified address (::)' };
  if (allZeroUpTo(7) && groups[7] === 1) {
    return policy.allowLoopback ? { allowed: true } : { allowed: false, reason: 'loopback address (::1)' };
  }
  // The kernel routes these to the IPv4 address they carry, so they are exactly as dangerous as that address.
  if (allZeroUpTo(5) && groups[5] === 0xffff) return checkIpv4(embeddedIpv4(groups, 6, 7), policy, 'IPv4-mapped ');
  if (allZeroUpTo(4) && groups[4] === 0xffff && groups[5] === 0) {
    return checkIpv4(embeddedIpv4(groups, 6, 7), policy, 'IPv4-translated ');
  }
  if (allZeroUpTo(6)) return checkIpv4(embeddedIpv4(groups, 6, 7), policy, 'IPv4-compatible ');
  if (startsWith(groups, [0x64, 0xff9b, 0, 0, 0, 0])) return checkIpv4(embeddedIpv4(groups, 6, 7), policy, 'NAT64 ');
  if (startsWith(groups, [0x64, 0xff9b, 1])) return { allowed: false, reason: 'local-use NAT64 address (64:ff9b:1::/48)' };
  if (startsWith(groups, [0x100, 0, 0, 0])) return { allowed: false, reason: 'discard-only address (100::/64)' };
  if (first === 0x2001 && (groups[1] ?? 0) < 0x200) {
    return { allowed: false, reason: 'IETF protocol assignment incl. Teredo (2001::/23)' };
  }
  if (first === 0x2001 && groups[1] === 0xdb8) return { allowed: false, reason: 'documentation address (2001:db8::/32)' };
  if (first === 0x2002) return checkIpv4(embeddedIpv4(groups, 1, 2), policy, '6to4 ');
  if ((first & 0xfe00) === 0xfc00) return { allowed: false, reason: 'unique local address (fc00::/7)' };
  if ((first & 0xffc0) === 0xfe80) return { allowed: false, reason: 'link-local address (fe80::/10)' };
  if ((first & 0xffc0) === 0xfec0) return { allowed: false, reason: 'site-local address (fec0::/10)' };
  if ((first & 0xff00) === 0xff00) return { allowed: false, reason: 'multicast address (ff00::/8)' };
  return { allowed: true };
}

/** Whether connecting to this literal IP address is allowed. Anything that is not an IP address is refused. */
export function checkAddress(ip: string, policy: AddressPolicy): AddressCheck {
  const unbracketed = ip.trim().replace(/^\[(.*)\]$/, '$1');
  // An IPv6 zone ("fe80::1%eth0") names an interface, not an address.
  const zone = unbracketed.indexOf('%');
  const bare = zone === -1 ? unbracketed : unbracketed.slice(0, zone);
  if (net.isIPv4(bare)) return checkIpv4(ipv4(bare), policy);
  const groups = parseIpv6(bare);
  if (groups?.length === 8) return checkIpv6(groups, policy);
  return { allowed: false, reason: `not an IP address: ${JSON.stringify(ip)}` };
}

function blockedError(host: string, address: string, reason: string): BlockedAddressError {
  const shown = host === address ? address : `${host} (${address})`;
  return new BlockedAddressError(`Refusing to connect to ${shown}: ${reason}`, address);
}

/**
 * A `lookup` for http(s).request / net.connect: resolves as usual, then refuses if any resolved address is blocked.
 * The socket connects to an address this function returned, so a DNS answer that changes between an earlier check
 * and the connect (DNS rebinding) is still checked.
 */
export function guardedLookup(policy: AddressPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '');
        return;
      }
      if (addresses.length === 0) {
        callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        return;
      }
      for (const { address } of addresses) {
        const verdict = checkAddress(address, policy);
        if (!verdict.allowed) {
          callback(blockedError(hostname, address, verdict.reason), '');
          return;
        }
      }
      if (options.all === true) {
        callback(null, addresses);
        return;
      }
      const [chosen] = addresses;
      callback(null, chosen?.address ?? '', chosen?.family);
    });
  };
}

/**
 * Validates a user-supplied URL before any connection: http/https only, no credentials, and every address the host
 * stands for must be allowed. Literal IPs in any spelling (2130706433, 0177.0.0.1, 0x7f.1, [::ffff:127.0.0.1]) are
 * normalised by the WHATWG URL parser first, so they are checked as the address they really are.
 */
export async function assertUrlAllowed(url: string, policy: AddressPolicy): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error: unknown) {
    throw new FeedError('invalid-url', `Not a valid URL: ${JSON.stringify(url)}`, { cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FeedError('invalid-url', `Only http and https URLs are allowed, got ${parsed.protocol}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new FeedError('invalid-url', 'URLs with embedded credentials are not allowed');
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new FeedError('invalid-url', `URL has no host: ${JSON.stringify(url)}`);

  if (net.isIP(host) !== 0) {
    const verdict = checkAddress(host, policy);
    if (!verdict.allowed) throw blockedError(host, host, verdict.reason);
    return parsed;
  }

  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch (error: unknown) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
    throw new FeedError('dns', `Could not resolve ${host} (${code})`, { cause: error });
  }
  if (addresses.length === 0) throw new FeedError('dns', `Could not resolve ${host} (no addresses)`);
  for (const { address } of addresses) {
    const verdict = checkAddress(address, policy);
    if (!verdict.allowed) throw blockedError(host, address, verdict.reason);
  }
  return parsed;
}
