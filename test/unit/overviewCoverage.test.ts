/**
 * The overview's archive coverage strip (issue 10, Coverage): one status per day of the range from the
 * archive's coverage, and the page contract that carries it (validated like the rest of the model).
 */
import assert from 'node:assert/strict';
import { parseToPage } from '../../src/webview/overviewProtocol';
import { buildOverviewModel, overviewCoverage } from '../../src/webview/overviewModel';

describe('Overview: archive coverage strip', () => {
  const cov = {
    zoomFrom: '2026-05-26',
    days: [
      { day: '2026-05-20', status: 'complete', recoverable: false },
      { day: '2026-05-21', status: 'missing', recoverable: false },
      { day: '2026-05-27', status: 'missing', recoverable: true },
      { day: '2026-06-20', status: 'missing', recoverable: true },
      { day: '2026-06-21', status: 'incomplete', recoverable: true },
      { day: '2026-06-22', status: 'complete', recoverable: true },
    ],
  };

  it('one status per day: complete, incomplete, missing, at risk within 14 days of the horizon, lost', () => {
    const strip = overviewCoverage(cov, '2026-05-19', '2026-06-22');
    assert.equal(strip.length, 35, 'every day of the range');
    const at = (d: string): string | undefined => strip.find((x) => x.date === d)?.status;
    assert.equal(at('2026-05-19'), 'lost', 'before the coverage and past the horizon');
    assert.equal(at('2026-05-20'), 'complete', 'archived days stay complete past the horizon');
    assert.equal(at('2026-05-21'), 'lost');
    assert.equal(at('2026-05-27'), 'atRisk', 'Zoom forgets it within 14 days');
    assert.equal(at('2026-06-20'), 'missing');
    assert.equal(at('2026-06-21'), 'incomplete');
    assert.equal(at('2026-06-22'), 'complete');
    assert.deepEqual(
      strip.map((d) => d.date),
      [...strip.map((d) => d.date)].sort(),
      'oldest first',
    );
  });

  it('the page accepts the strip, and rejects a model whose strip is malformed', () => {
    const base = buildOverviewModel([], [], {
      dateKey: (ms) => new Date(ms).toISOString().slice(0, 10),
      from: '2026-06-20',
      to: '2026-06-22',
      range: 'r',
    });
    const coverage = overviewCoverage(cov, '2026-06-20', '2026-06-22');
    const ok = parseToPage({ type: 'show', model: { ...base, coverage } });
    assert.deepEqual(ok?.type === 'show' && ok.model.coverage, coverage);
    assert.equal(parseToPage({ type: 'show', model: base })?.type, 'show', 'no strip without an archive');
    for (const bad of [
      [{ date: '2026-06-20', status: 'exploded' }],
      [{ date: '<img>', status: 'lost' }],
      'not a list',
    ]) {
      assert.equal(parseToPage({ type: 'show', model: { ...base, coverage: bad } }), undefined, JSON.stringify(bad));
    }
  });
});
