// Mocha runner for the integration suites. VS Code loads this file in the extension host (the
// `extensionTestsPath`) and calls run(); a rejected promise makes the test run exit non-zero.
//
// Loads every `*.test.js` next to this file (out/test/integration/**), tdd *and* bdd globals are
// available (suite/test and describe/it), 60 s timeout per test. Each result is printed as it happens;
// the last line is `integration: N passed, N failed`. Output goes through console.log because that is
// what the extension host forwards (to the workbench console, which the harness echoes).
//
// Environment: INTEGRATION_GREP (mocha grep), INTEGRATION_RESULTS_FILE (JSON summary written there).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Failure {
  title: string;
  error: string;
}

interface Summary {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  failures: Failure[];
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/** Plain-text reporter: one line per test, failures with their stack, and the summary line. */
class HarnessReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const summary: Summary = { passed: 0, failed: 0, pending: 0, durationMs: 0, failures: [] };
    const started = Date.now();
    const log = (line: string): void => {
      console.log(line);
    };
    runner.on('suite', (suite: Mocha.Suite) => {
      if (suite.title) log(`${'  '.repeat(Math.max(0, suite.titlePath().length - 1))}${suite.title}`);
    });
    runner.on('pass', (t: Mocha.Test) => {
      summary.passed++;
      log(`${'  '.repeat(t.titlePath().length - 1)}✔ ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on('pending', (t: Mocha.Test) => {
      summary.pending++;
      log(`${'  '.repeat(t.titlePath().length - 1)}- ${t.title} (pending)`);
    });
    runner.on('fail', (t: Mocha.Test | Mocha.Hook, err: unknown) => {
      summary.failed++;
      const title = t.fullTitle();
      summary.failures.push({ title, error: errorText(err) });
      log(`${'  '.repeat(Math.max(0, t.titlePath().length - 1))}✘ ${t.title}`);
      log(
        errorText(err)
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
      );
    });
    runner.once('end', () => {
      summary.durationMs = Date.now() - started;
      if (summary.failures.length) {
        log('');
        log('failures:');
        summary.failures.forEach((f, i) => {
          log(`  ${i + 1}) ${f.title}`);
        });
      }
      const resultsFile = process.env.INTEGRATION_RESULTS_FILE;
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
      log(`integration: ${summary.passed} passed, ${summary.failed} failed${summary.pending ? `, ${summary.pending} pending` : ''} (${(summary.durationMs / 1000).toFixed(1)} s)`);
    });
  }
}

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: HarnessReporter });
  const grep = process.env.INTEGRATION_GREP;
  if (grep) mocha.grep(grep);
  // bdd globals (describe/it/before…) as well as tdd (suite/test/suiteSetup…), so suites may use either style.
  Mocha.interfaces.bdd(mocha.suite);
  const files = findTests(__dirname);
  if (!files.length) throw new Error(`no *.test.js files under ${__dirname}`);
  for (const f of files) mocha.addFile(f);
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => {
    mocha.run(resolve);
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
