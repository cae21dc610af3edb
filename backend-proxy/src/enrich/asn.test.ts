import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedAsnLocator } from './asn.js';

test('AS numbers and names of public IPv4 and IPv6 addresses; private space has none', () => {
  const asn = sharedAsnLocator();
  assert.deepEqual(asn.lookup('1.1.1.1'), { asn: 13335, name: 'Cloudflare, Inc.' });
  assert.equal(asn.lookup('8.8.8.8')?.asn, 15169);
  assert.equal(asn.lookup('2001:4860:4860::8888')?.asn, 15169);
  assert.equal(asn.lookup('10.10.1.4'), null);
  assert.equal(asn.lookup('not an ip'), null);
});
