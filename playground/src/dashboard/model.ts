/**
 * The parts of a provisioned Grafana dashboard JSON (provisioning/dashboards/*.json) the
 * playground's dashboard view reads. Only what those files use; anything else is ignored.
 */
import type { FlowQuery } from '../../../src/datasource/types';

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  targets?: FlowQuery[];
  options?: Record<string, any>;
  fieldConfig?: { defaults: Record<string, any>; overrides: unknown[] };
  transformations?: Array<{ id: string; options: Record<string, unknown>; disabled?: boolean }>;
}

export interface DashboardVariable {
  name: string;
  label?: string;
  type: string;
  query?: string;
  /** An "All" option; `allValue` is what the variable's references become while it is selected. */
  includeAll?: boolean;
  allValue?: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  time: { from: string; to: string };
  refresh?: string;
  templating: { list: DashboardVariable[] };
  panels: DashboardPanel[];
}

/** Grafana's dashboard grid: 24 columns, 30 px rows, 8 px between cells (GRID_CELL_* in core). */
export const GRID_COLUMNS = 24;
export const GRID_CELL_HEIGHT = 30;
export const GRID_MARGIN = 8;

export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where Grafana's grid puts a panel in a dashboard `width` pixels wide. */
export function panelRect(pos: GridPos, width: number): PixelRect {
  const column = (width + GRID_MARGIN) / GRID_COLUMNS;
  return {
    left: Math.round(pos.x * column),
    top: pos.y * (GRID_CELL_HEIGHT + GRID_MARGIN),
    width: Math.round(pos.w * column - GRID_MARGIN),
    height: pos.h * GRID_CELL_HEIGHT + (pos.h - 1) * GRID_MARGIN,
  };
}

/** Total height of the grid in pixels. */
export function gridHeight(panels: DashboardPanel[]): number {
  const bottom = Math.max(0, ...panels.map((p) => p.gridPos.y + p.gridPos.h));
  return bottom * (GRID_CELL_HEIGHT + GRID_MARGIN);
}

/** "30s", "1m", "2h" → milliseconds; empty or unknown → null (no auto refresh). */
export function refreshMs(refresh: string | undefined): number | null {
  const m = /^(\d+)(s|m|h)$/.exec(refresh ?? '');
  if (!m) {
    return null;
  }
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}
