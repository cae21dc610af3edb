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
