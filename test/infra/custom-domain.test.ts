/** With a custom domain, CloudFront answers on it with the given certificate and modern TLS. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { SynthesizedStack } from './synthesized-stack.ts';

const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-0000-4000-8000-000000000000';
let synth: SynthesizedStack;

beforeAll(() => {
  synth = SynthesizedStack.create(
    { domain: { domainNames: ['zhingdrok.example'], certificateArn } },
    { bundle: false },
  );
});

afterAll(() => synth?.dispose());

test('the distribution carries the names, the certificate and TLS 1.2 (2021) as a floor', () => {
  const distributions = synth.ofType('AWS::CloudFront::Distribution');
  assert.equal(distributions.length, 1);
  const config = distributions[0]![1].Properties.DistributionConfig;
  assert.deepEqual(config.Aliases, ['zhingdrok.example']);
  assert.deepEqual(config.ViewerCertificate, {
    AcmCertificateArn: certificateArn,
    MinimumProtocolVersion: 'TLSv1.2_2021',
    SslSupportMethod: 'sni-only',
  });
});
