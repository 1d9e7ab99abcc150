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
/** A Secrets Manager secret's complete ARN (its six-character suffix included), in any partition. */
const secretArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;
/** An ACM certificate, regional: for the API's custom domain it is in the stack's region. */
const regionalCertificate = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/;
const hostName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A template registry's name: templates/<name>.json. */
const registryName = /^[a-z0-9][a-z0-9-]{0,62}$/;
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
 * @example cdk deploy -c partition=aws-cn -c apiDomainName=zhingdrok.example.cn -c apiCertificateArn=arn:aws-cn:acm:…
 * @example cdk deploy -c smsGateway=aliyun -c smsTemplates=tibet
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
  | 'partition'
  | 'smsGateway'
  | 'aliyunSecretArn'
  | 'smsTemplates'
  | 'apiDomain'
> {
  const partition: unknown = app.node.tryGetContext('partition') ?? 'aws';
  if (partition !== 'aws' && partition !== 'aws-cn')
    throw new Error(`context partition: expected aws or aws-cn, got ${JSON.stringify(partition)}`);
  const china = partition === 'aws-cn';
  const smsGateway: unknown = app.node.tryGetContext('smsGateway') ?? (china ? 'aliyun' : 'eum');
  if (smsGateway !== 'eum' && smsGateway !== 'aliyun')
    throw new Error(`context smsGateway: expected eum or aliyun, got ${JSON.stringify(smsGateway)}`);
  if (china && smsGateway !== 'aliyun')
    throw new Error('context smsGateway: End User Messaging is not in the China regions (partition aws-cn): aliyun');
  const aliyunSecretArn: unknown = app.node.tryGetContext('aliyunSecretArn');
  if (aliyunSecretArn !== undefined && (typeof aliyunSecretArn !== 'string' || !secretArn.test(aliyunSecretArn)))
    throw new Error(
      `context aliyunSecretArn: expected a Secrets Manager secret's complete ARN (…:secret:name-AbCdEf), got ${JSON.stringify(aliyunSecretArn)}`,
    );
  if (aliyunSecretArn !== undefined && smsGateway !== 'aliyun')
    throw new Error('context aliyunSecretArn: only with smsGateway=aliyun');
  const smsTemplates: unknown = app.node.tryGetContext('smsTemplates');
  if (smsTemplates !== undefined && (typeof smsTemplates !== 'string' || !registryName.test(smsTemplates)))
    throw new Error(
      `context smsTemplates: expected a registry name (templates/<name>.json), got ${JSON.stringify(smsTemplates)}`,
    );
  const apiDomainName: unknown = app.node.tryGetContext('apiDomainName');
  const apiCertificateArn: unknown = app.node.tryGetContext('apiCertificateArn');
  if ((apiDomainName === undefined) !== (apiCertificateArn === undefined))
    throw new Error('context apiDomainName and apiCertificateArn go together: give both or neither');
  if (apiDomainName !== undefined) {
    if (!china)
      throw new Error(
        'context apiDomainName: for partition aws-cn, which has no CloudFront; elsewhere use domainNames and certificateArn',
      );
    if (typeof apiDomainName !== 'string' || !hostName.test(apiDomainName))
      throw new Error(`context apiDomainName: expected a host name, got ${JSON.stringify(apiDomainName)}`);
    if (typeof apiCertificateArn !== 'string' || !regionalCertificate.test(apiCertificateArn))
      throw new Error(
        `context apiCertificateArn: expected an ACM certificate ARN in the stack's region, got ${JSON.stringify(apiCertificateArn)}`,
      );
  }
  if (china) {
    // Names of what the China regions do not have, refused rather than silently dropped.
    for (const key of ['domainNames', 'certificateArn', 'webAclArn', 'connectInstanceArn', 'smsOriginationIdentity'])
      if (app.node.tryGetContext(key) !== undefined)
        throw new Error(
          `context ${key}: not in partition aws-cn (no CloudFront, Amazon Connect or End User Messaging there; docs/deploy.md)`,
        );
    if (app.node.tryGetContext('waf') === 'on')
      throw new Error('context waf: partition aws-cn has no CloudFront, and WAF cannot attach to an HTTP API');
  }

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
    // Only what differs from today's defaults, so that an aws synth gets the props it always did.
    ...(china ? { partition: 'aws-cn' as const } : {}),
    ...(smsGateway === 'aliyun' ? { smsGateway: 'aliyun' as const } : {}),
    ...(aliyunSecretArn ? { aliyunSecretArn: aliyunSecretArn as string } : {}),
    ...(smsTemplates ? { smsTemplates: smsTemplates as string } : {}),
    ...(apiDomainName
      ? { apiDomain: { domainName: apiDomainName as string, certificateArn: apiCertificateArn as string } }
      : {}),
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
