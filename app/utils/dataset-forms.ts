/**
 * The dataset import form's names the page and the server share (the server module cannot be
 * imported by the page): each version the new one may include is a checkbox named with this
 * prefix and the version's key, `include:<id>@<version>`.
 */
export const INCLUDE_PREFIX = "include:";
