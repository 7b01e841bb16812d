import { contentHash, deepFreeze } from "../canonical.ts";
import { UnknownPcrError } from "../errors.ts";
import { PCR_CN_ALU_PRIMARY_1_0_0 } from "./categories/alu-primary.ts";
import { PCR_CN_ALU_PROFILE_1_0_0 } from "./categories/alu-profile.ts";
import { PCR_CN_AMMONIUM_PHOSPHATE_1_0_0 } from "./categories/ammonium-phosphate.ts";
import { PCR_CN_CEMENT_1_0_0 } from "./categories/cement.ts";
import { PCR_CN_CERAMIC_TILE_1_0_0 } from "./categories/ceramic-tile.ts";
import { PCR_CN_FERROALLOY_1_0_0 } from "./categories/ferroalloy.ts";
import { PCR_CN_FLAT_GLASS_1_0_0 } from "./categories/flat-glass.ts";
import { PCR_CN_LIB_CONSUMER_1_0_0 } from "./categories/lib-consumer.ts";
import { PCR_CN_LIB_ESS_1_0_0 } from "./categories/lib-ess.ts";
import { PCR_CN_LIB_EV_1_0_0 } from "./categories/lib-ev.ts";
import { PCR_CN_MOTOR_3PH_1_0_0 } from "./categories/motor-3ph.ts";
import { PCR_CN_PC_DESKTOP_1_0_0, PCR_CN_PC_LAPTOP_1_0_0 } from "./categories/pc.ts";
import { PCR_CN_PV_MODULE_1_0_0 } from "./categories/pv-module.ts";
import { PCR_CN_RAC_1_0_0 } from "./categories/room-ac.ts";
import { PCR_CN_STEEL_BF_BOF_1_0_0 } from "./categories/steel-bf-bof.ts";
import { PCR_CN_STEEL_EAF_1_0_0 } from "./categories/steel-eaf.ts";
import { PCR_CN_TEXTILE_FABRIC_1_0_0 } from "./categories/textile-fabric.ts";
import { PCR_CN_TYRE_1_0_0 } from "./categories/tyre.ts";
import { PCR_CN_UREA_1_0_0 } from "./categories/urea.ts";
import { PCR_CN_WOOD_PANEL_1_0_0 } from "./categories/wood-panel.ts";
import { pcrKey, PcrSchema, type Pcr, type PcrInput } from "./schema.ts";

/** Every PCR version ever published. A new version is appended here; old ones are never removed. */
export const PCR_SOURCES: readonly PcrInput[] = [
  PCR_CN_LIB_CONSUMER_1_0_0,
  PCR_CN_LIB_EV_1_0_0,
  PCR_CN_LIB_ESS_1_0_0,
  PCR_CN_PV_MODULE_1_0_0,
  PCR_CN_STEEL_BF_BOF_1_0_0,
  PCR_CN_STEEL_EAF_1_0_0,
  PCR_CN_FERROALLOY_1_0_0,
  PCR_CN_ALU_PRIMARY_1_0_0,
  PCR_CN_CEMENT_1_0_0,
  PCR_CN_FLAT_GLASS_1_0_0,
  PCR_CN_ALU_PROFILE_1_0_0,
  PCR_CN_MOTOR_3PH_1_0_0,
  PCR_CN_TYRE_1_0_0,
  PCR_CN_TEXTILE_FABRIC_1_0_0,
  PCR_CN_CERAMIC_TILE_1_0_0,
  PCR_CN_RAC_1_0_0,
  PCR_CN_PC_LAPTOP_1_0_0,
  PCR_CN_PC_DESKTOP_1_0_0,
  PCR_CN_WOOD_PANEL_1_0_0,
  PCR_CN_UREA_1_0_0,
  PCR_CN_AMMONIUM_PHOSPHATE_1_0_0,
];

export interface PublishedPcr {
  readonly pcr: Pcr;
  /** SHA-256 of the canonical JSON of the validated PCR: its identity on certificates. */
  readonly contentSha256: string;
}

/** A catalogue of PCR versions, validated and frozen, with lookups. */
export class PcrCatalogue {
  readonly #byKey = new Map<string, PublishedPcr>();

  constructor(sources: readonly PcrInput[]) {
    for (const source of sources) {
      const pcr = deepFreeze(PcrSchema.parse(source));
      const key = pcrKey(pcr);
      if (this.#byKey.has(key)) throw new Error(`PCR ${key} is defined twice`);
      this.#byKey.set(key, Object.freeze({ pcr, contentSha256: contentHash(pcr) }));
    }
  }

  /** The exact version; withdrawn versions stay resolvable because certificates cite them. */
  get(code: string, version: string): Pcr {
    return this.getPublished(code, version).pcr;
  }

  getPublished(code: string, version: string): PublishedPcr {
    const found = this.#byKey.get(`${code}@${version}`);
    if (!found) throw new UnknownPcrError(code, version);
    return found;
  }

  has(code: string, version: string): boolean {
    return this.#byKey.has(`${code}@${version}`);
  }

  /** Newest published (not withdrawn) version of a code, by semantic version order. */
  latest(code: string): Pcr {
    const versions = this.versions(code).filter((p) => p.status === "published");
    const newest = versions.at(-1);
    if (!newest) throw new UnknownPcrError(code);
    return newest;
  }

  /** All versions of a code, oldest first. */
  versions(code: string): Pcr[] {
    return [...this.#byKey.values()]
      .map((p) => p.pcr)
      .filter((p) => p.code === code)
      .sort((a, b) => compareSemver(a.version, b.version));
  }

  /** Latest published version of each code in a category (e.g. "cement"). */
  byCategory(category: string): Pcr[] {
    const codes = new Set([...this.#byKey.values()].filter((p) => p.pcr.category === category).map((p) => p.pcr.code));
    return [...codes].sort().map((code) => this.latest(code));
  }

  categories(): string[] {
    return [...new Set([...this.#byKey.values()].map((p) => p.pcr.category))].sort();
  }

  /** Latest published version of every code. */
  list(): Pcr[] {
    const codes = new Set([...this.#byKey.values()].map((p) => p.pcr.code));
    return [...codes].sort().map((code) => this.latest(code));
  }

  all(): PublishedPcr[] {
    return [...this.#byKey.values()];
  }
}

export function compareSemver(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export const PCR_CATALOGUE: PcrCatalogue = new PcrCatalogue(PCR_SOURCES);
