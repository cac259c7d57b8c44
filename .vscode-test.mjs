// @vscode/test-cli configuration (`npx vscode-test`): the integration suites in a real VS Code.
//
// Default: the harness's code-server (test/vscode-harness/, set up by its setup.sh) is used as the
// "VS Code installation" — run-ext-tests.mjs accepts the flags test-electron passes to a VS Code binary.
// HARNESS_DESKTOP=1: let @vscode/test-electron download a desktop VS Code instead (needs internet and a display).
//
// Unlike `npm run test:e2e`, vscode-test does not start the PostHog stand-in. Start one yourself and pass its URL:
//   npm run stand-in                                  # terminal 1: http://127.0.0.1:8010
//   npx tsc -p . && node esbuild.mjs
//   POSTHOG_STANDIN_URL=http://127.0.0.1:8010 npx vscode-test
import { defineConfig } from '@vscode/test-cli';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const standIn = process.env.POSTHOG_STANDIN_URL || 'http://127.0.0.1:8010';

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  extensionDevelopmentPath: root,
  ...(process.env.HARNESS_DESKTOP === '1'
    ? { version: 'stable', launchArgs: ['--disable-extensions'] }
    : { useInstallation: { fromPath: path.join(root, 'test/vscode-harness/run-ext-tests.mjs') } }),
  env: {
    POSTHOG_STANDIN_URL: standIn,
    POSTHOG_HOST: standIn,
    POSTHOG_PERSONAL_API_KEY: process.env.POSTHOG_PERSONAL_API_KEY || 'phx_demo_full_access',
  },
  mocha: { ui: 'tdd', timeout: 60000 },
});
