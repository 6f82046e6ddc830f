#!/usr/bin/env node
// Parapet runs from its TypeScript sources on Node >= 24 (type stripping); the `node`
// dependency provides that runtime under node_modules/.bin, which npm scripts and npx put first on PATH.
import '../src/cli/main.ts';
