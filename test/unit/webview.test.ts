import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { OperationLogEntry } from '../../src/zoom/types';
import { formatEntryJson } from '../../src/webview/entryJson';
import { toRawEntry as toRawJson } from '../../src/zoom/rawEntry';
import { makeNonce, renderEntryHtml } from '../../src/webview/html';
import { renderOverviewHtml } from '../../src/webview/overviewHtml';
import { format, setTranslator } from '../../src/l10n';
import { tokenizeJson } from '../../src/webview/page/jsonTokens';
import { BUILT_IN_RULES, compileRules } from '../../src/insights';
import { parseFromPage, parseToPage } from '../../src/webview/protocol';
import { toViewModel } from '../../src/webview/viewModel';

const MB = 1024 * 1024;
const HOSTILE = [
  '</script><script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  '"\u202Eevil\u2066 \u200F"',
  '\\"\\\\\\u0000"',
  '{"a":',
  '"unterminated',
  'tru fals nul -- 1e+ ]]}},,::',
  '\u0000\uFFFF\uD800',
];

function entry(overrides: Partial<OperationLogEntry> = {}): OperationLogEntry {
  return {
    time: '2026-11-26T14:05:09Z',
    timeMs: Date.UTC(2026, 10, 26, 14, 5, 9),
    operator: 'admin@example.com',
    categoryType: 'User Settings',
    category: 'user_settings',
    action: 'Update',
    operationDetail: 'Changed "Join before host" to on',
    ...overrides,
  };
}

function joinTokens(source: string): string {
  return tokenizeJson(source)
    .map((token) => token.text)
    .join('');
}

