import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '#domain/errors.js';
import { assertUrlAllowed, BlockedAddressError, checkAddress, guardedLookup, type AddressPolicy } from '#adapters/http/ssrf.js';

const strict: AddressPolicy = { allowLoopback: false };
const loopbackAllowed: AddressPolicy = { allowLoopback: true };

describe('checkAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'this-network'],
    ['0.1.2.3', 'this-network'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['192.0.0.8', 'IETF protocol'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['0:0:0:0:0:ffff:10.1.2.3', 'IPv4-mapped private'],
    ['::10.0.0.1', 'IPv4-compatible private'],
    ['::ffff:0:192.168.0.1', 'IPv4-translated private'],
    ['64:ff9b::10.0.0.1', 'NAT64 private'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 link-local'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:a00:1::1', '6to4 private'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['100::1', 'discard-only'],
  ])('blocks %s (%s)', (ip, expected) => {
    // Act
    const verdict = checkAddress(ip, strict);

    // Assess
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) {
      for (const word of expected.split(' ')) expect(verdict.reason.toLowerCase()).toContain(word.toLowerCase());
    }
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '192.169.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
  ])('allows the public address %s', (ip) => {
    expect(checkAddress(ip, strict)).toEqual({ allowed: true });
  });

  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])(
    'allows loopback %s only when the policy allows loopback',
    (ip) => {
      expect(checkAddress(ip, loopbackAllowed)).toEqual({ allowed: true });
      expect(checkAddress(ip, strict).allowed).toBe(false);
    },
  );

  it('keeps private addresses blocked when loopback is allowed', () => {
    expect(checkAddress('10.0.0.1', loopbackAllowed).allowed).toBe(false);
    expect(checkAddress('169.254.169.254', loopbackAllowed).allowed).toBe(false);
    expect(checkAddress('fd00::1', loopbackAllowed).allowed).toBe(false);
  });

  it.each(['example.com', '', '1.2.3', '1.2.3.4.5', '::g', 'http://1.2.3.4'])('refuses %j, which is not an IP', (value) => {
    const verdict = checkAddress(value, loopbackAllowed);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain('not an IP address');
  });
});

describe('assertUrlAllowed', () => {
  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://0x7f000001/',
    'http://127.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::1]:8080/feed',
    'http://localhost/',
  ])('blocks the loopback spelling %s', async (url) => {
    const error = await assertUrlAllowed(url, strict).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error).toMatchObject({ reason: 'blocked-address' });
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://0xa9fea9fe/',
    'http://10.0.0.1/',
    'http://012.0.0.1/',
    'http://167772161/',
    'https://[fd00::1]/',
    'http://0.0.0.0/',
  ])('blocks the internal address %s even with loopback allowed', async (url) => {
    await expect(assertUrlAllowed(url, loopbackAllowed)).rejects.toBeInstanceOf(BlockedAddressError);
  });

  it('returns the parsed URL for an allowed literal address', async () => {
    const url = await assertUrlAllowed('https://8.8.8.8:8443/feed.xml?x=1', strict);

    expect(url.href).toBe('https://8.8.8.8:8443/feed.xml?x=1');
  });

  it('allows loopback names and addresses under the loopback policy', async () => {
    await expect(assertUrlAllowed('http://localhost:1234/', loopbackAllowed)).resolves.toBeInstanceOf(URL);
    await expect(assertUrlAllowed('http://2130706433/', loopbackAllowed)).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['ftp://example.com/feed', 'Only http and https'],
    ['file:///etc/passwd', 'Only http and https'],
    ['gopher://127.0.0.1:70/', 'Only http and https'],
    ['http://user:secret@example.com/feed', 'credentials'],
    ['http://user@example.com/feed', 'credentials'],
    ['not a url', 'Not a valid URL'],
    ['http://', 'Not a valid URL'],
  ])('refuses %s as invalid-url', async (url, message) => {
    const error = await assertUrlAllowed(url, loopbackAllowed).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ reason: 'invalid-url' });
    expect((error as FeedError).message).toContain(message);
  });

  it('reports an unresolvable host as a dns failure', async () => {
    const error = await assertUrlAllowed('http://no-such-host.invalid/feed', strict).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ reason: 'dns' });
  });
});

describe('guardedLookup as the lookup of a real request', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('reached'));
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function get(policy: AddressPolicy): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const req = http.get({ host: 'localhost', port, family: 4, agent: false, lookup: guardedLookup(policy) }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
    });
  }

  it('refuses before connecting when the name resolves to loopback', async () => {
    // Prepare
    const before = connections;

    // Act
    const error = await get(strict).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).address).toBe('127.0.0.1');
    expect(connections).toBe(before);
  });

  it('connects when the policy allows the resolved address', async () => {
    await expect(get(loopbackAllowed)).resolves.toBe('reached');
  });
});
