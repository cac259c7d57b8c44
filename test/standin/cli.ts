/**
 * `npm run stand-in` → `node out/test/standin/cli.js [--port N] [--functions N] [--empty] [--quiet]`
 * Starts the PostHog stand-in with the demo data, prints its URL and the demo keys, and stops
 * cleanly on SIGINT/SIGTERM.
 */
import { DEMO_KEYS } from './data';
import { startStandIn } from './server';

const KEY_NOTES: Record<keyof typeof DEMO_KEYS, string> = {
  fullAccess: 'scopes ["*"]',
  legacy: 'legacy key, no scopes (allowed everything, incl. enable_backfills)',
  readOnly: 'read scopes only',
  noGroups: 'hog_function:write, no group scopes',
  projectTwoOnly: 'scopes ["*"], only project 2',
  extension: 'hog_function:write, group:write, user:read, project:read, organization:read',
};

function intFlag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} expects a non-negative integer`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const standIn = await startStandIn({
    port: intFlag(args, '--port', 8010),
    extraFunctions: intFlag(args, '--functions', 0),
    seed: args.includes('--empty') ? 'empty' : 'demo',
    quiet: args.includes('--quiet'),
  });
  const lines = [
    `PostHog stand-in listening on ${standIn.url}`,
    `  projects: 1 "Hogflix Production", 2 "Hogflix Staging" (API: ${standIn.url}/api/environments/1/hog_functions/)`,
    '  demo personal API keys (Authorization: Bearer <key>):',
    ...Object.entries(DEMO_KEYS).map(([name, key]) => `    ${key.padEnd(28)} ${KEY_NOTES[name as keyof typeof DEMO_KEYS]}`),
    `  control API: ${standIn.url}/__standin/health`,
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the stand-in…`);
    standIn.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
