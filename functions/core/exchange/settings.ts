/** The exchange's limits and periods (EXCHANGE_* config; defaults as the issue set them). */
export interface ExchangeSettings {
  /** An offer is open this many days; RENEW gives them again. */
  offerDays: number;
  /** Live offers (open, waiting for a check or a YES) one number may hold. */
  maxOpenPerNumber: number;
  /** Offers one number may post in an Asia/Shanghai day. */
  maxPostsPerDay: number;
  /** Match notices one number receives in a day. */
  matchNoticesPerDay: number;
  /** Relayed messages (MSG) one number may send in a day … */
  relaysPerDay: number;
  /** … and to one offer in a day. */
  relaysPerOfferPerDay: number;
  /** A farmer has this long to confirm an offer an operator posted for them. */
  confirmHours: number;
  /** Reports from distinct numbers that hide an offer until a moderator looks. */
  reportsToHide: number;
  /** A price over this many times (or under 1/this) the latest approved price nearby waits for a check. */
  priceFactor: number;
}

export const defaultExchangeSettings: ExchangeSettings = {
  offerDays: 14,
  maxOpenPerNumber: 10,
  maxPostsPerDay: 10,
  matchNoticesPerDay: 3,
  relaysPerDay: 20,
  relaysPerOfferPerDay: 5,
  confirmHours: 24,
  reportsToHide: 3,
  priceFactor: 5,
};
