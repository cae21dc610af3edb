import { offsetOf, positionOf, splitAtError } from './textPosition';

describe('error positions in the text filter', () => {
  it('maps line and column to an offset across lines', () => {
    expect(offsetOf('dst_port = 22\nand src_ip', 2, 5)).toBe(18);
    expect(offsetOf('abc', 9, 9)).toBe(3);
  });

  it('maps an offset back to line and column', () => {
    const text = 'dst_port = 22\nand src_ip';
    expect(positionOf(text, 18)).toEqual({ line: 2, column: 5 });
    expect(positionOf(text, 0)).toEqual({ line: 1, column: 1 });
    for (const offset of [0, 5, 13, 14, 20]) {
      const { line, column } = positionOf(text, offset);
      expect(offsetOf(text, line, column)).toBe(offset);
    }
  });

  it('isolates the token at the error', () => {
    expect(splitAtError('dst_port == 22', 1, 10)).toEqual(['dst_port ', '==', ' 22']);
    expect(splitAtError('(a = 1', 1, 7)).toEqual(['(a = 1', '', '']);
    expect(splitAtError('a in (x', 1, 6)).toEqual(['a in ', '(', 'x']);
  });
});
