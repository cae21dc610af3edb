/**
 * The text form of a filter tree, e.g.
 *   dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny)
 *
 * Grammar (keywords are case-insensitive; `and` binds tighter than `or`):
 *   expr    := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" expr ")" | rule
 *   rule    := DIMENSION "exists" | DIMENSION op values
 *   op      := = != < <= > >= in not_in cidr not_cidr like not_like | "not" (in|cidr|like)
 *   values  := value | "(" value ("," value)* ")"
 *   value   := bare word [A-Za-z0-9_.:/%*-]+ | "double" or 'single' quoted string (\ escapes)
 *              (booleans are bare words too: `crosses_border = true`)
 *
 * Parsing is purely syntactic: dimension names and values are checked by validate.ts, which
 * reads each rule's position from `filterTextPosition` to report line and column.
 */
import { QueryError } from './errors.js';
import { isGroup, type FilterGroup, type FilterNode, type FilterOp, type FilterRule } from './types.js';

interface Token {
  kind: 'word' | 'string' | 'symbol' | 'end';
  text: string;
  line: number;
  column: number;
}

const WORD = /[A-Za-z0-9_.:/%*-]/;
const BARE_VALUE = /^[A-Za-z0-9_.:/%*-]+$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'not_in', 'cidr', 'not_cidr', 'like', 'not_like', 'exists']);
const WORD_OPS = new Set(['in', 'not_in', 'cidr', 'not_cidr', 'like', 'not_like']);
const SYMBOL_OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);

const MAX_NESTING = 64;

const positions = new WeakMap<FilterNode, { line: number; column: number }>();

/** Where a node parsed from text started (undefined for trees that came as JSON). */
export function filterTextPosition(node: FilterNode): { line: number; column: number } | undefined {
  return positions.get(node);
}

