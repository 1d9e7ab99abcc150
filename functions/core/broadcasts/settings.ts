/** Broadcast limits and rates (BROADCAST_* and SMS_SEND_RATE config; the defaults are the issue's). */
export interface BroadcastSettings {
  /** More recipients than this need a second staff member's approval. */
  approvalThreshold: number;
  /** Price of one SMS segment, in fen, for the cost preview. */
  segmentPriceFen: number;
  /** Asia/Shanghai HH:MM: sending stops at `quietStart` and resumes at `quietEnd` (may wrap midnight). */
  quietStart: string;
  quietEnd: string;
  /** Messages per second the gateway takes (the paced sender's rate); a tick queues a minute's worth. */
  sendRate: number;
  /** A version longer than this many segments is refused. */
  maxSegments: number;
  /** Regions one audience may name. */
  maxRegions: number;
  /** Recipients per fan-out page (one Query of the audience index). */
  pageSize: number;
}

export const defaultBroadcastSettings: BroadcastSettings = {
  approvalThreshold: 1000,
  segmentPriceFen: 5,
  quietStart: '21:00',
  quietEnd: '08:00',
  sendRate: 20,
  maxSegments: 10,
  maxRegions: 20,
  pageSize: 200,
};
