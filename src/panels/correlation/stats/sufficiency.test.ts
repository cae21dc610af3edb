import { pairProblem, seriesProblem } from './sufficiency';

describe('seriesProblem', () => {
  it('names empty, too short and flat series', () => {
    expect(seriesProblem([null, null], 3)).toBe('empty');
    expect(seriesProblem([1, null, 2], 3)).toBe('too-short');
    expect(seriesProblem([4, 4, 4, 4], 3)).toBe('flat');
    expect(seriesProblem([4, 4, 5, 4], 3)).toBeNull();
  });
});

describe('pairProblem', () => {
  it('says which side is the problem', () => {
    expect(pairProblem([1, 2, 3, 4], [0, 0, 0, 0], 3)).toEqual({ series: 'B', reason: 'flat' });
    expect(pairProblem([], [1, 2, 3], 3)).toEqual({ series: 'A', reason: 'empty' });
    expect(pairProblem([2, 2, 2], [0, 0, 0], 3)).toEqual({ series: 'both', reason: 'flat' });
  });

  it('needs enough buckets where both have a value', () => {
    const a = [1, 2, 3, null, null, null];
    const b = [null, null, 5, 6, 7, 8];
    expect(pairProblem(a, b, 3)).toEqual({ series: 'both', reason: 'no-overlap' });
    expect(pairProblem([1, 2, 3, 4], [4, 3, 2, 9], 3)).toBeNull();
  });
});
