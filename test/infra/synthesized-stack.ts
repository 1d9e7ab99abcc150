/**
 * Synthesizes ZhingdrokStack the way `cdk synth` does (cdk.json's feature flags, real
 * esbuild bundling into a throwaway cloud assembly) and answers questions about the result.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { fromRepoRoot } from '../../infra/paths.ts';
import { ZhingdrokStack, type ZhingdrokStackProps } from '../../infra/stack.ts';

// CloudFormation JSON is untyped; these shapes name only what the tests read.
export type Resource = {
  Type: string;
  Properties: any;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: any;
};

export const ref = (logicalId: string) => ({ Ref: logicalId });
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

export class SynthesizedStack {
  readonly stack: ZhingdrokStack;
  readonly template: Template;
  readonly resources: Record<string, Resource>;

  private constructor(
    readonly outdir: string,
    props: ZhingdrokStackProps,
    bundle: boolean,
  ) {
    const { context } = JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8'));
    // An empty bundling-stacks list is what `cdk synth --exclusively` uses to skip esbuild.
    const app = new App({ outdir, context: bundle ? context : { ...context, 'aws:cdk:bundling-stacks': [] } });
    this.stack = new ZhingdrokStack(app, 'Zhingdrok', props);
    this.template = Template.fromStack(this.stack);
    this.resources = this.template.toJSON().Resources;
  }

  /** `bundle: false` skips esbuild, for tests that look at the template only. */
  static create(props: ZhingdrokStackProps = {}, { bundle = true } = {}): SynthesizedStack {
    return new SynthesizedStack(mkdtempSync(path.join(tmpdir(), 'zhingdrok-cdk-')), props, bundle);
  }

  dispose(): void {
    rmSync(this.outdir, { recursive: true, force: true });
  }

  logicalId(construct: IConstruct): string {
    return this.stack.getLogicalId(construct.node.defaultChild as CfnElement);
  }

  ofType(type: string): [string, Resource][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /** The directory of a Lambda function's bundled code inside the cloud assembly. */
  assetDirOf(functionId: string): string {
    const key: string = this.resources[functionId]!.Properties.Code.S3Key;
    return path.join(this.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  }

  /** Every statement on a function's role, inline and from attached Policy resources. */
  statementsOfFunction(functionId: string): Statement[] {
    const roleId: string = this.resources[functionId]!.Properties.Role['Fn::GetAtt'][0];
    const inline = (this.resources[roleId]?.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
    const attached = this.ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    return [...inline, ...attached];
  }

  /** Every identity-policy statement in the stack. */
  allStatements(): Statement[] {
    const fromPolicies = this.ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const fromRoles = this.ofType('AWS::IAM::Role').flatMap(([, r]) =>
      (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement),
    );
    return [...fromPolicies, ...fromRoles];
  }
}
