/**
 * Grafana's ad hoc `=~` / `!~` take a regular expression; the engine has none, only SQL LIKE
 * (`%` any run, `_` one character, `\` escapes) and exact lists. A regex is translated when that
 * is exact and refused otherwise, never sent as a LIKE pattern that silently matches nothing.
 *
 * The regex must match the whole value (as Prometheus and Loki read ad hoc regexes), so `^` and
 * `$` are implied and accepted. Translated: literal text (metacharacters escaped with `\`), `.`,
 * `.*`, `.+`, and alternatives `a|b`, optionally in one group `(a|b)` as Grafana's regex variable
 * format writes them.
 */

export type RegexTranslation =
  | { ok: true; kind: 'in'; values: string[] }
  | { ok: true; kind: 'like'; patterns: string[] }
  | { ok: false; reason: string };

const META = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\']);

class Untranslatable extends Error {}

/** Splits on `|` outside escapes, after stripping anchors and one wrapping group. */
function alternatives(regex: string): string[] {
  let body = regex;
  if (body.startsWith('^')) {
    body = body.slice(1);
  }
  if (body.endsWith('$') && !isEscapedAt(body, body.length - 1)) {
    body = body.slice(0, -1);
  }
  const group = /^\((?:\?:)?([\s\S]*)\)$/.exec(body);
  if (group && !/[()]/.test(group[1].replace(/\\[\s\S]/g, ''))) {
    body = group[1];
  }
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && i + 1 < body.length) {
      current += body.slice(i, i + 2);
      i++;
    } else if (body[i] === '|') {
      parts.push(current);
      current = '';
    } else {
      current += body[i];
    }
  }
  parts.push(current);
  return parts;
}

function isEscapedAt(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) {
    backslashes++;
  }
  return backslashes % 2 === 1;
}

function likeLiteral(ch: string): string {
  return ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : ch;
}

/** One alternative → its LIKE pattern, and its literal text when it has no wildcard. */
function translateAlternative(alt: string): { pattern: string; literal?: string } {
  let pattern = '';
  let literal: string | undefined = '';
  for (let i = 0; i < alt.length; i++) {
    const ch = alt[i];
    if (ch === '\\') {
      const next = alt[i + 1];
      // \d, \w, \s, \b … are classes, not escaped characters
      if (next === undefined || /[A-Za-z0-9]/.test(next)) {
        throw new Untranslatable(`\\${next ?? ''} has no LIKE equivalent`);
      }
      pattern += likeLiteral(next);
      literal = literal === undefined ? undefined : literal + next;
      i++;
    } else if (ch === '.') {
      const next = alt[i + 1];
      if (next === '*') {
        pattern += '%';
        i += alt[i + 2] === '?' ? 2 : 1;
      } else if (next === '+') {
        pattern += '_%';
        i += alt[i + 2] === '?' ? 2 : 1;
      } else if (next === '?' || next === '{') {
        throw new Untranslatable(`.${next} has no LIKE equivalent`);
      } else {
        pattern += '_';
      }
      literal = undefined;
    } else if (META.has(ch)) {
      throw new Untranslatable(`"${ch}" has no LIKE equivalent`);
    } else {
      pattern += likeLiteral(ch);
      literal = literal === undefined ? undefined : literal + ch;
    }
  }
  return { pattern, literal };
}

export function translateRegex(regex: string): RegexTranslation {
  try {
    const parts = alternatives(regex).map(translateAlternative);
    if (parts.every((p) => p.literal !== undefined)) {
      return { ok: true, kind: 'in', values: parts.map((p) => p.literal!) };
    }
    return { ok: true, kind: 'like', patterns: parts.map((p) => p.pattern) };
  } catch (err) {
    if (err instanceof Untranslatable) {
      return {
        ok: false,
        reason: `${err.message}; the engine matches with LIKE, so only literal text, ".", ".*", ".+" and a|b alternatives translate (use a prefix like nsg-.*)`,
      };
    }
    throw err;
  }
}
