import { bi } from "../../i18n.ts";
import { dimensionOf } from "../../units.ts";
import type { ConformanceCheck } from "../types.ts";

/** §1: the inventory and its result are made under this exact PCR version. */
export const pcrVersion: ConformanceCheck = {
  id: "pcr.version",
  clause: "scope",
  severity: "major",
  remedyKey: "prepareUnderPcr",
  run: ({ pcr, key, inventory, result }) => {
    const passed =
      inventory.pcr.code === pcr.code &&
      inventory.pcr.version === pcr.version &&
      result.stamp.pcr.code === pcr.code &&
      result.stamp.pcr.version === pcr.version;
    const message = passed
      ? bi(`清单与结果均按 ${key} 编制`, `Inventory and result use ${key}`)
      : bi(
          `清单使用 ${inventory.pcr.code}@${inventory.pcr.version}，结果使用 ${result.stamp.pcr.code}@${result.stamp.pcr.version}，与 ${key} 不一致`,
          `The inventory cites ${inventory.pcr.code}@${inventory.pcr.version} and the result ${result.stamp.pcr.code}@${result.stamp.pcr.version}, not ${key}`,
        );
    return [{ passed, message }];
  },
};

/** §4: the declared unit is the PCR's. */
export const declaredUnit: ConformanceCheck = {
  id: "declared_unit",
  clause: "declaredUnit",
  severity: "major",
  remedyKey: "expressPerDeclaredUnit",
  run: ({ pcr, inventory }) => {
    const own = inventory.declaredUnit;
    const required = pcr.declaredUnit;
    const passed = dimensionOf(own.unit) === dimensionOf(required.unit) && own.quantity === required.quantity && own.unit === required.unit;
    const message = passed
      ? bi(`申报单位为 ${required.quantity} ${required.unit}，符合规则`, `Declared unit is ${required.quantity} ${required.unit} as the PCR requires`)
      : bi(
          `申报单位为 ${own.quantity} ${own.unit}，规则要求 ${required.quantity} ${required.unit}`,
          `Declared unit is ${own.quantity} ${own.unit}; the PCR requires ${required.quantity} ${required.unit}`,
        );
    return [{ passed, message }];
  },
};

/** §10: characterised with the PCR's GWP set. */
export const gwpSet: ConformanceCheck = {
  id: "gwp_set",
  clause: "gwp",
  severity: "major",
  remedyKey: "recalculateWithGwpSet",
  run: ({ pcr, result }) => {
    const passed = result.stamp.gwpSet === pcr.gwpSet;
    const message = passed
      ? bi(`采用 ${pcr.gwpSet} GWP100`, `Characterised with ${pcr.gwpSet} GWP100`)
      : bi(`结果采用 ${result.stamp.gwpSet}，规则要求 ${pcr.gwpSet}`, `Result uses ${result.stamp.gwpSet}; the PCR requires ${pcr.gwpSet}`);
    return [{ passed, message }];
  },
};
