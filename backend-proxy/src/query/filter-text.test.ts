import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from './errors.js';
import { parseFilterText, printFilter } from './filter-text.js';
import { prng } from './oracle-reference.js';
import type { FilterGroup, FilterNode, FilterOp } from './types.js';

test('parses the example of issue 3 into the tree it means', () => {
  const tree = parseFilterText('dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny)');
  assert.deepEqual(tree, {
    op: 'and',
    rules: [
      { dimension: 'dst_port', op: '=', values: ['22'] },
      { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'], not: true },
      {
        op: 'or',
        rules: [
          { dimension: 'src_country', op: 'in', values: ['CN', 'RU'] },
          { dimension: 'action', op: '=', values: ['deny'] },
        ],
      },
    ],
  });
});

test('"and" binds tighter than "or"; keywords are case-insensitive; "not in" equals not_in', () => {
  assert.deepEqual(parseFilterText('a = 1 OR b = 2 AND c NOT IN (3)'), {
    op: 'or',
    rules: [
      { dimension: 'a', op: '=', values: ['1'] },
      {
        op: 'and',
        rules: [
          { dimension: 'b', op: '=', values: ['2'] },
          { dimension: 'c', op: 'not_in', values: ['3'] },
        ],
      },
    ],
  });
});

test('a single rule parses into a one-rule group; blank text into an empty group', () => {
  assert.deepEqual(parseFilterText('src_ip exists'), { op: 'and', rules: [{ dimension: 'src_ip', op: 'exists', values: [] }] });
  assert.deepEqual(parseFilterText('  \n '), { op: 'and', rules: [] });
});

test('every operator, quoted values with spaces, quotes and keywords, IPv6 and prefix dimensions', () => {
  const text =
    'src_port < 1024 and dst_port <= 3306 and tcp_flags > 1 and src_asn >= 100 and mac != "00 0D" and ' +
    'application like "ss%" and rule not_like \'%Deny "x"%\' and dst_ip not_cidr 2001:db8::/32 and ' +
    'src_ip/24 = 10.1.2.0/24 and resource in ("and", "or", "a\\\\b") and src_as_name exists';
  const tree = parseFilterText(text);
  const ops = tree.rules.map((r) => (r as { op: FilterOp }).op);
  assert.deepEqual(ops, ['<', '<=', '>', '>=', '!=', 'like', 'not_like', 'not_cidr', '=', 'in', 'exists']);
  assert.deepEqual((tree.rules[6] as { values: string[] }).values, ['%Deny "x"%']);
  assert.deepEqual((tree.rules[9] as { values: string[] }).values, ['and', 'or', 'a\\b']);
  assert.deepEqual(parseFilterText(printFilter(tree)), tree);
});

test('prints back to text that parses to the same tree', () => {
  const texts = [
    'dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny)',
    'not (a = 1 or b = 2) and c = 3',
    'a = 1 or (b = 2 and (c = 3 or not (d = 4 and e = 5)))',
    'x in (1) or y not_in (2, 3)',
  ];
  for (const text of texts) {
    const tree = parseFilterText(text);
    const printed = printFilter(tree);
    assert.equal(printed, text, 'normalized text prints identically');
    assert.deepEqual(parseFilterText(printed), tree);
  }
});

test('a value holding a line break prints escaped and parses back; positions after it count the line', () => {
  const tree: FilterGroup = { op: 'and', rules: [{ dimension: 'rule', op: '=', values: ['a\nb'] }, { dimension: 'action', op: '=', values: ['deny'] }] };
  const text = printFilter(tree);
  assert.equal(text, 'rule = "a\\\nb" and action = deny');
  assert.deepEqual(parseFilterText(text), tree);
  assert.throws(() => parseFilterText('rule = "a\\\nb" and ('), { field: 'filterText', line: 2, column: 9 });
});

const OPS: FilterOp[] = ['=', '!=', 'in', 'not_in', '<', '<=', '>', '>=', 'cidr', 'not_cidr', 'like', 'not_like', 'exists'];
const VALUES = ['22', 'CN', '10.0.0.0/8', '2001:db8::1', 'has space', 'and', '%x_', 'quote"d', "it's", '-1', 'a\\b', '', 'two\nlines'];

function randomTree(rand: () => number, depth: number): FilterGroup {
  const rules: FilterNode[] = [];
  const size = 2 + Math.floor(rand() * 3);
  for (let i = 0; i < size; i++) {
    if (depth > 0 && rand() < 0.35) {
      rules.push(randomTree(rand, depth - 1));
      continue;
    }
    const op = OPS[Math.floor(rand() * OPS.length)]!;
    const count = op === 'exists' ? 0 : op === 'in' || op === 'not_in' ? 1 + Math.floor(rand() * 3) : 1;
    const values = Array.from({ length: count }, () => VALUES[Math.floor(rand() * VALUES.length)]!);
    rules.push({ dimension: rand() < 0.5 ? 'src_ip/24' : 'dst_port', op, values, ...(rand() < 0.3 ? { not: true } : {}) });
  }
  return { op: rand() < 0.5 ? 'and' : 'or', rules, ...(rand() < 0.2 ? { not: true } : {}) };
}

test('random trees survive print → parse unchanged (500 trees)', () => {
  const rand = prng(42);
  for (let i = 0; i < 500; i++) {
    const tree = randomTree(rand, 3);
    const text = printFilter(tree);
    assert.deepEqual(parseFilterText(text), tree, text);
  }
});

function errorOf(text: string): QueryError {
  try {
    parseFilterText(text);
  } catch (err) {
    assert.ok(err instanceof QueryError);
    return err;
  }
  assert.fail(`no error for ${text}`);
}

test('syntax errors say line, column and what was expected, as a 400 on filterText', () => {
  const missingValue = errorOf('dst_port = 22 and\n  src_ip cidr');
  assert.equal(missingValue.statusCode, 400);
  assert.equal(missingValue.field, 'filterText');
  assert.equal(missingValue.line, 2);
  assert.equal(missingValue.column, 14);
  assert.deepEqual(missingValue.expected, ['value']);

  const badOp = errorOf('dst_port is 22');
  assert.deepEqual([badOp.line, badOp.column], [1, 10]);
  assert.ok(badOp.expected!.includes('in'));

  const unclosed = errorOf('(a = 1 or b = 2');
  assert.deepEqual([unclosed.line, unclosed.column, unclosed.expected], [1, 16, ['and', 'or', ')']]);

  const quote = errorOf('a = "open');
  assert.deepEqual(quote.expected, ['closing "']);

  const trailing = errorOf('a = 1 b = 2');
  assert.deepEqual([trailing.column, trailing.expected], [7, ['and', 'or', 'end of filter']]);

  const stray = errorOf('a = 1 & b = 2');
  assert.equal(stray.column, 7);
  assert.match(stray.message, /line 1 column 7/);

  const keywordAsDimension = errorOf('and = 1');
  assert.deepEqual(keywordAsDimension.expected, ['dimension', 'not', '(']);
});

test('hostile nesting is a 400, not a stack overflow', () => {
  const deep = errorOf(`${'('.repeat(5000)}a = 1${')'.repeat(5000)}`);
  assert.equal(deep.statusCode, 400);
  assert.match(deep.message, /nested deeper than 64/);
  const nots = errorOf(`${'not '.repeat(5000)}a = 1`);
  assert.equal(nots.field, 'filterText');
  assert.equal(parseFilterText(`${'('.repeat(30)}a = 1${')'.repeat(30)}`).rules.length, 1);
});

test('a boolean dimension reads as a bare word and prints back the same', () => {
  const text = 'src_inside = inside and crosses_border = true and not crosses_border in (false, no)';
  const tree = parseFilterText(text);
  assert.deepEqual(tree.rules[1], { dimension: 'crosses_border', op: '=', values: ['true'] });
  assert.deepEqual(tree.rules[2], { dimension: 'crosses_border', op: 'in', values: ['false', 'no'], not: true });
  assert.equal(printFilter(tree), text);
});
