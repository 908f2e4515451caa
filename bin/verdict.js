#!/usr/bin/env node
// Root entry of the `verdict` CLI (`node bin/verdict.js …`). The launcher
// itself lives in shared/bin so that `pnpm exec verdict` finds it too.
import "../shared/bin/verdict.js";
