/**
 * AUTH_SECRET at run time, in the template: no function's environment holds its value (nor any
 * dynamic reference that CloudFormation would resolve into it); the functions with sign-in get
 * the secret's ARN and may read that secret only, and only read it.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { lambdaCapabilities } from '#handlers/capabilities.ts';
import { actionsOf, resourcesOf, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
beforeAll(() => {
  synth = SynthesizedStack.create({}, { bundle: false });
});
afterAll(() => synth?.dispose());

const signInFunctions = () =>
  [
    synth.stack.httpFunction,
    synth.stack.priceImportFunction,
    synth.stack.sms.sendFunction,
    synth.stack.voiceStudioFunction,
  ].map((fn) => synth.logicalId(fn));

describe('AUTH_SECRET is read at run time, never deployed as a value', () => {
  test('the stack lists one function per Lambda with sign-in', () => {
    const withSignIn = Object.values(lambdaCapabilities).filter((caps) =>
      (caps as readonly string[]).includes('signIn'),
    );
    assert.equal(signInFunctions().length, withSignIn.length);
  });

  test("no function's environment holds AUTH_SECRET or the secret's value", () => {
    const secretId = synth.logicalId(synth.stack.authSecret);
    for (const [id, fn] of synth.ofType('AWS::Lambda::Function')) {
      const env = fn.Properties.Environment?.Variables ?? {};
      assert.equal(env.AUTH_SECRET, undefined, id);
      for (const [name, value] of Object.entries(env)) {
        const text = JSON.stringify(value);
        // {{resolve:secretsmanager:…}} would put the value in the function's configuration.
        if (text.includes(secretId)) assert.equal(name, 'AUTH_SECRET_ARN', `${id} ${name}`);
        if (name !== 'ORIGIN_SECRET') assert.doesNotMatch(text, /resolve:secretsmanager/, `${id} ${name}`);
      }
    }
  });

  test('the functions with sign-in get the ARN and GetSecretValue on that secret alone; the others neither', () => {
    const secretId = synth.logicalId(synth.stack.authSecret);
    const withSignIn = new Set(signInFunctions());
    for (const [id, fn] of synth.ofType('AWS::Lambda::Function')) {
      const env = fn.Properties.Environment?.Variables ?? {};
      const statements = synth
        .statementsOfFunction(id)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      if (!withSignIn.has(id)) {
        assert.equal(env.AUTH_SECRET_ARN, undefined, id);
        assert.deepEqual(statements, [], `${id}: no secret`);
        continue;
      }
      assert.deepEqual(env.AUTH_SECRET_ARN, { Ref: secretId }, id);
      assert.equal(statements.length, 1, id);
      const [statement] = statements;
      assert.equal(statement!.Effect, 'Allow');
      assert.deepEqual(actionsOf(statement!), ['secretsmanager:GetSecretValue'], id);
      assert.deepEqual(resourcesOf(statement!), [{ Ref: secretId }], id);
    }
  });
});
