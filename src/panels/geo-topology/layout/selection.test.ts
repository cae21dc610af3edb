import { selectionFromQuery, selectionQueryKey, selectionToQuery, toggleSelection } from './selection';

const names = { nodeVariable: 'site', srcVariable: 'src_site', dstVariable: 'dst_site' };

describe('selection and dashboard variables', () => {
  it('sets the node variable and clears the arc variables', () => {
    expect(selectionToQuery({ type: 'node', id: 'azure-eastus' }, names)).toEqual({
      'var-site': 'azure-eastus',
      'var-src_site': '$__all',
      'var-dst_site': '$__all',
    });
  });

  it('sets src/dst from the clicked direction', () => {
    expect(selectionToQuery({ type: 'edge', from: 'azure-eastus', to: 'CN' }, names)).toEqual({
      'var-site': '$__all',
      'var-src_site': 'azure-eastus',
      'var-dst_site': 'CN',
    });
  });

  it('sets everything back to All when nothing is selected (a removed key would leave the variable as it was), and skips blank names', () => {
    expect(selectionToQuery(null, { ...names, nodeVariable: ' ' })).toEqual({ 'var-src_site': '$__all', 'var-dst_site': '$__all' });
    // what the panel reads back from those values: nothing selected
    expect(selectionFromQuery(selectionToQuery(null, names), names)).toBeNull();
  });

  it('clears on a second click of the same thing, switches on another', () => {
    const a = { type: 'node' as const, id: 'x' };
    expect(toggleSelection(null, a)).toEqual(a);
    expect(toggleSelection(a, { type: 'node', id: 'x' })).toBeNull();
    const e = { type: 'edge' as const, from: 'x', to: 'y' };
    expect(toggleSelection(a, e)).toEqual(e);
    expect(toggleSelection(e, { type: 'edge', from: 'y', to: 'x' })).toEqual({ type: 'edge', from: 'y', to: 'x' });
  });

  it('reads the selection back from the URL', () => {
    expect(selectionFromQuery({ 'var-site': 'dc-chicago' }, names)).toEqual({ type: 'node', id: 'dc-chicago' });
    expect(selectionFromQuery({ 'var-src_site': ['a'], 'var-dst_site': 'b' }, names)).toEqual({ type: 'edge', from: 'a', to: 'b' });
    expect(selectionFromQuery({ 'var-site': '$__all' }, names)).toBeNull();
  });

  it('keys the URL by the selection variables only', () => {
    const key = selectionQueryKey({ 'var-site': 'x', from: 'now-1h' }, names);
    expect(selectionQueryKey({ 'var-site': 'x', from: 'now-6h', 'var-other': '1' }, names)).toBe(key);
    expect(selectionQueryKey({ 'var-site': 'y' }, names)).not.toBe(key);
    expect(selectionQueryKey({ 'var-src_site': 'a', 'var-dst_site': 'b' }, names)).not.toBe(selectionQueryKey({ 'var-src_site': 'a' }, names));
    // All is no selection, as an absent key is
    expect(selectionQueryKey({ 'var-site': '$__all', 'var-src_site': 'All' }, names)).toBe(selectionQueryKey({}, names));
  });
});
