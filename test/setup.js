// mocha's `require` (.mocharc.json): the project's one TypeScript loader, the one the tools use,
// with source maps so a failing test's stack trace points into the TypeScript.
"use strict";
require("../tools/register").enableSourceMaps();
