/**
 * The query `npm start` prints and runs: the top ssh sources from the internet over the demo's
 * three weeks (step 1 of the forensic story). Internet only, because admins and the jump host
 * also use ssh inside the estate and would otherwise top the list on a small demo.
 */
export function topSshSourcesQuery(now: number): Record<string, unknown> {
  return {
    from: now - 21 * 24 * 3600_000,
    to: now,
    mode: 'table',
    metric: 'flows',
    dimensions: ['src_ip', 'src_country'],
    filterText: 'dst_port = 22 and src_inside = outside',
    topN: 5,
  };
}
