import type { App } from 'aws-cdk-lib';
import type { LogLevel } from './constructs/service-function.ts';
import { PLACEHOLDER_ORIGINATION_IDENTITY, SENDER_POLLERS } from './constructs/sms-channel.ts';
import type { ZhingdrokStackProps } from './stack.ts';

const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const e164 = /^\+[1-9]\d{6,14}$/;
/**
 * A phone number or pool: two-way SMS needs one (sender ids cannot receive). An id in this
 * account, or the ARN of a shared one. IAM needs the ARN, which an E.164 number is not.
 */
const originationIdentity =
  /^((phone|pool)-[0-9a-f]{32}|arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|pool)\/(phone|pool)-[0-9a-f]{32})$/;

/** One address, no display name or list: SNS subscribes exactly what it is given. */
const email = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;
/** A WebACL for CloudFront is global, so made in us-east-1. */
const cloudFrontWebAcl = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/;
/**
 * A number from context: `-c key=5` gives the string "5", cdk.json the number 5. Undefined when
 * absent; anything that is not a plain decimal number fails the synth naming the key.
 */
function numberOf(app: App, key: string, check: (n: number) => boolean, expected: string): number | undefined {
  const raw: unknown = app.node.tryGetContext(key);
  if (raw === undefined) return undefined;
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || !check(n))
    throw new Error(`context ${key}: expected ${expected}, got ${JSON.stringify(raw)}`);
  return n;
}

function list(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/**
 * Deploy-time settings from CDK context (`-c key=value` or cdk.json), checked here so that a
 * typo fails the synth instead of the first request in production.
 *
 * @example cdk deploy -c adminPhones=+8613800000000 -c logLevel=debug
 * @example cdk deploy -c domainNames=zhingdrok.example -c certificateArn=arn:aws:acm:us-east-1:…
 * @example cdk deploy -c smsOriginationIdentity=pool-0123456789abcdef0123456789abcdef
 * @example cdk deploy -c alarmEmail=ops@bureau.example -c waf=off
 * @example cdk deploy -c smsSenderConcurrency=5 -c smsMonthlySpendLimitUsd=100 -c smsBudgetUsd=80
 */
export function readDeployContext(
  app: App,
): Pick<
  ZhingdrokStackProps,
  | 'adminPhones'
  | 'logLevel'
  | 'domain'
  | 'smsOriginationIdentity'
  | 'smsSenderConcurrency'
  | 'smsMonthlySpendLimitUsd'
  | 'smsBudgetUsd'
  | 'alarmEmail'
  | 'waf'
  | 'webAclArn'
> {
  const adminPhones = list(app.node.tryGetContext('adminPhones'));
  const badPhone = adminPhones.find((p) => !e164.test(p));
  if (badPhone) throw new Error(`context adminPhones: ${JSON.stringify(badPhone)} is not E.164, e.g. +8613800000000`);

  const logLevel: unknown = app.node.tryGetContext('logLevel') ?? 'info';
  if (!logLevels.includes(logLevel as LogLevel)) {
    throw new Error(`context logLevel: expected one of ${logLevels.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }

  const domainNames = list(app.node.tryGetContext('domainNames'));
  const certificateArn: unknown = app.node.tryGetContext('certificateArn');
  if (domainNames.length > 0 !== (typeof certificateArn === 'string' && certificateArn !== '')) {
    throw new Error('context domainNames and certificateArn go together: give both or neither');
  }

  const smsOriginationIdentity: unknown =
    app.node.tryGetContext('smsOriginationIdentity') ?? PLACEHOLDER_ORIGINATION_IDENTITY;
  if (typeof smsOriginationIdentity !== 'string' || !originationIdentity.test(smsOriginationIdentity)) {
    throw new Error(
      `context smsOriginationIdentity: expected a phone number or pool id (phone-…, pool-…) or its ARN, got ${JSON.stringify(smsOriginationIdentity)}`,
    );
  }

  // Each of these is in the result only when given, so the stack's own defaults apply otherwise.
  const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !email.test(alarmEmail))) {
    throw new Error(
      `context alarmEmail: expected one e-mail address for the alarm topic, got ${JSON.stringify(alarmEmail)}`,
    );
  }
  const waf: unknown = app.node.tryGetContext('waf');
  if (waf !== undefined && waf !== 'on' && waf !== 'off') {
    throw new Error(`context waf: expected on or off, got ${JSON.stringify(waf)}`);
  }
  const webAclArn: unknown = app.node.tryGetContext('webAclArn');
  if (webAclArn !== undefined && (typeof webAclArn !== 'string' || !cloudFrontWebAcl.test(webAclArn))) {
    throw new Error(
      `context webAclArn: expected a CloudFront (global) WAF WebACL ARN in us-east-1, got ${JSON.stringify(webAclArn)}`,
    );
  }
  // The sender's two queues run up to SENDER_POLLERS invocations at once: a smaller reservation
  // would throttle them, and throttled batches go back to the queue and on to its dead letters.
  // New accounts have 10 in all, and Lambda keeps 10 unreserved: reserving takes from a raised quota.
  const smsSenderConcurrency = numberOf(
    app,
    'smsSenderConcurrency',
    (n) => Number.isInteger(n) && (n === 0 || (n >= SENDER_POLLERS && n <= 1000)),
    `0 (no reservation) or a whole number from ${SENDER_POLLERS} (the sender's pollers) to 1000`,
  );
  const smsMonthlySpendLimitUsd = numberOf(
    app,
    'smsMonthlySpendLimitUsd',
    (n) => Number.isInteger(n) && n >= 1,
    'a whole number of US dollars, at least 1 (the service takes whole dollars)',
  );
  const smsBudgetUsd = numberOf(app, 'smsBudgetUsd', (n) => n > 0, 'a positive number of US dollars');

  return {
    ...(alarmEmail ? { alarmEmail: alarmEmail as string } : {}),
    ...(waf ? { waf: waf === 'on' } : {}),
    ...(webAclArn ? { webAclArn: webAclArn as string } : {}),
    adminPhones,
    logLevel: logLevel as LogLevel,
    domain: domainNames.length ? { domainNames, certificateArn: certificateArn as string } : undefined,
    smsOriginationIdentity,
    ...(smsSenderConcurrency === undefined ? {} : { smsSenderConcurrency }),
    ...(smsMonthlySpendLimitUsd === undefined ? {} : { smsMonthlySpendLimitUsd }),
    ...(smsBudgetUsd === undefined ? {} : { smsBudgetUsd }),
  };
}
