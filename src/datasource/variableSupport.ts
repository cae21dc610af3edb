import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { from, map, Observable } from 'rxjs';
import type { FlowAtlasDataSource } from './datasource';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { FlowVariableTarget } from './types';
import { toVariableQuery } from './variableQuery';

/**
 * Query variables through Grafana's variables API: the editor picks a dimension (and optionally a
 * ranking metric and a filter), and the values come from metricFindQuery, the same code path as
 * the string form, so old and new variables list the same values.
 */
export class FlowVariableSupport extends CustomVariableSupport<FlowAtlasDataSource, FlowVariableTarget> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: FlowAtlasDataSource) {
    super();
  }

  query(request: DataQueryRequest<FlowVariableTarget>): Observable<DataQueryResponse> {
    const target = request.targets[0] as FlowVariableTarget | string | undefined;
    const query = toVariableQuery(target);
    return from(this.datasource.metricFindQuery(query, { range: request.range, scopedVars: request.scopedVars })).pipe(
      map((values) => ({ data: values }))
    );
  }
}
