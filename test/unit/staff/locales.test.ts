import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { flatten, type Tree } from '#local/locale-types.ts';
import { allResources as resources } from '#locales/all.ts';

test('staff strings: Tibetan in Tibetan script, and every one listed for native review', () => {
  const review = readFileSync(new URL('../../../locales/REVIEW.md', import.meta.url), 'utf8');
  const staff = flatten(resources.bo.staff as Tree, '');
  assert.ok(staff.length > 40);
  assert.deepEqual(
    staff.filter(([, v]) => !/[\u0F00-\u0FFF]/.test(v)).map(([k]) => k),
    [],
  );
  const keys = [
    ...staff.map(([k]) => `staff:${k}`),
    'sms:auth.code',
    'errors:code_invalid.detail',
    'errors:locked.detail',
    'errors:csrf_failed.title',
  ];
  assert.deepEqual(
    keys.filter((k) => !review.includes(`\`${k}\``)),
    [],
  );
});

test('every role and audit action the code uses has a label in every language', async () => {
  const { roles } = await import('#core/staff/roles.ts');
  for (const lang of ['bo', 'zh', 'en'] as const) {
    const s = resources[lang].staff as unknown as {
      roles: Record<string, string>;
      audit: { actions: Record<string, string> };
    };
    assert.deepEqual(
      roles.filter((r) => !s.roles[r]),
      [],
      lang,
    );
    for (const action of [
      'auth.sign_in',
      'auth.sign_out',
      'auth.locked',
      'staff.invite',
      'staff.update',
      'staff.remove',
      'access.denied',
    ]) {
      assert.ok(s.audit.actions[action.replace('.', '_')], `${lang} ${action}`);
    }
  }
});
