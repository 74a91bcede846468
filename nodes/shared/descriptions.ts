import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from './execution';

/** The Timeout option every login node offers inside its Options collection. */
export const timeoutOptionProperty: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_TIMEOUT_MS,
	description: 'How long to wait for the service to answer, in milliseconds, before failing',
};
