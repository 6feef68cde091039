import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultScope } from '../../../src/control/systemd/open.ts';

test('default scope: SUPCTL_SCOPE, else system for root and user otherwise', () => {
  assert.equal(defaultScope({}, 0), 'system');
  assert.equal(defaultScope({}, 1000), 'user');
  assert.equal(defaultScope({ SUPCTL_SCOPE: 'user' }, 0), 'user');
  assert.equal(defaultScope({ SUPCTL_SCOPE: 'system' }, 1000), 'system');
});
