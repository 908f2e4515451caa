// One fresh world per attack: a deterministic chain, the protocol deployed with the example
// economics (k = 16, clock 1800 s, bonds 1 / 0.5 ETH, burn 20 %), the echo guest registered at
// D = 32, and named accounts. Also the result record every attack returns and the net-wei meter.

import type { Address, PrivateKeyAccount } from "viem";
import { type BenchChain, createBenchChain } from "./chain.ts";
import {
  type Deployment,
  deployProtocol,
  EXAMPLE_PARAMS,
  holdings,
  type Params,
  registerEcho,
} from "./protocol.ts";

export type AttackResult = {
  name: string;
  honestSideWon: boolean;
  /** Decimal string, signed. Unit: wei. */
  attackerNetWei: string;
  /** Decimal string, signed. Unit: wei. */
  honestNetWei: string;
  notes: string;
};

export type World = {
  c: BenchChain;
  d: Deployment;
  programId: bigint;
  /** Admin of both contracts (stands for the timelock). */
  admin: PrivateKeyAccount;
  guardian: PrivateKeyAccount;
  setter: PrivateKeyAccount;
  honestProposer: PrivateKeyAccount;
  honestChallenger: PrivateKeyAccount;
  attacker: PrivateKeyAccount;
  sock: PrivateKeyAccount;
  requester: PrivateKeyAccount;
  dataSource: PrivateKeyAccount;
  other: PrivateKeyAccount;
};

export type WorldParameters = { params?: Partial<Params>; depth?: number; k?: number };

export async function createWorld(p: WorldParameters = {}): Promise<World> {
  const c = await createBenchChain();
  const [
    admin,
    guardian,
    setter,
    honestProposer,
    honestChallenger,
    attacker,
    sock,
    requester,
    dataSource,
    other,
  ] = c.accounts;
  const d = await deployProtocol(
    c,
    { deployer: admin, admin: admin.address, guardian: guardian.address, setter: setter.address },
    p.k ?? 16,
    { ...EXAMPLE_PARAMS, ...p.params },
  );
  const programId = await registerEcho(c, d, admin, p.depth ?? 32);
  return {
    c,
    d,
    programId,
    admin,
    guardian,
    setter,
    honestProposer,
    honestChallenger,
    attacker,
    sock,
    requester,
    dataSource,
    other,
  };
}

/** Measures what a group of accounts gained or lost (balances incl. gas, plus both ledgers' credits). */
export class NetMeter {
  private readonly before = new Map<Address, bigint>();
  private readonly feesBefore = new Map<Address, bigint>();

  private constructor(private readonly w: World) {}

  static async start(w: World, accounts: Address[]): Promise<NetMeter> {
    const m = new NetMeter(w);
    for (const a of accounts) {
      m.before.set(a, await holdings(w.c, w.d, a));
      m.feesBefore.set(a, w.c.feesPaid(a));
    }
    return m;
  }

  /** Sum over `accounts` of (holdings now − holdings at start). Unit: wei. */
  async net(accounts: Address[]): Promise<bigint> {
    let sum = 0n;
    for (const a of accounts) {
      const b = this.before.get(a);
      if (b === undefined) throw new Error(`account ${a} was not metered`);
      sum += (await holdings(this.w.c, this.w.d, a)) - b;
    }
    return sum;
  }

  /** Gas fees `accounts` paid since the start. Unit: wei. */
  gas(accounts: Address[]): bigint {
    return accounts.reduce((s, a) => s + this.w.c.feesPaid(a) - (this.feesBefore.get(a) ?? 0n), 0n);
  }
}

/** Formats wei as ETH with 6 decimals, for notes. */
export function eth(wei: bigint): string {
  const neg = wei < 0n;
  const a = neg ? -wei : wei;
  const whole = a / 10n ** 18n;
  const frac = ((a % 10n ** 18n) / 10n ** 12n).toString().padStart(6, "0");
  return `${neg ? "-" : ""}${whole}.${frac} ETH`;
}
