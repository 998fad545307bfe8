// ESLint for the program, the policy pack, tools and tests (typescript-eslint, flat config).
// Formatting is Prettier's job; eslint-config-prettier turns off the rules that would fight it.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "policies/node_modules/", "policies/bin/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // Policy checks read untyped resource inputs, and tests parse JSON documents.
      "@typescript-eslint/no-explicit-any": "off",
      // The harness and the Lambda handler load modules lazily on purpose (see their comments).
      "@typescript-eslint/no-require-imports": "off",
      eqeqeq: ["error", "always"],
      "no-console": ["error", { allow: ["log", "error"] }],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // chai assertions such as `expect(x).to.be.true` are expressions.
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },
  {
    // Plain CommonJS entry points run by node directly.
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", process: "readonly", module: "writable", __dirname: "readonly", console: "readonly", Buffer: "readonly" },
    },
  },
  prettier,
);
