import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { tableDefinition } from '#adapters/dynamodb/table-definition.ts';

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The one DynamoDB table, shaped by the same `tableDefinition` that the local bootstrap
 * uses, so keys, indexes and TTL cannot drift between AWS and dynalite.
 *
 * TableV2 rather than Table: it is the maintained construct, and should the service ever
 * need a replica closer to its users, adding one is a prop, not a table migration.
 */
export function createSingleTable(scope: Construct, id: string): TableV2 {
  return new TableV2(scope, id, {
    partitionKey: stringKey(tableDefinition.partitionKey),
    sortKey: stringKey(tableDefinition.sortKey),
    timeToLiveAttribute: tableDefinition.ttlAttribute,
    globalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
      indexName: index.indexName,
      partitionKey: stringKey(index.partitionKey),
      sortKey: stringKey(index.sortKey),
      // Stated, not defaulted: the repositories read whole items from the indexes.
      projectionType: ProjectionType.ALL,
    })),
    billing: Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    encryption: TableEncryptionV2.awsManagedKey(),
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
