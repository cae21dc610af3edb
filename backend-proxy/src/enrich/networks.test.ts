import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressToBigInt, cidrContains, parseCidr } from './cidr.js';
import { SiteMatcher, validateNetworkConfig, type Site } from './networks.js';
import { ApplicationClassifier } from './applications.js';

const site = (name: string, cidrs: string[]): Site => ({ name, kind: 'cloud', provider: null, region: null, country: 'US', lat: 0, lon: 0, cidrs });

test('CIDR containment for IPv4, IPv6 and IPv4-mapped forms', () => {
  assert.ok(cidrContains(parseCidr('10.10.0.0/16'), addressToBigInt('10.10.255.1')!));
  assert.ok(!cidrContains(parseCidr('10.10.0.0/16'), addressToBigInt('10.11.0.1')!));
  assert.ok(cidrContains(parseCidr('2001:db8::/32'), addressToBigInt('2001:db8:ffff::1')!));
  assert.ok(!cidrContains(parseCidr('2001:db8::/32'), addressToBigInt('2001:db9::1')!));
  assert.equal(addressToBigInt('::ffff:10.0.0.1'), addressToBigInt('10.0.0.1'));
  assert.ok(cidrContains(parseCidr('0.0.0.0/0'), addressToBigInt('8.8.8.8')!));
  assert.throws(() => parseCidr('10.0.0.0/33'), /bad prefix length/);
  assert.throws(() => parseCidr('banana/8'), /bad address/);
});

test('the longest prefix wins', () => {
  const m = new SiteMatcher([site('wide', ['10.0.0.0/8']), site('narrow', ['10.10.5.0/24']), site('v6', ['2001:db8::/48'])]);
  assert.equal(m.match('10.10.5.20')?.name, 'narrow');
  assert.equal(m.match('10.99.0.1')?.name, 'wide');
  assert.equal(m.match('2001:db8:0:1::5')?.name, 'v6');
  assert.equal(m.match('192.0.2.1'), null);
});

test('a broken network config names the path of the bad field', () => {
  assert.throws(() => validateNetworkConfig({ sites: [{ name: 'a', country: 'USA', lat: 1, lon: 1, cidrs: ['10.0.0.0/8'] }] }, 'net.yaml'), /net\.yaml: sites\[0\]\.country/);
  assert.throws(() => validateNetworkConfig({ sites: [{ name: 'a', country: 'US', lat: 1, lon: 1, cidrs: ['10.0.0.0/99'] }] }, 'net.yaml'), /sites\[0\]\.cidrs\[0\]/);
  assert.throws(() => validateNetworkConfig({}, 'net.yaml'), /sites: expected a list/);
});

test('applications from either end\'s well-known port, overridable', () => {
  const apps = new ApplicationClassifier([{ protocol: 6, port: 8443, name: 'admin-portal' }]);
  assert.equal(apps.classify(6, 51000, 22), 'ssh');
  assert.equal(apps.classify(6, 3306, 51000), 'mysql', 'the reply direction is the same application');
  assert.equal(apps.classify(17, 40000, 53), 'dns');
  assert.equal(apps.classify(6, 40000, 8443), 'admin-portal');
  assert.equal(apps.classify(1, null, null), 'icmp');
  assert.equal(apps.classify(6, 40000, 40001), null);
});

test('application names are IANA service names, with the practical name kept where IANA\'s misleads', () => {
  const apps = new ApplicationClassifier();
  assert.equal(apps.classify(6, 51000, 445), 'microsoft-ds');
  assert.equal(apps.classify(6, 51000, 1433), 'ms-sql-s');
  assert.equal(apps.classify(6, 51000, 465), 'submissions');
  assert.equal(apps.classify(6, 51000, 135), 'epmap');
  // IANA's ncube-lm (1521) and ms-wbt-server (3389) would mislead: Oracle and rdp.
  assert.equal(apps.classify(6, 51000, 1521), 'oracle');
  assert.equal(apps.classify(6, 51000, 3389), 'rdp');
  // TCP 514 is rsh ("shell"); syslog is UDP 514.
  assert.equal(apps.classify(6, 1020, 514), 'shell');
  assert.equal(apps.classify(17, 40000, 514), 'syslog');
  assert.equal(apps.classify(17, 68, 67), 'bootps');
});

test('overrides go to their own protocol\'s table: UDP, SCTP, and a protocol without ports', () => {
  const config = validateNetworkConfig({
    sites: [],
    applications: [
      { protocol: 'udp', port: 8443, name: 'udp-portal' },
      { protocol: 6, port: 8443, name: 'admin-portal' },
      { protocol: 132, port: 3868, name: 'diameter' },
      { protocol: 47, name: 'branch-tunnels' },
    ],
  });
  const apps = new ApplicationClassifier(config.applications);
  assert.equal(apps.classify(17, 40000, 8443), 'udp-portal');
  assert.equal(apps.classify(6, 40000, 8443), 'admin-portal');
  assert.equal(apps.classify(132, 40000, 3868), 'diameter');
  // An SCTP port nobody named is still sctp; TCP's table did not get the SCTP entry.
  assert.equal(apps.classify(132, 40000, 9999), 'sctp');
  assert.equal(apps.classify(6, 40000, 3868), null);
  assert.equal(apps.classify(47, null, null), 'branch-tunnels');
  // Before the fix every non-UDP override went to TCP: UDP ports were untouched, the rest was wrong.
  assert.equal(apps.classify(17, 40000, 53), 'dns');
});

test('a bad application override is refused with the entry it is in', () => {
  const check = (applications: unknown, pattern: RegExp) => assert.throws(() => validateNetworkConfig({ sites: [], applications }, 'net.yaml'), pattern);
  check({ protocol: 6 }, /net\.yaml: applications: expected a list/);
  check([{ protocol: 6, port: 80, name: 'web' }, { protocol: 'tcpp', port: 81, name: 'x' }], /applications\[1\]\.protocol: an IANA protocol number 0-255 or one of .*got "tcpp"/);
  check([{ protocol: 6, port: 70000, name: 'x' }], /applications\[0\]\.port: a port number 0-65535, got 70000/);
  check([{ protocol: 6, port: 80 }], /applications\[0\]\.name: required text/);
  check([{ protocol: 1, port: 8, name: 'ping' }], /applications\[0\]\.port: protocol 1 has no ports/);
  check(['tcp/80=web'], /applications\[0\]: expected an object/);
});

test('a site may name its tenant and role; they must be text (a numeric YAML id is kept as text)', () => {
  const config = validateNetworkConfig({ sites: [{ name: 'a', country: 'US', lat: 1, lon: 1, cidrs: ['10.0.0.0/8'], tenant: 4711, role: ' production ' }] });
  assert.deepEqual([config.sites[0]!.tenant, config.sites[0]!.role], ['4711', 'production']);
  const plain = validateNetworkConfig({ sites: [{ name: 'b', country: 'US', lat: 1, lon: 1, cidrs: ['10.0.0.0/8'] }] });
  assert.deepEqual([plain.sites[0]!.tenant, plain.sites[0]!.role], [null, null]);
  assert.throws(() => validateNetworkConfig({ sites: [{ name: 'a', country: 'US', lat: 1, lon: 1, cidrs: ['10.0.0.0/8'], role: ['dmz'] }] }, 'net.yaml'), /net\.yaml: sites\[0\]\.role: text/);
});
