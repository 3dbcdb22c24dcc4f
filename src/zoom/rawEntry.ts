import type { OperationLogEntry, RawOperationLog } from './types';

/** An entry in Zoom's own JSON shape and field order, as shown, copied and exported. */
export function toRawEntry(e: OperationLogEntry): Required<RawOperationLog> {
  return {
    time: e.time,
    operator: e.operator,
    category_type: e.categoryType,
    action: e.action,
    operation_detail: e.operationDetail,
  };
}
