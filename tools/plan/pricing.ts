/**
 * What every tier's pricer (`tools/plan/pricers/`) works from: the synthesized stack, its settings,
 * the usage assumptions, the traffic they imply, and `add`, which records one priced line of the
 * pricer's tier. Pricers read resources by type and inputs, never by name.
 */
import type { Settings } from "../../stacks";
import type { SynthResource, SynthResult } from "../harness";
import type { PriceTable, UsageAssumptions } from "./cost";

/** Requests the assumptions imply over a month. */
export interface Traffic {
  /** Requests reaching CloudFront (every one inspected by WAF). */
  edgeRequests: number;
  /** Requests CloudFront passes to the ALB (cache misses). */
  backendRequests: number;
  /** How edgeRequests was derived, for basis texts. */
  basis: string;
}

export interface PricingContext {
  result: SynthResult;
  settings: Settings;
  /** Usage assumptions in force. */
  a: UsageAssumptions;
  /** Hours in the month. */
  h: number;
  traffic: Traffic;
  /** The price table in use (its region and the viewer geography its CloudFront prices are for). */
  prices: PriceTable;
  ofType(type: string): SynthResource[];
  /** Records one line of this pricer's tier: what, which price, how many units, and how that number was derived. */
  add(item: string, priceId: string, quantity: number, basis: string): void;
  /** What the stack has that the estimate does not price (or prices approximately). */
  notes: string[];
}

/** Prices one tier. */
export type Pricer = (ctx: PricingContext) => void;

export function trafficOf(a: UsageAssumptions): Traffic {
  const edgeRequests = a.requestsPerMinute * 60 * a.hoursPerMonth;
  return {
    edgeRequests,
    backendRequests: edgeRequests * (1 - a.edgeCacheHitRatio),
    basis: `${n(a.requestsPerMinute)} req/min x 60 x ${n(a.hoursPerMonth)} h`,
  };
}

// Formatters are built once: `toLocaleString` with options builds a new one on every call.
const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A number for a basis text: grouped, at most 2 decimals. */
export function n(value: number): string {
  return NUMBER.format(value);
}

/** A service's average running tasks: `averageTasksFactor` of the way from its floor to its ceiling. */
export function averageTasks(service: { minTasks: number; maxTasks: number }, a: Pick<UsageAssumptions, "averageTasksFactor">): number {
  return service.minTasks + a.averageTasksFactor * (service.maxTasks - service.minTasks);
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${n(count)} ${count === 1 ? word : many}`;
}

export const KB_PER_GB = 1024 * 1024;
export const TB = 1024;

export interface CapacityShare {
  capacityProvider: string;
  weight: number;
  base?: number;
}

/** Splits an average task count over capacity providers as ECS does: bases first, then by weight. */
export function splitTasks(tasks: number, strategy: CapacityShare[]): Record<string, number> {
  const shares: Record<string, number> = {};
  let left = tasks;
  for (const s of strategy) {
    const onBase = Math.min(left, s.base ?? 0);
    shares[s.capacityProvider] = (shares[s.capacityProvider] ?? 0) + onBase;
    left -= onBase;
  }
  const weights = strategy.reduce((sum, s) => sum + s.weight, 0);
  for (const s of strategy) {
    if (weights > 0) shares[s.capacityProvider] += (left * s.weight) / weights;
  }
  return shares;
}
