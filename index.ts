/**
 * The platform, one copy per stack, in one of two shapes (see README.md and docs/architecture.md):
 *
 * - a primary region (every stack but a standby): the whole platform, and with a DR region every
 *   copy of its data kept there (`regions/primary.ts`);
 * - a standby region (`platform:standby`): the DR region of a primary, the same platform idle at
 *   pilot-light size, built and activated without touching the primary's region
 *   (`regions/standby.ts`).
 *
 * Settings are validated before any resource is registered; every decision lives in stacks/
 * (config) or components/ (resources), and the region files only wire.
 */
import { loadSettings } from "./stacks";
import { primaryRegion } from "./regions/primary";
import { standbyRegion } from "./regions/standby";

const settings = loadSettings();
export = settings.standby ? standbyRegion(settings, settings.standby) : primaryRegion(settings);
