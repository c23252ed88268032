/** The part of a NatNet version that decides the wire layout. Build and revision never do. */
export interface NatNetVersionLike {
  readonly major: number;
  readonly minor: number;
}

/** A four-byte version as NatNet sends it: [major, minor, build, revision]. */
export interface NatNetVersion extends NatNetVersionLike {
  readonly build: number;
  readonly revision: number;
}

export function natnetVersion(major: number, minor: number, build = 0, revision = 0): NatNetVersion {
  return { major, minor, build, revision };
}

/** True when `version` is `major.minor` or newer. */
export function atLeast(version: NatNetVersionLike, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** `3.0`: the form used in error messages and logs. */
export function formatVersion(version: NatNetVersionLike): string {
  return `${version.major}.${version.minor}`;
}
