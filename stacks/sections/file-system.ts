/** `platform:fileSystem`: the shared EFS file system. */
import { EFS_IA_TRANSITION_DAYS } from "../aws-limits";
import { bool, int, oneOf, section, str, v } from "../schema";
import type { Profiles } from "./environments";

const ABSOLUTE = /^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export const fileSystemSchema = section({
  /** Create the shared EFS file system. */
  enabled: bool(),
  /** POSIX uid every access through the access point uses. */
  posixUid: int(1, 4294967294),
  /** POSIX gid every access through the access point uses. */
  posixGid: int(1, 4294967294),
  /** Directory the access point exposes as the root. */
  rootPath: str(ABSOLUTE, "an absolute directory such as /shared (not / itself)"),
  /** Where services see it. */
  mountPath: str(ABSOLUTE, "an absolute container path such as /mnt/shared"),
  /** Move files not read for this many days to Infrequent Access. */
  transitionToIaDays: oneOf(EFS_IA_TRANSITION_DAYS),
});
export type FileSystemSettings = v.InferOutput<typeof fileSystemSchema>;

const shared: FileSystemSettings = { enabled: true, posixUid: 1000, posixGid: 1000, rootPath: "/shared", mountPath: "/mnt/shared", transitionToIaDays: 30 };
export const FILE_SYSTEM_DEFAULTS: Profiles<FileSystemSettings> = { dev: shared, staging: shared, prod: shared };
