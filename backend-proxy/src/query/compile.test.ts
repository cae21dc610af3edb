/**
 * Golden tests: query in, whole SQL text and parameters out (the inputs are in golden-cases.ts).
 * A change here is a change of the SQL every dashboard runs: review it as such. Semantics are
 * checked against a real database by oracle.test.ts; these pin the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollupMigration, ROLLUP_DIMENSION_COLUMNS } from '../db/migrations/002-rollups.js';
import { dimensionValuesQuery } from './dimension-values.js';
import { goldenCases, goldenContext, plainContext, T0 } from './golden-cases.js';
import { planQuery } from './index.js';
import { coverRange } from './resolve-rollup.js';

const expected: { name: string; table: string; sql: string; params: unknown[]; applications?: { sql: string; params: unknown[] } }[] = [
  {
    name: "skeleton: top ssh sources of the jump host (flat filters, raw because of addresses)",
    table: "raw",
    sql: `SELECT d0, d1, v FROM (SELECT src_ip AS d0, src_country AS d1, sum(flows) AS v FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz AND (dst_port = $3::int AND dst_ip = $4::inet AND NOT COALESCE(src_ip <<= ANY($5::inet[]), false)) GROUP BY 1, 2) g ORDER BY v DESC NULLS LAST, d0, d1 LIMIT $6`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z",22,"10.10.1.4",["10.0.0.0/8","172.16.0.0/12"],10],
  },
  {
    name: "every operator, negations and nested groups",
    table: "raw",
    sql: `SELECT d0, v FROM (SELECT CASE protocol WHEN 1 THEN 'icmp' WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 47 THEN 'gre' WHEN 50 THEN 'esp' WHEN 51 THEN 'ah' WHEN 58 THEN 'icmpv6' WHEN 132 THEN 'sctp' ELSE protocol::text END AS d0, sum(packets) AS v FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz AND (src_port < $3::int OR dst_port >= $4::int OR action IS DISTINCT FROM $5::text OR NOT COALESCE(application = ANY($6::text[]), false) OR NOT COALESCE((rule LIKE $7 AND NOT COALESCE(rule LIKE ANY($8::text[]), false) AND mac IS NOT NULL AND src_as_name IS NULL), false) OR NOT COALESCE(dst_ip <<= $9::inet, false) OR protocol = ANY($10::int[]) OR CASE WHEN src_site IS NOT NULL THEN 'inside' ELSE 'outside' END = $11::text OR network(set_masklen(src_ip, CASE family(src_ip) WHEN 4 THEN 24 ELSE 24 END)) = $12::inet) GROUP BY 1) g ORDER BY v DESC NULLS LAST, d0 LIMIT $13`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T01:00:00.000Z",1024,8000,"deny",["ssh","https"],"Deny%",["%Vnet%","%Lb%"],"2001:db8::/32",[6,1,47],"outside","10.1.2.0/24",3],
  },
  {
    name: "filterText, time series, bidirectional with Other (raw: address filter)",
    table: "raw",
    sql: `WITH u AS (SELECT application AS u0, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, (NOT COALESCE(src_ip <<= $5::inet, false) AND (src_country = ANY($6::text[]) OR action = $7::text)) AS kf, (NOT COALESCE(dst_ip <<= $8::inet, false) AND (dst_country = ANY($9::text[]) OR action = $10::text)) AS kr, sum(bytes) AS v FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz AND ((NOT COALESCE(src_ip <<= $11::inet, false) AND (src_country = ANY($12::text[]) OR action = $13::text)) OR (NOT COALESCE(dst_ip <<= $14::inet, false) AND (dst_country = ANY($15::text[]) OR action = $16::text))) GROUP BY 1, 2, 3, 4), g AS (SELECT u0 AS d0, t, sum(v) AS v FROM u WHERE kf GROUP BY 1, 2), r AS (SELECT u0 AS d0, t, sum(v) AS v FROM u WHERE kr GROUP BY 1, 2), top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT d0, sum(v) AS v FROM g GROUP BY d0) s ORDER BY pos LIMIT $4) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM g WHERE (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top))) UNION ALL SELECT 'other', NULL, NULL, t, sum(v) AS v FROM g WHERE NOT (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top))) GROUP BY t UNION ALL SELECT 'rev', NULL, d0, t, v FROM r WHERE (COALESCE(r.d0 IN (SELECT d0 FROM top), false) OR ((r.d0 IS NULL) AND ROW(r.d0)::text IN (SELECT ROW(d0)::text FROM top))) UNION ALL SELECT 'rev_other', NULL, NULL, t, sum(v) AS v FROM r WHERE NOT (COALESCE(r.d0 IN (SELECT d0 FROM top), false) OR ((r.d0 IS NULL) AND ROW(r.d0)::text IN (SELECT ROW(d0)::text FROM top))) GROUP BY t`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z","300000 milliseconds",5,"10.0.0.0/8",["CN","RU"],"deny","10.0.0.0/8",["CN","RU"],"deny","10.0.0.0/8",["CN","RU"],"deny","10.0.0.0/8",["CN","RU"],"deny"],
  },
  {
    name: "scan detection: unique destination ports per inside host, with Other (row membership path)",
    table: "raw",
    sql: `WITH top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT dst_ip AS d0, count(DISTINCT dst_port) AS v FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz AND (src_ip = $4::inet AND CASE WHEN dst_site IS NOT NULL THEN 'inside' ELSE 'outside' END = $5::text AND dst_ip IS DISTINCT FROM $6::inet) GROUP BY 1) g ORDER BY pos LIMIT $7) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM (SELECT dst_ip AS d0, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, count(DISTINCT dst_port) AS v FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz AND (src_ip = $4::inet AND CASE WHEN dst_site IS NOT NULL THEN 'inside' ELSE 'outside' END = $5::text AND dst_ip IS DISTINCT FROM $6::inet) AND (COALESCE(dst_ip IN (SELECT d0 FROM top), false) OR ((dst_ip IS NULL) AND ROW(dst_ip)::text IN (SELECT ROW(d0)::text FROM top))) GROUP BY 1, 2) p UNION ALL SELECT 'other', NULL, NULL, t, v FROM (SELECT date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, count(DISTINCT dst_port) AS v FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz AND (src_ip = $4::inet AND CASE WHEN dst_site IS NOT NULL THEN 'inside' ELSE 'outside' END = $5::text AND dst_ip IS DISTINCT FROM $6::inet) AND NOT (COALESCE(dst_ip IN (SELECT d0 FROM top), false) OR ((dst_ip IS NULL) AND ROW(dst_ip)::text IN (SELECT ROW(d0)::text FROM top))) GROUP BY 1) p`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T01:00:00.000Z","60000 milliseconds","10.10.1.4","inside","203.0.113.9",3],
  },
  {
    name: "time series by site on the 1h rollup (step 2h)",
    table: "1h",
    sql: `WITH g AS (SELECT dst_site AS d0, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, sum(bytes) AS v FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY 1, 2), top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT d0, sum(v) AS v FROM g GROUP BY d0) s ORDER BY pos LIMIT $4) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM g WHERE (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top)))`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-06T00:00:00.000Z","7200000 milliseconds",3],
  },
  {
    name: "no dimensions: one total, and its reverse twin",
    table: "1h",
    sql: `SELECT 'rank' AS part, NULL::bigint AS pos, NULL::timestamptz AS t, v FROM (SELECT sum(packets) AS v FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz AND src_site = $3::text) p UNION ALL SELECT 'rev' AS part, NULL::bigint AS pos, NULL::timestamptz AS t, v FROM (SELECT sum(packets) AS v FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz AND dst_site = $4::text) p`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T01:00:00.000Z","azure-eastus","azure-eastus"],
  },
  {
    name: "table p95 of the per-bucket rate on the 1h rollup",
    table: "1h",
    sql: `SELECT d0, v FROM (SELECT d0, (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY x) FROM unnest(s.vals) AS x) AS v FROM (SELECT d0, array_agg(v::float8) || array_fill(0::float8, ARRAY[$5::int - count(*)::int]) AS vals FROM (SELECT dst_site AS d0, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, sum(bytes) AS v FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY 1, 2) b GROUP BY d0) s) g ORDER BY v DESC NULLS LAST, d0 LIMIT $4`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z","3600000 milliseconds",10,6],
  },
  {
    name: "table avg and max",
    table: "raw",
    sql: `SELECT d0, v FROM (SELECT d0, max(v) AS v FROM (SELECT src_ip AS d0, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, count(DISTINCT dst_port) AS v FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY 1, 2) b GROUP BY d0) g ORDER BY v DESC NULLS LAST, d0 LIMIT $4`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z","600000 milliseconds",5],
  },
  {
    name: "stitched range: 1h middle, 1m and raw edges",
    table: "1h",
    sql: `SELECT d0, v, w FROM (SELECT application AS d0, sum(bytes) AS v, sum(flows) AS w FROM (SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1m WHERE time >= $3::timestamptz AND time < $4::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1h WHERE time >= $5::timestamptz AND time < $6::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1m WHERE time >= $7::timestamptz AND time < $8::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows WHERE time >= $9::timestamptz AND time < $10::timestamptz) AS src GROUP BY 1) g ORDER BY v / NULLIF(w, 0) DESC NULLS LAST, d0 LIMIT $11`,
    params: ["2026-01-05T00:17:23.000Z","2026-01-05T00:18:00.000Z","2026-01-05T00:18:00.000Z","2026-01-05T01:00:00.000Z","2026-01-05T01:00:00.000Z","2026-01-05T03:00:00.000Z","2026-01-05T03:00:00.000Z","2026-01-05T03:42:00.000Z","2026-01-05T03:42:00.000Z","2026-01-05T03:42:10.000Z",5],
  },
  {
    name: "prefix dimensions, bidirectional table",
    table: "raw",
    sql: `WITH b AS (SELECT x.rev AS rev, x.d0 AS d0, x.d1 AS d1, sum(bytes) AS v FROM flows CROSS JOIN LATERAL (VALUES (false, network(set_masklen(src_ip, CASE family(src_ip) WHEN 4 THEN 24 ELSE 24 END)), network(set_masklen(dst_ip, CASE family(dst_ip) WHEN 4 THEN 32 ELSE 64 END))), (true, network(set_masklen(dst_ip, CASE family(dst_ip) WHEN 4 THEN 24 ELSE 24 END)), network(set_masklen(src_ip, CASE family(src_ip) WHEN 4 THEN 32 ELSE 64 END)))) AS x(rev, d0, d1) WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY 1, 2, 3), g AS (SELECT d0, d1, v FROM b WHERE NOT rev), r AS (SELECT d0, d1, v FROM b WHERE rev), top AS (SELECT d0, d1, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0, d1) AS pos FROM (SELECT * FROM g) s ORDER BY pos LIMIT $3) SELECT 'rank' AS part, pos, d0, d1, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'rev', NULL, d0, d1, NULL::timestamptz, v FROM r WHERE (COALESCE((r.d0, r.d1) IN (SELECT d0, d1 FROM top), false) OR ((r.d0 IS NULL OR r.d1 IS NULL) AND ROW(r.d0, r.d1)::text IN (SELECT ROW(d0, d1)::text FROM top)))`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T01:00:00.000Z",20],
  },
  {
    name: "topology by country on the 1h rollup",
    table: "1h",
    sql: `SELECT COALESCE(src_country, 'unknown') AS a, COALESCE(dst_country, 'unknown') AS b, sum(bytes) AS v, sum(flows) AS f, bool_or(COALESCE(src_country <> dst_country, false)) AS x FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz AND action = $3::text GROUP BY 1, 2 ORDER BY v DESC NULLS LAST, a, b LIMIT $4`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-06T00:00:00.000Z","allow",100001],
  },
  {
    name: "plain PostgreSQL stores: bidirectional series by site, stored minutes then raw rows after the watermark",
    table: "1m",
    sql: `WITH u AS (SELECT src_site AS u0, dst_site AS u1, date_bin($5::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, sum(bytes) AS v FROM (SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1m_store WHERE time >= $1::timestamptz AND time < $2::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows WHERE time >= $3::timestamptz AND time < $4::timestamptz) AS src GROUP BY 1, 2, 3), g AS (SELECT u0 AS d0, t, sum(v) AS v FROM u GROUP BY 1, 2), r AS (SELECT u1 AS d0, t, sum(v) AS v FROM u GROUP BY 1, 2), top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT d0, sum(v) AS v FROM g GROUP BY d0) s ORDER BY pos LIMIT $6) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM g WHERE (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top))) UNION ALL SELECT 'rev', NULL, d0, t, v FROM r WHERE (COALESCE(r.d0 IN (SELECT d0 FROM top), false) OR ((r.d0 IS NULL) AND ROW(r.d0)::text IN (SELECT ROW(d0)::text FROM top)))`,
    params: ["2026-01-05T08:00:00.000Z","2026-01-05T10:37:00.000Z","2026-01-05T10:37:00.000Z","2026-01-05T11:00:00.000Z","300000 milliseconds",5],
  },
  {
    name: "plain PostgreSQL stores: table total stitched from stored hours, stored minutes and raw rows",
    table: "1h",
    sql: `SELECT d0, v FROM (SELECT application AS d0, sum(bytes) AS v FROM (SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1m_store WHERE time >= $1::timestamptz AND time < $2::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1h_store WHERE time >= $3::timestamptz AND time < $4::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1m_store WHERE time >= $5::timestamptz AND time < $6::timestamptz UNION ALL SELECT time, direction, action, protocol, application, flow_state, source_type, resource, rule, provider, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows WHERE time >= $7::timestamptz AND time < $8::timestamptz) AS src GROUP BY 1) g ORDER BY v DESC NULLS LAST, d0 LIMIT $9`,
    params: ["2026-01-05T07:30:00.000Z","2026-01-05T08:00:00.000Z","2026-01-05T08:00:00.000Z","2026-01-05T10:00:00.000Z","2026-01-05T10:00:00.000Z","2026-01-05T10:37:00.000Z","2026-01-05T10:37:00.000Z","2026-01-05T11:00:00.000Z",5],
  },
  {
    name: "geography level: bidirectional series by site in 5-minute steps reads the narrow five-minute rollup",
    table: "5m",
    sql: `WITH u AS (SELECT src_site AS u0, dst_site AS u1, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, sum(bytes) AS v FROM flows_geo_5m WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY 1, 2, 3), g AS (SELECT u0 AS d0, t, sum(v) AS v FROM u GROUP BY 1, 2), r AS (SELECT u1 AS d0, t, sum(v) AS v FROM u GROUP BY 1, 2), top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT d0, sum(v) AS v FROM g GROUP BY d0) s ORDER BY pos LIMIT $4) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM g WHERE (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top))) UNION ALL SELECT 'rev', NULL, d0, t, v FROM r WHERE (COALESCE(r.d0 IN (SELECT d0 FROM top), false) OR ((r.d0 IS NULL) AND ROW(r.d0)::text IN (SELECT ROW(d0)::text FROM top)))`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-06T00:00:00.000Z","300000 milliseconds",5],
  },
  {
    name: "geography level: 2-minute steps, which five-minute buckets do not tile, read the narrow minute rollup",
    table: "1m",
    sql: `WITH u AS (SELECT src_site AS u0, dst_site AS u1, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, sum(bytes) AS v FROM flows_geo_1m WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY 1, 2, 3), g AS (SELECT u0 AS d0, t, sum(v) AS v FROM u GROUP BY 1, 2), r AS (SELECT u1 AS d0, t, sum(v) AS v FROM u GROUP BY 1, 2), top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT d0, sum(v) AS v FROM g GROUP BY d0) s ORDER BY pos LIMIT $4) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM g WHERE (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top))) UNION ALL SELECT 'rev', NULL, d0, t, v FROM r WHERE (COALESCE(r.d0 IN (SELECT d0 FROM top), false) OR ((r.d0 IS NULL) AND ROW(r.d0)::text IN (SELECT ROW(d0)::text FROM top)))`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z","120000 milliseconds",5],
  },
  {
    name: "geography level: topology over an unaligned range, whole hours from flows_1h, then five-minute, minute and raw edges",
    table: "1h",
    sql: `SELECT COALESCE(src_site, src_country, 'unknown') AS a, COALESCE(dst_site, dst_country, 'unknown') AS b, sum(bytes) AS v, sum(flows) AS f, bool_or(COALESCE(src_country <> dst_country, false)) AS x FROM (SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows WHERE time >= $1::timestamptz AND time < $2::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_geo_1m WHERE time >= $3::timestamptz AND time < $4::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_geo_5m WHERE time >= $5::timestamptz AND time < $6::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_1h WHERE time >= $7::timestamptz AND time < $8::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_geo_5m WHERE time >= $9::timestamptz AND time < $10::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_geo_1m WHERE time >= $11::timestamptz AND time < $12::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows WHERE time >= $13::timestamptz AND time < $14::timestamptz) AS src WHERE TRUE GROUP BY 1, 2 ORDER BY v DESC NULLS LAST, a, b LIMIT $15`,
    params: ["2026-01-05T00:07:30.000Z","2026-01-05T00:08:00.000Z","2026-01-05T00:08:00.000Z","2026-01-05T00:10:00.000Z","2026-01-05T00:10:00.000Z","2026-01-05T01:00:00.000Z","2026-01-05T01:00:00.000Z","2026-01-05T03:00:00.000Z","2026-01-05T03:00:00.000Z","2026-01-05T03:20:00.000Z","2026-01-05T03:20:00.000Z","2026-01-05T03:22:00.000Z","2026-01-05T03:22:00.000Z","2026-01-05T03:22:30.000Z",100001],
  },
  {
    name: "plain PostgreSQL stores: series by site, stored five minutes, then stored narrow minutes, then raw rows after the watermarks",
    table: "5m",
    sql: `WITH g AS (SELECT src_site AS d0, date_bin($7::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, sum(bytes) AS v FROM (SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_geo_5m_store WHERE time >= $1::timestamptz AND time < $2::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows_geo_1m_store WHERE time >= $3::timestamptz AND time < $4::timestamptz UNION ALL SELECT time, direction, action, src_country, dst_country, src_site, dst_site, src_region, dst_region, src_provider, dst_provider, bytes, packets, flows FROM flows WHERE time >= $5::timestamptz AND time < $6::timestamptz) AS src GROUP BY 1, 2), top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT d0, sum(v) AS v FROM g GROUP BY d0) s ORDER BY pos LIMIT $8) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM g WHERE (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top)))`,
    params: ["2026-01-05T08:00:00.000Z","2026-01-05T10:35:00.000Z","2026-01-05T10:35:00.000Z","2026-01-05T10:37:00.000Z","2026-01-05T10:37:00.000Z","2026-01-05T11:00:00.000Z","300000 milliseconds",5],
  },
  {
    name: "geography level: a service dimension needs the full minute level",
    table: "1m",
    sql: `WITH g AS (SELECT src_site AS d0, application AS d1, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, sum(bytes) AS v FROM flows_1m WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY 1, 2, 3), top AS (SELECT d0, d1, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0, d1) AS pos FROM (SELECT d0, d1, sum(v) AS v FROM g GROUP BY d0, d1) s ORDER BY pos LIMIT $4) SELECT 'rank' AS part, pos, d0, d1, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, d1, t, v FROM g WHERE (COALESCE((g.d0, g.d1) IN (SELECT d0, d1 FROM top), false) OR ((g.d0 IS NULL OR g.d1 IS NULL) AND ROW(g.d0, g.d1)::text IN (SELECT ROW(d0, d1)::text FROM top)))`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-06T00:00:00.000Z","300000 milliseconds",5],
  },
  {
    name: "data leaving a country, any estate: crosses_border filter (a boolean parameter) and dimension, from the hourly rollup",
    table: "1h",
    sql: `SELECT d0, d1, d2, v FROM (SELECT src_site AS d0, src_country AS d1, (src_country <> dst_country)::text AS d2, sum(bytes) AS v FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz AND (CASE WHEN src_site IS NOT NULL THEN 'inside' ELSE 'outside' END = $3::text AND (src_country <> dst_country) = $4::bool) GROUP BY 1, 2, 3) g ORDER BY v DESC NULLS LAST, d0, d1, d2 LIMIT $5`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z","inside","true",5],
  },
  {
    name: "crosses_border is its own reverse twin: bidirectional series on the narrow five-minute level, unknown crossings kept by !=",
    table: "5m",
    sql: `WITH u AS (SELECT (src_country <> dst_country)::text AS u0, date_bin($3::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, (src_country <> dst_country) IS DISTINCT FROM $5::bool AS kf, (src_country <> dst_country) IS DISTINCT FROM $6::bool AS kr, sum(bytes) AS v FROM flows_geo_5m WHERE time >= $1::timestamptz AND time < $2::timestamptz AND ((src_country <> dst_country) IS DISTINCT FROM $7::bool OR (src_country <> dst_country) IS DISTINCT FROM $8::bool) GROUP BY 1, 2, 3, 4), g AS (SELECT u0 AS d0, t, sum(v) AS v FROM u WHERE kf GROUP BY 1, 2), r AS (SELECT u0 AS d0, t, sum(v) AS v FROM u WHERE kr GROUP BY 1, 2), top AS (SELECT d0, v, row_number() OVER (ORDER BY v DESC NULLS LAST, d0) AS pos FROM (SELECT d0, sum(v) AS v FROM g GROUP BY d0) s ORDER BY pos LIMIT $4) SELECT 'rank' AS part, pos, d0, NULL::timestamptz AS t, v FROM top UNION ALL SELECT 'series', NULL, d0, t, v FROM g WHERE (COALESCE(g.d0 IN (SELECT d0 FROM top), false) OR ((g.d0 IS NULL) AND ROW(g.d0)::text IN (SELECT ROW(d0)::text FROM top))) UNION ALL SELECT 'rev', NULL, d0, t, v FROM r WHERE (COALESCE(r.d0 IN (SELECT d0 FROM top), false) OR ((r.d0 IS NULL) AND ROW(r.d0)::text IN (SELECT ROW(d0)::text FROM top)))`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-06T00:00:00.000Z","300000 milliseconds",3,"false","false","false","false"],
  },
  {
    name: "topology with the top applications of each direction: a second statement on the same rows, off the narrow levels (they keep no application)",
    table: "1h",
    sql: `SELECT COALESCE(src_site, src_country, 'unknown') AS a, COALESCE(dst_site, dst_country, 'unknown') AS b, sum(bytes) AS v, sum(flows) AS f, bool_or(COALESCE(src_country <> dst_country, false)) AS x FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz AND CASE WHEN src_site IS NOT NULL THEN 'inside' ELSE 'outside' END = $3::text GROUP BY 1, 2 ORDER BY v DESC NULLS LAST, a, b LIMIT $4`,
    params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z","inside",100001],
    applications: {
      sql: `SELECT a, b, app, v FROM (SELECT COALESCE(src_site, src_country, 'unknown') AS a, COALESCE(dst_site, dst_country, 'unknown') AS b, application AS app, sum(bytes) AS v, row_number() OVER (PARTITION BY COALESCE(src_site, src_country, 'unknown'), COALESCE(dst_site, dst_country, 'unknown') ORDER BY sum(bytes) DESC, application) AS r FROM flows_1h WHERE time >= $1::timestamptz AND time < $2::timestamptz AND CASE WHEN src_site IS NOT NULL THEN 'inside' ELSE 'outside' END = $3::text AND application IS NOT NULL GROUP BY 1, 2, 3 HAVING sum(bytes) > 0) s WHERE r <= $4 AND a <> b ORDER BY a, b, r LIMIT $5`,
      params: ["2026-01-05T00:00:00.000Z","2026-01-05T06:00:00.000Z","inside",3,100001],
    },
  },

];

test('golden: every case compiles to exactly the expected SQL and parameters', () => {
  assert.equal(goldenCases.length, expected.length);
  goldenCases.forEach((c, i) => {
    const want = expected[i]!;
    assert.equal(c.name, want.name);
    const plan = planQuery(c.body, c.ctx);
    assert.equal(plan.explain.sql, want.sql, c.name);
    assert.deepEqual(plan.explain.params, want.params, c.name);
    assert.equal(plan.explain.table, want.table, c.name);
    // (a topology statement also carries the 422 its row cap answers: query.test.ts checks that)
    const statements = [{ sql: want.sql, params: want.params }, ...(want.applications ? [want.applications] : [])];
    assert.deepEqual(plan.statements.map(({ sql, params }) => ({ sql, params })), statements, c.name);
    // No value ever appears in the SQL text: every literal the request carried is a parameter.
    for (const p of want.params.flat()) {
      if (typeof p === 'string' && p.length > 3 && !/milliseconds$|^(inside|outside|true|false)$/.test(p)) assert.ok(!want.sql.includes(p), `${c.name}: ${p} inlined`);
    }
  });
});

test('explain: true plans the same statement and marks it explain-only', () => {
  const body = { ...goldenCases[0]!.body, explain: true };
  const plan = planQuery(body, goldenContext);
  assert.equal(plan.explainOnly, true);
  assert.equal(plan.explain.sql, expected[0]!.sql);
  assert.equal(plan.explain.reason, 'dimension src_ip is not kept in the rollups');
  assert.equal(planQuery(goldenCases[0]!.body, goldenContext).explainOnly, false);
});

test('resolver: reasons for raw, and the coarsest level that tiles', () => {
  const base = { from: T0, to: T0 + 6 * 3_600_000 };
  const cases: [Record<string, unknown>, typeof plainContext, string, RegExp][] = [
    [{ ...base, dimensions: ['application'] }, plainContext, 'raw', /no rollups in this database/],
    [{ ...base, dimensions: ['dst_port'] }, goldenContext, 'raw', /dimension dst_port/],
    [{ ...base, filters: [{ dimension: 'src_ip', op: '=', values: ['10.0.0.1'] }] }, goldenContext, 'raw', /filter on src_ip/],
    [{ ...base, metric: 'unique_src_ips' }, goldenContext, 'raw', /metric unique_src_ips/],
    [{ ...base, dimensions: ['src_inside'] }, goldenContext, '1h', /flows_1h/],
    [{ ...base, mode: 'timeseries', intervalMs: 60_000 }, goldenContext, '1m', /flows_1m/],
    [{ ...base, mode: 'timeseries', intervalMs: 30_000, maxDataPoints: 1000 }, goldenContext, 'raw', /do not divide the 30s step/],
    [{ from: T0 + 60_000, to: T0 + 30 * 60_000 }, goldenContext, '1m', /flows_1m/],
    [{ from: T0 + 1, to: T0 + 59_000 }, goldenContext, 'raw', /no whole rollup bucket/],
    [{ from: T0 - 40 * 24 * 3_600_000, to: T0, mode: 'timeseries', maxDataPoints: 50 }, goldenContext, 'raw', /does not reach back/],
  ];
  for (const [body, ctx, table, reason] of cases) {
    const plan = planQuery(body, ctx);
    assert.equal(plan.explain.table, table, JSON.stringify(body));
    assert.match(plan.explain.reason, reason, JSON.stringify(body));
  }
});

test('coverRange stitches whole buckets and leaves only partial minutes to the raw table', () => {
  const m = 60_000;
  const h = 60 * m;
  const seg = (relation: string, a: number, b: number) => ({ relation, fromMs: T0 + a, toMs: T0 + b });
  assert.deepEqual(coverRange(T0 + 17 * m + 5, T0 + 3 * h + 2 * m, goldenContext.rollups.slice().reverse()), [
    seg('flows', 17 * m + 5, 18 * m),
    seg('flows_1m', 18 * m, h),
    seg('flows_1h', h, 3 * h),
    seg('flows_1m', 3 * h, 3 * h + 2 * m),
  ]);
  // Rollups that do not reach back leave the old part to finer levels.
  const young = [
    { name: 'flows_1h' as const, bucketMs: h, oldestMs: T0 + 2 * h },
    { name: 'flows_1m' as const, bucketMs: m, oldestMs: T0 + 3 * h },
  ];
  assert.deepEqual(coverRange(T0, T0 + 4 * h, young), [seg('flows', 0, 4 * h)]);
  assert.deepEqual(coverRange(T0 + 2 * h, T0 + 4 * h, young), [seg('flows_1h', 2 * h, 4 * h)]);
});

test('dimension values: allow-listed expression, escaped prefix as a parameter', () => {
  assert.deepEqual(dimensionValuesQuery('protocol', 'tc_%', 20), {
    sql: "SELECT v AS value, count(*) AS count FROM (SELECT CASE protocol WHEN 1 THEN 'icmp' WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 47 THEN 'gre' WHEN 50 THEN 'esp' WHEN 51 THEN 'ah' WHEN 58 THEN 'icmpv6' WHEN 132 THEN 'sctp' ELSE protocol::text END AS v FROM flows WHERE time >= now() - INTERVAL '7 days' AND (CASE protocol WHEN 1 THEN 'icmp' WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 47 THEN 'gre' WHEN 50 THEN 'esp' WHEN 51 THEN 'ah' WHEN 58 THEN 'icmpv6' WHEN 132 THEN 'sctp' ELSE protocol::text END)::text ILIKE $1) s WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, v LIMIT $2",
    params: ['tc\\_\\%%', 20],
  });
  assert.deepEqual(dimensionValuesQuery('src_country', '', 5).params, [5]);
  assert.throws(() => dimensionValuesQuery('src_country; drop table flows', '', 5), { statusCode: 400, field: 'name' });
  assert.throws(() => dimensionValuesQuery('src_country', '', 0), { statusCode: 400, field: 'limit' });
  assert.throws(() => dimensionValuesQuery('src_country', 'U\u0000', 5), { statusCode: 400, field: 'prefix' });
});

test('rollup migration: nothing on plain PostgreSQL; real-time aggregates of the shared column list on TimescaleDB', () => {
  assert.deepEqual(rollupMigration(false), []);
  const sql = rollupMigration(true);
  assert.equal(sql.length, 6);
  for (const [i, name, bucket] of [[0, 'flows_1m', '1 minute'], [3, 'flows_1h', '1 hour']] as const) {
    assert.match(sql[i]!, new RegExp(`CREATE MATERIALIZED VIEW ${name}\\s+WITH \\(timescaledb.continuous, timescaledb.materialized_only = false\\)`));
    assert.match(sql[i]!, new RegExp(`time_bucket\\(INTERVAL '${bucket}', time\\) AS time, ${ROLLUP_DIMENSION_COLUMNS.join(', ')}, sum\\(bytes\\) AS bytes, sum\\(packets\\) AS packets, sum\\(flows\\) AS flows`));
    assert.match(sql[i + 1]!, new RegExp(`add_continuous_aggregate_policy\\('${name}'`));
    assert.match(sql[i + 2]!, new RegExp(`add_retention_policy\\('${name}'`));
  }
  assert.match(rollupMigration(true, { retention1m: '14 days' })[2]!, /INTERVAL '14 days'/);
  assert.throws(() => rollupMigration(true, { retention1h: "1 day'); DROP TABLE flows; --" }), /invalid rollup interval/);
});
