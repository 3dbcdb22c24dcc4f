// Mocha reporter for scripts/test.mjs: the spec reporter's readable output, then one
// machine-readable line  MOCHA-RESULT {"passed":N,"failed":M,"pending":P}
//   mocha --reporter out/test/host/mochaCountReporter.js ...
import Mocha from 'mocha';

const { Spec } = Mocha.reporters;

class CountReporter extends Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let pending = 0;
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
    runner.on('pending', () => pending++);
    // 'end' listeners run in registration order: Spec's epilogue first, then this.
    runner.once('end', () => {
      console.log(`MOCHA-RESULT ${JSON.stringify({ passed, failed, pending })}`);
    });
  }
}

export = CountReporter;
