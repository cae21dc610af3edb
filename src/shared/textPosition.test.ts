import { offsetOf, splitAtError } from './textPosition';

describe('error positions in the text filter', () => {
  it('maps line and column to an offset across lines', () => {
    expect(offsetOf('dst_port = 22\nand src_ip', 2, 5)).toBe(18);
    expect(offsetOf('abc', 9, 9)).toBe(3);
  });

  it('isolates the token at the error', () => {
    expect(splitAtError('dst_port == 22', 1, 10)).toEqual(['dst_port ', '==', ' 22']);
    expect(splitAtError('(a = 1', 1, 7)).toEqual(['(a = 1', '', '']);
    expect(splitAtError('a in (x', 1, 6)).toEqual(['a in ', '(', 'x']);
  });
});
