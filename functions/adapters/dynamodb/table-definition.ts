/**
 * The one definition of the single table, shared by the CDK stack and the local bootstrap
 * so the two can never drift. Keys are generic (see keys.ts for every formula).
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after. Readers must still check it. */
  ttlAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    /** Children and members: regions under a parent, markets in a region. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Second access path reserved for lookups by another owner (e.g. by phone, by status). */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;

/** Every key attribute is a string. */
export const keyAttributes: string[] = [
  tableDefinition.partitionKey,
  tableDefinition.sortKey,
  ...tableDefinition.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
];
