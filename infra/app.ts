import { App } from 'aws-cdk-lib';
import { defineStacks } from './stacks.ts';

const app = new App();
// Environment-agnostic unless the CLI knows the account and region (cdk deploy does).
defineStacks(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
