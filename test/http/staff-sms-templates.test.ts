/**
 * The staff dashboard shows the deployment's SMS template setting: which registry, how Tibetan
 * readers get their SMS (the provider may take no Tibetan script), whether broadcast free text
 * can go. A real request to /staff on the test stack, signed in.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

test('/staff shows the template registry and how Tibetan SMS are sent', async () => {
  const operator = await staffBrowser(stack, '+8613900000971', [{ role: 'operator', regions: ['pref_shigatse'] }]);
  const res = await operator.get('/staff?lang=en');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h2>SMS templates<\/h2>/);
  assert.match(html, /<dt>Template registry<\/dt><dd>default<\/dd>/);
  assert.match(html, /<dt>Tibetan SMS sent as<\/dt><dd data-tibetan-script="tibetan">Tibetan script<\/dd>/);
  assert.match(html, /sent through the general notice template/);
});
