import type { App, Environment } from 'aws-cdk-lib';
import { EdgeStack, wafPlacement } from './constructs/edge-protection.ts';
import { readDeployContext } from './deploy-context.ts';
import { ZhingdrokStack } from './stack.ts';

/**
 * The app's stacks: Zhingdrok, and ZhingdrokEdge when the WAF WebACL cannot live beside the
 * distribution. A CloudFront WebACL must be made in us-east-1; a Zhingdrok stack elsewhere gets
 * the edge stack's ARN through a cross-region reference (CDK writes it to an SSM parameter in
 * us-east-1 and reads it in the main region at deploy), so one `cdk deploy --all` deploys both,
 * the edge stack first. In us-east-1, or with the region unknown at synth, the stack holds the
 * WebACL itself (constructs/edge-protection.ts); `-c webAclArn=…` uses one made elsewhere, and
 * `-c waf=off` none.
 */
export function defineStacks(app: App, env: Environment): { main: ZhingdrokStack; edge?: EdgeStack } {
  const context = readDeployContext(app);
  const edge =
    context.waf !== false && !context.webAclArn && wafPlacement(env.region) === 'edge-stack'
      ? new EdgeStack(app, 'ZhingdrokEdge', {
          env: { account: env.account, region: 'us-east-1' },
          crossRegionReferences: true,
          description:
            'Zhingdrok: the WAF WebACL of the CloudFront distribution (CloudFront WebACLs live in us-east-1)',
        })
      : undefined;
  const main = new ZhingdrokStack(app, 'Zhingdrok', {
    env,
    ...context,
    ...(edge ? { webAclArn: edge.protection.webAclArn, crossRegionReferences: true } : {}),
  });
  return { main, edge };
}
