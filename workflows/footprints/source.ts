/**
 * The footprint source processes without a request use (the demo seed, `npm run db:seed`): the
 * app's calculator over stored inventories, handed in once per process the way the certificate
 * issuer is (workflows/ never imports app/). A request passes its source explicitly; when nothing
 * is registered, cases are opened on the caller's figures without a stored result.
 */
import { singleton } from "../../db/singleton.ts";
import type { LockedFootprintSource } from "../cases/cases.ts";

const registration = singleton<LockedFootprintSource | null>("lockedFootprintSource", () => null);

export function setLockedFootprintSource(source: LockedFootprintSource | null): void {
  registration.set(source);
}

export function registeredLockedFootprintSource(): LockedFootprintSource | null {
  return registration.get();
}