describe('webview', () => {
  describe('renderEntryHtml', () => {
    const html = renderEntryHtml({
      cspSource: 'https://webview.example',
      nonce: 'abc123',
      scriptUri: 'https://webview.example/media/entryView.js',
      styleUri: 'https://webview.example/media/entryView.css',
    });

    it('has exactly one strict Content-Security-Policy', () => {
      const policies = html.match(/<meta http-equiv="Content-Security-Policy"[^>]*>/g) ?? [];
      assert.equal(policies.length, 1);
      assert.match(
        policies[0],
        /content="default-src 'none'; style-src https:\/\/webview\.example; script-src 'nonce-abc123'; img-src https:\/\/webview\.example;"/,
      );
      assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    });

    it('has no inline handlers, styles or scripts', () => {
      assert.doesNotMatch(html, /\son\w+\s*=/i);
      assert.doesNotMatch(html, /\sstyle\s*=|<style/i);
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      assert.deepEqual(scripts, ['<script nonce="abc123" src="https://webview.example/media/entryView.js">']);
      assert.match(html, /<\/script>\s*<\/body>/);
    });

    it('is an accessible template with no entry data', () => {
      assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
      assert.match(html, /<link rel="stylesheet" href="https:\/\/webview\.example\/media\/entryView\.css">/);
      assert.match(html, /<h1 id="title"><\/h1>/);
      for (const id of ['timeLocal', 'timeUtc', 'operator', 'category', 'action']) {
        assert.match(html, new RegExp(`<dd id="${id}"></dd>`));
      }
      assert.match(html, /<button type="button" id="copyJson"[^>]*>Copy JSON<\/button>/);
      assert.match(html, /<button type="button" id="openAsDocument"[^>]*>Open as JSON Document<\/button>/);
      assert.match(html, /<pre id="json" tabindex="0" aria-label="Entry as JSON"><code><\/code><\/pre>/);
      assert.match(html, /aria-live="polite"/);
    });

    it('escapes the values it is given', () => {
      const odd = renderEntryHtml({ cspSource: 'x', nonce: 'n', scriptUri: 'a"><script>b', styleUri: 's' });
      assert.doesNotMatch(odd, /a"><script>b/);
    });

    it('translates its own texts on the extension side, escaped (a translation holding markup stays text)', () => {
      try {
        setTranslator((m, ...a) => `<i>${format(m, a)}</i>&"`);
        const html = renderEntryHtml({ cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 't' });
        assert.doesNotMatch(html, /<i>/);
        assert.match(html, /id="copyJson"[^>]*>&#60;i&#62;Copy JSON&#60;\/i&#62;&#38;"<\/button>/);
        assert.match(html, /<title>&#60;i&#62;Operation log entry&#60;\/i&#62;&#38;"<\/title>/);
        assert.match(html, /aria-label="&#60;i&#62;Entry as JSON&#60;\/i&#62;&#38;&#34;"/);
        assert.match(html, /data-copied="&#60;i&#62;Copied&#60;\/i&#62;&#38;&#34;"/);
        const overview = renderOverviewHtml({ cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 't' });
        assert.match(overview, /<title>&#60;i&#62;Activity overview&#60;\/i&#62;&#38;"<\/title>/);
        assert.doesNotMatch(overview, /<i>/);
      } finally {
        setTranslator(undefined);
      }
      assert.match(
        renderEntryHtml({ cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 't' }),
        /data-copied="Copied"/,
      );
    });
  });

  it('makes 128-bit nonces, different every time', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    for (const nonce of [a, b]) {
      assert.match(nonce, /^[A-Za-z0-9_-]+$/);
      assert.equal(Buffer.from(nonce, 'base64url').length, 16);
    }
  });

  describe('parseFromPage', () => {
    it('accepts the four messages, keeping only known fields', () => {
      assert.deepEqual(parseFromPage({ type: 'ready' }), { type: 'ready' });
      assert.deepEqual(parseFromPage({ type: 'copyJson', extra: 1 }), { type: 'copyJson' });
      assert.deepEqual(parseFromPage({ type: 'openAsDocument' }), { type: 'openAsDocument' });
      assert.deepEqual(parseFromPage({ type: 'shown', time: 't', action: 'a', x: {} }), {
        type: 'shown',
        time: 't',
        action: 'a',
      });
      assert.deepEqual(parseFromPage(JSON.parse('{"type":"ready"}')), { type: 'ready' });
      assert.deepEqual(parseFromPage(Object.assign(Object.create(null) as object, { type: 'ready' })), {
        type: 'ready',
      });
    });

    it('rejects hand-made hostile shapes without throwing', () => {
      const throwing = new Proxy(
        { type: 'ready' },
        {
          get() {
            throw new Error('get');
          },
          getOwnPropertyDescriptor() {
            throw new Error('descriptor');
          },
          getPrototypeOf() {
            throw new Error('prototype');
          },
        },
      );
      const { proxy: revoked, revoke } = Proxy.revocable({ type: 'ready' }, {});
      revoke();
      const cyclic: Record<string, unknown> = { type: 'shown', action: 'a' };
      cyclic.time = cyclic;
      const getter = Object.defineProperty({}, 'type', { enumerable: true, get: () => 'ready' });
      const throwingGetter = Object.defineProperty({}, 'type', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      });
      const huge = 'x'.repeat(3 * MB);
      const hostile: unknown[] = [
        undefined,
        null,
        0,
        NaN,
        1n,
        'ready',
        Symbol('ready'),
        () => ({ type: 'ready' }),
        [],
        ['ready'],
        { type: '__proto__' },
        { type: 'constructor' },
        { type: 'toString' },
        { type: 'hasOwnProperty' },
        JSON.parse('{"__proto__":{"type":"ready"}}'),
        JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
        Object.create(null),
        Object.create({ type: 'ready' }),
        Object.assign(Object.create(null) as object, { type: 5 }),
        Object.assign(Object.create({ x: 1 }) as object, { type: 'ready' }),
        new (class {
          type = 'ready';
        })(),
        { type: new String('ready') },
        { type: ['ready'] },
        { TYPE: 'ready' },
        throwing,
        revoked,
        cyclic,
        getter,
        throwingGetter,
        huge,
        { type: 'shown', time: huge, action: 'a' },
        { type: 'shown', time: 't', action: huge },
        { type: 'shown', time: 't' },
        { type: 'shown', time: 1, action: 'a' },
        new Map([['type', 'ready']]),
        new Date(),
        /ready/,
        new Error('ready'),
      ];
      for (const value of hostile) assert.equal(parseFromPage(value), undefined);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('rejects fuzzed values without throwing', () => {
      const hasOwnType = (v: unknown) =>
        typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, 'type');
      // Positive control: the same fuzzed plain objects are accepted once they carry a valid type,
      // so the rejections below come from the missing type, not from a parser that rejects everything.
      let controls = 0;
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.string().filter((k) => k !== 'type' && k !== '__proto__'),
            fc.anything(),
            { maxKeys: 5 },
          ),
          fc.constantFrom('ready', 'copyJson', 'openAsDocument'),
          (value, type) => {
            assert.equal(parseFromPage(value), undefined);
            assert.deepEqual(parseFromPage({ ...value, type }), { type });
            assert.deepEqual(parseFromPage({ ...value, type: 'shown', time: 't', action: 'a' }), {
              type: 'shown',
              time: 't',
              action: 'a',
            });
            controls++;
          },
        ),
        { numRuns: 500 },
      );
      assert.equal(controls, 500);
      fc.assert(
        fc.property(
          fc
            .anything({
              withNullPrototype: true,
              withBigInt: true,
              withMap: true,
              withSet: true,
              withDate: true,
              withTypedArray: true,
              withSparseArray: true,
              withBoxedValues: true,
              withObjectString: true,
            })
            .filter((v) => !hasOwnType(v)),
          (value) => {
            assert.equal(parseFromPage(value), undefined);
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('accepts exactly the well-formed messages among fuzzed ones', () => {
      const known = ['ready', 'shown', 'copyJson', 'openAsDocument'];
      fc.assert(
        fc.property(
          fc.record(
            { type: fc.oneof(fc.constantFrom(...known), fc.anything()), time: fc.anything(), action: fc.anything() },
            { requiredKeys: ['type'] },
          ),
          (value) => {
            const parsed = parseFromPage(value);
            const wellFormed =
              typeof value.type === 'string' &&
              known.includes(value.type) &&
              (value.type !== 'shown' || (typeof value.time === 'string' && typeof value.action === 'string'));
            assert.equal(parsed !== undefined, wellFormed);
          },
        ),
        { numRuns: 1000 },
      );
    });
  });

  describe('parseToPage', () => {
    it('accepts a full view model and rejects partial ones', () => {
      const model = toViewModel(entry(), 'UTC');
      assert.deepEqual(parseToPage({ type: 'show', entry: model }), { type: 'show', entry: model });
      assert.deepEqual(parseToPage({ type: 'copied' }), { type: 'copied' });
      assert.equal(parseToPage({ type: 'show', entry: { ...model, json: 1 } }), undefined);
      assert.equal(parseToPage({ type: 'show' }), undefined);
      fc.assert(fc.property(fc.anything(), (value) => void parseToPage(value)));
    });

    it('carries the Changes table and the findings, and rejects rows that are not plain strings', () => {
      const e = entry({
        categoryType: 'Account',
        category: 'account',
        operator: 'it@it.example.com',
        operationDetail:
          'Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off',
      });
      const { engine } = compileRules(BUILT_IN_RULES, [], ['*@it.example.com']);
      const model = toViewModel(e, 'UTC', engine.check(e));
      assert.deepEqual(model.changes, [
        { setting: 'Sign-In Password Requirement > Have at least specified length of characters', from: '8', to: '14' },
        { setting: 'Sign-In Password Requirement > Include at least 1 letter', from: 'On', to: 'Off' },
      ]);
      assert.deepEqual(
        model.findings.map((f) => [f.rule, f.severity, f.note]),
        [['password-complexity-off', 'low', 'Trusted operator: lowered from medium.']],
      );
      assert.deepEqual(parseToPage({ type: 'show', entry: model }), { type: 'show', entry: model });
      const bad = (changes: unknown): unknown => parseToPage({ type: 'show', entry: { ...model, changes } });
      assert.equal(bad(undefined), undefined);
      assert.equal(bad([{ setting: 'a', from: 'b' }]), undefined, 'a field missing');
      assert.equal(bad([{ setting: 'a', from: 'b', to: 1 }]), undefined, 'not a string');
      assert.equal(bad(Array.from({ length: 1001 }, () => ({ setting: '', from: '', to: '' }))), undefined, 'too many');
      assert.equal(parseToPage({ type: 'show', entry: { ...model, findings: [{ severity: 'high' }] } }), undefined);
    });
  });

  describe('entry JSON', () => {
    it("is Zoom's raw shape, in Zoom's key order, pretty-printed", () => {
      const e = entry();
      assert.deepEqual(Object.keys(toRawJson(e)), ['time', 'operator', 'category_type', 'action', 'operation_detail']);
      assert.equal(
        formatEntryJson(e),
        '{\n  "time": "2026-11-26T14:05:09Z",\n  "operator": "admin@example.com",\n  "category_type": "User Settings",\n' +
          '  "action": "Update",\n  "operation_detail": "Changed \\"Join before host\\" to on"\n}',
      );
    });
  });

  describe('toViewModel', () => {
    it('formats times in UTC or the local zone', () => {
      const utc = toViewModel(entry(), 'UTC');
      assert.equal(utc.timeUtc, '2026-11-26T14:05:09Z');
      assert.match(utc.timeLocal, /2026.*UTC$/);
      assert.match(utc.title, /^Update · .*UTC$/);
      assert.equal(utc.category, 'User Settings');
      assert.equal(utc.json, formatEntryJson(entry()));
      assert.match(utc.timeLocal, /\b(14|02):05:09\b/, '24- or 12-hour clock, by locale');
      // Local is the process's zone: with TZ set to zones east and west of UTC, the local
      // time is that zone's wall clock, not UTC's 14:05:09.
      for (const [tz, wall, short] of [
        ['Asia/Kolkata', /\b(19|07):35:09\b/, /7:35/],
        ['America/New_York', /\b09:05:09\b/, /9:05/],
      ] as const) {
        const saved = process.env.TZ;
        process.env.TZ = tz;
        try {
          const local = toViewModel(entry(), 'local');
          assert.match(local.timeLocal, wall, `${tz}: ${local.timeLocal}`);
          assert.doesNotMatch(local.timeLocal, /(14|02):05|UTC/, `${tz}: ${local.timeLocal}`);
          assert.match(local.title, short, `${tz}: ${local.title}`);
          assert.doesNotMatch(local.title, /14:05|2:05|UTC/, `${tz}: ${local.title}`);
          // The UTC setting ignores the process's zone.
          assert.match(toViewModel(entry(), 'UTC').timeLocal, /\b(14|02):05:09\b.*UTC$/);
        } finally {
          if (saved === undefined) delete process.env.TZ;
          else process.env.TZ = saved;
        }
      }
    });

    it('falls back to the raw time when it did not parse', () => {
      const model = toViewModel(entry({ time: 'yesterday', timeMs: NaN, action: '' }), 'local');
      assert.equal(model.timeLocal, 'yesterday');
      assert.equal(model.title, 'Operation log entry · yesterday');
    });
  });

  describe('tokenizeJson', () => {
    it('classifies tokens', () => {
      const tokens = tokenizeJson('{"a": "b", "n": -1.5e3, "t": true, "f": false, "z": null}').filter(
        (t) => t.kind !== 'text',
      );
      assert.deepEqual(
        tokens.map((t) => `${t.kind}:${t.text}`),
        [
          'punct:{',
          'key:"a"',
          'punct::',
          'string:"b"',
          'punct:,',
          'key:"n"',
          'punct::',
          'number:-1.5e3',
          'punct:,',
          'key:"t"',
          'punct::',
          'boolean:true',
          'punct:,',
          'key:"f"',
          'punct::',
          'boolean:false',
          'punct:,',
          'key:"z"',
          'punct::',
          'null:null',
          'punct:}',
        ],
      );
      assert.deepEqual(tokenizeJson('"a\\"b"'), [{ kind: 'string', text: '"a\\"b"' }]);
    });

    it('gives back the exact input for generated JSON', () => {
      fc.assert(
        fc.property(fc.json(), fc.constantFrom(0, 2, '\t'), (json, indent) => {
          const pretty = JSON.stringify(JSON.parse(json), null, indent);
          assert.equal(joinTokens(pretty), pretty);
        }),
        { numRuns: 500 },
      );
    });

    it('gives back the exact input for hostile and arbitrary text', () => {
      for (const text of HOSTILE) {
        assert.equal(joinTokens(text), text);
        const json = formatEntryJson(entry({ operationDetail: text, operator: text }));
        assert.equal(joinTokens(json), json);
      }
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (text) => assert.equal(joinTokens(text), text)),
        { numRuns: 500 },
      );
    });

    it('runs in linear time on megabyte inputs', () => {
      const inputs = [
        formatEntryJson(entry({ operationDetail: '<b>x</b> "q" \u202E '.repeat(MB / 16) })),
        '"'.repeat(MB),
        '\\'.repeat(MB),
        '"a"'.concat(' '.repeat(MB)),
        `"${'\\"'.repeat(MB / 2)}`,
        '-'.repeat(MB),
        'x'.repeat(MB),
        't'.repeat(MB),
        '[1,'.repeat(MB / 4),
      ];
      for (const input of inputs) {
        const started = performance.now();
        assert.equal(joinTokens(input), input);
        const elapsed = performance.now() - started;
        assert.ok(elapsed < 1000, `${input.slice(0, 8)}… took ${elapsed.toFixed(0)} ms`);
      }
    });
  });
});
