import { FilterGroup } from '../../../shared/flowQuery';
import { addNode, newRule, removeNode, replaceNode, withDimension, withOperator } from './filterTree';

const root: FilterGroup = {
  op: 'and',
  rules: [
    { dimension: 'dst_port', op: '=', values: ['22'] },
    { op: 'or', rules: [{ dimension: 'src_country', op: '=', values: ['CN'] }] },
  ],
};

describe('filter tree edits', () => {
  it('adds a rule inside a nested group without touching siblings', () => {
    const next = addNode(root, [1], { dimension: 'action', op: '=', values: ['deny'] });
    expect(next.rules[0]).toBe(root.rules[0]);
    expect(next.rules[1]).toEqual({
      op: 'or',
      rules: [
        { dimension: 'src_country', op: '=', values: ['CN'] },
        { dimension: 'action', op: '=', values: ['deny'] },
      ],
    });
    expect(root.rules[1]).toEqual({ op: 'or', rules: [{ dimension: 'src_country', op: '=', values: ['CN'] }] });
  });

  it('replaces and removes nodes by path', () => {
    const replaced = replaceNode(root, [1, 0], { dimension: 'src_country', op: 'in', values: ['CN', 'RU'] });
    expect(replaced.rules[1]).toEqual({ op: 'or', rules: [{ dimension: 'src_country', op: 'in', values: ['CN', 'RU'] }] });
    expect(removeNode(replaced, [0]).rules).toEqual([replaced.rules[1]]);
    expect(removeNode(root, [1, 0]).rules[1]).toEqual({ op: 'or', rules: [] });
  });

  it('ignores a path that does not lead to a group', () => {
    expect(addNode(root, [0], newRule())).toEqual(root);
  });

  it('keeps values that fit the new operator', () => {
    const list = { dimension: 'src_ip', op: 'in' as const, values: ['a', 'b'] };
    expect(withOperator(list, '=').values).toEqual(['a']);
    expect(withOperator(list, 'exists').values).toEqual([]);
    expect(withOperator({ ...list, op: '=', values: ['a'] }, 'not_in').values).toEqual(['a']);
  });

  it('a new dimension drops the values and resets an operator its type does not take', () => {
    expect(withDimension({ dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'] }, 'dst_port', 'number')).toEqual({ dimension: 'dst_port', op: '=', values: [] });
    expect(withDimension({ dimension: 'dst_port', op: '>=', values: ['1024'] }, 'src_country', 'string')).toEqual({ dimension: 'src_country', op: '=', values: [] });
    // an operator the new type takes stays, negation too
    expect(withDimension({ dimension: 'src_ip', op: 'not_in', values: ['10.0.0.1'], not: true }, 'src_country', 'string')).toEqual({
      dimension: 'src_country',
      op: 'not_in',
      values: [],
      not: true,
    });
    // unknown type (a custom dimension name): every operator is offered, so none is reset
    expect(withDimension({ dimension: 'src_ip', op: 'cidr', values: [] }, 'custom', undefined).op).toBe('cidr');
  });
});
