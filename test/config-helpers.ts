/**
 * Helpers for tests of stack config: resolve a stack file with edits, and assert the exact problem
 * a bad value gets. Pure: resolveSettings needs no Pulumi runtime.
 */
import { expect } from "chai";
import { ConfigError, resolveSettings, Settings } from "../stacks";
import { ConfigProblem } from "../stacks/validate";
import { loadStackConfig } from "../tools/harness";
import { FIXTURE_DIR } from "./helpers";

export type Stack = string;
/** Raw config by full key, strings exactly as Pulumi hands them to the program. */
export type Config = Record<string, string>;

/** A fresh copy of a stack's real config (values are strings, so a shallow copy is enough). */
export function stackConfig(stack: Stack): { project: string; config: Config } {
  const { project, config } = loadStackConfig(stack, FIXTURE_DIR);
  return { project, config: { ...config } };
}

export function resolve(stack: Stack, mutate: (config: Config) => void = () => undefined): Settings {
  const { project, config } = stackConfig(stack);
  mutate(config);
  return resolveSettings({ project, stack, config });
}

/** Mutates the parsed JSON value of `key` (Pulumi hands objects and arrays over as JSON strings). */
export function editJson(config: Config, key: string, edit: (value: any) => unknown): void {
  const value = JSON.parse(config[key]);
  edit(value);
  config[key] = JSON.stringify(value);
}

/** Edits the service entries of `platform:services`. */
export function editServices(config: Config, edit: (services: any[]) => void): void {
  editJson(config, "platform:services", edit);
}

/** Resolves a mutated copy of `stack` and returns the ConfigError it must throw. */
export function expectConfigError(stack: Stack, mutate: (config: Config) => void): ConfigError {
  let thrown: unknown;
  try {
    resolve(stack, mutate);
  } catch (err) {
    thrown = err;
  }
  expect(thrown, "resolveSettings should have thrown").to.be.instanceOf(ConfigError);
  return thrown as ConfigError;
}

/** How a problem shows a value: JSON cut to 80 characters, or a note when the key is missing. */
export function rendered(value: unknown): string {
  if (value === undefined) return "nothing (key missing)";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * Asserts that the mutated stack config fails with a problem at exactly `key` showing `value`.
 * Returns the problem for further checks.
 */
export function expectProblem(stack: Stack, mutate: (config: Config) => void, key: string, value: unknown): ConfigProblem {
  const err = expectConfigError(stack, mutate);
  const atKey = err.problems.filter((p) => p.key === key);
  expect(atKey, `no problem at ${key}; got:\n${err.message}`).to.not.be.empty;
  const problem = atKey.find((p) => p.value === rendered(value));
  expect(problem, `problem at ${key} does not show ${rendered(value)}; got:\n${err.message}`).to.not.be.undefined;
  expect(problem!.allowed).to.be.a("string").and.not.be.empty;
  return problem!;
}

/** Resolves `stack` with config values set (by full key; objects as values), or removed when undefined. */
export function resolveWith(stack: Stack, overrides: Record<string, unknown>): Settings {
  return resolve(stack, override(overrides));
}

/** An edit that sets config values by full key (objects as JSON, as Pulumi hands them over), or removes them when undefined. */
function override(overrides: Record<string, unknown>): (config: Config) => void {
  return (config) => {
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete config[key];
      else config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  };
}

/** Asserts `overrides` make `stack` fail at `key` showing `value`, with `allowed` in the explanation. */
export function expectProblemAt(stack: Stack, overrides: Record<string, unknown>, key: string, value: unknown, allowed: string): ConfigProblem {
  const problem = expectProblem(stack, override(overrides), key, value);
  expect(problem.allowed).to.contain(allowed);
  return problem;
}
