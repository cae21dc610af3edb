import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GeoLocator } from './geo.js';

// Well-known public resolvers and one address of a few national carriers; private and bogus addresses answer null.
const PUBLIC = ['8.8.8.8', '1.1.1.1', '9.9.9.9', '185.199.108.153', '133.242.0.3', '77.88.8.8', '2001:4860:4860::8888', '2a02:6b8::feed:0ff'];

test('ingest reads countries from the small country database; the city database is read only when asked for coordinates', () => {
  const geo = GeoLocator.load();
  assert.deepEqual(geo.loadedDatabases(), ['dbip-country-ipv4']);
  assert.equal(geo.country('8.8.8.8'), 'US');
  assert.equal(geo.country('10.10.1.4'), null);
  assert.equal(geo.country('192.168.0.1'), null);
  assert.equal(geo.country('not an ip'), null);
  assert.match(geo.country('2001:4860:4860::8888') ?? '', /^[A-Z]{2}$/);
  // Country lookups of both families never load the 63 + 71 MB city files.
  assert.deepEqual(geo.loadedDatabases(), ['dbip-country-ipv4', 'dbip-country-ipv6']);

  const city = geo.lookup('8.8.8.8');
  assert.equal(city?.country, 'US');
  assert.equal(typeof city?.lat, 'number');
  assert.equal(typeof city?.lon, 'number');
  assert.deepEqual(geo.loadedDatabases(), ['dbip-country-ipv4', 'dbip-country-ipv6', 'dbip-city-ipv4']);
  assert.equal(geo.lookup('10.0.0.1'), null);
});

test('the country database and the city database agree on the country of public addresses', () => {
  const geo = GeoLocator.load();
  for (const ip of PUBLIC) assert.equal(geo.country(ip), geo.lookup(ip)?.country ?? null, ip);
  // A spread of IPv4 space: the two DB-IP releases may differ on a few re-assigned blocks only.
  let same = 0;
  let total = 0;
  for (let a = 1; a < 224; a += 3) {
    for (const b of [7, 101, 203]) {
      const ip = `${a}.${b}.${(a * 7) % 256}.${(b * 13) % 256}`;
      const c = geo.lookup(ip)?.country ?? null;
      if (c === null) continue;
      total++;
      if (geo.country(ip) === c) same++;
    }
  }
  assert.ok(total > 100, `${total} public samples`);
  assert.ok(same / total >= 0.97, `${same} of ${total} agree`);
});
