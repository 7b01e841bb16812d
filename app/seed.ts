/**
 * `npm run db:seed`: workflows/cli.ts's seed command with the app's certificate signer and footprint source registered first,
 * so the demo certificates it issues are signed exactly as `npm start` signs them (db/ may not
 * import the app, where the signing keys live).
 */
import { setCertificateIssuer } from "../workflows/certificates/issuer.ts";
import { setLockedFootprintSource } from "../workflows/footprints/source.ts";
import { lockedFootprintSource } from "./services/cases/application.server.ts";
import { appCertificateIssuer } from "./services/certificates/issuer.server.ts";

setCertificateIssuer(appCertificateIssuer());
// The demo applications rest on stored results, computed as an application's are.
setLockedFootprintSource(lockedFootprintSource);
await import("../workflows/cli.ts");
