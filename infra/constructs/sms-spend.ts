import { Stack } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type CfnConfigurationSet, CfnProtectConfiguration } from 'aws-cdk-lib/aws-smsvoice';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js';
import { acknowledge, BASIC_EXECUTION_ROLE_FINDING } from './acknowledge.ts';

/**
 * The calling codes SMS may go to: SMS_ALLOWED_COUNTRIES' default (functions/config.ts), which
 * the stack's senders use (it sets no other). The app refuses other numbers itself; this is the
 * account-side wall behind it.
 */
export const SERVED_CALLING_CODES: readonly string[] = ['86'];

/**
 * How Cost Explorer names the service SMS is billed under: End User Messaging since its 2024
 * rename, Amazon Pinpoint before it (an account's older lines may still carry that name).
 */
export const SMS_COST_SERVICES = ['AWS End User Messaging', 'Amazon Pinpoint'];

/** @default monthly SMS budget in USD when context `smsBudgetUsd` is not given. */
export const DEFAULT_SMS_BUDGET_USD = 50;

export interface SmsSpendProps {
  /** The configuration set every send names: its protect configuration decides where SMS may go. */
  readonly configurationSet: CfnConfigurationSet;
  /** Calling codes SMS may go to. @default SERVED_CALLING_CODES */
  readonly allowedCallingCodes?: readonly string[];
  /** Where the budget's alerts go (the alarm topic): Budgets is allowed to publish to it. */
  readonly alarmTopic: Topic;
  /** Also e-mailed the budget's alerts. */
  readonly alarmEmail?: string;
  /** The monthly SMS cost that alerts (80 % spent, 100 % forecast). @default DEFAULT_SMS_BUDGET_USD */
  readonly monthlyBudgetUsd?: number;
  /**
   * The account's monthly SMS spend limit in USD, set at deploy (SetTextMessageSpendLimitOverride).
   * @default none: the account keeps the limit it has (AWS starts new accounts at 1 USD)
   */
  readonly monthlySpendLimitUsd?: number;
}

/**
 * Backstops on SMS spend on the account's side, behind the app's own daily segment budget and
 * hard cap (core/sms/admission.ts), so that a bug or a stolen role cannot run up a bill:
 *
 * - a protect configuration on the configuration set that blocks every destination country but
 *   the served ones (a protect configuration allows a country it does not name, so each other
 *   country is named: SMS pumping to premium numbers abroad stops at the service);
 * - the monthly spend limit, a deliberate figure in the deploy's context (no CloudFormation
 *   resource exists for it: a custom resource calls SetTextMessageSpendLimitOverride); the
 *   service stops sending when the month's spend reaches it;
 * - an AWS Budgets budget on the SMS cost, alerting the alarm topic at 80 % spent and at 100 %
 *   forecast.
 */
export class SmsSpend extends Construct {
  readonly protectConfiguration: CfnProtectConfiguration;
  readonly budget: CfnBudget;
  readonly spendLimit?: AwsCustomResource;

  constructor(scope: Construct, id: string, props: SmsSpendProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const allowed = new Set(props.allowedCallingCodes ?? SERVED_CALLING_CODES);
    const countries = getCountries();
    const served = countries.filter((c) => allowed.has(getCountryCallingCode(c)));
    if (served.length === 0) throw new Error(`no country has the calling codes ${[...allowed].join(', ')}`);

    this.protectConfiguration = new CfnProtectConfiguration(this, 'ProtectConfiguration', {
      deletionProtectionEnabled: false,
      countryRuleSet: {
        sms: countries.map((countryCode) => ({
          countryCode,
          protectStatus: served.includes(countryCode) ? 'ALLOW' : 'BLOCK',
        })),
      },
    });
    props.configurationSet.protectConfigurationId = this.protectConfiguration.attrProtectConfigurationId;

    const budgetUsd = props.monthlyBudgetUsd ?? DEFAULT_SMS_BUDGET_USD;
    // Budgets publishes for this account only (confused-deputy guard).
    props.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [props.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:budgets::${stack.account}:*` },
        },
      }),
    );
    const subscribers = [
      { subscriptionType: 'SNS', address: props.alarmTopic.topicArn },
      ...(props.alarmEmail ? [{ subscriptionType: 'EMAIL', address: props.alarmEmail }] : []),
    ];
    this.budget = new CfnBudget(this, 'Budget', {
      budget: {
        budgetName: `${stack.stackName}-sms`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: budgetUsd, unit: 'USD' },
        costFilters: { Service: SMS_COST_SERVICES },
      },
      notificationsWithSubscribers: [
        {
          notification: {
            notificationType: 'ACTUAL',
            comparisonOperator: 'GREATER_THAN',
            threshold: 80,
            thresholdType: 'PERCENTAGE',
          },
          subscribers,
        },
        {
          notification: {
            notificationType: 'FORECASTED',
            comparisonOperator: 'GREATER_THAN',
            threshold: 100,
            thresholdType: 'PERCENTAGE',
          },
          subscribers,
        },
      ],
    });

    if (props.monthlySpendLimitUsd !== undefined) {
      // Set on every create and update; left as it is when the stack goes (it is the account's).
      const call = {
        service: 'PinpointSMSVoiceV2',
        action: 'SetTextMessageSpendLimitOverride',
        parameters: { MonthlyLimit: props.monthlySpendLimitUsd },
        physicalResourceId: PhysicalResourceId.of(`${stack.stackName}-sms-spend-limit`),
      };
      this.spendLimit = new AwsCustomResource(this, 'SpendLimit', {
        onCreate: call,
        onUpdate: call,
        installLatestAwsSdk: false,
        // One small SDK call per deploy.
        memorySize: 256,
        policy: AwsCustomResourcePolicy.fromStatements([
          new PolicyStatement({ actions: ['sms-voice:SetTextMessageSpendLimitOverride'], resources: ['*'] }),
        ]),
      });
      acknowledge(
        this.spendLimit,
        'AwsSolutions-IAM5[Resource::*]',
        'SetTextMessageSpendLimitOverride is an account setting: IAM has no resource to name',
      );
      // Its handler is CDK's singleton function at the stack's root (CDK's runtime and role).
      const handler = stack.node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
      if (handler) {
        const cdkOwned = 'CDK’s AwsCustomResource handler, run during deploys only: its runtime and role are CDK’s';
        for (const rule of [
          BASIC_EXECUTION_ROLE_FINDING,
          'AwsSolutions-L1',
          'Serverless-LambdaLatestVersion',
          'Serverless-LambdaTracing',
          'Serverless-LambdaDLQ',
        ])
          acknowledge(handler, rule, cdkOwned);
      }
    }
  }
}
