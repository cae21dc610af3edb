import React from 'react';
import { NodeKind } from '../types';

interface Props {
  kind: NodeKind;
  r: number;
  fill: string;
  stroke: string;
  strokeWidth: number;
}

/** One shape per kind of place, drawn around (0, 0) inside radius r. */
export function NodeGlyph({ kind, r, fill, stroke, strokeWidth }: Props) {
  const common = { fill, stroke, strokeWidth };
  switch (kind) {
    case NodeKind.CloudRegion: {
      const s = r / 10;
      const d = `M${-8 * s},${4 * s} a${3.5 * s},${3.5 * s} 0 0 1 ${1 * s},${-6.5 * s} a${4.5 * s},${4.5 * s} 0 0 1 ${8 * s},${-1.5 * s} a${3.5 * s},${3.5 * s} 0 0 1 ${6 * s},${3 * s} a${2.8 * s},${2.8 * s} 0 0 1 ${1 * s},${5 * s} z`;
      return <path data-kind={kind} d={d} {...common} />;
    }
    case NodeKind.DataCenter: {
      const h = r * 0.85;
      return (
        <g data-kind={kind}>
          <rect x={-h} y={-h} width={2 * h} height={2 * h} rx={r * 0.15} {...common} />
          <line x1={-h * 0.6} x2={h * 0.6} y1={-h / 3} y2={-h / 3} stroke={stroke} strokeWidth={strokeWidth} />
          <line x1={-h * 0.6} x2={h * 0.6} y1={h / 3} y2={h / 3} stroke={stroke} strokeWidth={strokeWidth} />
        </g>
      );
    }
    case NodeKind.Branch:
      return <path data-kind={kind} d={`M0,${-r} L${r},${-r * 0.1} L${r * 0.7},${r * 0.9} L${-r * 0.7},${r * 0.9} L${-r},${-r * 0.1} Z`} {...common} />;
    case NodeKind.InternetCountry:
      return (
        <g data-kind={kind}>
          <circle r={r} {...common} />
          <ellipse rx={r * 0.45} ry={r} fill="none" stroke={stroke} strokeWidth={strokeWidth * 0.7} />
          <line x1={-r} x2={r} y1={0} y2={0} stroke={stroke} strokeWidth={strokeWidth * 0.7} />
        </g>
      );
    default:
      return <circle data-kind={kind} r={r} {...common} />;
  }
}

export const KIND_LABELS: Record<NodeKind, string> = {
  [NodeKind.CloudRegion]: 'Cloud region',
  [NodeKind.DataCenter]: 'Data center',
  [NodeKind.Branch]: 'Branch',
  [NodeKind.InternetCountry]: 'Internet country',
  [NodeKind.Unknown]: 'Site',
};

/** Grafana palette names per kind, resolved through the theme. */
export const KIND_COLORS: Record<NodeKind, string> = {
  [NodeKind.CloudRegion]: 'blue',
  [NodeKind.DataCenter]: 'orange',
  [NodeKind.Branch]: 'green',
  [NodeKind.InternetCountry]: 'text',
  [NodeKind.Unknown]: 'text',
};
