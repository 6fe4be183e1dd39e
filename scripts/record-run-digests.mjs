#!/usr/bin/env node
// Records the run digests the runtime-equivalence unit test compares against (test/fixtures/model/run-digests.json).
// Only regenerate when a change is MEANT to change runs (a model's semantics): `npx tsc -p tsconfig.json && node scripts/record-run-digests.mjs`.
import { writeFileSync } from 'node:fs';
import { allRunDigests } from '../dist/test/unit/model/run-digests.js';

const out = 'test/fixtures/model/run-digests.json';
writeFileSync(out, JSON.stringify(allRunDigests(), null, 1) + '\n');
process.stdout.write(`wrote ${out}\n`);
