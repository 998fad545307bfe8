/** The environments this project knows; each section has a profile of defaults for each. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** One value per environment: a section's profile defaults. */
export type Profiles<T> = Readonly<Record<Environment, T>>;
