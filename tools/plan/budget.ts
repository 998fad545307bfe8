/**
 * The budget against the plan's own estimate: AWS Budgets' forecast alert fires when the month's
 * forecast passes 80 % of the budget, so a budget below estimate / 0.8 alerts every month at the
 * load the estimate assumes, and teaches everyone to ignore it.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { BUDGET_FORECAST_ALERT_PERCENT } from "../../components/account-guardrails";
import type { Settings } from "../../stacks";

export interface BudgetCheck {
  budgetUsd: number;
  /** This stack's estimate (a standby sharing its Environment tag is named in `sharedWith`; add its own plan's). */
  estimateUsd: number;
  /** The estimate as a share of the budget (0-1). */
  share: number;
  /** The forecast alert's threshold in USD. */
  forecastAlertUsd: number;
  /** The forecast alert would fire every month at the estimated load. */
  firesAtEstimatedLoad: boolean;
  /** The smallest budget (whole hundreds of USD) whose forecast alert stays quiet at the estimate. */
  smallestQuietBudgetUsd: number;
  /** Standby stacks of this one: they carry its Environment tag, so their cost counts against this budget too. */
  sharedWith: string[];
}

/**
 * The standby stacks whose primary is `stack` (from the stack files in `dir`): they have no budget
 * of their own and share the primary's Environment tag. Read from the files, not synthesized, so
 * the plan stays fast; their estimates come from their own plans.
 */
export function standbysOf(stack: string, dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined && s !== stack)
    .filter((s) => {
      const doc = yaml.load(fs.readFileSync(path.join(dir, `Pulumi.${s}.yaml`), "utf8")) as { config?: Record<string, { primaryStack?: string }> } | null;
      return Object.entries(doc?.config ?? {}).some(([key, value]) => key.endsWith(":standby") && value?.primaryStack === stack);
    });
}

/** Undefined for a stack without a budget (a standby's is its primary's). */
export function budgetCheck(settings: Settings, estimateUsd: number, sharedWith: string[] = []): BudgetCheck | undefined {
  const g = settings.observability.guardrails;
  if (!g.budget) return undefined;
  const forecastAlertUsd = (g.monthlyBudgetUsd * BUDGET_FORECAST_ALERT_PERCENT) / 100;
  return {
    budgetUsd: g.monthlyBudgetUsd,
    estimateUsd,
    share: estimateUsd / g.monthlyBudgetUsd,
    forecastAlertUsd,
    // The notification compares GREATER_THAN: a forecast exactly at the threshold stays quiet.
    firesAtEstimatedLoad: estimateUsd > forecastAlertUsd,
    smallestQuietBudgetUsd: Math.ceil((estimateUsd * 100) / BUDGET_FORECAST_ALERT_PERCENT / 100) * 100,
    sharedWith,
  };
}

/** The plan's budget line. */
export function renderBudget(b: BudgetCheck): string {
  const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;
  const head = `Budget: ${usd(b.budgetUsd)} a month; the estimate (${usd(b.estimateUsd)}) is ${Math.round(b.share * 100)} % of it, and the forecast alert fires above ${BUDGET_FORECAST_ALERT_PERCENT} % (${usd(b.forecastAlertUsd)}).`;
  const shared =
    b.sharedWith.length > 0
      ? `\n${b.sharedWith.join(", ")} (standby, same Environment tag) counts against this budget too: add ${b.sharedWith.length > 1 ? "their" : "its"} plan's estimate.`
      : "";
  return b.firesAtEstimatedLoad
    ? `${head}${shared}\nWARNING: at this load the forecast alert fires every month. Raise platform:observability.guardrails.monthlyBudgetUsd to at least ${usd(b.smallestQuietBudgetUsd)}, or say in the stack file why not.`
    : `${head}${shared}`;
}
