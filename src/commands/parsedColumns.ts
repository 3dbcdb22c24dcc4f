/** The parsed-change columns of exports (plain Node, unit-tested in test/unit/findingsModel.test.ts). */
import type { ExtraColumns } from '../export/formats';
import { insights } from '../services/insights';

/** The parsed columns: target, the first change's setting/from/to, and every change on one line. */
export const PARSED_COLUMNS: ExtraColumns = {
  names: ['target', 'setting', 'from', 'to', 'changes'],
  values(e) {
    const p = insights().parsedOf(e);
    const c = p.changes[0];
    const to = c ? (c.to ?? c.setTo ?? c.value ?? '') : '';
    const all = p.changes.map((x) => {
      const name = x.path.join(' > ');
      const value =
        x.from !== undefined || x.to !== undefined ? `${x.from ?? ''} → ${x.to ?? ''}` : (x.setTo ?? x.value ?? '');
      return name ? `${name}: ${value}` : value;
    });
    return [p.target?.name ?? '', c ? c.path.join(' > ') : '', c?.from ?? '', to, all.join('; ')];
  },
};
