import { translateRegex } from './adHocRegex';

/** What the translation matches, by SQL LIKE's rules (% any run, _ one character, \ escapes). */
function likeMatches(pattern: string, value: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else {
      re += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`).test(value);
}

const VALUES = ['nsg-prod', 'nsg-', 'xnsg-prod', 'nsg_prod', 'nsg-prod-2', 'Allow_100%', 'Allow_1000', 'a.b', 'axb', 'prod', 'deny', 'EASTUS-JUMPHOST-NSG', ''];

describe('ad hoc regex → LIKE', () => {
  it.each([
    ['nsg-.*', { kind: 'like', patterns: ['nsg-%'] }],
    ['^nsg-.*$', { kind: 'like', patterns: ['nsg-%'] }],
    ['.*-prod', { kind: 'like', patterns: ['%-prod'] }],
    ['.*NSG', { kind: 'like', patterns: ['%NSG'] }],
    ['nsg-.+', { kind: 'like', patterns: ['nsg-_%'] }],
    ['a.b', { kind: 'like', patterns: ['a_b'] }],
    ['a\\.b', { kind: 'in', values: ['a.b'] }],
    ['Allow_100%', { kind: 'in', values: ['Allow_100%'] }],
    ['Allow_100%.*', { kind: 'like', patterns: ['Allow\\_100\\%%'] }],
    ['(prod|deny)', { kind: 'in', values: ['prod', 'deny'] }],
    ['^(?:nsg-.*|deny)$', { kind: 'like', patterns: ['nsg-%', 'deny'] }],
  ])('%s translates exactly', (regex, expected) => {
    const t = translateRegex(regex);
    expect(t).toEqual({ ok: true, ...expected });
    // the translation matches exactly the values the (whole-value) regex matches
    const js = new RegExp(`^(?:${regex.replace(/^\^/, '').replace(/\$$/, '')})$`);
    for (const v of VALUES) {
      const got = t.ok && t.kind === 'in' ? t.values.includes(v) : t.ok && t.kind === 'like' ? t.patterns.some((p) => likeMatches(p, v)) : false;
      expect([v, got]).toEqual([v, js.test(v)]);
    }
  });

  it.each(['nsg-[0-9]+', 'nsg-\\d+', 'colou?r', 'a*', 'x{2}', '(a)|(b)', 'nsg-.?', 'a|b)'])('%s is refused with the reason', (regex) => {
    const t = translateRegex(regex);
    expect(t.ok).toBe(false);
    expect(!t.ok && t.reason).toMatch(/has no LIKE equivalent; the engine matches with LIKE/);
  });
});
