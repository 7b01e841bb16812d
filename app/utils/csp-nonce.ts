/**
 * The Content-Security-Policy nonce of the page being rendered. app/entry.server.tsx makes a fresh
 * one per document, sends it in the policy header and provides it here, so that the only inline
 * scripts a page runs are the ones Remix writes itself (<Scripts>, <ScrollRestoration>).
 * In the browser there is no provider and the value is undefined: browsers hide a nonce from the
 * DOM once the policy has been applied, and the client never needs it.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
