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
    /** Children and members: regions under a parent, markets in a region; exchange: a county's open offers and queue. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Second access path reserved for lookups by another owner (e.g. by phone, by status). */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Exchange: open offers of a commodity anywhere; the moderation queue of everywhere. */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** Exchange: open offers of a side, every commodity (the web's "all products"). */
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    /** Exchange: open offers of a commodity in a prefecture; a prefecture's moderation queue. */
    { indexName: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;

/** Every key attribute is a string. */
export const keyAttributes: string[] = [
  tableDefinition.partitionKey,
  tableDefinition.sortKey,
  ...tableDefinition.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
];
