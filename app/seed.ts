/**
 * `npm run db:seed`: workflows/cli.ts's seed command with the app's certificate signer registered first,
 * so the demo certificates it issues are signed exactly as `npm start` signs them (db/ may not
 * import the app, where the signing keys live).
 */
import { setCertificateIssuer } from "../workflows/certificates/issuer.ts";
import { appCertificateIssuer } from "./services/certificates/issuer.server.ts";

setCertificateIssuer(appCertificateIssuer());
await import("../workflows/cli.ts");
