/**
 * cdk-nag's AwsSolutions and Serverless rule packs over a synthesized stack: every finding nobody
 * acknowledged (infra/constructs/acknowledge.ts, a reason next to the resource), one per rule
 * finding and resource.
 */
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagFinding {
  /** `AwsSolutions-IAM5[Resource::…]`, `Serverless-LambdaDLQ`, … */
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** The construct path of the resource, e.g. `Zhingdrok/HttpFunction/Resource`. */
  readonly path: string;
  readonly message: string;
}

/** Runs both packs (verbose: the message carries the rule's explanation) over `scope`. */
export function nagFindings(scope: IConstruct): NagFinding[] {
  const packs = [
    new AwsSolutionsChecks(undefined, { verbose: true }),
    new ServerlessChecks(undefined, { verbose: true }),
  ];
  return packs.flatMap((pack) =>
    pack.validateScope(scope).violations.flatMap((v) =>
      v.violatingResources.map((r) => ({
        rule: v.ruleName,
        severity: v.severity === 'error' ? ('error' as const) : ('warning' as const),
        path: r.constructPath ?? r.resourceLogicalId ?? '(unknown)',
        message: v.description,
      })),
    ),
  );
}

/** One line a finding: what the test prints when it fails. */
export const describeFinding = (f: NagFinding) => `${f.severity} ${f.rule} at ${f.path}: ${f.message}`;
