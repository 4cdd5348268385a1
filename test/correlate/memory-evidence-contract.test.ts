import { evidenceContract, recordArchiveContract } from './evidence-contract.js';
import { MemoryEvidence } from './memory-evidence.js';

const memory = (records: Record<string, unknown>[]) => new MemoryEvidence(records);
evidenceContract('in-memory', memory);
recordArchiveContract('in-memory', memory);
