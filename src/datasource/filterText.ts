import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';
import { FilterGroup, FilterNode, FilterOperator } from '../shared/flowQuery';
import { offsetOf, positionOf } from '../shared/textPosition';

/**
 * The text form of a filter next to Grafana's variables: the proxy parses and checks text with
 * the variables' values in it, while the editor shows and underlines the text as typed.
 */

/** A variable reference as templateSrv finds one: $var, ${var}, ${var:format}, ${var.path}, [[var]]. */
const VARIABLE_REF = /\$\w+|\$\{[^}\s]+\}|\[\[[^\]\s]+\]\]/g;

/** In the text form a multi-value variable becomes a quoted list, e.g. `src_ip in ($ip)` → `src_ip in ('a', 'b')`. */
export function textFormat(value: string | string[]): string {
  const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return Array.isArray(value) ? value.map(quote).join(', ') : quote(value);
}

/** Inside a quoted string the value joins the string: escaped for its quote, not quoted again. */
function inQuotesFormat(quote: string) {
  return (value: string | string[]) => (Array.isArray(value) ? value.join(',') : value).replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`);
}

/** The quote character of the string that encloses `offset`, if any (backslash escapes, as the grammar reads them). */
function quoteAt(text: string, offset: number): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') {
        i++;
      } else if (ch === quote) {
        quote = undefined;
      }
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    }
  }
  return quote;
}

export interface InterpolatedText {
  text: string;
  /** Where a line/column of `text` comes from in the text as typed (a variable's value maps to its reference). */
  original(line: number, column: number): { line: number; column: number };
}

/**
 * templateSrv.replace of a filter text, one reference at a time, remembering where each value
 * went, so an error the proxy reports in the interpolated text is underlined in the typed one.
 * A reference inside a quoted string (`rule like 'nsg-$env-%'`) becomes part of that string.
 */
export function interpolateFilterText(text: string, templateSrv: TemplateSrv, scopedVars: ScopedVars): InterpolatedText {
  const pieces: Array<{ from: number; to: number; outFrom: number; outTo: number }> = [];
  let out = '';
  let last = 0;
  for (const match of text.matchAll(VARIABLE_REF)) {
    const at = match.index ?? 0;
    out += text.slice(last, at);
    const quote = quoteAt(text, at);
    const value = templateSrv.replace(match[0], scopedVars, quote ? inQuotesFormat(quote) : textFormat);
    pieces.push({ from: at, to: at + match[0].length, outFrom: out.length, outTo: out.length + value.length });
    out += value;
    last = at + match[0].length;
  }
  out += text.slice(last);
  return {
    text: out,
    original(line, column) {
      const offset = offsetOf(out, line, column);
      let shift = 0;
      for (const p of pieces) {
        if (offset < p.outFrom) {
          break;
        }
        if (offset < p.outTo) {
          return positionOf(text, p.from);
        }
        shift = p.to - p.outTo;
      }
      return positionOf(text, offset + shift);
    },
  };
}

/** A bare word of the grammar, with variable references inside it (`nsg-$env`, `$host`). */
const WORD_WITH_REFS = /(?:[A-Za-z0-9_.:/%*-]|\$\w+|\$\{[^}\s]+\}|\[\[[^\]\s]+\]\])+/g;

/**
 * The text with every word that holds a variable reference quoted (`src_ip = $host` →
 * `src_ip = '$host'`), so the grammar parses its structure and the builder keeps `$host` as the
 * value instead of today's address. Quoted strings are left as they are.
 */
export function quoteVariableReferences(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    WORD_WITH_REFS.lastIndex = i;
    const word = WORD_WITH_REFS.exec(text);
    if (word && word.index === i) {
      VARIABLE_REF.lastIndex = 0;
      out += VARIABLE_REF.test(word[0]) ? `'${word[0]}'` : word[0];
      i += word[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

export function hasVariableReference(text: string): boolean {
  VARIABLE_REF.lastIndex = 0;
  return VARIABLE_REF.test(text);
}

/** The proxy's parsed tree (values may be numbers, `exclude` instead of `not`) as the builder edits it. */
export function toEditorTree(node: unknown): FilterGroup {
  const group = toEditorNode(node);
  return 'rules' in group ? group : { op: 'and', rules: [group] };
}

function toEditorNode(node: unknown): FilterNode {
  const n = (node ?? {}) as Record<string, unknown>;
  const not = Boolean(n.not) || Boolean(n.exclude);
  if (Array.isArray(n.rules)) {
    const group: FilterGroup = { op: n.op === 'or' ? 'or' : 'and', rules: n.rules.map(toEditorNode) };
    return not ? { ...group, not: true } : group;
  }
  const values = Array.isArray(n.values) ? n.values.map(String) : n.values !== undefined ? [String(n.values)] : [];
  const written = String(n.op ?? '=') as FilterOperator;
  // `dst_port = (22, 2222)` parses, and means "any of them": the builder shows that as in / not in
  const op = values.length > 1 && (written === '=' || written === '!=') ? (written === '=' ? 'in' : 'not_in') : written;
  const rule = { dimension: String(n.dimension ?? ''), op, values };
  return not ? { ...rule, not: true } : rule;
}
