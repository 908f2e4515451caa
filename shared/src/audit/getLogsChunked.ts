// eth_getLogs over a block range in chunks (providers cap the range of one
// request). Topics are passed as encoded, so one request can ask for several
// events (an array in topic 0) or several values of an indexed argument.

import { type Address, type Hex, type Log, numberToHex, type PublicClient } from "viem";

export type GetLogsChunkedParameters = {
  address: Address;
  topics: (Hex | Hex[] | null)[];
  fromBlock: bigint;
  toBlock: bigint;
  /** Largest block range per request. */
  maxRange?: bigint;
};

export async function getLogsChunked(
  publicClient: PublicClient,
  { address, topics, fromBlock, toBlock, maxRange = 10_000n }: GetLogsChunkedParameters,
): Promise<Log[]> {
  const out: Log[] = [];
  for (let from = fromBlock; from <= toBlock; from += maxRange) {
    const to = from + maxRange - 1n < toBlock ? from + maxRange - 1n : toBlock;
    const raw = (await publicClient.request({
      method: "eth_getLogs",
      params: [{ address, topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) }],
    })) as unknown as Log[];
    out.push(...raw);
  }
  return out;
}
