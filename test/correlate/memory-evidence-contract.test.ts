import { evidenceContract } from './evidence-contract.js';
import { MemoryEvidence } from './memory-evidence.js';

evidenceContract('in-memory', (records) => new MemoryEvidence(records));
