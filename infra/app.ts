import { App } from 'aws-cdk-lib';
import { readDeployContext } from './deploy-context.ts';
import { ZhingdrokStack } from './stack.ts';

const app = new App();
new ZhingdrokStack(app, 'Zhingdrok', {
  // Environment-agnostic unless the CLI knows the account and region (cdk deploy does).
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...readDeployContext(app),
});
