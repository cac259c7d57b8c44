// The journey library's own guard: an error the workbench shows fails the journey unless the journey
// names it. Provokes a real failure (PostHog answers 500 to the list a command needs), checks that the
// end-of-journey check sees the error notification, then names it so this journey passes.
export const title = 'journey library: an error notification the journey did not name is caught; a named one is not';

export const options = { signedIn: true };

export default async function workbenchErrors(j) {
  const { assert, standIn } = j;
  await j.openView();
  await j.waitForActivation();
  assert.deepEqual(await j.unexpectedErrors(), [], 'a clean start shows no error');

  // PostHog fails the list the picker needs, on every try.
  standIn.addFault({ method: 'GET', path: '/hog_functions/', kind: 'status', status: 500, times: -1 });
  await j.runCommand('Enable Hog Function');
  let errors = [];
  await j.waitFor(async () => (errors = await j.unexpectedErrors()).some((e) => e.startsWith('error notification: ')), 'the error notification', { timeout: 30000 });
  const notification = errors.find((e) => e.startsWith('error notification: '));
  assert.ok(notification, `an error notification among: ${errors.join(' / ')}`);
  assert.match(notification, /PostHog had a server error \(500\) on GET \/api\/environments\/1\/hog_functions\/: A server error occurred\.$/);
  assert.ok(
    errors.every((e) => /500/.test(e)),
    `only this failure: ${errors.join(' / ')}`,
  );
  j.step(`caught: ${errors.join(' / ')}`);
  await j.screenshot('unexpected-error');

  // Named: no longer unexpected, so the journey can pass.
  j.expectError(/500/);
  assert.deepEqual(await j.unexpectedErrors(), []);
  standIn.clearFaults();
}
