/**
 * Which columns each rollup level keeps (one source of truth with the migrations that create
 * them): the planner reads a level only when it holds every column a query touches.
 */
import { ROLLUP_DIMENSION_COLUMNS } from '../db/migrations/002-rollups.js';
import { GEO_DIMENSION_COLUMNS } from '../db/migrations/009-geo-rollup.js';
import type { Relation, RollupName, RollupStore } from './types.js';

export const ROLLUP_LEVEL_COLUMNS: Record<RollupName, readonly string[]> = {
  flows_1m: ROLLUP_DIMENSION_COLUMNS,
  flows_1h: ROLLUP_DIMENSION_COLUMNS,
  flows_geo_1m: GEO_DIMENSION_COLUMNS,
  flows_geo_5m: GEO_DIMENSION_COLUMNS,
};

const STORE_LEVEL: Record<RollupStore, RollupName> = {
  flows_1m_store: 'flows_1m',
  flows_1h_store: 'flows_1h',
  flows_geo_1m_store: 'flows_geo_1m',
  flows_geo_5m_store: 'flows_geo_5m',
};

/** The level a relation belongs to; null for the raw table. */
export function levelOf(relation: Relation): RollupName | null {
  if (relation === 'flows') return null;
  return (STORE_LEVEL as Record<string, RollupName>)[relation] ?? (relation as RollupName);
}

/** Dimension columns a relation has (the raw table: all of them, reported as null). */
export function relationColumns(relation: Relation): readonly string[] | null {
  const level = levelOf(relation);
  return level ? ROLLUP_LEVEL_COLUMNS[level] : null;
}
