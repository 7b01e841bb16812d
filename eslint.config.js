import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "node_modules/", "data/", "bench/out/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // Migrations are typed against Kysely<any> on purpose: frozen in time, they must not follow db/schema.ts.
    files: ["db/migrations/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Architecture (docs/ARCHITECTURE.md): imports point one way, app → workflows → db, rules.
    // rules/ is pure domain and imports nothing of ours outside itself.
    files: ["rules/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/app/**", "**/db/**", "**/workflows/**", "~/*"], message: "rules/ imports nothing of ours but itself." }] },
      ],
    },
  },
  {
    // db/ is schema, migrations, client and table-level queries: it knows no app/ and no workflows/.
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/app/**", "**/workflows/**", "~/*"], message: "db/ knows neither app/ nor workflows/ (app → workflows → db, rules)." },
          ],
        },
      ],
    },
  },
  {
    // workflows/ is the application layer: it may use db/ and rules/, never the HTTP and UI layer.
    files: ["workflows/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/app/**", "~/*"], message: "workflows/ knows no app/ (app → workflows → db, rules)." }] },
      ],
    },
  },
  {
    // SQL lives in db/ (db/repositories: table-level functions taking the executor); the layers above
    // call those functions and decide the transaction, but never build a query themselves.
    files: ["app/**/*.{ts,tsx}", "workflows/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)$/]",
          message: "Queries belong in db/repositories (a function taking the executor); call it from here.",
        },
        {
          selector: "ImportDeclaration[source.value='kysely'] > ImportSpecifier[imported.name='sql']",
          message: "Raw SQL belongs in db/repositories; call a repository function from here.",
        },
      ],
    },
  },
);