function syntaxError(token: Token, expected: string[]): QueryError {
  const found = token.kind === 'end' ? 'end of filter' : JSON.stringify(token.text);
  return new QueryError(
    `filterText line ${token.line} column ${token.column}: expected ${expected.join(' or ')}, found ${found}`,
    { field: 'filterText', line: token.line, column: token.column, expected },
  );
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const column = i - lineStart + 1;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'symbol', text: ch, line, column });
      i++;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>' || ch === '!') {
      const two = text.slice(i, i + 2);
      const sym = two === '!=' || two === '<=' || two === '>=' ? two : ch;
      if (sym === '!') throw syntaxError({ kind: 'symbol', text: '!', line, column }, ['!=']);
      tokens.push({ kind: 'symbol', text: sym, line, column });
      i += sym.length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) {
          throw syntaxError({ kind: 'end', text: '', line, column: j - lineStart + 1 }, [`closing ${ch}`]);
        }
        const c = text[j]!;
        if (c === '\\' && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
          // An escaped line break (how a value holding one prints) still starts a line.
          if (text[j - 1] === '\n') {
            line++;
            lineStart = j;
          }
        } else if (c === ch) {
          j++;
          break;
        } else if (c === '\n') {
          throw syntaxError({ kind: 'end', text: '', line, column: j - lineStart + 1 }, [`closing ${ch}`]);
        } else {
          value += c;
          j++;
        }
      }
      tokens.push({ kind: 'string', text: value, line, column });
      i = j;
      continue;
    }
    if (WORD.test(ch)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), line, column });
      i = j;
      continue;
    }
    throw syntaxError({ kind: 'symbol', text: ch, line, column }, ['dimension', 'operator', 'value', '(', ')']);
  }
  tokens.push({ kind: 'end', text: '', line, column: i - lineStart + 1 });
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }
  private isSymbol(token: Token, sym: string): boolean {
    return token.kind === 'symbol' && token.text === sym;
  }

  parseAll(): FilterGroup {
    if (this.peek().kind === 'end') return { op: 'and', rules: [] };
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'end') throw syntaxError(rest, ['and', 'or', 'end of filter']);
    if (isGroup(node)) return node;
    const group: FilterGroup = { op: 'and', rules: [node] };
    return group;
  }

  private chain(op: 'and' | 'or', parseOperand: () => FilterNode): FilterNode {
    const start = this.peek();
    const first = parseOperand();
    if (!this.isKeyword(this.peek(), op)) return first;
    const rules = [first];
    while (this.isKeyword(this.peek(), op)) {
      this.next();
      rules.push(parseOperand());
    }
    const group: FilterGroup = { op, rules };
    positions.set(group, { line: start.line, column: start.column });
    return group;
  }

  private parseOr(): FilterNode {
    return this.chain('or', () => this.parseAnd());
  }

  private parseAnd(): FilterNode {
    return this.chain('and', () => this.parseUnary());
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    // Bounded recursion: a hostile "((((…" must give a 400, not exhaust the stack.
    if (++this.depth > MAX_NESTING) {
      throw new QueryError(`filterText line ${token.line} column ${token.column}: nested deeper than ${MAX_NESTING}`, {
        field: 'filterText', line: token.line, column: token.column, expected: ['less nesting'],
      });
    }
    try {
      return this.parseUnaryInner(token);
    } finally {
      this.depth--;
    }
  }

  private parseUnaryInner(token: Token): FilterNode {
    if (this.isKeyword(token, 'not')) {
      this.next();
      const inner = this.parseUnary();
      const negated = { ...inner, not: !inner.not } as FilterNode;
      if (!negated.not) delete negated.not;
      const at = positions.get(inner);
      positions.set(negated, at ?? { line: token.line, column: token.column });
      return negated;
    }
    if (this.isSymbol(token, '(')) {
      this.next();
      const inner = this.parseOr();
      const close = this.peek();
      if (!this.isSymbol(close, ')')) throw syntaxError(close, ['and', 'or', ')']);
      this.next();
      return inner;
    }
    return this.parseRule();
  }

  private parseRule(): FilterRule {
    const dim = this.next();
    if (dim.kind !== 'word' || KEYWORDS.has(dim.text.toLowerCase())) {
      throw syntaxError(dim, ['dimension', 'not', '(']);
    }
    const op = this.parseOp();
    const rule: FilterRule = { dimension: dim.text, op, values: op === 'exists' ? [] : this.parseValues() };
    positions.set(rule, { line: dim.line, column: dim.column });
    return rule;
  }

  private parseOp(): FilterOp {
    const token = this.next();
    if (token.kind === 'symbol' && SYMBOL_OPS.has(token.text)) return token.text as FilterOp;
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (WORD_OPS.has(word) || word === 'exists') return word as FilterOp;
      if (word === 'not') {
        const after = this.next();
        const second = after.kind === 'word' ? after.text.toLowerCase() : '';
        if (second === 'in' || second === 'cidr' || second === 'like') return `not_${second}` as FilterOp;
        throw syntaxError(after, ['in', 'cidr', 'like']);
      }
    }
    throw syntaxError(token, ['=', '!=', '<', '<=', '>', '>=', 'in', 'not_in', 'cidr', 'not_cidr', 'like', 'not_like', 'exists']);
  }

  private parseValue(): string {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase())) return token.text;
    throw syntaxError(token, ['value']);
  }

  private parseValues(): string[] {
    if (!this.isSymbol(this.peek(), '(')) return [this.parseValue()];
    this.next();
    const values = [this.parseValue()];
    for (;;) {
      const token = this.next();
      if (this.isSymbol(token, ')')) return values;
      if (!this.isSymbol(token, ',')) throw syntaxError(token, [',', ')']);
      values.push(this.parseValue());
    }
  }
}

/** Parses filter text into a tree (always a group at the top). Throws QueryError with position. */
export function parseFilterText(text: string): FilterGroup {
  return new Parser(tokenize(text)).parseAll();
}

function printValue(value: string): string {
  if (BARE_VALUE.test(value) && !KEYWORDS.has(value.toLowerCase())) return value;
  // A line break inside quotes must be escaped (a bare one ends the text as unterminated).
  return `"${value.replace(/[\\"\n]/g, (c) => `\\${c}`)}"`;
}

function printRule(rule: FilterRule): string {
  let body: string;
  if (rule.op === 'exists') body = `${rule.dimension} exists`;
  else if (rule.values.length === 1 && rule.op !== 'in' && rule.op !== 'not_in') {
    body = `${rule.dimension} ${rule.op} ${printValue(rule.values[0]!)}`;
  } else body = `${rule.dimension} ${rule.op} (${rule.values.map(printValue).join(', ')})`;
  return rule.not ? `not ${body}` : body;
}

function printNode(node: FilterNode, nested: boolean): string {
  if (!isGroup(node)) return printRule(node);
  if (node.rules.length === 1 && nested) {
    // A one-rule group means the same as its rule; print it bare (negations combine).
    const only = node.rules[0]!;
    const merged = node.not ? ({ ...only, not: !only.not } as FilterNode) : only;
    return printNode(merged, true);
  }
  const body = node.rules.map((r) => printNode(r, true)).join(` ${node.op} `);
  if (node.not) return `not (${body})`;
  return nested && node.rules.length > 1 ? `(${body})` : body;
}

/** Prints a tree back to text; parseFilterText(printFilter(t)) gives back t (up to one-rule groups). */
export function printFilter(tree: FilterNode): string {
  return printNode(tree, false);
}
