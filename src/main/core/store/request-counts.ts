/** Requests a store made, by billed kind (what the cost view compares with its estimate). */
export interface RequestCounts {
  put: number;
  get: number;
  list: number;
}

export function createRequestCounts(): RequestCounts {
  return { put: 0, get: 0, list: 0 };
}
