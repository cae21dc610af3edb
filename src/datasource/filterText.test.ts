import { hasVariableReference, interpolateFilterText, quoteVariableReferences, toEditorTree } from './filterText';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';

describe('filter text and variables', () => {
  const templateSrv = new FakeTemplateSrv({ host: '203.0.113.7', countries: ['CN', 'RU'], env: 'prod' });

  it('replaces references as a query run does, quoting values and lists', () => {
    const typed = 'src_ip = $host and src_country in (${countries}) and rule = [[env]]';
    expect(interpolateFilterText(typed, templateSrv, {}).text).toBe("src_ip = '203.0.113.7' and src_country in ('CN', 'RU') and rule = 'prod'");
    // inside a quoted string the value joins the string, escaped for its quote
    expect(interpolateFilterText(`rule like 'nsg-$env-%' and resource = "a \\"$host\\"" and x = 'it\\'s $env'`, templateSrv, {}).text).toBe(
      `rule like 'nsg-prod-%' and resource = "a \\"203.0.113.7\\"" and x = 'it\\'s prod'`
    );
    expect(interpolateFilterText("rule in ('$countries')", new FakeTemplateSrv({ countries: ["C'N", 'RU'] }), {}).text).toBe("rule in ('C\\'N,RU')");
    // unknown variables stay as written (the proxy then names them)
    expect(interpolateFilterText('src_ip = $nope', templateSrv, {}).text).toBe('src_ip = $nope');
  });

  it('maps a position in the replaced text back to the typed text', () => {
    const typed = 'src_ip = $host and\n  dst_port == 22 and src_country in ($countries) and (';
    const { text, original } = interpolateFilterText(typed, templateSrv, {});
    const at = (needle: string, from = 0) => {
      const offset = text.indexOf(needle, from);
      const lines = text.slice(0, offset).split('\n');
      return { line: lines.length, column: lines[lines.length - 1].length + 1 };
    };
    // before any variable, after one on the line above, inside a value, and at the very end
    expect(original(1, 1)).toEqual({ line: 1, column: 1 });
    expect(original(at('==').line, at('==').column)).toEqual({ line: 2, column: 12 });
    expect(original(at("'RU'").line, at("'RU'").column)).toEqual({ line: 2, column: 38 });
    const end = text.split('\n');
    expect(original(end.length, end[end.length - 1].length + 1)).toEqual({ line: 2, column: typed.split('\n')[1].length + 1 });
  });

  it('quotes the words that hold references, so the grammar parses their structure', () => {
    expect(quoteVariableReferences('src_ip = $host and resource like nsg-${env}-% and rule = "a $b"')).toBe(
      "src_ip = '$host' and resource like 'nsg-${env}-%' and rule = \"a $b\""
    );
    expect(quoteVariableReferences("dst_port in (22, $port) and rule = 'it''s'")).toBe("dst_port in (22, '$port') and rule = 'it''s'");
    expect(hasVariableReference('dst_port = 22')).toBe(false);
    expect(hasVariableReference('dst_port = [[p]]')).toBe(true);
  });

  it("turns the proxy's tree into the builder's (string values, not instead of exclude)", () => {
    expect(
      toEditorTree({
        op: 'or',
        not: true,
        rules: [
          { dimension: 'dst_port', op: 'in', values: [22, 2222] },
          { dimension: 'src_ip', op: 'exists', values: [], exclude: true },
        ],
      })
    ).toEqual({
      op: 'or',
      not: true,
      rules: [
        { dimension: 'dst_port', op: 'in', values: ['22', '2222'] },
        { dimension: 'src_ip', op: 'exists', values: [], not: true },
      ],
    });
    // `= (a, b)` means any of them: the builder shows in / not in with every value
    expect(
      toEditorTree({
        op: 'and',
        rules: [
          { dimension: 'dst_port', op: '=', values: [22, 2222] },
          { dimension: 'src_country', op: '!=', values: ['CN', 'RU'] },
          { dimension: 'action', op: '=', values: ['deny'] },
        ],
      }).rules
    ).toEqual([
      { dimension: 'dst_port', op: 'in', values: ['22', '2222'] },
      { dimension: 'src_country', op: 'not_in', values: ['CN', 'RU'] },
      { dimension: 'action', op: '=', values: ['deny'] },
    ]);
  });
});
