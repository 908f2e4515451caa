#!/usr/bin/env node
// Launcher of the `verdict` CLI. Registers tsx's ESM loader in this process
// and imports the TypeScript entry directly, so the workspace needs no build
// step and the CLI costs one Node process, not two. Lives in @verdict/shared
// so that pnpm links it into the workspace's node_modules/.bin (the root
// package's own bin is never linked); the root bin/verdict.js delegates here.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
