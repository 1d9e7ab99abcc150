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
 * `-c waf=off` none. With `-c partition=aws-cn` there is neither distribution nor edge stack.
 */
export function defineStacks(app: App, given: Environment): { main: ZhingdrokStack; edge?: EdgeStack } {
  const context = readDeployContext(app);
  const china = context.partition === 'aws-cn';
  // aws-cn: `-c region=…` (a China region), else the CLI's region when it is one, else Ningxia.
  // The CLI falls back to us-east-1 when no profile names a region, which is never the answer here.
  const asked: unknown = app.node.tryGetContext('region');
  if (asked !== undefined && (!china || typeof asked !== 'string' || !/^cn-[a-z]+-\d$/.test(asked)))
    throw new Error(`context region: a China region with partition aws-cn only, got ${JSON.stringify(asked)}`);
  const env = china
    ? {
        ...given,
        region: (asked as string | undefined) ?? (given.region?.startsWith('cn-') ? given.region : 'cn-northwest-1'),
      }
    : given;
  if (!china && env.region?.startsWith('cn-'))
    throw new Error(`region ${env.region} is in the China partition: synthesize with -c partition=aws-cn`);
  // No CloudFront in aws-cn, so no us-east-1 WebACL stack either.
  const edge =
    !china && context.waf !== false && !context.webAclArn && wafPlacement(env.region) === 'edge-stack'
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
