import { Aws, CfnCondition, CfnOutput, Fn, Stack, type StackProps, Token } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * POST paths that send an SMS to a number the sender chose, or check a code sent that way:
 * the sign-in pages (`/sign-in/code` asks for a code, `/sign-in` checks it) and the API's
 * (`/api/v1/auth/code`, …). Every other SMS is sent to a subscriber who asked by SMS, or by
 * signed-in staff.
 */
export const SMS_SENDING_PATH_PREFIXES = ['/sign-in', '/api/v1/auth/'] as const;

/**
 * Requests per address in five minutes on those paths before WAF answers 429 for a while. A
 * village information point shares one address among its staff; a person asks for a code and
 * types it, two or three requests, so 100 leaves room for a whole office and stops a script.
 */
export const SIGN_IN_REQUESTS_PER_FIVE_MINUTES = 100;

export interface EdgeProtectionProps {
  /** @default SIGN_IN_REQUESTS_PER_FIVE_MINUTES */
  readonly requestsPerFiveMinutes?: number;
  /**
   * Made only where this holds: a stack whose region is unknown at synth creates the WebACL
   * only when deployed in us-east-1.
   */
  readonly condition?: CfnCondition;
}

const visibility = (metricName: string) => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});
const startsWith = (prefix: string) => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: prefix,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

/**
 * A WAF WebACL for the CloudFront distribution (scope CLOUDFRONT, so it must be made in
 * us-east-1): a rate-based rule on the POSTs that send sign-in codes, on top of the app's own
 * per-number and per-address limits. The app's limits count in DynamoDB, so a flood still costs
 * requests; WAF stops it at the edge before it reaches the API. Everything else is allowed.
 * API Gateway HTTP APIs take no WebACL; the API answers nothing without CloudFront's secret
 * header, so the distribution is the one door to guard.
 */
export class EdgeProtection extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeProtectionProps = {}) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Zhingdrok: rate limit on the routes that send sign-in codes',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('zhingdrok-web-acl'),
      rules: [
        {
          name: 'sign-in-and-sms-rate',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          visibilityConfig: visibility('zhingdrok-sign-in-rate'),
          statement: {
            rateBasedStatement: {
              limit: props.requestsPerFiveMinutes ?? SIGN_IN_REQUESTS_PER_FIVE_MINUTES,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    { orStatement: { statements: SMS_SENDING_PATH_PREFIXES.map(startsWith) } },
                  ],
                },
              },
            },
          },
        },
      ],
    });
    if (props.condition) this.webAcl.cfnOptions.condition = props.condition;
  }

  get webAclArn(): string {
    return this.webAcl.attrArn;
  }
}

/**
 * Where the WebACL goes for `stack` — the one rule that infra/stacks.ts and the stack share:
 * - `in-stack`: the stack is in us-east-1, the WebACL beside the distribution;
 * - `conditional`: the region is unknown at synth, the WebACL is in the stack but made only if
 *   it is deployed in us-east-1 (`cdk deploy` knows the region, so this is a bare synth's case);
 * - `edge-stack`: another region: the WebACL in a small us-east-1 stack (EdgeStack).
 */
export function wafPlacement(region: string | undefined): 'in-stack' | 'conditional' | 'edge-stack' {
  if (region === undefined || Token.isUnresolved(region)) return 'conditional';
  return region === 'us-east-1' ? 'in-stack' : 'edge-stack';
}

/**
 * Makes the WebACL in `stack` (whose placement is `in-stack` or `conditional`) and returns it
 * with its ARN: where the WebACL is conditional, an ARN that is no value outside us-east-1.
 */
export function protectInStack(stack: Stack, id: string): { protection: EdgeProtection; webAclArn: string } {
  if (wafPlacement(stack.region) === 'in-stack') {
    const protection = new EdgeProtection(stack, id);
    return { protection, webAclArn: protection.webAclArn };
  }
  const condition = new CfnCondition(stack, `${id}InUsEast1`, {
    expression: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
  });
  const protection = new EdgeProtection(stack, id, { condition });
  return {
    protection,
    webAclArn: Token.asString(Fn.conditionIf(condition.logicalId, protection.webAclArn, Aws.NO_VALUE)),
  };
}

/**
 * The WebACL alone, in us-east-1, for a main stack elsewhere: infra/app.ts gives its ARN to the
 * main stack through a cross-region reference (CDK keeps it in an SSM parameter of us-east-1
 * and reads it from the main stack's region at deploy).
 */
export class EdgeStack extends Stack {
  readonly protection: EdgeProtection;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.protection = new EdgeProtection(this, 'EdgeProtection');
    new CfnOutput(this, 'WebAclArn', { value: this.protection.webAclArn });
  }
}
