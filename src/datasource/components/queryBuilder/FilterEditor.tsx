import React, { useCallback } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Button, IconButton, RadioButtonGroup, Select, useStyles2 } from '@grafana/ui';
import {
  DimensionInfo,
  emptyFilterGroup,
  FilterGroup,
  FilterNode,
  FilterRule,
  isFilterGroup,
  operatorArity,
  operatorsForType,
  ruleProblem,
} from '../../../shared/flowQuery';
import { testIds } from '../testIds';
import { groupedDimensionOptions } from './dimensionOptions';
import { addNode, NodePath, newRule, removeNode, replaceNode, withDimension, withOperator } from './filterTree';
import { ValueInput } from './ValueInput';

interface Props {
  value: FilterGroup;
  dimensions: DimensionInfo[];
  loadValues: (dimension: string, prefix: string) => Promise<string[]>;
  onChange: (filter: FilterGroup) => void;
}

const INCLUDE_OPTIONS: Array<SelectableValue<boolean>> = [
  { label: 'Include', value: false },
  { label: 'Exclude', value: true },
];
const GROUP_OPS: Array<SelectableValue<FilterGroup['op']>> = [
  { label: 'AND', value: 'and' },
  { label: 'OR', value: 'or' },
];

/** The visual builder for the nested filter tree: groups (AND/OR) of rules and groups, each negatable. */
export function FilterEditor({ value, dimensions, loadValues, onChange }: Props) {
  const ctx: EditContext = {
    dimensions,
    dimensionOptions: groupedDimensionOptions(dimensions),
    loadValues,
    edit: (fn) => onChange(fn(value)),
  };
  return <GroupEditor group={value} path={[]} ctx={ctx} />;
}

interface EditContext {
  dimensions: DimensionInfo[];
  dimensionOptions: Array<SelectableValue<string>>;
  loadValues: Props['loadValues'];
  edit: (fn: (root: FilterGroup) => FilterGroup) => void;
}

function GroupEditor({ group, path, ctx }: { group: FilterGroup; path: NodePath; ctx: EditContext }) {
  const styles = useStyles2(getStyles);
  const depth = path.length;
  const setGroup = (patch: Partial<FilterGroup>) => ctx.edit((root) => replaceNode(root, path, { ...group, ...patch }));
  return (
    <div className={depth > 0 ? styles.nested : undefined} data-testid={testIds.filter.group} data-depth={depth}>
      <div className={styles.row}>
        <RadioButtonGroup
          size="sm"
          options={GROUP_OPS}
          value={group.op}
          onChange={(op) => setGroup({ op })}
          aria-label={`Group ${pathLabel(path)} operator`}
        />
        <RadioButtonGroup
          size="sm"
          options={INCLUDE_OPTIONS}
          value={Boolean(group.not)}
          onChange={(not) => setGroup({ not: not || undefined })}
          aria-label={`Group ${pathLabel(path)} include or exclude`}
        />
        <Button
          size="sm"
          variant="secondary"
          icon="plus"
          data-testid={testIds.filter.addRule}
          onClick={() => ctx.edit((root) => addNode(root, path, newRule()))}
        >
          Rule
        </Button>
        <Button
          size="sm"
          variant="secondary"
          icon="brackets-curly"
          data-testid={testIds.filter.addGroup}
          onClick={() => ctx.edit((root) => addNode(root, path, { ...emptyFilterGroup(group.op === 'and' ? 'or' : 'and'), rules: [newRule()] }))}
        >
          Group
        </Button>
        {depth > 0 && (
          <IconButton
            name="trash-alt"
            aria-label={`Remove group ${pathLabel(path)}`}
            data-testid={testIds.filter.removeGroup}
            onClick={() => ctx.edit((root) => removeNode(root, path))}
          />
        )}
      </div>
      {group.rules.map((node: FilterNode, i: number) =>
        isFilterGroup(node) ? (
          <GroupEditor key={i} group={node} path={[...path, i]} ctx={ctx} />
        ) : (
          <RuleEditor key={i} rule={node} path={[...path, i]} ctx={ctx} />
        )
      )}
    </div>
  );
}

function RuleEditor({ rule, path, ctx }: { rule: FilterRule; path: NodePath; ctx: EditContext }) {
  const styles = useStyles2(getStyles);
  const setRule = (next: FilterRule) => ctx.edit((root) => replaceNode(root, path, next));
  const arity = operatorArity(rule.op);
  const problem = ruleProblem(rule);
  const label = pathLabel(path);
  const type = ctx.dimensions.find((d) => d.name === rule.dimension)?.type;
  const operatorOptions = operatorsForType(type).map((o) => ({ label: o.label, value: o.value }));
  const { loadValues } = ctx;
  const dimension = rule.dimension;
  // One function per dimension, not per render (ValueInput fetches only on focus and typing anyway).
  const loadSuggestions = useCallback(
    (prefix: string) => (dimension ? loadValues(dimension, prefix) : Promise.resolve([])),
    [dimension, loadValues]
  );
  return (
    <div className={styles.rule} data-testid={testIds.filter.rule}>
      <div className={styles.row}>
        <Select<string>
          aria-label={`Rule ${label} dimension`}
          width={24}
          options={ctx.dimensionOptions}
          value={rule.dimension || null}
          allowCustomValue
          placeholder="dimension"
          onChange={(v) => {
            const dimension = v?.value ?? '';
            setRule(withDimension(rule, dimension, ctx.dimensions.find((d) => d.name === dimension)?.type));
          }}
        />
        <Select
          aria-label={`Rule ${label} operator`}
          width={12}
          options={operatorOptions}
          value={rule.op}
          onChange={(v) => setRule(withOperator(rule, v.value!))}
        />
        {arity !== 'none' && (
          <ValueInput
            // a new dimension starts with fresh suggestions (its values are reset anyway); a list
            // operator starts with an empty input beside its chips, a single one shows its value
            key={`${rule.dimension}/${arity}`}
            values={rule.values}
            multi={arity === 'many'}
            invalid={Boolean(problem)}
            loadSuggestions={loadSuggestions}
            onChange={(values) => setRule({ ...rule, values })}
          />
        )}
        <RadioButtonGroup
          size="sm"
          options={INCLUDE_OPTIONS}
          value={Boolean(rule.not)}
          onChange={(not) => setRule({ ...rule, not: not || undefined })}
          aria-label={`Rule ${label} include or exclude`}
        />
        <IconButton
          name="trash-alt"
          aria-label={`Remove rule ${label}`}
          data-testid={testIds.filter.removeRule}
          onClick={() => ctx.edit((root) => removeNode(root, path))}
        />
      </div>
      {problem && (
        <div className={styles.problem} data-testid={testIds.filter.ruleProblem}>
          {problem}
        </div>
      )}
    </div>
  );
}

/** Human path for aria labels: "1", "2.1", … (root group is "root"). */
function pathLabel(path: NodePath): string {
  return path.length === 0 ? 'root' : path.map((i) => i + 1).join('.');
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5), marginBottom: theme.spacing(0.5) }),
  nested: css({
    marginLeft: theme.spacing(2),
    paddingLeft: theme.spacing(1),
    borderLeft: `2px solid ${theme.colors.border.medium}`,
  }),
  rule: css({ marginLeft: theme.spacing(1) }),
  problem: css({ color: theme.colors.error.text, fontSize: theme.typography.bodySmall.fontSize }),
});
