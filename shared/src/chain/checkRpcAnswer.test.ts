import { expect } from "chai";
import { checkRpcAnswer } from "./checkRpcAnswer.ts";
import { isRetryableError } from "./classifyError.ts";

const HASH = `0x${"ab".repeat(32)}`;
const ADDR = `0x${"cd".repeat(20)}`;
const block = { number: "0x10", timestamp: "0x5", gasLimit: "0x1c9c380", hash: HASH, parentHash: HASH };
const log = {
  address: ADDR,
  topics: [HASH],
  data: "0x00",
  blockNumber: "0x10",
  logIndex: "0x0",
  transactionIndex: "0x0",
  blockHash: HASH,
  transactionHash: HASH,
};
const receipt = {
  status: "0x1",
  blockNumber: "0x10",
  blockHash: HASH,
  gasUsed: "0x5208",
  transactionHash: HASH,
  logs: [log],
};

function problem(method: string, params: unknown[], result: unknown): string | undefined {
  try {
    checkRpcAnswer({ method, params, result });
    return undefined;
  } catch (err) {
    expect((err as Error).name).to.equal("RpcAnswerError");
    expect(isRetryableError(err)).to.equal(true);
    return (err as Error).message.split("\n")[0];
  }
}

describe("chain/checkRpcAnswer", () => {
  it("lets right answers through", () => {
    expect(problem("eth_blockNumber", [], "0x10")).to.equal(undefined);
    expect(problem("eth_chainId", [], "0x7a69")).to.equal(undefined);
    expect(problem("eth_getBlockByNumber", ["latest", false], block)).to.equal(undefined);
    expect(problem("eth_getBlockByNumber", ["0x99", false], null), "a block not there (yet)").to.equal(
      undefined,
    );
    expect(problem("eth_getLogs", [{ address: ADDR, fromBlock: "0x10", toBlock: "0x10" }], [log])).to.equal(
      undefined,
    );
    expect(problem("eth_getTransactionReceipt", [HASH], receipt)).to.equal(undefined);
    expect(problem("eth_getTransactionReceipt", [HASH], null), "not mined yet").to.equal(undefined);
    expect(problem("eth_call", [], "0x")).to.equal(undefined);
    expect(problem("eth_call", [], `0x${"00".repeat(32)}`)).to.equal(undefined);
    expect(problem("eth_sendRawTransaction", [], HASH)).to.equal(undefined);
    expect(problem("web3_clientVersion", [], 42)).to.equal(undefined);
  });

  it("refuses the wrong shapes the fault proxy injects, retryably", () => {
    expect(problem("eth_blockNumber", [], 16)).to.match(/eth_blockNumber.*not a hex quantity/);
    expect(problem("eth_blockNumber", [], null)).to.match(/not a hex quantity/);
    expect(problem("eth_getTransactionCount", [], "0xzz")).to.match(/not a hex quantity/);
    expect(problem("eth_getBlockByNumber", ["latest", false], null)).to.match(/no "latest" block/);
    expect(problem("eth_getBlockByNumber", ["0x10", false], { ...block, number: 16 })).to.match(
      /number is 16/,
    );
    const { hash: _h, ...noHash } = block;
    expect(problem("eth_getBlockByHash", [HASH, false], noHash)).to.match(/hash is undefined/);
    expect(problem("eth_getLogs", [{}], { logs: [] })).to.match(/not an array/);
    const { topics: _t, ...noTopics } = log;
    expect(problem("eth_getLogs", [{}], [noTopics])).to.match(/topics/);
    expect(problem("eth_getLogs", [{}], [{ ...log, topics: ["0x1234", "0x"] }])).to.match(/topics/);
    expect(problem("eth_getLogs", [{ address: `0x${"11".repeat(20)}` }], [log])).to.match(/did not ask for/);
    expect(problem("eth_getLogs", [{ fromBlock: "0x11", toBlock: "0x20" }], [log])).to.match(
      /outside the range/,
    );
    expect(problem("eth_getTransactionReceipt", [HASH], { ...receipt, status: "0x7" })).to.match(
      /status "0x7"/,
    );
    expect(problem("eth_getTransactionReceipt", [HASH], 42)).to.match(/number/);
    const { blockNumber: _b, ...noBlock } = receipt;
    expect(problem("eth_getTransactionReceipt", [HASH], noBlock)).to.match(/blockNumber/);
    expect(problem("eth_getTransactionReceipt", [`0x${"ef".repeat(32)}`], receipt)).to.match(/not of/);
    expect(problem("eth_call", [], `0x${"0".repeat(63)}`)).to.match(/not hex bytes/);
    expect(problem("eth_call", [], 7)).to.match(/not hex bytes/);
    expect(problem("eth_sendRawTransaction", [], "0x1234")).to.match(/not a transaction hash/);
  });
});
